"""Limits on what an import may read, from settings.SPEND_IMPORT_LIMITS (tests make them small)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.conf import settings


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int = 200 * 1024 * 1024  # the uploaded file
    max_rows: int = 2_000_000  # lines in one file (all XML files of a ZIP together)
    max_columns: int = 200  # columns of an ERP file
    max_unpacked_bytes: int = 400 * 1024 * 1024  # a ZIP or XLSX, all members unpacked
    max_member_bytes: int = 300 * 1024 * 1024  # one member of a ZIP or XLSX, unpacked
    max_ratio: int = 200  # unpacked ÷ packed size of one member (zip bombs compress ≫ 1000×)
    max_zip_members: int = 10_000
    max_xml_bytes: int = 20 * 1024 * 1024  # one e-invoice
    max_line_amount: int = 500_000_000  # kr. ex. VAT on one line; more is a typing error
    max_reported_errors: int = 1_000  # errors kept for the report (all are counted)

    @classmethod
    def from_settings(cls) -> ImportLimits:
        overrides = getattr(settings, "SPEND_IMPORT_LIMITS", {}) or {}
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in overrides.items() if k in known})
