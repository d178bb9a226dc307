"""What an attachment may be: DOCX, XLSX or PDF, within the size limit, and really that type.

The check reads the file itself, not only its name or the browser's content type: a PDF starts
with `%PDF-`, and DOCX and XLSX are ZIP packages holding the part that makes them Word or Excel.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The part inside the ZIP package that every document of the type has.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    extension: str
    content_type: str
    size: int


def check_attachment(name: str, size: int, stream: IO[bytes]) -> CheckedFile:
    """Return what the file is, or raise ValidationError saying why it is refused."""
    filename = PurePath(name or "").name.strip()[:200]
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension not in CONTENT_TYPES:
        raise ValidationError(_("Only DOCX, XLSX and PDF files can be attached."))
    if size <= 0:
        raise ValidationError(_("The file is empty."))
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mb)d MB).")
            % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        )
    stream.seek(0)
    if extension == "pdf":
        valid = stream.read(5) == b"%PDF-"
    else:
        try:
            with zipfile.ZipFile(stream) as package:
                valid = OOXML_MAIN_PART[extension] in package.namelist()
        except (zipfile.BadZipFile, OSError):
            valid = False
    stream.seek(0)
    if not valid:
        raise ValidationError(
            _("The file is not a real %(type)s file.") % {"type": extension.upper()}
        )
    return CheckedFile(filename, extension, CONTENT_TYPES[extension], size)
