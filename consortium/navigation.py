"""The main menu and each role's start page, in one place.

An item is shown to the roles listed; `section` is the URL prefix that marks it as current.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.access import ALL_ROLES, SECRETARIAT_ROLES
from accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    section: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


START_PAGES: dict[str, str] = {
    Role.SECRETARIAT_ADMIN: "start_secretariat",
    Role.SECRETARIAT_STAFF: "start_secretariat",
    Role.OFFICER: "start_member",
    Role.VIEWER: "start_member",
    Role.BOARD_MEMBER: "start_board",
}

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Overview"), "start_secretariat", SECRETARIAT_ROLES, "/start/secretariat/"),
    NavItem(
        _("My municipality"),
        "start_member",
        frozenset({Role.OFFICER, Role.VIEWER}),
        "/start/member/",
    ),
    NavItem(_("Overview"), "start_board", frozenset({Role.BOARD_MEMBER}), "/start/board/"),
    NavItem(_("Members"), "members:directory", ALL_ROLES, "/members/"),
    NavItem(_("Tenders"), "tenders:list", ALL_ROLES, "/tenders/"),
    NavItem(_("Tender plan"), "tender_timeline:pipeline", ALL_ROLES, "/tenders/plan/"),
    NavItem(_("Agreements"), "agreements:list", ALL_ROLES, "/agreements/"),
    NavItem(_("Knowledge"), "knowledge:home", ALL_ROLES, "/knowledge/"),
    NavItem(_("Reports"), "reports:dashboard", ALL_ROLES, "/reports/"),
    NavItem(_("Volume kept"), "insight:overview", ALL_ROLES, "/insight/"),
    NavItem(_("Fees"), "members:fee_models", SECRETARIAT_ROLES, "/fees/"),
    NavItem(
        _("Spend data"),
        "spend:import_list",
        SECRETARIAT_ROLES | {Role.OFFICER, Role.VIEWER},
        "/spend/imports/",
    ),
    NavItem(_("Suppliers"), "spend:supplier_list", SECRETARIAT_ROLES, "/spend/suppliers/"),
    NavItem(_("Jobs"), "jobs:list", ALL_ROLES, "/jobs/"),
    NavItem(_("Users"), "accounts:user_list", frozenset({Role.SECRETARIAT_ADMIN}), "/users/"),
    NavItem(_("Audit trail"), "audit:recent", SECRETARIAT_ROLES, "/audit/"),
    NavItem(_("API tokens"), "api_tokens:list", ALL_ROLES, "/api-tokens/"),
]


def start_page_url(user: object) -> str:
    role = getattr(user, "role", "")
    return reverse(START_PAGES[role]) if role in START_PAGES else reverse("no_role")


def nav_for(user: object, path: str) -> list[dict[str, object]]:
    role = getattr(user, "role", "")
    items = [item for item in NAV_ITEMS if role in item.roles]
    # One item is current: the one with the longest matching section, so the tender plan
    # (/tenders/plan/) is current there rather than the tenders (/tenders/).
    matching = [item for item in items if path.startswith(item.section)]
    current = max(matching, key=lambda item: len(item.section)) if matching else None
    return [{"label": item.label, "url": item.url, "current": item is current} for item in items]
