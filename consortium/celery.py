"""Celery application: Redis broker, settings read from Django's CELERY_* settings."""

from __future__ import annotations

import logging.config
import os

from celery import Celery
from celery.signals import setup_logging
from django_structlog.celery.steps import DjangoStructLogInitStep

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
