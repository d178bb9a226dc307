"""Filters the API's list endpoints share."""

from __future__ import annotations

from cpv.models import significant_prefix as cpv_prefix

__all__ = ["CPV_FILTER", "cpv_prefix"]


CPV_FILTER = (
    "A CPV code or its leading digits (2–8): its subtree. Trailing zeros are padding, never less "
    "than the division: 30 and 30000000 are division 30, 301 and 30100000 group 301"
)
