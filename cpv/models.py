"""The Common Procurement Vocabulary (CPV 2008): the category codes tenders, agreements, spend
lines and knowledge articles are classified by. Reference data, loaded by data migrations from
`cpv/data/` (the official English and Danish labels, see `cpv/data/SOURCES.md`); never edited in
the portal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# A CPV code's first two digits are its division: the coarsest subtree a code can stand for.
DIVISION_DIGITS = 2


def significant_prefix(code: str) -> str:
    """The digits that name a CPV code's subtree, never fewer than its division's two.

    Trailing zeros only pad a code to eight digits ('30192000-1' is the subtree '30192'), but a
    division's own zero is significant: '30000000' is division 30, not every code starting with 3.
    """
    digits = code.split("-")[0]
    return digits[: max(DIVISION_DIGITS, len(digits.rstrip("0")))]


# Every CPV code under each of its prefixes of 2 to 8 digits, as a common table expression for
# the set-based recomputes (compliance, insight, climate): a category with significant prefix P
# covers the codes listed under P — an equality PostgreSQL joins by hashing, where a LIKE per
# category and code was 24 million comparisons for a national body's 2,500 agreements.
CODE_PREFIXES_CTE = """
    code_prefixes AS MATERIALIZED (
        SELECT c.code, left(c.code8, n) AS prefix
        FROM cpv_cpvcode c, generate_series(2, 8) AS n
    )
"""


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
        return significant_prefix(self.code8)
