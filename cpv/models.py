"""The Common Procurement Vocabulary (CPV 2008): the category codes tenders, agreements, spend
lines and knowledge articles are classified by. Reference data, loaded by a data migration from
`cpv/data/cpv2008_en_da.csv`; never edited in the portal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CpvCodeQuerySet(models.QuerySet["CpvCode"]):
    def under(self, code8_prefix: str) -> CpvCodeQuerySet:
        """Codes in the subtree whose significant digits start with `code8_prefix`."""
        return self.filter(code8__startswith=code8_prefix)


class CpvCode(models.Model):
    class Kind(models.TextChoices):
        SUPPLIES = "supplies", _("Supplies")
        SERVICES = "services", _("Services")
        WORKS = "works", _("Works")

    code = models.CharField(_("CPV code"), max_length=10, primary_key=True)  # "30192000-1"
    code8 = models.CharField(_("code without check digit"), max_length=8, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label_da = models.CharField(_("Danish label"), max_length=400)
    label_en = models.CharField(_("English label"), max_length=400)

    objects = CpvCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "da").startswith("en") else self.label_da

    @property
    def prefix(self) -> str:
        """The significant digits: '30192000' → '30192', used to match a code's subtree."""
        return self.code8.rstrip("0") or self.code8[:2]
