"""Memory handed back to the system.

Python and the C libraries keep what a large piece of work freed (reading
workbooks, laying out a long document) for their next allocations; glibc's
``malloc_trim`` hands the free pages at the top and in the holes of its heap back.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc


def give_back() -> None:
    """What a large piece of work left in reference cycles (a layout, above all)
    collected, and the C heap's free pages handed back. Python's own pools keep
    what a long layout freed around the few objects that outlive it (about 40 MB
    after the first long document); the work after it reuses that space rather
    than adding to it."""
    gc.collect()
    trim()


def trim() -> None:
    """Hand the C heap's free pages back to the system (glibc only; elsewhere nothing to do).
    A few milliseconds: it walks the heap's free chunks, not its objects."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc has it, other C libraries may not
        return libc
    return None
