"""Helpers shared by the siting tests: hand-made crimes in National Grid metres near High Wycombe."""

from pathlib import Path

import numpy as np

from siting.model.inputs import CrimeSet

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "police"
HERTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "police-uk-hertfordshire-2025"
SITE_E, SITE_N = 486_500.0, 192_900.0  # a site in High Wycombe town centre, BNG metres
VIOLENCE = "Violence and sexual offences"


def crimes_at(points, month="2025-12", category=VIOLENCE) -> CrimeSet:
    """Crimes at the given (easting, northing) points, all in one month and category unless lists are given."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    months = month if isinstance(month, list) else [month] * len(points)
    categories = category if isinstance(category, list) else [category] * len(points)
    return CrimeSet.from_columns(points[:, 0], points[:, 1], months, categories)


def every_month(crimes: CrimeSet, first: str = "2023-01", last: str = "2025-12") -> CrimeSet:
    """The crimes plus one anti-social behaviour report (weight 0 in every profile) in each month from `first` to
    `last`, 50 km away: every month then holds data, as in a real force's files, so years are not "n/a"."""
    from siting.model.inputs import month_index

    months = list(range(month_index(first), month_index(last) + 1))
    filler = CrimeSet.from_columns([SITE_E + 50_000] * len(months), [SITE_N] * len(months), months,
                                   ["Anti-social behaviour"] * len(months))
    return crimes.concat(filler)
