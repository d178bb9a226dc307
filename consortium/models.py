"""Abstract bases shared by every app's models, and the record of changes behind the stored
figures."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class FigureChange(models.Model):
    """One transaction that changed data the stored figures are computed from
    (consortium/figure_store.py).

    Written by a statement trigger on every table such figures may read, once per transaction;
    the set of these rows a reader sees names the data it sees, so what was computed from that
    data can be kept between requests and found again."""

    txid = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now)
    table = models.CharField(max_length=63, default="")  # the first table it changed

    class Meta:
        verbose_name = _("change to the figures' data")
        verbose_name_plural = _("changes to the figures' data")

    def __str__(self) -> str:
        return f"{self.txid} {self.at:%Y-%m-%d %H:%M:%S}"
