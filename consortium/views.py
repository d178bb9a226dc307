"""Project-level views: the role's start page, the member page, health check, language choice.

The start pages and the member page read several apps (members, tenders, agreements, reports),
so they live here, above every app, and no app needs to know about the others' pages.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language
from kombu import Connection

from accounts.access import SECRETARIAT_ROLES, any_role, member_of, role_required
from accounts.models import Role
from agreements.selectors import member_agreement_use
from climate.selectors import years_with_figures
from jobs.models import Job
from members.models import Member
from members.selectors import member_page as members_part
from reports import figures
from reports.dashboards import board_start, member_start, secretariat_start
from reports.figures import climate_key_figures
from reports.figures import insight as insight_figures
from reports.periods import current_year_period
from tenders.selectors import member_tender_answers

from .figure_store import stored
from .navigation import start_page_url

logger = logging.getLogger(__name__)


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to their role's start page."""
    return redirect(start_page_url(request.user))


@require_safe
@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    """For accounts without a portal role (technical administrators)."""
    if request.user.role:
        return redirect("home")
    return TemplateResponse(request, "start/no_role.html")


@require_safe
@role_required(*SECRETARIAT_ROLES)
def start_secretariat(request: HttpRequest) -> HttpResponse:
    """The secretariat's dashboard: key figures, collections under way, renewals, imports."""
    context = {
        "recent_jobs": Job.objects.visible_to(request.user).select_related("started_by")[:5],
        **secretariat_start(current_year_period()),
    }
    return TemplateResponse(request, "start/secretariat.html", context)


@require_safe
@role_required(Role.OFFICER, Role.VIEWER)
def start_member(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.visible_to(request.user).select_related("started_by")[:5]
    context: dict[str, object] = {"recent_jobs": jobs}
    member = member_of(request.user)
    if member is not None:
        context |= member_page(member, request.user, full=False)
        context["figures"] = member_start(member, current_year_period())
    return TemplateResponse(request, "start/member.html", context)


@require_safe
@role_required(Role.BOARD_MEMBER)
def start_board(request: HttpRequest) -> HttpResponse:
    """The board's dashboard: key figures with their trend, and the latest board report."""
    context = board_start(current_year_period())
    return TemplateResponse(request, "start/board.html", context)


def member_page(member: Member, user: object, *, full: bool = True) -> dict[str, object]:
    """What the member page shows: the members app's part, the joint tenders the member answered
    and the agreements it is bound by (its figures only where the viewer may see them). Without
    `full` (the officer's start page) not those two lists, which only the member page shows."""
    context = members_part(member, user)
    if full:
        context["member_lists"] = member_lists(member, user, bool(context["can_see_private"]))
    if context["can_see_private"]:
        context |= member_own_figures(member)
    return context


@stored()
def member_own_figures(member: Member) -> dict[str, object]:
    """The member's own figures on its page and its officers' start page — its climate key
    figures, and this year's volume kept and money left on the table — kept between requests
    until their data changes (some 15 queries each time), the table of volume kept rendered.
    Only for those who may see them."""
    year = timezone.localdate().year
    with figures.one_computation():
        kept = insight_figures.volume_kept_table(year, member)
        return {
            "climate": member_climate_panel(member),
            "insight_summary": insight_figures.member_insight_summary(year, member),
            # Kept rendered: a member bound by a hundred agreements has a row for each (some
            # 20 ms of template work at every visit); empty when there is none.
            "insight_kept": (
                render_to_string("reports/_table.html", {"table": kept}) if kept.rows else ""
            ),
        }


@stored()
def member_lists(member: Member, user: object, private: bool) -> str:
    """The member page's answers to joint tenders and its agreement use, kept rendered until
    their data changes: a member of a national body has hundreds of each (900 rows, a few
    hundred milliseconds of template work at every request). Kept per viewer: what of the
    member's own figures it shows depends on who looks (`private`: its own users and the
    secretariat)."""
    context = {
        "member": member,
        "can_see_private": private,
        "tender_answers": member_tender_answers(member, user),
        "agreement_use": member_agreement_use(member, user, with_figures=private),
    }
    return render_to_string("members/includes/lists.html", context)


def member_climate_panel(member: Member) -> dict[str, object]:
    """The member's climate key figures of its latest year with figures, for the member page
    and the officer's start page (the climate page has the rest)."""
    years = years_with_figures(member)
    if not years:
        return {"year": None, "key_figures": []}
    return {"year": years[-1], "key_figures": climate_key_figures(years[-1], member)}


@require_safe
@any_role
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("organisation"), pk=pk)
    return TemplateResponse(request, "members/detail.html", member_page(member, request.user))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; a signed-in user keeps the choice (it also sets their e-mail language)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Report database and broker state: 200 when both answer, 503 otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        logger.warning("Health check: database unreachable: %s", exc)
        checks["database"] = "unavailable"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:
        logger.warning("Health check: broker unreachable: %s", exc)
        checks["broker"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503
    )


# The API answers its own errors as `{"detail": ..., "code": ...}` (api/errors.py); a path under
# /api/ that no endpoint matches, or a crash outside an endpoint, reaches these handlers instead,
# and must answer in the same JSON, never an HTML page.
API_PREFIX = "/api/"


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Server error."), "code": "server_error"}, status=500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without this portal's security token, or from another site: refused with a
    page in the user's language (Django's own page is English and meant for developers)."""
    logger.info("CSRF refusal of %s: %s", request.path, reason)
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": _("The request was refused by the security check."), "code": "csrf_failed"},
            status=403,
        )
    return TemplateResponse(request, "403_csrf.html", status=403)
