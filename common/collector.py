"""Pausing Python's cyclic garbage collector around bulk work.

Work that builds hundreds of thousands of small containers (rows as tuples, a CSV's rows as lists) and makes no
reference cycles gains nothing from the collector: each of its passes walks the live rows again, and on a year of a
force's crimes those passes cost about a sixth of the import's CPU time. Reference counting still frees everything
as usual; only cycles wait, and are collected when the collector runs again after the block.

The collector is the process's, not the thread's: an import on a web worker's background thread pauses it for the
requests beside it too (their cycles wait the import's seconds). Pauses may overlap (two imports on two threads):
the collector comes back when the last one ends, and only if it was on when the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # blocks inside collector_paused now, on any thread
_was_enabled = False  # whether the collector was on when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    """Turn the cyclic collector off for the block; back on when the last overlapping pause ends, if it was on."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
