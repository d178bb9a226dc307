"""What a user may see and do — decided here and nowhere else.

* Views say which roles may use them with `@role_required(...)`: anonymous visitors are sent to
  the sign-in page, signed-in users with another role get 403.
* Tenant-owned models (rows that belong to one organisation: a member's spend, its draft
  declarations, its notes, anyone's background jobs) use `TenantQuerySet` and name the path to the
  owning organisation in `tenant_path`. `Model.objects.visible_to(user)` is then the only way views
  list them: the secretariat sees every row, everyone else only their own organisation's rows.
  The board sees members' private data only in aggregates, computed by selectors that say so.
* Single objects are fetched with `get_for_user`, which returns the object and whether the user
  may change it, or its wrappers `get_visible_or_404` / `get_editable_or_404`: another
  organisation's object answers 404 exactly as a missing one or a malformed id does, so a URL
  never reveals whether something exists; an object you may see but not change answers 403.
* `member_of(user)` is the user's own member (officers and viewers), None for everyone else.
* What the board reads of the members' data, decided once: per-member aggregates (compliance,
  savings, participation, commitment kept, fees), never a member's own words
  (`sees_members_own_words`: decline reasons reach it only as counts by `DeclineCategory`, and
  only for tenders whose answers are closed), and never a figure that fewer than
  `board_min_members()` members' data make up (`min_group`, `split_small_groups`: supplier- and
  agreement-level tables fold or leave out the smaller groups and say so).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpRequest, HttpResponse

from consortium import tenancy

from .models import Role

if TYPE_CHECKING:
    from members.models import Member

SECRETARIAT_ROLES = frozenset({Role.SECRETARIAT_ADMIN, Role.SECRETARIAT_STAFF})
MEMBER_ROLES = frozenset({Role.OFFICER, Role.VIEWER})
ALL_ROLES = frozenset(Role.values)
# Roles that may change their own organisation's tenant data.
EDITOR_ROLES = SECRETARIAT_ROLES | {Role.OFFICER}

M = TypeVar("M", bound=models.Model)
View = Callable[..., HttpResponse]


def has_role(user: Any, roles: frozenset[str] | set[str]) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def role_required(*roles: str) -> Callable[[View], View]:
    """Let only signed-in users with one of `roles` through; others get login or 403."""
    allowed = frozenset(roles)
    unknown = allowed - ALL_ROLES
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


any_role = role_required(*ALL_ROLES)
secretariat_only = role_required(*SECRETARIAT_ROLES)
secretariat_admin_only = role_required(Role.SECRETARIAT_ADMIN)


class TenantQuerySet(models.QuerySet[M]):
    """QuerySet of a model whose rows belong to one organisation (`Model.tenant_path`)."""

    def _owned_by(self, organisation_id: int | None) -> TenantQuerySet[M]:
        path = getattr(self.model, "tenant_path", None)
        if not path:
            raise TypeError(f"{self.model.__name__} must define tenant_path")
        return self.filter(**{path: organisation_id})

    def visible_to(self, user: Any) -> TenantQuerySet[M]:
        """Rows the user may see: all for the secretariat, their own organisation's otherwise."""
        if not has_role(user, ALL_ROLES):
            return self.none()
        if user.role in SECRETARIAT_ROLES:
            return self.all()
        return self._owned_by(user.organisation_id)

    def editable_by(self, user: Any) -> TenantQuerySet[M]:
        """Rows the user may change: all for the secretariat, their own for officers."""
        if not has_role(user, EDITOR_ROLES):
            return self.none()
        if user.role in SECRETARIAT_ROLES:
            return self.all()
        return self._owned_by(user.organisation_id)


def member_of(user: Any) -> Member | None:
    """The member whose users `user` is one of: an officer's or a viewer's own member.

    None for the secretariat, the board, anonymous or inactive users, and a member organisation
    not yet registered as a member. Read through the organisation's `member` relation, so
    accounts needs no import of the members app (which depends on accounts).
    """
    if not has_role(user, MEMBER_ROLES):
        return None
    try:
        return user.organisation.member
    except ObjectDoesNotExist:
        return None


def _queryset[M: models.Model](source: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    return source._default_manager.all() if isinstance(source, type) else source


def _exact_field(model: type[models.Model], key: str) -> models.Field | None:
    """The field a lookup such as `pk`, `tender` or `member__organisation__slug` compares with
    exactly (for a relation, the related model's key); None when `key` ends in a lookup or
    transform (`__in`, `__iexact`) or names nothing (the query then says what is wrong)."""
    field: Any = None
    for part in key.split(LOOKUP_SEP):
        if field is not None:
            if not field.is_relation:
                return None
            model = field.related_model
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
    if field.is_relation:
        return getattr(field, "target_field", None) or field.related_model._meta.pk
    return field


def _malformed(model: type[models.Model], lookup: dict[str, Any]) -> bool:
    """Whether a text value in `lookup` can never be a value of its field: a non-numeric id, a bad
    UUID (from a URL, a form or an API path). Other values are the caller's own and are left to
    the query, so a programming error raises instead of passing for a missing object."""
    for key, value in lookup.items():
        field = _exact_field(model, key) if isinstance(value, str) else None
        if field is None:
            continue
        try:
            field.to_python(value)
        except ValidationError:
            return True
    return False


def get_visible_or_404[M: models.Model](
    source: type[M] | models.QuerySet[M], user: Any, **lookup: Any
) -> M:
    """Fetch one tenant-owned object the user may see; 404 when missing, not theirs or malformed.

    Several objects matching, or a lookup on a field that does not exist, is a mistake in the
    caller and raises (MultipleObjectsReturned, FieldError), as `QuerySet.get` does.
    """
    queryset = _queryset(source)
    if _malformed(queryset.model, lookup):
        raise Http404
    try:
        return queryset.visible_to(user).get(**lookup)  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        raise Http404 from None


def get_for_user[M: models.Model](
    source: type[M] | models.QuerySet[M], user: Any, **lookup: Any
) -> tuple[M, bool]:
    """The object the user may see (404 as in `get_visible_or_404`) and whether they may change it."""
    obj = get_visible_or_404(source, user, **lookup)
    can_edit = _queryset(source).editable_by(user).filter(pk=obj.pk).exists()  # type: ignore[attr-defined]
    return obj, can_edit


def get_editable_or_404[M: models.Model](
    source: type[M] | models.QuerySet[M], user: Any, **lookup: Any
) -> M:
    """Fetch one tenant-owned object the user may change; 404 if unseen, 403 if read-only."""
    obj, can_edit = get_for_user(source, user, **lookup)
    if not can_edit:
        raise PermissionDenied
    return obj


def sees_members_own_words(user: Any, member: Any = None) -> bool:
    """Whether `user` may read a member's own words — the reasons it gave for declining, the
    notes in its answers — of `member` (None: of members in general).

    They are the member's: the secretariat reads every member's, a member's users their own
    member's. The board reads none: it gets the aggregates PRODUCT.md names (counts, rates, sums
    of enough members), so everything shared with it — the reports page, its table exports and the
    board pack — carries no member's text (reports/packs.py). Its view of the reasons for
    declining is the count per `tenders.models.DeclineCategory`, of tenders whose answers are
    closed (`tenders.selectors.decline_counts`): while a tender collects answers, a count of few
    declines would point at the members who gave them.
    """
    if has_role(user, SECRETARIAT_ROLES):
        return True
    own = member_of(user)
    return own is not None and member is not None and own.pk == member.pk


def acting_for(user: Any) -> tenancy.Acting:
    """The database's acting context for `user` (consortium/tenancy.py): the second wall, which
    holds the same line as the rules above even where a query forgets them."""
    if not has_role(user, ALL_ROLES):
        return tenancy.NOBODY
    if user.role in SECRETARIAT_ROLES:
        return tenancy.Acting(scope=tenancy.CONSORTIUM, organisation_id=user.organisation_id)
    if user.role == Role.BOARD_MEMBER:
        return tenancy.Acting(scope=tenancy.BOARD, organisation_id=user.organisation_id)
    member = member_of(user)
    return tenancy.Acting(
        scope=tenancy.MEMBER,
        organisation_id=user.organisation_id,
        member_id=None if member is None else member.pk,
    )


def board_min_members() -> int:
    """The fewest members whose data may make up one figure the board reads
    (`AGREEMENTS_BOARD_MIN_MEMBERS`, 3 by default): an aggregate over one or two members is
    those members' own figure (PRODUCT.md, tenancy)."""
    return int(getattr(settings, "AGREEMENTS_BOARD_MIN_MEMBERS", 3))


def min_group(user: Any) -> int:
    """The fewest members that may stand behind one supplier- or agreement-level figure `user`
    reads.

    1 for the secretariat, which reads every member's data, and for a member's users, whose
    tables are scoped to their own member's rows (`visible_to`); `board_min_members()` for the
    board and for anything made without a user (the board pack is rendered by a job).
    """
    if user is not None and has_role(user, SECRETARIAT_ROLES | MEMBER_ROLES):
        return 1
    return board_min_members()


def split_small_groups[R](
    rows: list[R], *, members: Callable[[R], int], min_members: int
) -> tuple[list[R], list[R]]:
    """`rows` split into those made up by at least `min_members` members (`members(row)`) and
    the smaller groups, which a table folds into one row or leaves out and names."""
    shown = [row for row in rows if members(row) >= min_members]
    small = [row for row in rows if members(row) < min_members]
    return shown, small
