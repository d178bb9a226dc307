"""Guards against hostile archives: zip bombs, encrypted or oversized members, too many files."""

from __future__ import annotations

import io
import logging
import zipfile
from typing import IO

from django.utils.translation import gettext as _

from .errors import FileRejected
from .limits import ImportLimits

logger = logging.getLogger(__name__)

# A small member may compress very well without being a bomb; the ratio counts above this size.
RATIO_FLOOR = 1024 * 1024


def open_zip(data: bytes | IO[bytes], limits: ImportLimits, *, kind: str) -> zipfile.ZipFile:
    """Open a ZIP (or XLSX) after checking the sizes its directory declares.

    zipfile never unpacks more than a member's declared size (and checks its CRC), so checking the
    declared sizes and ratios here bounds what reading can cost.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        # zipfile's text ("File is not a zip file") is English: for the log, not for the user.
        logger.info("%s file cannot be opened: %r", kind, exc)
        raise FileRejected(
            _(
                "The %(kind)s file is damaged and cannot be opened (it may have been cut off when it was copied or uploaded)."
            )
            % {"kind": kind}
        ) from None
    if len(infos) > limits.max_zip_members:
        raise FileRejected(
            _("The %(kind)s file holds %(count)s files; at most %(max)s are allowed.")
            % {"kind": kind, "count": len(infos), "max": limits.max_zip_members}
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise FileRejected(
                _("The %(kind)s file is password-protected and cannot be read.") % {"kind": kind}
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise FileRejected(
                _("The %(kind)s file uses a compression method that is not supported.")
                % {"kind": kind}
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.max_member_bytes or (
            info.file_size > RATIO_FLOOR and ratio > limits.max_ratio
        ):
            raise FileRejected(
                _(
                    "The %(kind)s file was refused: “%(name)s” would unpack to %(size)s MB (compressed %(ratio)s times). This looks like a zip bomb."
                )
                % {
                    "kind": kind,
                    "name": info.filename[:100],
                    "size": info.file_size // (1024 * 1024),
                    "ratio": int(ratio),
                }
            )
        total += info.file_size
    if total > limits.max_unpacked_bytes:
        raise FileRejected(
            _(
                "The %(kind)s file was refused: it would unpack to %(size)s MB; at most %(max)s MB are allowed."
            )
            % {
                "kind": kind,
                "size": total // (1024 * 1024),
                "max": limits.max_unpacked_bytes // (1024 * 1024),
            }
        )
    return archive
