"""Pausing Python's cyclic garbage collector around bulk work.

Work that builds hundreds of thousands of small containers (rows as tuples, a CSV's rows as lists) and makes no
reference cycles gains nothing from the collector: each of its passes walks the live rows again, and on a year of a
force's crimes those passes cost about a sixth of the import's CPU time. Reference counting still frees everything
as usual; only cycles wait, and are collected when the collector runs again after the block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Turn the cyclic collector off for the block, and back on after it if it was on before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
