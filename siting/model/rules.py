"""The model's judgement rules, in one place for planners to read and developers to change deliberately.

- Persistence: in a given year a site is in the top decile when it has some harm and fewer than ceil(10% of the
  sites) score strictly higher; tied sites are in or out together. Persistent = top decile in at least
  `years_needed` (default 2) of the window's years.
- Trend: the least-squares slope of the yearly harm; "rising" when it exceeds `trend_threshold` (default 10%) of
  the average year, "falling" when below minus that, else "stable"; "none" with no harm, "unknown" for one year.
- Cameras: a fixed camera watches one direction, so the catchment is split into four 90° sectors centred on east,
  north, west and south of the site's centre. One fixed camera is recommended for each sector holding at least
  `sector_share` (default 25%) of the harm the site would add (its marginal harm, i.e. not already seen by an
  existing camera); at least one when the site adds any harm, none when it adds nothing. Crimes within a metre of
  the centre are seen from any side and pull towards no sector. The strategy says every new fixed site includes
  deployable cameras to follow displacement: `deployable_per_site` (default 1), plus one more when harm is rising.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

SECTORS = ("east", "north", "west", "south")  # counter-clockwise from east, as atan2 counts


def top_decile(scores: NDArray[np.float64], decile: float) -> NDArray[np.bool_]:
    """Which scores are in the top (1 − decile) share: above 0 and fewer than ceil(n·(1 − decile)) sites higher."""
    n = len(scores)
    places = math.ceil(round(n * (1 - decile), 9))  # round: 10 × (1 − 0.9) is 0.99999… in floating point
    higher = n - np.searchsorted(np.sort(scores), scores, side="right")
    return (higher < places) & (scores > 0)


def trend_of(yearly: NDArray[np.float64], threshold: float) -> tuple[NDArray[np.float64], list[str]]:
    """Least-squares slope (harm per year) of each row of yearly scores, oldest first, and its word."""
    years = yearly.shape[1]
    x = np.arange(years, dtype=np.float64) - (years - 1) / 2
    slope = (yearly @ x) / (x @ x) if years > 1 else np.zeros(len(yearly))
    mean = yearly.mean(axis=1) if years else np.zeros(len(yearly))
    words = []
    for s, m in zip(slope, mean, strict=True):
        relative = s / m if m > 0 else 0.0
        words.append("none" if m <= 0 else "unknown" if years < 2 else "rising" if relative > threshold else
                     "falling" if relative < -threshold else "stable")
    return slope, words


def sector_of(dx: NDArray[np.float64], dy: NDArray[np.float64]) -> NDArray[np.intp]:
    """The sector (index into SECTORS) of offsets from a site's centre in metres; −1 within a metre of it."""
    sector = np.floor((np.arctan2(dy, dx) + np.pi / 4) / (np.pi / 2)).astype(np.intp) % 4
    return np.where(np.hypot(dx, dy) >= 1.0, sector, -1)


def recommend_cameras(by_sector: NDArray[np.float64], marginal: float, trend: str, sector_share: float,
                      deployable_per_site: int) -> tuple[int, int, tuple[str, ...]]:
    """(fixed cameras, deployable cameras, directions the fixed cameras cover) for one site under the rule above."""
    if marginal <= 1e-9:
        return 0, 0, ()
    total = float(by_sector.sum())
    earned = tuple(SECTORS[k] for k in range(4) if by_sector[k] > 0 and by_sector[k] >= sector_share * total - 1e-9)
    return max(len(earned), 1), deployable_per_site + (trend == "rising"), earned
