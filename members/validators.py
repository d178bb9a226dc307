"""Validators for Danish identifiers, built on python-stdnum."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import ean
from stdnum.dk import cvr


def validate_cvr(value: str) -> None:
    """A CVR number: 8 digits, not starting with 0, passing the modulus-11 check."""
    if not cvr.is_valid(value or ""):
        raise ValidationError(
            _("%(value)s is not a valid CVR number (8 digits with a valid check digit)."),
            code="invalid_cvr",
            params={"value": value},
        )


def validate_gln(value: str) -> None:
    """An EAN/GLN location number: 13 digits with a valid check digit."""
    if not (value and value.isdigit() and len(value) == 13 and ean.is_valid(value)):
        raise ValidationError(
            _("%(value)s is not a valid EAN/GLN number (13 digits with a valid check digit)."),
            code="invalid_gln",
            params={"value": value},
        )


def validate_kommunekode(value: str) -> None:
    """A municipality code: three digits from 101 to 860 (the DAGI codes)."""
    if not (value and len(value) == 3 and value.isdigit() and 101 <= int(value) <= 860):
        raise ValidationError(
            _("%(value)s is not a municipality code (three digits, 101–860)."),
            code="invalid_kommunekode",
            params={"value": value},
        )
