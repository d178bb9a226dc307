"""What a rejected file or a bad line tells the user (in Danish, through gettext)."""

from __future__ import annotations

from dataclasses import dataclass


class FileRejected(Exception):
    """The file as a whole cannot be read: wrong format, hostile, too big, missing columns."""

    def __init__(self, reason: str, headers: list[str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.headers = headers or []  # the file's column headers, when it got that far


@dataclass(frozen=True, slots=True)
class LineError:
    """One line that cannot be imported: where it is and why (already translated)."""

    line: int  # line in the file (ERP) or the line's position in its invoice (UBL); 0 = the file
    reason: str
    file: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "reason": self.reason}
