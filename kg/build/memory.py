"""Give the memory a build has freed back to the system.

glibc keeps freed heap memory for its process: at a million facts, after the sorted lines
(353 MB) were written and let go, the build still held 900 MB while the graph was
validated (issue 23). ``malloc_trim`` returns the free pages. No library wraps it; on a C
library without it (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def _trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Return freed heap pages to the system, where the C library can."""
    trim = _trim()
    if trim is not None:
        trim(0)
