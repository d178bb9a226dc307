"""Decoding ERP text exports: UTF-8 with or without BOM, else Windows-1252 (a superset of Latin-1).

The text is never held whole: `detect_encoding` scans the file in chunks and `Utf8Stream` hands it
on as UTF-8 a chunk at a time (a million-line export is 70+ MB; holding it, its UTF-8 copy and the
table parsed from it at once was much of an import's peak memory).
"""

from __future__ import annotations

import codecs
from typing import IO

from django.utils.translation import gettext as _

from .errors import FileRejected

CHUNK = 1024 * 1024


def detect_encoding(handle: IO[bytes]) -> str:
    """ "utf-8-sig", "utf-8" or "cp1252", from the whole file; refuses binary and UTF-16.

    Reads `handle` from its start in chunks and leaves it at its start.
    """
    handle.seek(0)
    head = handle.read(65536)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        raise FileRejected(
            _(
                "The file is not text in UTF-8 or Windows-1252 (it looks like UTF-16 or a binary file). Save it from the ERP system as CSV (UTF-8 or Windows-1252)."
            )
        )
    bom = head.startswith(codecs.BOM_UTF8)
    handle.seek(len(codecs.BOM_UTF8) if bom else 0)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    utf8 = True
    while chunk := handle.read(CHUNK):
        if not bom and b"\x00" in chunk:
            raise FileRejected(_("The file contains NUL bytes: it is not a text file."))
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                if bom:
                    raise FileRejected(
                        _(
                            "The file says it is UTF-8 (it starts with a byte-order mark) but contains bytes that are not UTF-8."
                        )
                    ) from None
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)  # a sequence cut off at the end
        except UnicodeDecodeError:
            if bom:
                raise FileRejected(
                    _(
                        "The file says it is UTF-8 (it starts with a byte-order mark) but contains bytes that are not UTF-8."
                    )
                ) from None
            utf8 = False
    handle.seek(0)
    if bom:
        return "utf-8-sig"
    # Not UTF-8: Windows-1252 (what Danish ERP exports call "ANSI" or Latin-1).
    return "utf-8" if utf8 else "cp1252"


class Utf8Stream:
    """The file as UTF-8 without BOM, a chunk at a time (`read_chunk`).

    Windows-1252 is transcoded chunk by chunk; a byte it does not define rejects the file, with
    its position. `consumed` is how many bytes of the file have been read so far.
    """

    def __init__(self, handle: IO[bytes], encoding: str) -> None:
        self.handle = handle
        self.consumed = 0
        handle.seek(0)
        if encoding == "utf-8-sig":
            self.consumed = len(handle.read(len(codecs.BOM_UTF8)))
        self._decoder = (
            codecs.getincrementaldecoder("cp1252")("strict") if encoding == "cp1252" else None
        )

    def read_chunk(self, size: int = CHUNK) -> bytes:
        """The next `size` bytes of the file as UTF-8 (a UTF-8 file's may end inside a character:
        split the text at line ends only); b"" at the end of the file."""
        chunk = self.handle.read(size)
        start = self.consumed
        self.consumed += len(chunk)
        if self._decoder is None:
            return chunk
        try:
            return self._decoder.decode(chunk, final=not chunk).encode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileRejected(
                _(
                    "The file is neither UTF-8 nor Windows-1252/Latin-1 (byte 0x%(byte)02X at position %(pos)s cannot be read). Save it again as CSV in UTF-8."
                )
                % {"byte": chunk[exc.start], "pos": start + exc.start}
            ) from None
