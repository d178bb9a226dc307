"""Writes to spend data: uploads, imports, column mappings and the supplier registry.

An import reads the stored file, validates every line, and writes all of its new lines — with
any new suppliers and supplier names — in one transaction: chunk by chunk, COPY into a temporary
table, then INSERT of the lines whose (member, fingerprint, invoice date) is not there yet. A
worker killed half-way leaves nothing behind, and running the import again (or importing the
same lines from another file) adds each line exactly once.

Which imports hold a line: the one that brought it (`SpendLine.spend_import`) and any later
standing import that contained it too (`SpendLineImport`). Withdrawing an import removes a line
only when no other standing import holds it.

`imports` (create, configure, enqueue, run), `writing` (COPY, the per-member lock, fingerprints),
`withdrawal`.
"""

from .imports import (
    column_mapping_save,
    spend_import_configure,
    spend_import_create,
    spend_import_enqueue,
    spend_import_run,
    spend_import_start,
)
from .withdrawal import ImportNotWithdrawable, spend_import_withdraw
from .writing import spend_lines_write

__all__ = [
    "ImportNotWithdrawable",
    "column_mapping_save",
    "spend_import_configure",
    "spend_import_create",
    "spend_import_enqueue",
    "spend_import_run",
    "spend_import_start",
    "spend_import_withdraw",
    "spend_lines_write",
]
