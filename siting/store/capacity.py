"""Whether the crimes a run reads fit in memory for the in-memory model, checked before any is read.

The in-memory path (`siting.store.reading.load_window` or `load_crimes`, then `siting.model`) holds the crimes it
reads as numpy columns, the unique points and the per-site tables. Measured on this machine on Hertfordshire's year
(108,638 crimes): reading them, scoring all 12,653 occupied 50 m cells, the county's hotspot surface and 100
proposed sites peaked 230 MB above the process's start, 2.2 kB per crime (part of it fixed: the surface, the chunk
buffers), so `BYTES_PER_CRIME` is 2 kB: 2 GB holds about a million crimes, four years of a large force. Past
`memory_mb` (the setting `SITING_MEMORY_MB`, environment `CCTV_SITING_MEMORY_MB`, 2 GB by default) the model
refuses with the advice instead of exhausting the server: keep the crimes in PostgreSQL with PostGIS, where
counting, coverage and the hotspot grid run in the database (`siting.store.postgis`).

What is counted is what the read will hold: the months a run reads (its window), from the per-month counts the
store reads anyway to check its packed months (`siting.store.columns.signatures`), so a council that keeps more
years than the window is not refused for the years the run never reads, and the check costs no statement of its own.
"""

from __future__ import annotations

BYTES_PER_CRIME = 2_000  # peak bytes per stored crime of a model run in memory (see the module)
DEFAULT_MEMORY_MB = 2_048
SETTING = "CCTV_SITING_MEMORY_MB"

_limit_mb = DEFAULT_MEMORY_MB


class TooLargeForMemory(RuntimeError):
    """The crimes a run would read would not fit in the memory the in-memory model may use."""


def configure(memory_mb: int | float | str | None) -> None:
    """Set the memory the in-memory model may use (the app calls this with its `SITING_MEMORY_MB`)."""
    global _limit_mb
    _limit_mb = DEFAULT_MEMORY_MB if memory_mb in (None, "") else float(memory_mb)  # type: ignore[arg-type]


def check_fits(rows: int, memory_mb: float | None = None) -> None:
    """Refuse (TooLargeForMemory, naming the setting and the advice) when the `rows` crimes of the months a run
    reads would not fit."""
    limit = _limit_mb if memory_mb is None else memory_mb
    need_mb = rows * BYTES_PER_CRIME / 2**20
    if need_mb <= limit:
        return
    raise TooLargeForMemory(
        f"{rows:,} crimes in the months the run reads would need about {need_mb:,.0f} MB to model in memory, more "
        f"than the {limit:,.0f} MB the setting {SETTING} allows. Keep crimes at this scale in PostgreSQL with PostGIS "
        f"(Debian's postgresql-<version>-postgis-3, then `cctv db upgrade`), where counting, coverage and the "
        f"hotspot grid run in the database; or import a smaller area or fewer months, or choose a shorter window; "
        f"or raise {SETTING} if the server has the memory.")
