"""Reading members' spend files into validated lines, without touching the database.

`read_spend_file(data, name, mapping, limits)` detects the format (ERP CSV or XLSX, UBL XML or a ZIP
of UBL files), refuses hostile or malformed files with `FileRejected`, and returns the raw lines as
an Arrow table of strings; `validate_lines` turns them into clean, typed lines and per-line errors.
An import uses `reader.check_spend_file(handle, ...)`, which does both and reads an ERP CSV from
its file a block of lines at a time (`erp.CsvLines`, `validate.LineChecker`), so a large file is
never held whole. All pure: spend/services/ feeds them and writes the result.
"""

import pyarrow as pa

from .errors import FileRejected, LineError
from .limits import ImportLimits
from .reader import ParsedFile, read_spend_file
from .validate import ValidatedLines, validate_lines

# Arrow's default allocator (mimalloc) keeps freed pages for reuse, so a million-line import's
# short-lived columns pile up in the worker's resident memory; the system allocator hands large
# buffers back at once (peak about 80 MB lower on the benchmark). Process-wide, and harmless for
# the small tables the rest of the portal builds.
pa.set_memory_pool(pa.system_memory_pool())

__all__ = [
    "FileRejected",
    "ImportLimits",
    "LineError",
    "ParsedFile",
    "ValidatedLines",
    "read_spend_file",
    "validate_lines",
]
