"""The users and the page mix of the load test (bench/load.py, bench/pages.py)."""

from __future__ import annotations

ROLES = {
    # role: (users of the role, e-mail addresses)
    "officer": ["indkob@odense.test", "indkob@aarhus.test", "indkob@vejle.test",
                "indkob@esbjerg.test", "indkob@kolding.test", "indkob@randers.test"],
    "viewer": ["laeser@odense.test"],
    "staff": ["sekretariat@12by.test"],
    "admin": ["admin@12by.test"],
    "board": ["bestyrelse@12by.test"],
}  # fmt: skip
# How many of the concurrent users play each role (of 16; scaled for another --users).
SHARE = {"officer": 6, "viewer": 2, "staff": 4, "admin": 1, "board": 3}

# page name: (path, weight) per role. {member}, {tender}, {agreement}, {article} are filled in.
MIX: dict[str, dict[str, tuple[str, int]]] = {
    "officer": {
        "start_member": ("/start/member/", 5),
        "tenders": ("/tenders/", 3),
        "tenders_mine": ("/tenders/mine/", 2),
        "tender_detail": ("/tenders/{tender}/", 2),
        "agreements": ("/agreements/", 2),
        "agreement_detail": ("/agreements/{agreement}/", 2),
        "knowledge": ("/knowledge/", 2),
        "knowledge_search": ("/knowledge/search/?q=udbud", 2),
        "article": ("/knowledge/{article}/", 1),
        "spend_imports": ("/spend/imports/", 1),
        "member_page": ("/members/{member}/", 1),
        "scorecard": ("/reports/scorecard/{member}/", 1),
        "api_spend_by_month": ("/api/v1/spend/summary?group_by=month", 2),
        "api_spend_by_supplier": ("/api/v1/spend/summary?group_by=supplier", 1),
        "api_tenders": ("/api/v1/tenders", 1),
        "api_compliance": ("/api/v1/compliance/summary", 1),
    },
    "viewer": {
        "start_member": ("/start/member/", 3),
        "tenders": ("/tenders/", 1),
        "knowledge": ("/knowledge/", 1),
        "scorecard": ("/reports/scorecard/{member}/", 1),
    },
    "staff": {
        "start_secretariat": ("/start/secretariat/", 4),
        "tenders": ("/tenders/", 2),
        "tender_detail": ("/tenders/{tender}/", 2),
        "agreements": ("/agreements/", 2),
        "agreement_detail": ("/agreements/{agreement}/", 1),
        "compliance": ("/agreements/compliance/", 2),
        "spend_imports": ("/spend/imports/", 1),
        "suppliers": ("/spend/suppliers/", 1),
        "members": ("/members/", 1),
        "reports": ("/reports/", 1),
        "knowledge": ("/knowledge/", 1),
    },
    "admin": {
        "start_secretariat": ("/start/secretariat/", 2),
        "users": ("/users/", 1),
        "audit": ("/audit/", 1),
        "jobs": ("/jobs/", 1),
    },
    "board": {
        "start_board": ("/start/board/", 4),
        "reports": ("/reports/", 2),
        "agreements": ("/agreements/", 2),
        "member_page": ("/members/{member}/", 1),
    },
}
