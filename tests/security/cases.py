"""The hostile corpus as a table: who sends what where, and the refusal it must get.

Every case is refused: the status, a Danish message (the page, the flashed message or the API's
`{"detail", "code"}`), and not one row written (checked by the runner in test_hostile.py).
Redirect cases ("stay on the portal") may answer 302, but never to another site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from .files import (
    BARE_SCRIPT,
    BUILDERS,
    CSV,
    ELF,
    EXE,
    GIF,
    HTML,
    PDF,
    PNG,
    SVG,
    XLS,
)

MB = 1024 * 1024
SMALL_LIMIT = {"SPEND_IMPORT_LIMITS": {"max_bytes": MB}}
BIG_CSV = CSV + b"02-01-2025;16356700;Fyld;1,00;4410;X\r\n" * (MB // 36 + 10)
REDIRECT = 302
EVIL = "https://evil.example"


@dataclass(frozen=True)
class Hostile:
    id: str
    who: str  # a cast role (officer, viewer, board, staff) or "anonymous"
    method: str
    path: str | Callable[[Any], str]
    status: int
    says: str = ""  # a Danish fragment of the refusal
    code: str = ""  # the API's error code
    data: dict | Callable[[Any], dict] = field(default_factory=dict)
    upload: tuple[str, bytes | Callable[[], bytes]] | None = None  # (raw file name, content)
    token: str | None = None  # an API token of the world (by key); None: the signed-in session
    csrf: str = ""  # "" (test client: no checks), "none", "origin" or "referer"
    settings: dict = field(default_factory=dict)
    json: bool = False  # the body as JSON (API PUT)

    @property
    def api(self) -> bool:
        return self.token is not None or (isinstance(self.path, str) and "/api/" in self.path)


UPLOAD = "/spend/imports/upload/"
API_UPLOAD = "/api/v1/spend/uploads"
API_SUMMARY = "/api/v1/spend/summary"
NOT_SPEND = "ikke en forbrugsfil"
DTD = "DTD"
BOMB = "zip-bombe"
OUTSIDE = "peger uden for arkivet"
SUFFIX = "Filnavnet skal ende på"
FORMULA = "læser som en formel"


def _u(name: str, key: str, *extra: Any) -> Callable[[Any], str]:
    return lambda w: reverse(name, args=[w.pk(key), *extra])


def _b(key: str) -> Callable[[], bytes]:
    return BUILDERS[key]


def _decl(world: Any, tender: str = "open_tender") -> str:
    return f"/api/v1/declarations/{getattr(world.api, tender).reference}/lots/1"


# (id, file name, content, Danish fragment): each sent to the upload page and most to the API.
FILES: list[tuple[str, str, bytes | Callable[[], bytes], str]] = [
    ("png-as-csv", "udtraek.csv", PNG, NOT_SPEND),
    ("pdf-as-csv", "udtraek.csv", PDF, NOT_SPEND),
    ("html-as-csv", "udtraek.csv", HTML, NOT_SPEND),
    ("svg-as-xml", "faktura.xml", SVG, NOT_SPEND),
    ("exe-as-xlsx", "udtraek.xlsx", EXE, NOT_SPEND),
    ("elf-as-csv", "udtraek.csv", ELF, NOT_SPEND),
    ("gif-as-xml", "faktura.xml", GIF, NOT_SPEND),
    ("png-as-xlsx", "udtraek.xlsx", PNG, NOT_SPEND),
    ("script-as-csv", "udtraek.csv", BARE_SCRIPT, NOT_SPEND),
    ("old-xls-as-xlsx", "udtraek.xlsx", XLS, "Gamle Excel-filer"),
    ("xml-external-entity", "faktura.xml", _b("xxe"), DTD),
    ("xml-billion-laughs", "faktura.xml", _b("laughs"), DTD),
    ("xml-parameter-entity", "faktura.xml", _b("xxe_parameter"), DTD),
    ("xml-dtd-after-long-comment", "faktura.xml", _b("xxe_late"), DTD),
    ("zip-bomb", "fakturaer.zip", _b("zip_bomb"), BOMB),
    ("xlsx-bomb", "udtraek.xlsx", _b("xlsx_bomb"), BOMB),
    ("xlsx-external-entity", "udtraek.xlsx", _b("xlsx_xxe"), DTD),
    ("zip-encrypted", "fakturaer.zip", _b("encrypted_zip"), "adgangskode"),
    ("zip-member-dot-dot", "fakturaer.zip", _b("zip_traversal"), OUTSIDE),
    ("zip-member-absolute", "fakturaer.zip", _b("zip_absolute"), OUTSIDE),
    ("zip-member-backslashes", "fakturaer.zip", _b("zip_backslash"), OUTSIDE),
    ("zip-member-drive-letter", "fakturaer.zip", _b("zip_drive"), OUTSIDE),
    ("zip-member-with-dtd", "fakturaer.zip", _b("zip_hostile_member"), DTD),
    ("xlsx-member-dot-dot", "udtraek.xlsx", _b("xlsx_traversal"), OUTSIDE),
    ("name-dot-dot-passwd", "../../etc/passwd", CSV, SUFFIX),
    ("name-backslash-boot-ini", "..\\..\\boot.ini", CSV, SUFFIX),
    ("name-nul-byte", "udtraek.csv\x00.exe", CSV, SUFFIX),
    ("name-formula-equals", "=cmd|' -C calc'!A0.csv", CSV, FORMULA),
    ("name-formula-plus", "+SUM(1;2).csv", CSV, FORMULA),
    ("name-formula-at", "@SUM(1).csv", CSV, FORMULA),
]
# The API gets the same files (a selection of kinds, to keep the run short).
API_FILES = {
    "png-as-csv", "html-as-csv", "exe-as-xlsx", "xml-external-entity", "xml-billion-laughs",
    "zip-bomb", "xlsx-bomb", "zip-member-dot-dot", "name-dot-dot-passwd", "name-nul-byte",
    "name-formula-equals",
}  # fmt: skip

UPLOADS: list[Hostile] = [
    *(
        Hostile(f"upload-page/{id_}", "officer", "post", UPLOAD, 400, says, upload=(name, content))
        for id_, name, content, says in FILES
    ),
    Hostile("upload-page/oversized", "officer", "post", UPLOAD, 400, "større end 1 MB",
            upload=("udtraek.csv", BIG_CSV), settings=SMALL_LIMIT),
    Hostile("upload-page/empty", "officer", "post", UPLOAD, 400, "er tom",
            upload=("udtraek.csv", b"")),
    Hostile("upload-page/name-only-dots", "officer", "post", UPLOAD, 400, "påkrævet",
            upload=("..", CSV)),
    *(
        Hostile(f"upload-api/{id_}", "officer", "post", API_UPLOAD, 400, says,
                code="not_a_spend_file", upload=(name, content), token="officer")
        for id_, name, content, says in FILES
        if id_ in API_FILES
    ),
    Hostile("upload-api/oversized", "officer", "post", API_UPLOAD, 400, "højst 1 MB",
            code="not_a_spend_file", upload=("udtraek.csv", BIG_CSV), token="officer",
            settings=SMALL_LIMIT),
    Hostile("upload-api/empty", "officer", "post", API_UPLOAD, 400, "tom",
            code="not_a_spend_file", upload=("udtraek.csv", b"\n\n"), token="officer"),
]  # fmt: skip

ATTACH = _u("knowledge:attachment_upload", "article_odense")
ATTACHMENTS: list[Hostile] = [
    Hostile(f"attachment/{id_}", "officer", "post", ATTACH, REDIRECT, says, upload=(name, content))
    for id_, name, content, says in [
        ("exe-as-pdf", "bilag.pdf", EXE, "ikke en rigtig PDF-fil"),
        ("html-as-pdf", "bilag.pdf", HTML, "ikke en rigtig PDF-fil"),
        ("zip-as-docx", "bilag.docx", BUILDERS["zip_traversal"](), "ikke en rigtig DOCX-fil"),
        ("svg", "tegning.svg", SVG, "Kun DOCX-, XLSX- og PDF-filer"),
        ("html", "side.html", HTML, "Kun DOCX-, XLSX- og PDF-filer"),
        ("name-dot-dot-passwd", "../../etc/passwd", PDF, "Kun DOCX-, XLSX- og PDF-filer"),
        ("name-nul-byte", "bilag.pdf\x00.exe", PDF, "Kun DOCX-, XLSX- og PDF-filer"),
        ("empty-pdf", "bilag.pdf", b"", "Vælg en fil"),
    ]
]

NOT_FOUND_PAGE = "Siden blev ikke fundet"
NO_ACCESS = "Du har ikke adgang"
TENANCY: list[Hostile] = [
    Hostile("tenancy/start-aarhus-import", "officer", "post",
            _u("spend:import_start", "import_aarhus"), 404, NOT_FOUND_PAGE),
    Hostile("tenancy/withdraw-aarhus-import", "officer", "post",
            _u("spend:import_withdraw", "import_aarhus_done"), 404, NOT_FOUND_PAGE),
    Hostile("tenancy/aarhus-error-report", "officer", "get",
            _u("spend:import_errors", "import_aarhus"), 404, NOT_FOUND_PAGE),
    Hostile("tenancy/edit-aarhus-draft", "officer", "post", _u("knowledge:edit", "article_aarhus"),
            404, NOT_FOUND_PAGE, data={"title": "Overtaget", "kind": "guide", "body": "x"}),
    Hostile("tenancy/comment-aarhus-draft", "officer", "post",
            _u("knowledge:comment", "article_aarhus"), 404, NOT_FOUND_PAGE, data={"body": "Hej"}),
    Hostile("tenancy/submit-aarhus-draft", "officer", "post",
            _u("knowledge:transition", "article_aarhus"), 404, NOT_FOUND_PAGE,
            data={"action": "submit"}),
    Hostile("tenancy/attach-to-aarhus-draft", "officer", "post",
            _u("knowledge:attachment_upload", "article_aarhus"), 404, NOT_FOUND_PAGE,
            upload=("bilag.pdf", PDF)),
    Hostile("tenancy/delete-aarhus-attachment", "officer", "post",
            _u("knowledge:attachment_delete", "attachment_aarhus"), 404, NOT_FOUND_PAGE),
    Hostile("tenancy/answer-for-aarhus", "officer", "post",
            lambda w: reverse("tenders:participation", args=[w.api.open_tender.reference, "aarhus"]),
            404, NOT_FOUND_PAGE, data={"answer": "decline", "decline_reason": "Overtaget"}),
    Hostile("tenancy/edit-aarhus-member", "officer", "post",
            lambda w: reverse("members:member_edit", args=[w.cast.aarhus.pk]), 403, NO_ACCESS,
            data={"name": "Overtaget"}),
    Hostile("tenancy/contact-for-aarhus", "officer", "post",
            lambda w: reverse("members:contact_new", args=[w.cast.aarhus.pk]), 404, NOT_FOUND_PAGE,
            data={"name": "Mallory", "email": "m@evil.example"}),
    Hostile("tenancy/api-upload-for-aarhus", "officer", "post", API_UPLOAD, 404, "Findes ikke",
            code="not_found", data=lambda w: {"member_id": w.cast.aarhus.pk},
            upload=("udtraek.csv", CSV), token="officer"),
    Hostile("tenancy/api-aarhus-spend", "officer", "get",
            lambda w: f"{API_SUMMARY}?member_id={w.cast.aarhus.pk}", 404, "Findes ikke",
            code="not_found", token="officer"),
    Hostile("tenancy/api-declare-without-taking-part", "officer", "put",
            lambda w: _decl(w, "draft_tender"), 409, "ikke tilsluttet", code="not_participating",
            token="officer",
            data={"annual_volume": "1.00"}, json=True),
]  # fmt: skip

WRITE = {"annual_volume": "999999.00"}
TOKENS: list[Hostile] = [
    Hostile("token/expired-read", "officer", "get", API_SUMMARY, 401, "udløbet",
            code="token_expired", token="officer_expired"),
    Hostile("token/expired-write", "officer", "post", API_UPLOAD, 401, "udløbet",
            code="token_expired", upload=("udtraek.csv", CSV), token="officer_expired"),
    Hostile("token/revoked-read", "officer", "get", API_SUMMARY, 401, "tilbagekaldt",
            code="token_revoked", token="officer_revoked"),
    Hostile("token/revoked-write", "officer", "put", _decl, 401, "tilbagekaldt",
            code="token_revoked", token="officer_revoked", data=WRITE, json=True),
    Hostile("token/forged", "officer", "get", API_SUMMARY, 401, "ikke gyldig",
            code="token_invalid", token="forged"),
    Hostile("token/read-only-upload", "officer", "post", API_UPLOAD, 403, "kun læse",
            code="insufficient_scope", upload=("udtraek.csv", CSV), token="officer_read"),
    Hostile("token/read-only-declaration", "officer", "put", _decl, 403, "kun læse",
            code="insufficient_scope", token="officer_read", data=WRITE, json=True),
    Hostile("token/viewer-upload", "viewer", "post", API_UPLOAD, 403, "rolle",
            code="permission_denied", upload=("udtraek.csv", CSV), token="viewer"),
    Hostile("token/viewer-declaration", "viewer", "put", _decl, 403, "rolle",
            code="permission_denied", token="viewer", data=WRITE, json=True),
    Hostile("token/board-upload", "board", "post", API_UPLOAD, 403, "rolle",
            code="permission_denied", upload=("udtraek.csv", CSV), token="board"),
    Hostile("token/board-declaration", "board", "put", _decl, 403, "rolle",
            code="permission_denied", token="board", data=WRITE, json=True),
    Hostile("token/secretariat-declares-for-a-member", "staff", "put", _decl, 403, "rolle",
            code="permission_denied", token="staff", data=WRITE, json=True),
]  # fmt: skip

CSRF_PAGE = "sikkerhedskontrol"
FORGERY: list[Hostile] = [
    Hostile("csrf/missing-comment", "officer", "post", _u("knowledge:comment", "article_odense"),
            403, CSRF_PAGE, data={"body": "Forfalsket"}, csrf="none"),
    Hostile("csrf/missing-upload", "officer", "post", UPLOAD, 403, CSRF_PAGE,
            upload=("udtraek.csv", CSV), csrf="none"),
    Hostile("csrf/missing-withdraw", "officer", "post",
            _u("spend:import_withdraw", "import_odense"), 403, CSRF_PAGE, csrf="none"),
    Hostile("csrf/missing-language", "officer", "post", "/i18n/setlang/", 403, CSRF_PAGE,
            data={"language": "en"}, csrf="none"),
    Hostile("csrf/missing-api-session-upload", "officer", "post", API_UPLOAD, 403, "",
            code="permission_denied", upload=("udtraek.csv", CSV), csrf="none"),
    Hostile("csrf/foreign-origin-comment", "officer", "post",
            _u("knowledge:comment", "article_odense"), 403, CSRF_PAGE, data={"body": "Forfalsket"},
            csrf="origin"),
    Hostile("csrf/foreign-origin-upload", "officer", "post", UPLOAD, 403, CSRF_PAGE,
            upload=("udtraek.csv", CSV), csrf="origin"),
    Hostile("csrf/foreign-referer-comment", "officer", "post",
            _u("knowledge:comment", "article_odense"), 403, CSRF_PAGE, data={"body": "Forfalsket"},
            csrf="referer"),
    Hostile("csrf/foreign-referer-token-page", "officer", "post", "/api-tokens/new/", 403,
            CSRF_PAGE, data={"name": "stjaalet", "scope": "read_write", "valid_days": 30},
            csrf="referer"),
]  # fmt: skip

LOGIN = "/accounts/login/"
REDIRECTS: list[Hostile] = [
    *(
        Hostile(f"redirect/sign-in-next-{label}", "anonymous", "post", f"{LOGIN}?next={target}",
                REDIRECT, data={"login": "indkob@odense.test", "password": "correct-horse-battery"})
        for label, target in [("absolute", EVIL), ("scheme-relative", "//evil.example"),
                              ("backslash", "/\\evil.example"), ("encoded", "%2F%2Fevil.example"),
                              ("javascript", "javascript:alert(1)")]
    ),
    Hostile("redirect/signed-in-visits-sign-in", "officer", "get", f"{LOGIN}?next={EVIL}",
            REDIRECT),
    *(
        Hostile(f"redirect/language-next-{label}", "officer", "post", "/i18n/setlang/", REDIRECT,
                data={"language": "da", "next": target})
        for label, target in [("absolute", EVIL), ("scheme-relative", "//evil.example"),
                              ("backslash", "/\\evil.example")]
    ),
    Hostile("redirect/sign-out-next", "officer", "post", f"/accounts/logout/?next={EVIL}",
            REDIRECT, data={"next": EVIL}),
]  # fmt: skip

CASES: list[Hostile] = [*UPLOADS, *ATTACHMENTS, *TENANCY, *TOKENS, *FORGERY, *REDIRECTS]
