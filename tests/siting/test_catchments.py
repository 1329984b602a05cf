"""The model's own proposals: the disc of radius r holding the most street harm, recorded-at places left out."""

import numpy as np
import pytest
import shapely

from siting.model.catchments import best_catchments, candidate_grid
from siting.model.inputs import CrimeSet
from siting.model.run import ModelParams

VIOLENCE = "Violence and sexual offences"


def crimes_at(points: list[tuple[float, float, int, str]], month: str = "2025-03",
              category: str = VIOLENCE) -> CrimeSet:
    """`count` crimes at each (easting, northing) with the given location label."""
    e, n, labels = [], [], []
    for x, y, count, label in points:
        e += [x] * count
        n += [y] * count
        labels += [label] * count
    return CrimeSet.from_columns(e, n, [month] * len(e), [category] * len(e)).with_locations(labels)


def test_one_disc_takes_two_clusters_a_peak_of_either_would_split() -> None:
    # 10 crimes at x=1000 and 6 at x=1150: a disc centred between them (within 100 m of both) sees all 16.
    crimes = crimes_at([(1000, 1000, 10, "On or near A Street"), (1150, 1000, 6, "On or near B Street")])
    best = best_catchments(crimes, ModelParams(), k=1)
    assert len(best) == 1 and best[0].harm == 16
    assert 1050 <= best[0].easting <= 1100 and best[0].northing == 1000


def test_recorded_at_harm_is_left_out_and_sites_keep_two_radii_apart() -> None:
    crimes = crimes_at([(5000, 5000, 40, "On or near Hospital"), (1000, 1000, 9, "On or near A Street"),
                        (1120, 1000, 5, "On or near B Street"), (3000, 1000, 2, "On or near C Street")])
    best = best_catchments(crimes, ModelParams(), k=5)
    assert [c.harm for c in best] == [14, 2]  # the hospital's 40 are not a street camera's; one disc takes 9 + 5
    assert all(np.hypot(c.easting - 5000, c.northing - 5000) > 100 for c in best)
    assert [c.rank for c in best] == [1, 2] and best[0].to_site().site_id == "H1"


def test_the_area_keeps_centres_inside_the_boundary() -> None:
    crimes = crimes_at([(1000, 1000, 10, "On or near A Street"), (3000, 3000, 3, "On or near B Street")])
    area = shapely.box(2500, 2500, 3500, 3500)
    assert [c.harm for c in best_catchments(crimes, ModelParams(), k=3, area=area)] == [3]


def test_the_candidate_grid_reaches_every_node_within_the_radius_once() -> None:
    x, y = candidate_grid(np.array([0.0, 10.0]), np.array([0.0, 0.0]), 100.0, 25.0)
    nodes = set(zip(x.tolist(), y.tolist(), strict=True))
    assert len(nodes) == len(x)  # each once
    assert {(100.0, 0.0), (-100.0, 0.0), (0.0, 100.0), (75.0, 75.0)} <= nodes


def test_bad_settings_are_refused() -> None:
    crimes = crimes_at([(1000, 1000, 1, "On or near A Street")])
    assert best_catchments(crimes, ModelParams(), k=0) == []
    with pytest.raises(ValueError, match="step"):
        best_catchments(crimes, ModelParams(), k=1, step_m=0)
