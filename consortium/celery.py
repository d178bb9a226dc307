"""Celery application: Redis broker, settings read from Django's CELERY_* settings."""

from __future__ import annotations

import logging.config
import os

from celery import Celery
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun
from django_structlog.celery.steps import DjangoStructLogInitStep

from consortium import tenancy

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")

app = Celery("consortium")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Task log lines carry the id of the request that started the task (django-structlog).
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def use_the_portals_logging(**kwargs: object) -> None:
    """The worker logs as the web process does (consortium/logs.py), not in Celery's own format."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


# --- The acting context travels with the task (row-level security, consortium/tenancy.py) ------

ACTING_HEADER = tenancy.TASK_HEADER
_entered: dict[str, object] = {}


@before_task_publish.connect
def carry_the_acting_context(headers: dict[str, object] | None = None, **kwargs: object) -> None:
    """A task acts as whoever started it: an officer's import sees that member's rows only. A
    context given explicitly (the beat schedule's system tasks) is kept."""
    if headers is not None and ACTING_HEADER not in headers:
        headers[ACTING_HEADER] = tenancy.current().as_header()


@task_prerun.connect
def enter_the_acting_context(task_id: str, task: object, **kwargs: object) -> None:
    request = getattr(task, "request", None)
    if request is None or getattr(request, "is_eager", False):
        return  # run in the caller's process, in the caller's context
    acting = tenancy.Acting.from_header(getattr(request, ACTING_HEADER, None))
    manager = tenancy.acting_as(acting)
    manager.__enter__()
    _entered[task_id] = manager


@task_postrun.connect
def leave_the_acting_context(task_id: str, **kwargs: object) -> None:
    manager = _entered.pop(task_id, None)
    if manager is not None:
        manager.__exit__(None, None, None)  # type: ignore[attr-defined]
