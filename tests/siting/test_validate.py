"""The Predictive Accuracy Index on held-out months, against a kernel-density baseline."""

import math

import pytest
import shapely
from shapely.geometry import Point, box

from siting.model.inputs import Site
from siting.model.run import ModelParams
from siting.model.validate import pai, validate
from siting.sources.area import AreaFilter
from tests.siting.helpers import SITE_E, SITE_N, crimes_at

CENTRE = (SITE_E + 25, SITE_N + 25)  # a 50 m cell's centre
AREA = AreaFilter.from_bbox(SITE_E - 500, SITE_N - 500, SITE_E + 500, SITE_N + 500, crs="bng")  # 1 km²


def test_pai_is_hit_share_over_area_share() -> None:
    assert pai(5, 10, 1, 100) == pytest.approx(50)
    assert pai(0, 10, 1, 100) == 0
    assert pai(1, 0, 1, 100) is None and pai(1, 1, 0, 100) is None


def constructed():
    # Training (to Sep 2025): 3 robberies at the busy site, 1 at the quiet one. Test (Oct–Dec 2025): 4 robberies,
    # 2 at the busy site and 2 far from both sites, plus a shoplifting (no harm) and one crime outside the area.
    points = [CENTRE] * 3 + [(SITE_E - 300, SITE_N - 300)] + [CENTRE] * 2 + [(SITE_E + 400, SITE_N - 400)] * 2
    points += [CENTRE, (SITE_E + 5000, SITE_N)]
    months = ["2025-03", "2025-06", "2025-09", "2025-09", "2025-10", "2025-12", "2025-11", "2025-11", "2025-11",
              "2025-11"]
    categories = ["Robbery"] * 8 + ["Shoplifting", "Robbery"]
    sites = [Site.at("busy", *CENTRE), Site.at("quiet", SITE_E - 300, SITE_N - 300)]
    return crimes_at(points, month=months, category=categories), sites


def test_pai_on_a_constructed_case_with_a_known_value() -> None:
    crimes, sites = constructed()
    result = validate(crimes, sites, area=AREA, top_n=1, test_months=3)
    assert (result.train_last, result.test_first, result.test_last) == ("2025-09-01", "2025-10-01", "2025-12-01")
    assert result.site_ids == ("busy",)
    circle = Point(CENTRE).buffer(100, quad_segs=64).area
    assert circle == pytest.approx(math.pi * 100 ** 2, rel=1e-3)
    model = result.model
    assert (model.captured_harm, model.total_harm, model.study_area_m2) == (2, 4, pytest.approx(1e6))
    assert model.flagged_area_m2 == pytest.approx(circle)
    assert model.pai == pytest.approx(0.5 / (circle / 1e6))  # ≈ 15.9
    # The baseline flags round(31,400 / 2,500) = 13 cells, the densest first: the busy site's cell among them.
    baseline = result.baseline
    assert baseline.flagged_area_m2 == 13 * 2500 and baseline.captured_harm == 2
    assert baseline.pai == pytest.approx(0.5 / 0.0325)
    text = result.explanation()
    # The training data reach back to Mar 2025 only: the default window is the one year held, not 36 empty months.
    assert "Scored on Oct 2024 to Sep 2025 and tested on Oct 2025 to Dec 2025" in text
    assert "caught 2 (50%, PAI 15.9) of the 4 high-harm crimes in the test months" in text


def test_the_study_area_defaults_to_the_crimes_bounding_box_and_top_n_widens_the_flag() -> None:
    crimes, sites = constructed()
    result = validate(crimes, sites, top_n=2, params=ModelParams(end_month="2025-09"))
    e, n = crimes.easting, crimes.northing
    assert result.model.study_area_m2 == pytest.approx((e.max() - e.min()) * (n.max() - n.min()))
    assert result.model.total_harm == 5  # the crime 5 km away is inside this larger box
    assert result.site_ids == ("busy", "quiet")
    # Both sites sit on the box's edge, so half of each circle lies outside the study area and is not counted.
    study = box(e.min(), n.min(), e.max(), n.max())
    flagged = shapely.union_all([s.geometry.buffer(100, quad_segs=64) for s in sites]).intersection(study).area
    assert result.model.flagged_area_m2 == pytest.approx(flagged)
    assert flagged == pytest.approx(math.pi * 100 ** 2, rel=1e-3)


def test_no_test_months_is_an_error() -> None:
    crimes, sites = constructed()
    with pytest.raises(ValueError, match="no located crimes in the test months"):
        validate(crimes, sites, params=ModelParams(end_month="2025-12"))
