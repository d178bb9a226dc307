"""Reading municipality master data from CSV: every row checked, every error reported by line.

Parsing is pure (text in, rows and errors out); `members.services.municipalities_import` writes
the rows, all or nothing.

The file has a header row; columns may come in any order, separated by `;` or `,`, in UTF-8
(with or without BOM) or Windows-1252. Required: `kommunekode`, `kommunenavn` (or `navn`),
`regionskode` (1081–1085, or the region's name). Optional: `cvr`, `ean` (or `gln`), `adresse`,
`medlem` (the member's short name), `indbyggertal` with `aar` (population on 1 January of that
year). The public list in members/data/dk_kommuner.csv is a valid file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Region
from .validators import validate_cvr, validate_gln, validate_kommunekode

ALIASES = {
    "kommunekode": "code",
    "kode": "code",
    "kommunenavn": "name",
    "navn": "name",
    "regionskode": "region",
    "region": "region",
    "regionsnavn": "region_name",
    "cvr": "cvr",
    "cvr-nummer": "cvr",
    "ean": "gln",
    "gln": "gln",
    "adresse": "address",
    "medlem": "member",
    "indbyggertal": "population",
    "indbyggere": "population",
    "aar": "year",
    "år": "year",
}
REQUIRED = ("code", "name", "region")
# The header each required column is named by in messages: the name the file must use.
HEADER_NAMES = {"code": "kommunekode", "name": "kommunenavn", "region": "regionskode"}
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    line: int  # line number in the file, the header being line 1
    column: str
    message: str


@dataclass
class MunicipalityRow:
    line: int
    code: str
    name: str
    region: str
    cvr: str = ""
    gln: str = ""
    address: str = ""
    member: str = ""
    population: int | None = None
    year: int | None = None


@dataclass
class Parsed:
    rows: list[MunicipalityRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1252, which ERP and spreadsheet exports often use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _region(value: str) -> str | None:
    value = value.strip()
    if value in Region.values:
        return value
    by_name = {str(label).lower(): code for code, label in Region.choices}
    return by_name.get(value.lower()) or by_name.get(f"region {value.lower()}")


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def parse_municipalities(text: str) -> Parsed:
    """Rows and per-line errors of a municipality CSV file."""
    parsed = Parsed()
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        parsed.errors.append(RowError(1, "", _("The file is empty.")))
        return parsed
    columns = [ALIASES.get(h.strip().lower(), "") for h in header]
    parsed.columns = {c for c in columns if c}
    missing = [c for c in REQUIRED if c not in parsed.columns]
    if missing:
        parsed.errors.append(
            RowError(
                1,
                "",
                _("The header lacks the columns: %(columns)s.")
                % {"columns": ", ".join(HEADER_NAMES[c] for c in missing)},
            )
        )
        return parsed
    seen_codes: dict[str, int] = {}
    seen_cvrs: dict[str, int] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if line > MAX_ROWS + 1:
            parsed.errors.append(RowError(line, "", _("The file has too many rows.")))
            break
        record = {col: value.strip() for col, value in zip(columns, values, strict=False) if col}
        errors_before = len(parsed.errors)

        def error(column: str, message: str, line: int = line) -> None:
            parsed.errors.append(RowError(line, column, message))

        code = record.get("code", "")
        code = code.lstrip("0").zfill(3) if code.isdigit() else code
        try:
            validate_kommunekode(code)
        except ValidationError as exc:
            error("kommunekode", _message(exc))
        if code in seen_codes:
            error(
                "kommunekode",
                _("Code %(code)s appears again (first in line %(line)s).")
                % {"code": code, "line": seen_codes[code]},
            )
        seen_codes.setdefault(code, line)
        name = record.get("name", "")
        if not name or len(name) > 100:
            error("kommunenavn", _("A name of 1–100 characters is required."))
        region = _region(record.get("region", ""))
        if region is None:
            error(
                "regionskode",
                _("Unknown region “%(value)s”.") % {"value": record.get("region", "")},
            )
        cvr_number = record.get("cvr", "").replace(" ", "")
        if cvr_number:
            try:
                validate_cvr(cvr_number)
            except ValidationError as exc:
                error("cvr", _message(exc))
            if cvr_number in seen_cvrs:
                error(
                    "cvr",
                    _("CVR %(cvr)s appears again (first in line %(line)s).")
                    % {"cvr": cvr_number, "line": seen_cvrs[cvr_number]},
                )
            seen_cvrs.setdefault(cvr_number, line)
        gln = record.get("gln", "").replace(" ", "")
        if gln:
            try:
                validate_gln(gln)
            except ValidationError as exc:
                error("ean", _message(exc))
        population = year = None
        raw_population = record.get("population", "").replace(".", "").replace(" ", "")
        if raw_population:
            if raw_population.isdigit():
                population = int(raw_population)
            else:
                error("indbyggertal", _("The population must be a whole number."))
            raw_year = record.get("year", "")
            if raw_year.isdigit() and 1900 <= int(raw_year) <= 2100:
                year = int(raw_year)
            else:
                error("aar", _("A population needs the year it counts (e.g. 2026)."))
        if len(parsed.errors) == errors_before:
            parsed.rows.append(
                MunicipalityRow(
                    line=line,
                    code=code,
                    name=name,
                    region=region or "",
                    cvr=cvr_number,
                    gln=gln,
                    address=record.get("address", ""),
                    member=record.get("member", ""),
                    population=population,
                    year=year,
                )
            )
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(RowError(1, "", _("The file has no data rows.")))
    return parsed
