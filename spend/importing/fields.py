"""The fields of a spend line an ERP file must or may give, and the headers Danish ERPs use."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from .errors import FileRejected

# The canonical fields, in the order the mapping editor shows them.
FIELDS: dict[str, object] = {
    "supplier_cvr": _("Supplier CVR number"),
    "supplier_name": _("Supplier name"),
    "amount": _("Amount ex. VAT"),
    "invoice_date": _("Invoice date"),
    "account": _("Account"),
    "category": _("Category code (CPV or UNSPSC)"),
    "invoice_number": _("Invoice number"),
}
REQUIRED = ("supplier_cvr", "amount", "invoice_date")

# Headers recognised without a saved mapping, normalised by `normalise_header`.
KNOWN_HEADERS: dict[str, tuple[str, ...]] = {
    "supplier_cvr": (
        "cvr",
        "cvr nr",
        "cvrnr",
        "cvr nummer",
        "cvr-nr",
        "kreditor cvr",
        "kreditor cvr nr",
        "leverandør cvr",
        "leverandør cvr nr",
        "leverandørens cvr",
        "leverandør cvr-nr",
        "kreditor cvr-nr",
        "leverandørcvr",
        "cvr leverandør",
        "supplier cvr",
    ),
    "supplier_name": (
        "kreditor",
        "kreditornavn",
        "kreditor navn",
        "leverandør",
        "leverandørnavn",
        "leverandør navn",
        "leverandørens navn",
        "navn",
        "firmanavn",
        "supplier",
        "supplier name",
    ),
    "amount": (
        "beløb ekskl moms",
        "beløb eksl moms",
        "beløb excl moms",
        "beløb ex moms",
        "beløb ekskl moms dkk",
        "beløb uden moms",
        "nettobeløb",
        "netto beløb",
        "beløb netto",
        "beløb",
        "beløb dkk",
        "beløb kr",
        "amount",
        "amount ex vat",
    ),
    "invoice_date": (
        "bilagsdato",
        "fakturadato",
        "faktura dato",
        "dato",
        "posteringsdato",
        "bogføringsdato",
        "bogført dato",
        "invoice date",
    ),
    "account": (
        "konto",
        "kontonr",
        "konto nr",
        "kontonummer",
        "artskonto",
        "art",
        "finanskonto",
        "omkostningssted",
        "account",
    ),
    "category": (
        "kategori",
        "kategorikode",
        "varekategori",
        "unspsc",
        "unspsc kode",
        "cpv",
        "cpv kode",
        "cpv-kode",
        "category",
    ),
    "invoice_number": (
        "fakturanr",
        "faktura nr",
        "fakturanummer",
        "bilagsnr",
        "bilagsnummer",
        "bilag",
        "faktura",
        "invoice number",
    ),
}


def normalise_header(header: str) -> str:
    """Lower case, no dots, colons or brackets, single spaces: "CVR-nr." → "cvr-nr"."""
    text = re.sub(r"[.:()\[\]]", " ", str(header).replace("\ufeff", "").lower())
    return re.sub(r"\s+", " ", text).strip()


_LOOKUP = {
    normalise_header(alias): field for field, aliases in KNOWN_HEADERS.items() for alias in aliases
}
_LOOKUP.update(
    {normalise_header(alias).replace("-", " "): field for alias, field in list(_LOOKUP.items())}
)


def category_scheme(header: str) -> str:
    """Which classification a category column's header names: "unspsc", "cpv" or "" (unsaid).

    Both are 8-digit codes, so the header is what tells them apart ("UNSPSC-kode", "CPV").
    """
    key = normalise_header(header)
    if "unspsc" in key:
        return "unspsc"
    if re.search(r"(^|[^a-zæøå])cpv($|[^a-zæøå])", key):
        return "cpv"
    return ""


def recognise(headers: list[str]) -> dict[str, int]:
    """The columns whose headers we recognise: field → column index (first match wins)."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = normalise_header(header)
        field = _LOOKUP.get(key) or _LOOKUP.get(key.replace("-", " "))
        if field and field not in found:
            found[field] = index
    return found


def resolve_columns(
    headers: list[str], mapping: dict[str, str] | None, *, strict: bool
) -> dict[str, int]:
    """Field → column index, from `mapping` (field → header) and the recognised headers.

    With `strict` (a mapping the user gave for this file) a mapped header that is missing rejects
    the file; a saved mapping whose header is absent falls back to recognition.
    """
    by_header = {normalise_header(h): i for i, h in enumerate(headers)}
    columns = recognise(headers)
    for field, header in (mapping or {}).items():
        if field not in FIELDS:
            raise FileRejected(
                _("The column mapping names an unknown field “%(field)s”. Known fields: %(known)s.")
                % {"field": field, "known": ", ".join(FIELDS)}
            )
        if not header:
            columns.pop(field, None)
            continue
        index = by_header.get(normalise_header(header))
        if index is None:
            if strict:
                raise FileRejected(
                    _(
                        "The column “%(header)s” (for %(field)s) is not in the file. Columns found: %(found)s."
                    )
                    % {"header": header, "field": FIELDS[field], "found": _found(headers)},
                    headers=headers,
                )
            continue
        columns[field] = index
    missing = [str(FIELDS[f]) for f in REQUIRED if f not in columns]
    if missing:
        raise FileRejected(
            _(
                "The file has no column for %(missing)s. Columns found: %(found)s. Choose the columns in the column mapping."
            )
            % {"missing": ", ".join(missing), "found": _found(headers)},
            headers=headers,
        )
    return columns


def _found(headers: list[str]) -> str:
    shown = [f"“{h}”" for h in headers[:30] if str(h).strip()]
    return ", ".join(shown) or "—"
