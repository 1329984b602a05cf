"""A model run as data: its parameters (`ModelParams`), one site's figures (`SiteResult`) and the whole run
(`ModelRun`), each JSON-ready through `to_dict`.

These are apart from `siting.model.scoring`, which computes them, because the modules that read a run (the
sentences in `explain`, the report, the store) need only the shapes, and `scoring` itself calls `explain`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from siting.model.harm import HIGH_HARM, HarmProfile, get_profile
from siting.model.inputs import month_date, month_index, month_label


@dataclass(frozen=True)
class ModelParams:
    """Every setting of a model run; the defaults are DESIGN §4's. Strings are accepted for month and profile."""

    end_month: date | None = None  # default: the latest month in the data
    window_months: int = 36
    profile: HarmProfile = HIGH_HARM
    radius_m: float = 100.0  # a public-space camera's coverage radius, for sites and existing cameras alike
    persistence_decile: float = 0.9  # "top decile": fewer than 10% of sites score higher in that year
    years_needed: int = 2  # persistent = in the top decile in at least this many of the window's years
    trend_threshold: float = 0.1  # rising/falling when the yearly slope exceeds 10% of the yearly mean
    sector_share: float = 0.25  # a 90° sector needs this share of the marginal harm to earn its own fixed camera
    deployable_per_site: int = 1

    def __post_init__(self) -> None:
        if self.end_month is not None and not isinstance(self.end_month, date):
            object.__setattr__(self, "end_month", month_date(month_index(self.end_month)))
        elif isinstance(self.end_month, date) and self.end_month.day != 1:
            object.__setattr__(self, "end_month", self.end_month.replace(day=1))
        object.__setattr__(self, "profile", get_profile(self.profile))
        if self.window_months <= 0 or self.window_months % 12:
            raise ValueError("window_months must be a positive multiple of 12")
        if not self.radius_m > 0:
            raise ValueError("radius_m must be positive")
        if not 0 < self.persistence_decile < 1:
            raise ValueError("persistence_decile must be between 0 and 1")
        if not 1 <= self.years_needed <= self.years:
            raise ValueError(f"years_needed must be between 1 and {self.years}")
        if not 0 < self.sector_share <= 1 or self.deployable_per_site < 0:
            raise ValueError("sector_share must be in (0, 1] and deployable_per_site ≥ 0")

    @property
    def years(self) -> int:
        """How many 12-month years the window holds."""
        return self.window_months // 12

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
    harm_by_year: tuple[float, ...]
    harm_crimes: int  # crimes with weight > 0
    harm_crimes_by_year: tuple[int, ...]
    crimes: int  # all crimes within r, any category
    trend_slope: float  # least-squares change in harm per year
    trend: str  # "rising", "falling", "stable", "none" (no harm at all) or "unknown" (one-year window)
    top_decile_years: tuple[bool, ...]
    persistent: bool
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
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        data = asdict(self)
        for key in ("harm_counts", "harm_by_category", "crime_counts"):
            data[key] = dict(getattr(self, key))
        return data


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
    results: tuple[SiteResult, ...]
    seconds: float = field(default=0.0, compare=False)

    def notes(self) -> list[str]:
        """Warnings a reader of the result should see: gaps in the data, unlocated crimes, unknown categories."""
        notes = []
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

    def ranked(self) -> list[SiteResult]:
        """The results best first."""
        return sorted(self.results, key=lambda r: r.rank)

    def result(self, site_id: str) -> SiteResult:
        """One site's result by its id."""
        for result in self.results:
            if result.site_id == site_id:
                return result
        raise KeyError(site_id)

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
            "results": [r.to_dict() for r in self.results],
        }


__all__ = ["ModelParams", "ModelRun", "SiteResult"]
