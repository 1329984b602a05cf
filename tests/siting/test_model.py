"""The 3-year high-harm model on hand-made geometry whose answers are known (DESIGN §4)."""

import json
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point, box

from siting.model.harm import HarmProfile
from siting.model.inputs import CrimeSet, Site, month_date, month_index, month_indices
from siting.model.points import count_within
from siting.model.rules import top_decile
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from siting.sources.police import read_crimes
from tests.siting.helpers import HERTS, SITE_E, SITE_N, VIOLENCE, crimes_at, every_month

SITE = Site.at("S", SITE_E, SITE_N, name="High Street")
ANGLES = np.deg2rad(np.arange(0, 360, 45))


def ring(distance: float, angles=ANGLES, centre=(SITE_E, SITE_N)) -> np.ndarray:
    return np.column_stack([centre[0] + distance * np.cos(angles), centre[1] + distance * np.sin(angles)])


def test_a_crime_99_m_away_counts_and_one_101_m_away_does_not_through_longitude_and_latitude() -> None:
    # Built in National Grid metres, published as police.uk would (longitude/latitude), read back by the model.
    to_lonlat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    points = np.vstack([ring(99), ring(101)])
    lon, lat = to_lonlat.transform(points[:, 0], points[:, 1])
    crimes = CrimeSet.from_lonlat(list(lon), list(lat), ["2025-12"] * len(points), [VIOLENCE] * len(points))
    site_lon, site_lat = to_lonlat.transform(SITE_E, SITE_N)
    result = score_sites(crimes, [Site.from_lonlat("S", site_lon, site_lat)]).result("S")
    assert (result.harm, result.crimes) == (8, 8)


def test_exactly_the_radius_counts_and_the_radius_is_a_parameter() -> None:
    crimes = crimes_at([(SITE_E + 100, SITE_N), (SITE_E, SITE_N - 100), (SITE_E + 100.01, SITE_N),
                        (SITE_E + 49, SITE_N)])
    assert score_sites(crimes, [SITE]).result("S").harm == 3
    assert score_sites(crimes, [SITE], params=ModelParams(radius_m=50)).result("S").harm == 1
    assert score_sites(crimes, [SITE], params=ModelParams(radius_m=200)).result("S").harm == 4


def test_a_polygon_sites_catchment_is_the_polygon_buffered_by_the_radius() -> None:
    street = Site("street", box(SITE_E - 100, SITE_N - 10, SITE_E + 100, SITE_N + 10))
    crimes = crimes_at([(SITE_E + 80, SITE_N + 109), (SITE_E - 80, SITE_N - 109), (SITE_E + 199, SITE_N),
                        (SITE_E + 80, SITE_N + 111), (SITE_E + 201, SITE_N), (SITE_E + 172, SITE_N + 82)])
    # The last is ~101 m from the corner (SITE_E + 100, SITE_N + 10) although within 100 m of both edges' lines.
    result = score_sites(crimes, [street]).result("street")
    assert result.harm == 3
    assert "within 100 m of the site" in result.explanation


def test_weights_high_harm_against_cchi_and_a_user_table() -> None:
    categories = [VIOLENCE, VIOLENCE, "Robbery", "Shoplifting", "Anti-social behaviour", "Anti-social behaviour",
                  "Anti-social behaviour", "Rape"]
    crimes = crimes_at([(SITE_E + 10, SITE_N)] * len(categories), category=categories)
    high = score_sites(crimes, [SITE])
    assert high.result("S").harm == 3
    assert high.result("S").harm_counts == {VIOLENCE: 2, "Robbery": 1}
    assert high.result("S").crime_counts == {VIOLENCE: 2, "Robbery": 1, "Shoplifting": 1,
                                             "Anti-social behaviour": 3, "Rape": 1}
    assert high.result("S").crimes == 8 and high.unknown_categories == ("Rape",)
    cchi = score_sites(crimes, [SITE], params=ModelParams(profile="cchi")).result("S")
    assert cchi.harm == 2 * 200 + 365 + 1 + 0
    assert cchi.harm_by_category == {VIOLENCE: 400, "Robbery": 365, "Shoplifting": 1}
    assert cchi.harm_crimes == 4  # ASB weighs 0 even in CCHI
    mine = ModelParams(profile=HarmProfile("force", {"rape": 5, "violence and sexual offences": 1}))
    run = score_sites(crimes, [SITE], params=mine)
    assert run.result("S").harm == 7
    assert run.unknown_categories == ("Anti-social behaviour", "Robbery", "Shoplifting")
    assert any("Categories not in the force table weigh 0" in note for note in run.notes())


def test_the_window_is_36_months_ending_at_the_end_month() -> None:
    months = ["2022-11", "2022-12", "2023-01", "2024-06", "2025-12", "2026-01"]
    crimes = crimes_at([(SITE_E, SITE_N)] * len(months), month=months)
    run = score_sites(crimes, [SITE], params=ModelParams(end_month=date(2025, 12, 15)))
    assert (run.window_first, run.window_last) == (date(2023, 1, 1), date(2025, 12, 1))
    assert run.result("S").harm_by_year == (1, 1, 1)  # Jan 2023, Jun 2024, Dec 2025; not Nov/Dec 2022 or Jan 2026
    assert run.years == ((date(2023, 1, 1), date(2023, 12, 1)), (date(2024, 1, 1), date(2024, 12, 1)),
                         (date(2025, 1, 1), date(2025, 12, 1)))
    assert run.crimes_in_window == 3 and run.crimes_total == 6
    # By default the window ends at the latest month in the data (Jan 2026), which drops Jan 2023.
    latest = score_sites(crimes, [SITE])
    assert latest.window_last == date(2026, 1, 1) and latest.result("S").harm_by_year == (0, 1, 2)
    one_year = score_sites(crimes, [SITE], params=ModelParams(end_month="2025-12", window_months=12, years_needed=1))
    assert one_year.result("S").harm_by_year == (1,) and one_year.result("S").trend == "no trend"


def test_yearly_scores_and_trend() -> None:
    def site_with(per_year: tuple[int, int, int]) -> object:
        months = [m for year, n in zip((2023, 2024, 2025), per_year, strict=True) for m in [f"{year}-06"] * n]
        crimes = every_month(crimes_at([(SITE_E, SITE_N)] * len(months), month=months))
        return score_sites(crimes, [SITE]).result("S")

    # Every month held: rates are the yearly counts / 12. 14 → 16 over two years is +1/12 a month a year, 7% of
    # the first year's rate a year: under the 10% threshold.
    stable = site_with((14, 12, 16))
    assert stable.harm_by_year == (14, 12, 16) and stable.months_held_by_year == (12, 12, 12)
    assert stable.rate_by_year == pytest.approx((14 / 12, 12 / 12, 16 / 12))
    assert stable.trend_slope == pytest.approx(1 / 12) and stable.trend == "stable"
    assert stable.trend_text() == "stable: 1.2 → 1.3 a month, 2023 vs 2025"
    rising = site_with((5, 10, 20))  # 5/12 → 20/12: +7.5/12 a month a year, 150% of 5/12
    assert rising.trend_slope == pytest.approx(7.5 / 12) and rising.trend == "rising" and rising.deployable_cameras == 2
    assert site_with((20, 10, 5)).trend == "falling"


def test_persistence_is_top_decile_in_two_of_three_years() -> None:
    # Ten sites 1 km apart: "top decile" is the single highest site in a year.
    sites = [Site.at(f"S{i}", SITE_E + 1000 * i, SITE_N) for i in range(10)]
    yearly = {0: (10, 1, 10), 1: (1, 10, 1)} | {i: (2, 2, 2) for i in range(2, 10)}
    points, months = [], []
    for i, counts in yearly.items():
        for year, n in zip((2023, 2024, 2025), counts, strict=True):
            points += [(SITE_E + 1000 * i, SITE_N)] * n
            months += [f"{year}-03"] * n
    run = score_sites(every_month(crimes_at(points, month=months)), sites, params=ModelParams(end_month="2025-12"))
    assert run.result("S0").top_decile_years == (True, False, True) and run.result("S0").persistent
    assert run.result("S1").top_decile_years == (False, True, False) and not run.result("S1").persistent
    assert not any(run.result(f"S{i}").top_decile_years[0] for i in range(1, 10))
    assert "in the top 10% of sites in 2 of 3 years (persistent)" in run.result("S0").explanation
    assert "in 1 of 3 years (not persistent)" in run.result("S1").explanation
    needs_three = score_sites(every_month(crimes_at(points, month=months)), sites, params=ModelParams(years_needed=3))
    assert not needs_three.result("S0").persistent


def test_top_decile_ties_share_a_place() -> None:
    assert top_decile(np.array([5.0, 5, 1, 1, 1, 1, 1, 1, 1, 1]), 0.9).tolist() == [True, True] + [False] * 8
    assert top_decile(np.array([0.0, 0, 0]), 0.9).tolist() == [False] * 3
    assert top_decile(np.arange(20.0), 0.9).tolist() == [False] * 18 + [True, True]


def test_an_existing_camera_lowers_the_marginal_score_by_exactly_the_harm_it_sees() -> None:
    east = [(SITE_E + 30, SITE_N)] * 3
    west = [(SITE_E - 30, SITE_N)] * 2
    crimes = crimes_at(east + west + [(SITE_E - 30, SITE_N)], category=[VIOLENCE] * 5 + ["Drugs"])
    camera = [(SITE_E + 130, SITE_N)]  # exactly 100 m from the east crimes, 160 m from the west ones
    for profile, east_harm, total in (("high-harm", 3, 5), ("cchi", 600, 1004)):
        params = ModelParams(profile=profile)
        bare = score_sites(crimes, [SITE], None, params).result("S")
        seen = score_sites(crimes, [SITE], camera, params).result("S")
        assert bare.marginal == bare.harm == seen.harm == total and bare.covered_share == 0
        assert seen.covered_harm == east_harm and seen.marginal == total - east_harm
        assert seen.covered_share == pytest.approx(east_harm / total)
    far = score_sites(crimes, [SITE], [Point(SITE_E + 131, SITE_N + 100)]).result("S")
    assert far.marginal == 5
    everything = score_sites(crimes, [SITE], np.array([[SITE_E, SITE_N]])).result("S")
    assert everything.marginal == 0 and everything.fixed_cameras == everything.deployable_cameras == 0
    assert "no new camera recommended: existing cameras already see all of it" in everything.explanation


def test_rank_is_by_marginal_score_then_by_total_harm() -> None:
    x, y, z = (Site.at(name, SITE_E + 1000 * i, SITE_N) for i, name in enumerate("XYZ"))
    points = ([(SITE_E - 60, SITE_N)] * 3 + [(SITE_E + 60, SITE_N)] * 2 + [(SITE_E + 1000, SITE_N)] * 2
              + [(SITE_E + 2000, SITE_N)] * 4)
    camera = [(SITE_E - 150, SITE_N)]  # sees X's three western crimes only
    run = score_sites(crimes_at(points), [x, y, z], camera)
    assert [(r.site_id, r.marginal, r.harm) for r in run.ranked()] == [("Z", 4, 4), ("X", 2, 5), ("Y", 2, 2)]
    assert [r.rank for r in run.results] == [2, 3, 1]


def test_one_fixed_camera_per_sector_holding_a_quarter_of_the_new_harm() -> None:
    steady = ["2023-06", "2024-06", "2025-06"] * 2  # one crime a year each side: a stable trend
    two_ways = score_sites(crimes_at([(SITE_E, SITE_N + 50)] * 3 + [(SITE_E + 50, SITE_N)] * 3, month=steady),
                           [SITE]).result("S")
    assert (two_ways.fixed_cameras, two_ways.directions, two_ways.deployable_cameras) == (2, ("east", "north"), 1)
    assert "recommend 2 fixed cameras (covering the east and north) and 1 deployable." in two_ways.explanation
    lopsided = score_sites(crimes_at([(SITE_E - 50, SITE_N)] * 9 + [(SITE_E, SITE_N - 50)]), [SITE]).result("S")
    assert (lopsided.fixed_cameras, lopsided.directions) == (1, ("west",))
    centre = score_sites(every_month(crimes_at([(SITE_E, SITE_N)] * 4)), [SITE]).result("S")  # all in 2025: rising
    assert (centre.trend, centre.fixed_cameras, centre.directions, centre.deployable_cameras) == ("rising", 1, (), 2)
    none = score_sites(crimes_at([(SITE_E, SITE_N)] * 2, category="Drugs"), [SITE]).result("S")
    assert (none.fixed_cameras, none.deployable_cameras) == (0, 0)
    assert none.explanation == ("No high-harm crimes within 100 m over the 12 months to Dec 2025 "
                                "(2 other crimes recorded); no new camera recommended.")


def test_the_explanation_a_councillor_reads() -> None:
    months = ["2023-05"] * 14 + ["2024-05"] * 12 + ["2025-05"] * 14
    points = [(SITE_E + 40, SITE_N)] * 32 + [(SITE_E - 50, SITE_N)] * 8
    run = score_sites(every_month(crimes_at(points, month=months)), [SITE], [(SITE_E - 150, SITE_N)],
                      ModelParams("2025-12"))
    assert run.result("S").explanation == (
        "40 high-harm crimes within 100 m over the 36 months to Dec 2025 (2023: 1.2 a month; 2024: 1.0 a month; "
        "2025: 1.2 a month; stable: 1.2 → 1.2 a month, 2023 vs 2025); in the top 10% of sites in 3 of 3 years "
        "(persistent); 80% of it at a single police.uk map point; 20% already within sight of existing cameras; "
        "recommend 1 fixed camera (covering the east) and 1 deployable.")  # 32 of the 40 crimes share one point
    mixed = score_sites(crimes_at([(SITE_E, SITE_N)] * 3, category=[VIOLENCE, VIOLENCE, "Robbery"]), [SITE],
                        params=ModelParams(profile="cchi")).result("S")
    assert mixed.explanation.startswith("A harm score of 765 crime-harm days (CCHI) from 3 crimes within 100 m")
    assert "mostly violence and sexual offences (2 of 3)" in mixed.explanation


def test_a_run_carries_what_is_needed_to_reproduce_it() -> None:
    crimes = crimes_at([(SITE_E, SITE_N), (SITE_E, SITE_N), (np.nan, np.nan)], month=["2025-01", "2025-12", "2025-12"],
                       category=[VIOLENCE, "Drugs", VIOLENCE])
    params = ModelParams(radius_m=150, profile="cchi")
    run = score_sites(crimes, [SITE, Site.at("T", SITE_E + 5000, SITE_N)], [(0.0, 0.0)], params)
    assert (run.crimes_total, run.crimes_without_location, run.crimes_in_window, run.crimes_with_harm) == (3, 1, 2, 2)
    assert (run.unique_points, run.sites, run.cameras) == (1, 2, 1)
    # No window given: the 12 months the data reaches (Jan to Dec 2025), 10 of them empty.
    assert len(run.months_missing) == 10 and run.months_missing[0] == date(2025, 2, 1)
    assert any("10 of the 12 months have no crime data" in note for note in run.notes())
    saved = json.loads(json.dumps(run.to_dict()))
    assert saved["window"] == ["2025-01-01", "2025-12-01"] and saved["counts"]["crimes_in_window"] == 2
    assert ModelParams.from_dict(saved["params"]) == replace(params, window_months=12) and saved["window_from_data"]
    assert saved["results"][0]["harm"] == 204
    assert score_sites(crimes, [SITE], [(0.0, 0.0)], ModelParams.from_dict(saved["params"])).results[0] == \
        run.results[0]


@pytest.mark.parametrize("bad", [{"window_months": 30}, {"radius_m": 0}, {"persistence_decile": 1.0},
                                 {"years_needed": 4, "window_months": 36}, {"sector_share": 0},
                                 {"profile": "nope"}, {"min_months_per_year": 0}])
def test_bad_parameters_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        ModelParams(**bad)


def test_sites_need_unique_ids_and_an_empty_set_needs_an_end_month() -> None:
    with pytest.raises(ValueError, match="unique"):
        score_sites(crimes_at([(SITE_E, SITE_N)]), [SITE, SITE])
    empty = crimes_at(np.empty((0, 2)))
    with pytest.raises(ValueError, match="end month"):
        score_sites(empty, [SITE])
    run = score_sites(empty, [SITE], params=ModelParams(end_month="2025-12"))
    assert run.result("S").harm == 0 and run.result("S").trend == "none"
    assert score_sites(crimes_at([(SITE_E, SITE_N)]), []).results == ()


def test_months_in_every_form() -> None:
    assert month_index(date(1970, 1, 31)) == 0 and month_index("2025-12") == 671
    assert month_date(671) == date(2025, 12, 1)
    assert month_indices(["2025-12", "2025-01"]).tolist() == [671, 660]
    assert month_indices([date(2025, 12, 1)]).tolist() == [671]
    assert month_indices(np.array(["2025-12"], dtype="datetime64[M]")).tolist() == [671]
    assert month_indices(np.array([671])).tolist() == [671]


def test_counts_per_site_match_brute_force_distances() -> None:
    rng = np.random.default_rng(7)
    # Crimes snapped to a 20 m lattice, as police.uk snaps them to shared points.
    e = SITE_E + np.round(rng.uniform(-1000, 1000, 3000) / 20) * 20
    n = SITE_N + np.round(rng.uniform(-1000, 1000, 3000) / 20) * 20
    e[:50] = np.nan
    corners = rng.uniform(-900, 900, (50, 2)) + np.array([SITE_E, SITE_N])
    sites = [Site.at(f"P{i}", x, y) for i, (x, y) in enumerate(corners[:40])]
    sites += [Site(f"Q{i}", box(x, y, x + 60, y + 15)) for i, (x, y) in enumerate(corners[40:])]
    counts = count_within(sites, e, n, 100)
    ok = np.isfinite(e)
    points = shapely.points(e[ok], n[ok])
    expected = [int((shapely.distance(s.geometry, points) <= 100).sum()) for s in sites]
    assert counts.tolist() == expected
    crimes = CrimeSet.from_columns(e, n, ["2025-12"] * len(e), [VIOLENCE] * len(e))
    assert [r.crimes for r in score_sites(crimes, sites).results] == expected


@pytest.mark.skipif(not HERTS.is_dir(), reason="shared police.uk data not present")
def test_real_hertfordshire_counts_match_shapely_distances() -> None:
    records = list(read_crimes(HERTS / "2025-06-hertfordshire-street.csv"))
    crimes = CrimeSet.from_records(records)
    located = np.flatnonzero(crimes.located)
    rng = np.random.default_rng(3)
    sites = [Site.at(f"S{i}", crimes.easting[j] + 40, crimes.northing[j]) for i, j in
             enumerate(rng.choice(located, 25, replace=False))]
    points = shapely.points(crimes.easting[located], crimes.northing[located])
    expected = [int((shapely.distance(s.geometry, points) <= 100).sum()) for s in sites]
    assert count_within(sites, crimes.easting, crimes.northing, 100).tolist() == expected
    run = score_sites(crimes, sites)
    assert [r.crimes for r in run.results] == expected
    assert run.crimes_without_location == sum(not r.has_location for r in records)
