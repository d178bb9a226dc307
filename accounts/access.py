"""What a user may see and do — decided here and nowhere else.

* Views say which roles may use them with `@role_required(...)`: anonymous visitors are sent to
  the sign-in page, signed-in users with another role get 403.
* Tenant-owned models (rows that belong to one organisation: a member's spend, its draft
  declarations, its notes, anyone's background jobs) use `TenantQuerySet` and name the path to the
  owning organisation in `tenant_path`. `Model.objects.visible_to(user)` is then the only way views
  list them: the secretariat sees every row, everyone else only their own organisation's rows.
  The board sees members' private data only in aggregates, computed by selectors that say so.
* Single objects are fetched with `get_visible_or_404` / `get_editable_or_404`: another
  organisation's object answers 404 exactly as a missing one does, so a URL never reveals whether
  something exists; an object you may see but not change answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from .models import Role

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


def _queryset[M: models.Model](source: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    return source._default_manager.all() if isinstance(source, type) else source


def get_visible_or_404[M: models.Model](
    source: type[M] | models.QuerySet[M], user: Any, **lookup: Any
) -> M:
    """Fetch one tenant-owned object the user may see; 404 when missing or not theirs."""
    try:
        return _queryset(source).visible_to(user).get(**lookup)  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError, ValidationError):
        raise Http404 from None


def get_editable_or_404[M: models.Model](
    source: type[M] | models.QuerySet[M], user: Any, **lookup: Any
) -> M:
    """Fetch one tenant-owned object the user may change; 404 if unseen, 403 if read-only."""
    obj = get_visible_or_404(source, user, **lookup)
    if not _queryset(source).editable_by(user).filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied
    return obj
