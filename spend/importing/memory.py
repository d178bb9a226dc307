"""How the C library hands memory back, for imports of large files."""

from __future__ import annotations

import ctypes

# Blocks of this size or more get a mapping of their own, returned to the system when freed.
MMAP_THRESHOLD = 128 * 1024
_M_MMAP_THRESHOLD = -3  # from glibc's <malloc.h>
_done = False


def map_large_allocations() -> None:
    """Keep glibc from raising its mmap threshold in this process (once; idempotent).

    glibc starts at 128 KB but raises the threshold each time such a block is freed (up to
    32 MB), after which the short-lived columns of each batch of an import come from the heap,
    whose freed holes stay resident: about 60 MB of a million-line import's peak. Fixing it
    keeps large blocks mapped and returned at once. Called when an import runs, so only
    processes that import files are affected; not glibc (macOS, musl): nothing to do.
    """
    global _done
    if _done:
        return
    _done = True
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
