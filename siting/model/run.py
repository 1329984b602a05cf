"""A model run as data: its parameters (`ModelParams`), one site's figures (`SiteResult`) and the whole run
(`ModelRun`), each JSON-ready through `to_dict`.

These are apart from `siting.model.scoring`, which computes them, because the modules that read a run (the
sentences in `explain`, the report, the store) need only the shapes, and `scoring` itself calls `explain`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Protocol

from siting.model.harm import HIGH_HARM, HarmProfile, get_profile
from siting.model.inputs import Site, month_date, month_index, month_label
from siting.model.place import SiteLabel, site_label
from siting.model.rules import rate_text


@dataclass(frozen=True)
class ModelParams:
    """Every setting of a model run; the defaults are DESIGN §4's. Strings are accepted for month and profile."""

    end_month: date | None = None  # default: the latest month in the data
    window_months: int | None = None  # default: the months held, in whole years up to 36 (`points.held_window`)
    profile: HarmProfile = HIGH_HARM
    radius_m: float = 100.0  # a public-space camera's coverage radius, for sites and existing cameras alike
    persistence_decile: float = 0.9  # "top decile": fewer than 10% of sites score higher in that year
    years_needed: int = 2  # persistent = in the top decile in at least this many of the window's usable years
    trend_threshold: float = 0.1  # rising/falling when the monthly rate changes by more than 10% (see rules)
    min_months_per_year: int = 4  # a year holding fewer months of data is n/a (see rules)
    sector_share: float = 0.25  # a 90° sector needs this share of the marginal harm to earn its own fixed camera
    deployable_per_site: int = 1
    # A site with at least this share of its harm at places where crimes are recorded rather than committed
    # (siting.model.recorded_at) is flagged; unless `include_recorded_at`, it ranks after every other site and
    # gets no camera recommended.
    recorded_at_share: float = 0.5
    include_recorded_at: bool = False

    def __post_init__(self) -> None:
        if self.end_month is not None and not isinstance(self.end_month, date):
            object.__setattr__(self, "end_month", month_date(month_index(self.end_month)))
        elif isinstance(self.end_month, date) and self.end_month.day != 1:
            object.__setattr__(self, "end_month", self.end_month.replace(day=1))
        object.__setattr__(self, "profile", get_profile(self.profile))
        if self.window_months is not None and (self.window_months <= 0 or self.window_months % 12):
            raise ValueError("window_months must be a positive multiple of 12")
        if not self.radius_m > 0:
            raise ValueError("radius_m must be positive")
        if not 0 < self.persistence_decile < 1:
            raise ValueError("persistence_decile must be between 0 and 1")
        # A one-year window has no persistence at all (n/a), so any years_needed is accepted there.
        if self.years_needed < 1 or (self.years is not None and 1 < self.years < self.years_needed):
            raise ValueError(f"years_needed must be between 1 and {self.years or 'the years in the window'}")
        if not 1 <= self.min_months_per_year <= 12:
            raise ValueError("min_months_per_year must be between 1 and 12")
        if not 0 < self.recorded_at_share <= 1:
            raise ValueError("recorded_at_share must be in (0, 1]")
        if not 0 < self.sector_share <= 1 or self.deployable_per_site < 0:
            raise ValueError("sector_share must be in (0, 1] and deployable_per_site ≥ 0")

    @property
    def years(self) -> int | None:
        """How many 12-month years the window holds (None until a run fixes a window taken from the data)."""
        return None if self.window_months is None else self.window_months // 12

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters, saved with a run."""
        data = {f: getattr(self, f) for f in self.__dataclass_fields__}
        data["end_month"] = self.end_month.isoformat() if self.end_month else None
        data["profile"] = self.profile.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelParams:
        """The inverse of `to_dict`."""
        values = dict(data)
        profile = values.get("profile", "high-harm")
        values["profile"] = HarmProfile.from_dict(profile) if isinstance(profile, Mapping) else profile
        return cls(**values)


@dataclass(frozen=True)
class SiteResult:
    """One site's figures. Harm is in the profile's unit (crimes for `high-harm`); years run oldest first."""

    site_id: str
    name: str
    harm: float
    harm_by_year: tuple[float, ...]  # totals, as context: compare years by `rate_by_year`, never by these
    months_held_by_year: tuple[int, ...]  # of each year's 12 months, how many hold any crime data
    rate_by_year: tuple[float | None, ...]  # harm a month over the months held; None = n/a (too few months)
    year_labels: tuple[str, ...]  # "2025", or "year to Jun 2025"
    harm_crimes: int  # crimes with weight > 0
    harm_crimes_by_year: tuple[int, ...]
    crimes: int  # all crimes within r, any category
    trend_slope: float  # change in the monthly rate per year, first to last usable year
    trend: str  # "rising", "falling", "stable", "none" (no harm at all) or "no trend" (fewer than 2 usable years)
    trend_basis: str  # "1.2 → 1.0 a month, 2024 vs 2025", or why there is no trend ("one year of data")
    top_decile_years: tuple[bool | None, ...]  # None for a year with too few months
    persistent: bool | None  # None = n/a: fewer than two usable years
    harm_counts: Mapping[str, int]  # crimes with weight > 0, by category
    harm_by_category: Mapping[str, float]
    crime_counts: Mapping[str, int]  # all crimes by category, as context
    covered_harm: float  # harm within r of an existing working camera
    covered_share: float | None  # covered_harm / harm; None when there is no harm
    marginal: float  # harm not yet covered: what a new camera here adds
    rank: int  # 1 = best: by marginal, then by harm, then input order
    fixed_cameras: int
    deployable_cameras: int
    directions: tuple[str, ...]  # the sectors that earned a fixed camera
    top_point_share: float | None = None  # share of the harm at the site's largest single snap point
    recorded_at_share: float | None = None  # share of the harm at labels where crimes are recorded (recorded_at)
    recorded_at_label: str = ""  # the label holding most of that ("On or near Hospital")
    recorded_at: bool = False  # recorded_at_share ≥ the run's threshold: not a public-space camera site
    explanation: str = ""
    street: str = ""  # "High Street / Castle Street" or "near Supermarket" (siting.model.place)
    lsoa_code: str = ""  # the LSOA holding most of its crimes
    lsoa_name: str = ""  # ... its name, "Dacorum 012A"
    locality: str = ""  # "Chaulden ward, Hemel Hempstead" from the council's data (siting.store.localities)

    def label(self) -> SiteLabel:
        """The site's display name and place line, the same in every output (`siting.model.place.site_label`)."""
        return site_label(self.site_id, self.name, self.street, self.lsoa_code, self.lsoa_name, self.locality)

    def years_text(self) -> str:
        """Each year's monthly rate with the months it holds: "2024: 1.2 a month; 2025: n/a (3 of 12 months held)"."""
        parts = []
        for label, rate, held in zip(self.year_labels, self.rate_by_year, self.months_held_by_year, strict=True):
            if rate is None:
                parts.append(f"{label}: n/a ({held} of 12 months held)")
            else:
                partial = "" if held == 12 else f" ({held} of 12 months held)"
                parts.append(f"{label}: {rate_text(rate)} a month{partial}")
        return "; ".join(parts)

    def rates_text(self) -> str:
        """The monthly rates alone, oldest first: "1.2 / n/a / 3.0" (for tables; `years_text` says more)."""
        return " / ".join("n/a" if v is None else rate_text(v) for v in self.rate_by_year)

    def trend_text(self) -> str:
        """"rising: 12.1 → 14.0 a month, 2024 vs 2025", "no trend (one year of data)" or "none"."""
        if self.trend == "none":
            return "none"
        if self.trend == "no trend":
            return f"no trend ({self.trend_basis})"
        return f"{self.trend}: {self.trend_basis}"

    def persistent_text(self) -> str:
        """"yes", "no" or "n/a" (fewer than two years with enough data)."""
        return "n/a" if self.persistent is None else "yes" if self.persistent else "no"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        data = asdict(self)
        for key in ("harm_counts", "harm_by_category", "crime_counts"):
            data[key] = dict(getattr(self, key))
        return data


class SiteResults(Protocol):
    """A run's per-site results, built on demand (`siting.model.site_results.SiteResults`)."""

    def __len__(self) -> int: ...
    def name_places(self, locality: Callable[[Site], str]) -> None: ...
    def flagged(self) -> int: ...
    def all(self) -> tuple[SiteResult, ...]: ...
    def ranked(self, n: int | None = None) -> list[SiteResult]: ...
    def by_id(self, site_id: str) -> SiteResult: ...


@dataclass(frozen=True)
class ModelRun:
    """A whole run: parameters, data window and counts, and the results in the order the sites were given."""

    params: ModelParams
    window_first: date
    window_last: date
    years: tuple[tuple[date, date], ...]
    crimes_total: int
    crimes_without_location: int
    crimes_in_window: int  # located crimes in the window
    crimes_with_harm: int  # ... of which weigh more than 0
    unique_points: int
    sites: int
    cameras: int
    unknown_categories: tuple[str, ...]
    months_missing: tuple[date, ...]  # months in the window with no crimes at all: a gap in the data
    site_results: SiteResults = field(compare=False, repr=False)  # built when read (siting.model.site_results)
    months_held_by_year: tuple[int, ...] = ()
    window_from_data: bool = False  # no window was asked for: it is the months held, up to 36
    seconds: float = field(default=0.0, compare=False)

    def notes(self) -> list[str]:
        """Warnings a reader of the result should see: gaps in the data, unlocated crimes, unknown categories."""
        notes = []
        if self.window_from_data:
            notes.append(f"The window is the {self.params.window_months} months to {month_label(self.window_last)} "
                         "that the data reaches (by default the months held, in whole years, up to 36).")
        usable = sum(held >= self.params.min_months_per_year for held in self.months_held_by_year)
        if self.months_held_by_year and usable < 2:
            notes.append(f"Only {usable} of the window's years holds at least {self.params.min_months_per_year} "
                         "months of data: no trend and no persistence can be read from it.")
        flagged = self.site_results.flagged()
        if flagged:
            where = "kept in the ranking as asked" if self.params.include_recorded_at else \
                "marked, ranked after the others and given no camera (include recorded-at places to rank them)"
            have = "has most of its" if flagged == 1 else "have most of their"
            notes.append(f"{flagged} of the {self.sites} sites {have} harm where crimes are recorded "
                         "rather than committed (a hospital, police station or prison): " + where + ".")
        if self.months_missing:
            gaps = ", ".join(month_label(m) for m in self.months_missing[:6])
            more = f" and {len(self.months_missing) - 6} more" if len(self.months_missing) > 6 else ""
            notes.append(f"{len(self.months_missing)} of the {self.params.window_months} months have no crime data "
                         f"({gaps}{more}); scores for those months are missing, not zero.")
        if self.crimes_without_location:
            notes.append(f"{self.crimes_without_location:,} of {self.crimes_total:,} crimes have no location and are "
                         "left out.")
        if self.unknown_categories:
            notes.append(f"Categories not in the {self.params.profile.name} table weigh 0: "
                         f"{', '.join(self.unknown_categories)}.")
        return notes

    @property
    def results(self) -> tuple[SiteResult, ...]:
        """Every site's result in the order the sites were given (all built: for saving or exporting a run)."""
        return self.site_results.all()

    def ranked(self) -> list[SiteResult]:
        """All the results, best first."""
        return self.site_results.ranked()

    def top(self, n: int) -> list[SiteResult]:
        """The best `n` results, best first: only these are built, so prefer this to `ranked()[:n]`."""
        return self.site_results.ranked(max(0, n))

    def result(self, site_id: str) -> SiteResult:
        """One site's result by its id (KeyError if it was not scored)."""
        return self.site_results.by_id(site_id)

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to save, reproduce and compare the run, JSON-ready."""
        return {
            "params": self.params.to_dict(),
            "window": [self.window_first.isoformat(), self.window_last.isoformat()],
            "years": [[a.isoformat(), b.isoformat()] for a, b in self.years],
            "counts": {k: getattr(self, k) for k in ("crimes_total", "crimes_without_location", "crimes_in_window",
                                                       "crimes_with_harm", "unique_points", "sites", "cameras")},
            "unknown_categories": list(self.unknown_categories),
            "months_missing": [m.isoformat() for m in self.months_missing],
            "months_held_by_year": list(self.months_held_by_year),
            "window_from_data": self.window_from_data,
            "results": [r.to_dict() for r in self.results],
        }


__all__ = ["ModelParams", "ModelRun", "SiteResult"]
