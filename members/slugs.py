"""Slugs from Danish names."""

from __future__ import annotations

from django.utils.text import slugify

# slugify() drops letters without an ASCII decomposition, so Æ, Ø and Å would vanish
# ("Ærø" → "r"); write them the way Danes do in ASCII instead.
DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slugify(value: str) -> str:
    """A URL slug that keeps æ, ø and å as ae, oe and aa."""
    return slugify(value.translate(DANISH_LETTERS))
