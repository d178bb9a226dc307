"""Decoding ERP text exports: UTF-8 with or without BOM, else Windows-1252 (a superset of Latin-1)."""

from __future__ import annotations

import codecs

from django.utils.translation import gettext as _

from .errors import FileRejected

CHUNK = 1024 * 1024


def to_utf8(data: bytes) -> tuple[bytes | bytearray, str]:
    """The text as UTF-8 without BOM, and the encoding it was in. Refuses binary and UTF-16."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:65536]:
        raise FileRejected(
            _(
                "The file is not text in UTF-8 or Windows-1252 (it looks like UTF-16 or a binary file). Save it from the ERP system as CSV (UTF-8 or Windows-1252)."
            )
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        if not _is_utf8(data):
            raise FileRejected(
                _(
                    "The file says it is UTF-8 (it starts with a byte-order mark) but contains bytes that are not UTF-8."
                )
            )
        return data, "utf-8-sig"
    if b"\x00" in data:
        raise FileRejected(_("The file contains NUL bytes: it is not a text file."))
    if _is_utf8(data):
        return data, "utf-8"
    # Not UTF-8: Windows-1252 (what Danish ERP exports call "ANSI" or Latin-1).
    out = bytearray()
    decoder = codecs.getincrementaldecoder("cp1252")("strict")
    try:
        for start in range(0, len(data), CHUNK):
            chunk = data[start : start + CHUNK]
            out += decoder.decode(chunk, final=start + CHUNK >= len(data)).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            _(
                "The file is neither UTF-8 nor Windows-1252/Latin-1 (byte 0x%(byte)02X at position %(pos)s cannot be read). Save it again as CSV in UTF-8."
            )
            % {"byte": data[start + exc.start], "pos": start + exc.start}
        ) from None
    return out, "cp1252"


def _is_utf8(data: bytes | memoryview) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        view = memoryview(data)
        for start in range(0, len(data), CHUNK):
            decoder.decode(view[start : start + CHUNK], final=start + CHUNK >= len(data))
    except UnicodeDecodeError:
        return False
    return True
