"""The model's judgement rules, in one place for planners to read and developers to change deliberately.

- Honest time: police.uk files miss months, and a window may reach back before the data starts. A year's figure
  is therefore a monthly rate: its harm ÷ the months of that year that hold any crime data ("months held").
  A year holding fewer than `min_months_per_year` (default 4, a third of a year: fewer leave the rate to one
  season's chance) is "n/a (3 of 12 months held)", never 0, and takes no part in trend or persistence.
- Trend: only from years with enough months, at least two of them. It compares the monthly rate of the first
  and the last such year ("falling: 1.2 → 1.0 a month, 2024 vs 2025"; over three evenly spaced years this is the
  least-squares slope): "rising" when the rate grows by more than `trend_threshold` (default 10%) of the earlier
  rate a year, "falling" when it shrinks by more than that, else "stable"; "none" with no harm at all;
  "no trend" with fewer than two usable years ("one year of data").
- Persistence: in a given usable year a site is in the top decile when it has some harm and fewer than
  ceil(10% of the sites) score strictly higher; tied sites are in or out together. Persistent = top decile in
  at least `years_needed` (default 2) usable years; with fewer than two usable years (or fewer than
  `years_needed`) persistence is n/a (None), never "persistent".
- Cameras: a fixed camera watches one direction, so the catchment is split into four 90° sectors centred on east,
  north, west and south of the site's centre. One fixed camera is recommended for each sector holding at least
  `sector_share` (default 25%) of the harm the site would add (its marginal harm, i.e. not already seen by an
  existing camera); at least one when the site adds any harm, none when it adds nothing. Crimes within a metre of
  the centre are seen from any side and pull towards no sector. The strategy says every new fixed site includes
  deployable cameras to follow displacement: `deployable_per_site` (default 1), plus one more when harm is rising
  (a trend that exists: never from a year of missing data).
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


def year_rates(harm_by_year: NDArray[np.float64], months_held: tuple[int, ...],
               min_months: int) -> NDArray[np.float64]:
    """Monthly harm rates [site, year]: each year's harm ÷ its months held; NaN for a year with too few months."""
    held = np.asarray(months_held, dtype=np.float64)
    usable = held >= min_months
    rates = np.full(harm_by_year.shape, np.nan)
    if usable.any():
        rates[:, usable] = harm_by_year[:, usable] / held[usable]
    return rates


def trend_of(rates: NDArray[np.float64], harm: NDArray[np.float64], threshold: float, labels: tuple[str, ...]
             ) -> tuple[NDArray[np.float64], list[str], list[str]]:
    """Each site's trend from its monthly rates [site, year] (NaN = n/a) and its harm over the whole window: the
    change in the monthly rate per year, the word, and its basis ("1.2 → 1.0 a month, 2024 vs 2025", or why
    there is none)."""
    slope, words, years = trend_words(rates, harm, threshold)
    return slope, words.tolist(), [trend_basis(row, years, labels) for row in rates]


def trend_words(rates: NDArray[np.float64], harm: NDArray[np.float64], threshold: float
                ) -> tuple[NDArray[np.float64], NDArray[np.str_], tuple[int, int] | tuple[()]]:
    """The trend of every site at once: the change in the monthly rate per year, the word, and the two years
    compared (first and last usable; () when fewer than two are usable). `trend_basis` says it in words."""
    usable = [y for y in range(rates.shape[1]) if not np.isnan(rates[:, y]).all()] if rates.size else []
    slope = np.zeros(len(rates))
    if len(usable) < 2:
        return slope, np.where(harm <= 0, "none", "no trend").astype(str).reshape(len(rates)), ()
    a, b = usable[0], usable[-1]
    early, late = rates[:, a], rates[:, b]
    slope = (late - early) / (b - a)
    change = np.divide(slope, early, out=np.where(late > 0, np.inf, 0.0), where=early > 0)  # a year, of the earlier
    words = np.select([harm <= 0, change > threshold, change < -threshold], ["none", "rising", "falling"], "stable")
    return slope, words.astype(str), (a, b)


def trend_basis(rates: NDArray[np.float64], years: tuple[int, int] | tuple[()], labels: tuple[str, ...]) -> str:
    """One site's trend basis from its rates [year] and the years `trend_words` compared: "1.2 → 1.0 a month,
    2024 vs 2025", or why there is none."""
    if not years:
        usable = any(not np.isnan(v) for v in rates) if len(rates) else False
        return "one year of data" if usable else "no year with enough months of data"
    a, b = years
    return f"{rate_text(rates[a])} → {rate_text(rates[b])} a month, {labels[a]} vs {labels[b]}"


def rate_text(rate: float) -> str:
    """A monthly rate for people: one decimal, two below 1 (0.25 a month is a crime a season, not "0.3")."""
    return f"{rate:,.1f}" if rate >= 1 or rate == 0 else f"{rate:.2f}"


def persistence(tops: NDArray[np.bool_], usable: NDArray[np.bool_], years_needed: int) -> bool | None:
    """Top decile in at least `years_needed` usable years; None (n/a) when fewer than two years, or fewer than
    `years_needed`, are usable: one year cannot show that harm persists."""
    if int(usable.sum()) < max(2, years_needed):
        return None
    return int(tops[usable].sum()) >= years_needed


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
