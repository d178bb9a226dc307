"""A real SAML 2.0 identity provider for the tests: pysaml2's Server behind a small WSGI app.

Started by tests/sso/idp.py on a free port, with a key and certificate made at test time. It
signs in whoever the test names (no login form of its own) and answers the portal's AuthnRequest
with a signed Response through the HTTP-POST binding, as an OIOSAML broker does. Under /__test/
a test loads the portal's SP metadata and makes it misbehave: an unsigned response, one signed
with a key the portal does not know, an expired assertion, strong authentication asserted in the
AuthnContextClassRef.
"""

from __future__ import annotations

import json
import os
import sys
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

settings = json.loads(os.environ["SAML_IDP_CONFIG"])
BASE = f"http://127.0.0.1:{settings['port']}"


def config(key_file: str, cert_file: str, lifetime_minutes: int) -> IdPConfig:
    conf = IdPConfig()
    conf.load(
        {
            "entityid": f"{BASE}/metadata",
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{BASE}/sso/redirect", BINDING_HTTP_REDIRECT)]
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": lifetime_minutes},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "key_file": key_file,
            "cert_file": cert_file,
            "xmlsec_binary": settings.get("xmlsec1", "/usr/bin/xmlsec1"),
            "metadata": {},
            "allow_unknown_attributes": True,
        }
    )
    return conf


state: dict = {"mode": "normal", "user": "", "class_ref": PASSWORD_CLASS, "sp": []}


def server(mode: str) -> Server:
    if mode == "wrong_signature":
        key, cert = settings["stranger_key"], settings["stranger_cert"]
    else:
        key, cert = settings["key"], settings["cert"]
    idp = Server(config=config(key, cert, -10 if mode == "expired" else 5))
    for xml in state["sp"]:
        idp.metadata.load("inline", xml)
    return idp


def sso(query: dict) -> tuple[str, list, bytes]:
    mode = state["mode"]
    idp = server(mode)
    request = idp.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT).message
    person = settings["people"][state["user"]]
    signed = mode != "unsigned"
    response = idp.create_authn_response(
        identity={"mail": [person["email"]], "displayName": [person.get("name", "")]},
        in_response_to=request.id,
        destination=request.assertion_consumer_service_url,
        sp_entity_id=request.issuer.text,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=state["user"]),
        authn={"class_ref": state["class_ref"], "authn_auth": BASE},
        sign_response=signed,
        sign_assertion=signed,
        # SHA-256, as OIOSAML 3 requires (python3-saml refuses SHA-1 signatures).
        sign_alg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
    )
    relay_state = query.get("RelayState", [""])[0]
    http = idp.apply_binding(
        BINDING_HTTP_POST, str(response), request.assertion_consumer_service_url, relay_state,
        response=True,
    )  # fmt: skip
    return "200 OK", [("Content-Type", "text/html; charset=utf-8")], "".join(http["data"]).encode()


def control(path: str, body: dict) -> dict:
    if path == "/__test/sp":
        state["sp"] = [body["metadata"]]
    elif path == "/__test/mode":
        state.update(
            mode=body.get("mode", "normal"),
            user=body.get("user", ""),
            class_ref=body.get("class_ref") or PASSWORD_CLASS,
        )
    return {"ok": True}


def app(environ: dict, start_response: object) -> list[bytes]:
    path = environ["PATH_INFO"]
    try:
        if path.startswith("/__test/"):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            status, headers, content = (
                "200 OK", [("Content-Type", "application/json")], json.dumps(control(path, body)).encode(),
            )  # fmt: skip
        elif path == "/sso/redirect":
            status, headers, content = sso(parse_qs(environ.get("QUERY_STRING", "")))
        else:
            status, headers, content = (
                "404 Not Found",
                [("Content-Type", "text/plain")],
                b"not found",
            )
    except Exception as exc:
        sys.stderr.write(f"error: {exc!r}\n")
        sys.stderr.flush()
        status, headers, content = (
            "500 Internal Server Error",
            [("Content-Type", "text/plain")],
            b"error",
        )
    start_response(status, headers)
    return [content]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    with make_server("127.0.0.1", settings["port"], app, handler_class=QuietHandler) as httpd:
        sys.stdout.write(f"ready {BASE}\n")
        sys.stdout.flush()
        httpd.serve_forever()
