"""The quartic kernel-density hotspot surface and its peaks."""

import math

import numpy as np
import pytest

from siting.model.hotspots import MAX_CELLS, HotspotSurface, harm_surface, hotspot_surface, quartic
from siting.model.run import ModelParams
from tests.siting.helpers import SITE_E, SITE_N, crimes_at


def test_the_quartic_kernel() -> None:
    h = 150.0
    assert quartic([0.0], h)[0] == pytest.approx(3 / (math.pi * h * h))
    assert quartic([h / 2], h)[0] == pytest.approx(3 / (math.pi * h * h) * 0.75 ** 2)
    assert quartic([h, 2 * h], h).tolist() == [0.0, 0.0]


def test_a_single_point_peaks_in_its_own_cell_and_is_zero_beyond_the_bandwidth() -> None:
    x, y = SITE_E + 12, SITE_N + 31  # inside the cell [486500, 486550) × [192900, 192950)
    surface = hotspot_surface([x], [y])
    assert (surface.cell_m, surface.bandwidth_m) == (50, 150)
    assert surface.x0 % 50 == 0 and surface.y0 % 50 == 0  # the grid is aligned to the National Grid
    row, col = np.unravel_index(np.argmax(surface.density), surface.shape)
    assert surface.x0 + col * 50 == SITE_E and surface.y0 + row * 50 == SITE_N + 50 - 50 * (31 < 50)
    assert surface.cell_of([x], [y]) == (np.array([row]), np.array([col]))
    ce, cn = surface.centres()
    distance = np.hypot(ce - x, cn - y)
    assert np.all(surface.density[distance >= 150] == 0)
    assert np.all(surface.density[distance < 149] > 0)
    # The kernel integrates to the point's weight: density (per km²) × cell area sums to ~1 crime.
    assert surface.density.sum() * surface.cell_area_m2 / 1e6 == pytest.approx(1, rel=0.03)
    peak = surface.peaks(5)
    assert len(peak) == 1 and (peak[0].easting, peak[0].northing) == (SITE_E + 25, SITE_N + 25)
    assert peak[0].density == pytest.approx(quartic([np.hypot(13, 6)], 150)[0] * 1e6)


def test_weights_scale_the_density_and_zero_weights_and_missing_points_vanish() -> None:
    one = hotspot_surface([SITE_E], [SITE_N], bounds=(SITE_E - 500, SITE_N - 500, SITE_E + 500, SITE_N + 500))
    three = hotspot_surface([SITE_E, SITE_E, SITE_E + 200, np.nan], [SITE_N, SITE_N, SITE_N, 0.0], [2, 1, 0, 5],
                            bounds=(SITE_E - 500, SITE_N - 500, SITE_E + 500, SITE_N + 500))
    assert np.allclose(three.density, 3 * one.density)


def test_peaks_are_local_maxima_kept_apart() -> None:
    # Crimes at cell centres, so each bump has a single highest cell.
    e = [SITE_E + 25] * 5 + [SITE_E + 1025] * 3 + [SITE_E + 275] * 2
    n = [SITE_N + 25] * 10
    surface = hotspot_surface(e, n)
    peaks = surface.peaks(10, min_separation_m=300)
    assert [(p.easting - SITE_E, p.northing - SITE_N) for p in peaks] == [(25, 25), (1025, 25)]
    assert [p.rank for p in peaks] == [1, 2] and peaks[0].density > peaks[1].density
    assert [s.site_id for s in (p.to_site() for p in peaks)] == ["H1", "H2"]
    # The two-crime bump 250 m from the biggest is a local maximum of its own once the separation allows it.
    closer = surface.peaks(10, min_separation_m=200)
    assert [p.easting - SITE_E for p in closer] == [25, 1025, 275]
    assert surface.peaks(1)[0] == peaks[0] and surface.peaks(0) == []


def test_cells_lists_the_non_zero_cells() -> None:
    surface = hotspot_surface([SITE_E], [SITE_N])
    e, n, d = surface.cells()
    assert len(e) == (surface.density > 0).sum() and d.min() > 0
    assert np.all(np.hypot(e - SITE_E, n - SITE_N) < 150)


def test_the_surface_of_the_models_harm_ignores_harmless_crimes_and_old_months() -> None:
    crimes = crimes_at([(SITE_E + 25, SITE_N), (SITE_E + 2025, SITE_N), (SITE_E + 4025, SITE_N)],
                       month=["2025-12", "2025-12", "2020-01"], category=["Robbery", "Drugs", "Robbery"])
    surface = harm_surface(crimes, ModelParams())
    assert len(surface.peaks(10)) == 1 and surface.peaks(1)[0].easting == SITE_E + 25


def test_an_absurd_grid_is_refused_and_an_empty_one_is_empty() -> None:
    with pytest.raises(ValueError, match="too large"):
        hotspot_surface([0.0, 700_000.0], [0.0, 1_200_000.0])
    assert MAX_CELLS > 1_000_000
    empty = hotspot_surface([], [])
    assert isinstance(empty, HotspotSurface) and empty.peaks(3) == []
