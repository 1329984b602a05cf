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
