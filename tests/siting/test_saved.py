"""Candidate sites are kept in WGS84 and come back in metres; saved runs reproduce and compare."""

import pytest
import shapely
from sqlmodel import Session

from siting.model.inputs import Site
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from siting.store.saved import DuplicateSiteName, SiteSource, active_sites, add_site, compare_runs, save_run
from tests.siting.helpers import SITE_E, SITE_N, crimes_at


def test_a_site_comes_back_where_it_was_put(session: Session) -> None:
    square = shapely.box(SITE_E - 40, SITE_N - 30, SITE_E + 40, SITE_N + 30)
    add_site(session, Site("x", square, "Frogmoor"), source=SiteSource.DRAWN, actor="planner")
    add_site(session, Site.at("y", SITE_E + 500, SITE_N, "Oxford Road"), source=SiteSource.TYPED, actor="planner")
    session.commit()
    sites = {s.name: s.to_model() for s in active_sites(session)}
    assert sites["Frogmoor"].geometry.equals_exact(square, tolerance=0.05)  # within 5 cm after WGS84 and back
    assert sites["Oxford Road"].geometry.distance(shapely.Point(SITE_E + 500, SITE_N)) < 0.05


def test_site_names_are_unique(session: Session) -> None:
    add_site(session, Site.at("a", SITE_E, SITE_N, "Frogmoor"), source=SiteSource.TYPED, actor="p")
    with pytest.raises(DuplicateSiteName):
        add_site(session, Site.at("b", SITE_E + 1, SITE_N, "frogmoor"), source=SiteSource.TYPED, actor="p")


def test_two_saved_runs_show_what_changed(session: Session) -> None:
    # Three crimes 120 m east of site A: outside 100 m, inside 150 m. One crime at site B.
    crimes = crimes_at([(SITE_E + 120, SITE_N)] * 3 + [(SITE_E + 1000, SITE_N)])
    sites = [Site.at("A", SITE_E, SITE_N, "A"), Site.at("B", SITE_E + 1000, SITE_N, "B")]
    narrow = save_run(session, score_sites(crimes, sites, params=ModelParams(radius_m=100)), actor="p")
    wide = save_run(session, score_sites(crimes, sites, params=ModelParams(radius_m=150)), actor="p")
    session.commit()
    differences, ranks = compare_runs(narrow, wide)
    assert differences["radius_m"] == (100, 150)
    by_site = {r.site_id: r for r in ranks}
    assert (by_site["A"].rank_a, by_site["A"].rank_b) == (2, 1)
    assert (by_site["A"].marginal_a, by_site["A"].marginal_b) == (0, 3)
    assert (by_site["B"].rank_a, by_site["B"].rank_b) == (1, 2)
    assert narrow.data()["params"]["radius_m"] == 100 and str(narrow.window_last) == "2025-12-01"
