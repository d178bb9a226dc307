"""Access cases for the walking skeleton: start pages, accounts, jobs, audit, allauth, admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.urls import reverse

from accounts.models import Role
from accounts.services import invitation_create
from jobs.models import Job

from .matrix import (
    FORBIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    SECRETARIAT,
    SIGNED_IN,
    Case,
    expect,
    only,
    sample_path,
    url_keys,
)


def setup(world: Any) -> None:
    cast = world.cast
    world.objects["job_odense"] = Job.objects.create(
        kind="test", title="Odense job", organisation=cast.odense.organisation, started_by=cast.officer,
        task_name="jobs.selfcheck", state=Job.State.FAILED,
    )  # fmt: skip
    world.objects["job_aarhus"] = Job.objects.create(
        kind="test", title="Aarhus job", organisation=cast.aarhus.organisation, started_by=cast.aarhus_officer,
        task_name="jobs.selfcheck", state=Job.State.FAILED,
    )  # fmt: skip
    invitation, token = invitation_create(
        invited_by=cast.admin,
        email="new@odense.test",
        organisation=cast.odense.organisation,
        role=Role.VIEWER,
    )
    world.objects["invitation"] = invitation
    world.objects["invitation_token"] = token


def _job(name: str, key: str) -> Any:
    return lambda w: reverse(name, args=[w.objects[key].pk])


CASES: list[Case] = [
    # --- start pages --------------------------------------------------------------------------
    Case("home", expect(REDIRECT, anonymous=LOGIN)),
    Case("start_secretariat", only(SECRETARIAT)),
    Case("start_member", only(("officer", "viewer"))),
    Case("start_board", only(("board",))),
    Case("no_role", expect(REDIRECT, anonymous=LOGIN)),
    Case("healthz", expect(OK)),
    Case("set_language", expect(REDIRECT), method="post", data={"language": "en", "next": "/"}),
    Case("set_language", expect(METHOD_NOT_ALLOWED), label="GET"),
    # --- users and invitations ----------------------------------------------------------------
    Case("accounts:user_list", only(("admin",))),
    Case("accounts:invitation_list", only(("admin",))),
    Case("accounts:invitation_new", only(("admin",))),
    Case(
        "accounts:invitation_new",
        only(("admin",), REDIRECT),
        method="post",
        data=lambda w: {
            "full_name": "Ny Person",
            "email": "ny@odense.test",
            "organisation": w.cast.odense.organisation.pk,
            "role": Role.OFFICER,
        },
        label="POST",
    ),
    Case(
        "accounts:invitation_revoke",
        only(("admin",), REDIRECT),
        path=lambda w: reverse("accounts:invitation_revoke", args=[w.objects["invitation"].pk]),
        method="post",
    ),
    Case(
        "accounts:invitation_revoke",
        expect(METHOD_NOT_ALLOWED),
        path=lambda w: reverse("accounts:invitation_revoke", args=[w.objects["invitation"].pk]),
        label="GET",
    ),
    # The invitation link works for anyone who holds it (signing out whoever is signed in).
    Case(
        "accounts:invitation_accept",
        expect(OK),
        path=lambda w: reverse("accounts:invitation_accept", args=[w.objects["invitation_token"]]),
    ),
    Case(
        "accounts:invitation_accept",
        expect(NOT_FOUND),
        path=lambda w: reverse("accounts:invitation_accept", args=["not-a-real-token"]),
        label="unknown token",
    ),
    # --- jobs: tenant-owned ---------------------------------------------------------------------
    Case("jobs:list", expect(OK, anonymous=LOGIN)),
    Case("jobs:selfcheck", only(("admin",), REDIRECT), method="post"),
    Case(
        "jobs:detail",
        expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, officer=OK, viewer=OK),
        path=_job("jobs:detail", "job_odense"),
        label="own municipality",
    ),
    Case(
        "jobs:detail",
        expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK),
        path=_job("jobs:detail", "job_aarhus"),
        label="other municipality",
    ),
    Case(
        "jobs:detail",
        expect(NOT_FOUND, anonymous=LOGIN),
        path="/jobs/00000000-0000-0000-0000-000000000000/",
        label="missing",
    ),
    Case(
        "jobs:rerun",
        expect(
            NOT_FOUND,
            anonymous=LOGIN,
            admin=REDIRECT,
            staff=REDIRECT,
            officer=REDIRECT,
            viewer=FORBIDDEN,
        ),
        path=_job("jobs:rerun", "job_odense"),
        method="post",
        label="own municipality",
    ),
    Case(
        "jobs:rerun",
        expect(NOT_FOUND, anonymous=LOGIN, admin=REDIRECT, staff=REDIRECT),
        path=_job("jobs:rerun", "job_aarhus"),
        method="post",
        label="other municipality",
    ),
    # --- audit trail: secretariat only ------------------------------------------------------------
    Case("audit:recent", only(SECRETARIAT)),
    Case(
        "audit:object",
        only(SECRETARIAT),
        path=lambda w: reverse(
            "audit:object", args=["accounts", "organisation", w.cast.odense.organisation.pk]
        ),
    ),
    Case(
        "audit:object",
        only(SECRETARIAT, NOT_FOUND),
        path=lambda w: reverse("audit:object", args=["jobs", "job", w.objects["job_odense"].pk]),
        label="model without audit trail",
    ),
    # --- allauth: sign-in, password and two-factor pages ------------------------------------------
    Case("account_login", expect(REDIRECT, anonymous=OK)),
    Case("account_logout", expect(OK, anonymous=REDIRECT)),
    Case("account_inactive", expect(OK)),
    # Sign-up is closed: the page only says so.
    Case("account_signup", expect(REDIRECT, anonymous=OK)),
    Case("account_reauthenticate", expect(OK, anonymous=LOGIN)),
    Case("account_email", expect(OK, anonymous=LOGIN)),
    Case("account_email_verification_sent", expect(OK)),
    Case("account_change_password", expect(OK, anonymous=LOGIN)),
    Case("account_set_password", expect(REDIRECT, anonymous=LOGIN)),
    Case("account_reset_password", expect(OK)),
    Case("account_reset_password_done", expect(OK)),
    Case("account_reset_password_from_key_done", expect(OK)),
    Case(
        "account_reset_password_from_key",
        expect(OK),
        path="/accounts/password/reset/key/1-bad-key/",
    ),
    # A bad confirmation key shows allauth's "link expired or invalid" page.
    Case("account_confirm_email", expect(OK), path="/accounts/confirm-email/bad-key/"),
    # Sign-in by code is off: without a pending code the page sends everyone away.
    Case("account_confirm_login_code", expect(REDIRECT, anonymous=LOGIN)),
    Case("mfa_index", expect(OK, anonymous=LOGIN)),
    Case("mfa_authenticate", expect(REDIRECT, anonymous=LOGIN)),
    Case("mfa_reauthenticate", expect(REDIRECT, anonymous=LOGIN)),
    # Setting up an authenticator needs a fresh sign-in (allauth's reauthentication step).
    Case("mfa_activate_totp", expect(REDIRECT, anonymous=LOGIN)),
    Case("mfa_deactivate_totp", expect(NOT_FOUND, anonymous=LOGIN)),
    Case("mfa_view_recovery_codes", expect(NOT_FOUND, anonymous=LOGIN)),
    Case("mfa_generate_recovery_codes", expect(REDIRECT, anonymous=LOGIN)),
    Case("mfa_download_recovery_codes", expect(NOT_FOUND, anonymous=LOGIN)),
]


def _admin_cases() -> list[Case]:
    """The technical admin is for is_staff operators only: every role is sent to its login."""
    special = {
        "admin:login": expect(OK),
        "admin:logout": expect(REDIRECT),
    }
    prefix = reverse("admin:index").lstrip("/")
    cases = []
    for key, route in url_keys():
        if key.startswith("admin:") or (key == route and route.startswith(prefix)):
            cases.append(Case(key, special.get(key, expect(LOGIN)), path=sample_path(route)))
    return cases


CASES += _admin_cases()

assert admin.site  # the admin's URLs are classified above, so they stay behind is_staff
assert set(SIGNED_IN) == {"admin", "staff", "officer", "viewer", "board"}
