"""Real identity providers for the tests, started as processes on free ports and stopped after."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CLIENT_ID = "indkobsportal"
CLIENT_SECRET = "client-secret-for-tests-only"
OIDC_SLUG = "odense-entra"

# The people the test IdP knows: its login name → the claims it asserts.
OIDC_ACCOUNTS = {
    "anna": {"email": "anna@odense.dk", "email_verified": True, "name": "Anna Andersen"},
    "bo": {"email": "bo@aarhus.dk", "email_verified": True, "name": "Bo Bach"},
    "officer": {"email": "indkob@odense.test", "email_verified": True, "name": "Ida Indkøb"},
    "unverified": {"email": "laeser@odense.test", "email_verified": False, "name": "Lis Læser"},
    "admin": {"email": "admin@12by.test", "email_verified": True, "name": "Adam Admin"},
    "gone": {"email": "gone@odense.dk", "email_verified": True, "name": "Gunnar Gået"},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, body: dict | None = None, timeout: float = 30) -> dict:
    request = urllib.request.Request(  # noqa: S310 (loopback, http only)
        url,
        data=json.dumps(body or {}).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
        return json.loads(response.read() or b"{}")


def wait_until_ready(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"identity provider exited:\n{log.read_text(errors='replace')}")
        try:
            _post(url, timeout=2)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"identity provider not ready:\n{log.read_text(errors='replace')}")


@dataclass
class OIDCProvider:
    url: str
    process: subprocess.Popen
    log_path: Path
    accounts: dict = field(default_factory=dict)

    def misbehave(self, mode: str = "normal", claims: dict | None = None) -> None:
        _post(f"{self.url}/__test/mode", {"mode": mode, "claims": claims or {}})

    def remove(self, login: str) -> None:
        _post(f"{self.url}/__test/remove", {"login": login})

    def backchannel_logout(self, uri: str, sub: str, *, stranger: bool = False) -> int:
        return _post(f"{self.url}/__test/logout", {"uri": uri, "sub": sub, "stranger": stranger})[
            "status"
        ]


def start_oidc_provider(live_server_url: str, log_dir: Path) -> Iterator[OIDCProvider]:
    port = free_port()
    config = {
        "port": port,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{live_server_url}/accounts/oidc/{OIDC_SLUG}/login/callback/"],
        "accounts": OIDC_ACCOUNTS,
    }
    log_path = log_dir / "oidc-idp.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["node", str(HERE / "oidc_idp.mjs")],
            cwd=ROOT,
            env={**os.environ, "OIDC_IDP_CONFIG": json.dumps(config), "NODE_NO_WARNINGS": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    provider = OIDCProvider(f"http://127.0.0.1:{port}", process, log_path, OIDC_ACCOUNTS)
    try:
        wait_until_ready(f"{provider.url}/__test/ready", process, log_path)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


SAML_SLUG = "odense-saml"
SAML_PEOPLE = {
    "anna": {"email": "anna@odense.dk", "name": "Anna Andersen"},
    "bo": {"email": "bo@aarhus.dk", "name": "Bo Bach"},
    "admin": {"email": "admin@12by.test", "name": "Adam Admin"},
}
NSIS_SUBSTANTIAL = "https://data.gov.dk/concept/core/nsis/loa/Substantial"


@dataclass
class SAMLProvider:
    url: str
    certificate: str  # PEM
    process: subprocess.Popen
    log_path: Path

    @property
    def entity_id(self) -> str:
        return f"{self.url}/metadata"

    @property
    def sso_url(self) -> str:
        return f"{self.url}/sso/redirect"

    def load_sp_metadata(self, xml: str) -> None:
        _post(f"{self.url}/__test/sp", {"metadata": xml})

    def next_sign_in(self, user: str, mode: str = "normal", class_ref: str = "") -> None:
        _post(f"{self.url}/__test/mode", {"user": user, "mode": mode, "class_ref": class_ref})

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_saml_provider(log_dir: Path) -> Iterator[SAMLProvider]:
    from .certs import key_and_certificate

    files = {}
    for name, common_name in (("", "saml-idp"), ("stranger_", "someone-else")):
        key, cert = key_and_certificate(common_name)
        files[f"{name}key"] = log_dir / f"{name}key.pem"
        files[f"{name}cert"] = log_dir / f"{name}cert.pem"
        files[f"{name}key"].write_text(key)
        files[f"{name}cert"].write_text(cert)
    port = free_port()
    config = {
        "port": port,
        "people": SAML_PEOPLE,
        **{name: str(path) for name, path in files.items()},
    }
    log_path = log_dir / "saml-idp.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(HERE / "saml_idp.py")],
            cwd=ROOT,
            env={**os.environ, "SAML_IDP_CONFIG": json.dumps(config)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    provider = SAMLProvider(
        f"http://127.0.0.1:{port}", files["cert"].read_text(), process, log_path
    )
    try:
        wait_until_ready(f"{provider.url}/__test/ready", process, log_path)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
