"""Plain-English sentences a councillor can read, built from a site's figures (no jargon, no decimals for counts)."""

from __future__ import annotations

from datetime import date

from siting.model.inputs import month_label
from siting.model.recorded_at import short_name
from siting.model.run import ModelParams, SiteResult


def number(value: float) -> str:
    """12 → "12", 1234.5 → "1,234.5", 7.25 → "7.3": whole numbers stay whole, thousands get commas."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.1f}"


def percent(share: float) -> str:
    """0.2 → "20%"; a small but non-zero share is "under 1%" rather than a misleading "0%"."""
    if 0 < share < 0.005:
        return "under 1%"
    if 0.995 <= share < 1:
        return "over 99%"
    return f"{round(share * 100)}%"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _join(words: tuple[str, ...] | list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def explain_site(result: SiteResult, params: ModelParams, last_month: date, *, is_point: bool = True) -> str:
    """One paragraph: volume over the window, each year's monthly rate and the trend, persistence, existing
    coverage, and the recommended cameras, e.g. "42 high-harm crimes within 100 m over the 36 months to Dec 2025
    (2023: 1.2 a month; 2024: 1.0 a month; 2025: 1.3 a month; stable: 1.2 → 1.3 a month, 2023 vs 2025); in the top
    10% of sites in 3 of 3 years (persistent); 20% already within sight of existing cameras; recommend 2 fixed
    cameras (covering the north and east) and 1 deployable." A year with too few months of data reads "n/a", a
    window with one usable year "no trend (one year of data)" and "persistence n/a".
    """
    profile = params.profile
    where = f"within {number(params.radius_m)} m" + ("" if is_point else " of the site")
    when = f"over the {params.window_months} months to {month_label(last_month)}"
    counts = profile.counts_crimes
    if result.harm <= 0:
        kind = "high-harm crimes" if profile.name == "high-harm" else f"crimes with a {profile.name} weight"
        other = f" ({_plural(result.crimes, 'other crime')} recorded)" if result.crimes else ""
        return f"No {kind} {where} {when}{other}; no new camera recommended."

    if counts:
        noun = "high-harm crime" if profile.name == "high-harm" else "weighted crime"
        volume = f"{_plural(result.harm_crimes, noun)} {where} {when}"
    else:
        volume = (f"a harm score of {number(result.harm)} {profile.label} from "
                  f"{_plural(result.harm_crimes, 'crime')} {where} {when}")
    parts = [f"{volume} ({result.years_text()}; {result.trend_text()})"]

    if result.harm_counts and len(result.harm_by_category) > 1:
        top = max(result.harm_by_category, key=lambda c: (result.harm_by_category[c], c))
        parts.append(f"mostly {top.lower()} ({result.harm_counts.get(top, 0)} of {result.harm_crimes})")

    top_share = f"top {percent(1 - params.persistence_decile)} of sites"
    usable = [v for v in result.top_decile_years if v is not None]
    in_top, years = sum(usable), len(usable)
    if result.persistent is None:
        where_top = "" if not years else f"{'' if in_top else 'not '}in the {top_share}" if years == 1 \
            else f"in the {top_share} in {in_top} of {years} years"
        need = f"two years with at least {params.min_months_per_year} months of data"
        parts.append(f"{where_top}{'; ' if where_top else ''}persistence n/a (needs {need})")
    elif in_top:
        tail = " (persistent)" if result.persistent else " (not persistent)"
        parts.append(f"in the {top_share} in {in_top} of {years} years{tail}")
    else:
        parts.append(f"not in the {top_share} in any year")

    if result.recorded_at:
        place = short_name(result.recorded_at_label).lower() or "a place where crimes are recorded"
        parts.append(f"{percent(result.recorded_at_share or 0.0)} of it is recorded at a {place} "
                     f"(police.uk's \"{result.recorded_at_label}\"), where crimes are recorded rather than committed: "
                     "a street camera there would not see them")
    elif (result.top_point_share or 0.0) >= 0.5:
        parts.append(f"{percent(result.top_point_share or 0.0)} of it at a single police.uk map point")

    share = result.covered_share or 0.0
    parts.append("none of it already within sight of existing cameras" if share == 0
                 else f"{percent(share)} already within sight of existing cameras")

    if result.recorded_at and not params.include_recorded_at:
        parts.append("no camera recommended for a recorded-at place (ranked after the other sites)")
    elif result.fixed_cameras == 0:
        parts.append("no new camera recommended: existing cameras already see all of it")
    else:
        facing = f" (covering the {_join(result.directions)})" if result.directions else ""
        parts.append(f"recommend {_plural(result.fixed_cameras, 'fixed camera')}{facing} and "
                     f"{result.deployable_cameras} deployable")
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]
