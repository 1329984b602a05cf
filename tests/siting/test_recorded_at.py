"""Recorded-at places (issue 14): a site whose harm sits at a police.uk label such as "On or near Hospital" is
flagged, shows the share at its largest single point, and is kept out of the default recommendations."""

import numpy as np

from siting.model.inputs import CrimeSet, Site
from siting.model.recorded_at import RECORDED_AT_LABELS, is_recorded_at
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from tests.siting.helpers import SITE_E, SITE_N, VIOLENCE, every_month

HOSPITAL = Site.at("H", SITE_E, SITE_N, name="General Hospital")
STREET = Site.at("S", SITE_E + 2000, SITE_N, name="High Street")


def _crimes() -> CrimeSet:
    # Hospital site: 9 crimes on the hospital's snap point, 1 on a street 50 m east: 90% recorded-at, 90% at one
    # point. High Street: 6 crimes, 3 each on two points: no recorded-at harm, half at its largest point.
    points = [(SITE_E, SITE_N)] * 9 + [(SITE_E + 50, SITE_N)] + [(SITE_E + 2000, SITE_N)] * 3 \
        + [(SITE_E + 2000, SITE_N + 40)] * 3
    labels = ["On or near Hospital"] * 9 + ["On or near Hospital Road"] + ["On or near High Street"] * 6
    n = len(points)
    xy = np.array(points, dtype=float)
    crimes = CrimeSet.from_columns(xy[:, 0], xy[:, 1], ["2025-06"] * n, [VIOLENCE] * n).with_locations(labels)
    return every_month(crimes, "2025-01", "2025-12")


def test_labels_match_exactly_not_street_names() -> None:
    assert RECORDED_AT_LABELS == ("On or near Hospital", "On or near Police Station", "On or near Prison")
    assert is_recorded_at("on or near  police station") and is_recorded_at("On or near Prison")
    for street in ("On or near Hospital Road", "On or near Police Station Lane", "On or near Crown Court",
                   "On or near Roman Court", "On or near High Street", ""):
        assert not is_recorded_at(street)


def test_a_hospital_site_is_flagged_and_ranked_after_the_street_with_no_camera() -> None:
    run = score_sites(_crimes(), [HOSPITAL, STREET])
    hospital, street = run.result("H"), run.result("S")
    assert hospital.harm == 10 and street.harm == 6  # by harm alone the hospital would rank first
    assert (hospital.recorded_at, hospital.recorded_at_share, hospital.top_point_share) == (True, 0.9, 0.9)
    assert hospital.recorded_at_label == "On or near Hospital"
    assert (street.recorded_at, street.recorded_at_share, street.top_point_share) == (False, 0.0, 0.5)
    assert [r.site_id for r in run.ranked()] == ["S", "H"]
    assert (hospital.fixed_cameras, hospital.deployable_cameras) == (0, 0)
    assert street.fixed_cameras >= 1
    assert ('90% of it is recorded at a hospital (police.uk\'s "On or near Hospital"), where crimes are recorded '
            "rather than committed") in hospital.explanation
    assert "no camera recommended for a recorded-at place" in hospital.explanation
    assert any("1 of the 2 sites has most of its harm where crimes are recorded" in n for n in run.notes())


def test_including_recorded_at_places_ranks_them_by_harm_still_flagged() -> None:
    run = score_sites(_crimes(), [HOSPITAL, STREET], params=ModelParams(include_recorded_at=True))
    hospital = run.result("H")
    assert [r.site_id for r in run.ranked()] == ["H", "S"]
    assert hospital.recorded_at and hospital.fixed_cameras == 1
    assert "recorded rather than committed" in hospital.explanation


def test_without_labels_nothing_is_flagged_and_a_zero_harm_site_has_no_shares() -> None:
    crimes = CrimeSet.from_columns([SITE_E], [SITE_N], ["2025-06"], [VIOLENCE])
    far = Site.at("F", SITE_E + 9000, SITE_N)
    run = score_sites(crimes, [HOSPITAL, far])
    assert (run.result("H").recorded_at, run.result("H").top_point_share) == (False, 1.0)
    assert (run.result("F").top_point_share, run.result("F").recorded_at_share) == (None, None)


def test_best_k_does_not_choose_a_hospital_for_its_recorded_harm() -> None:
    from siting.model.best import best_sites

    choice = best_sites(_crimes(), [HOSPITAL, STREET], k=1)
    # The hospital's 9 recorded-at crimes weigh 0, leaving it 1 (Hospital Road) against the street's 6.
    assert choice.greedy.site_ids == ("S",) and choice.greedy.covered_harm == 6
    assert choice.exact is not None and choice.exact.site_ids == ("S",)
    assert choice.recorded_at_harm == 9 and "9 high-harm crimes recorded at hospitals" in choice.explanation()
    included = best_sites(_crimes(), [HOSPITAL, STREET], k=1, params=ModelParams(include_recorded_at=True))
    assert included.greedy.site_ids == ("H",) and included.greedy.covered_harm == 10
