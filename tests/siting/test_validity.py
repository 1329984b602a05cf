"""Rolling-origin validation against kernel-density peaks, worked out by hand on a small made-up area."""

import pytest
import shapely

from siting.model.inputs import CrimeSet
from siting.model.run import ModelParams
from siting.model.validity import rolling_validation

VIOLENCE = "Violence and sexual offences"
STUDY = shapely.box(0, 0, 4000, 4000)  # 16 km²


def crimes(rows: list[tuple[float, float, str, int, str]]) -> CrimeSet:
    """(easting, northing, month, count, label) rows of violent crimes."""
    e, n, m, labels = [], [], [], []
    for x, y, month, count, label in rows:
        e += [x] * count
        n += [y] * count
        m += [month] * count
        labels += [label] * count
    return CrimeSet.from_columns(e, n, m, [VIOLENCE] * len(e)).with_locations(labels)


def test_one_split_scored_on_street_harm_with_recorded_at_places_beside() -> None:
    train = [(1000, 1000, f"2025-{m:02d}", 3, "On or near A Street") for m in range(1, 7)]
    train += [(1150, 1000, f"2025-{m:02d}", 2, "On or near B Street") for m in range(1, 7)]
    train += [(3000, 3000, f"2025-{m:02d}", 6, "On or near Hospital") for m in range(1, 7)]
    test = [(1000, 1000, "2025-08", 4, "On or near A Street"), (1150, 1000, "2025-08", 3, "On or near B Street"),
            (3000, 3000, "2025-08", 5, "On or near Hospital"), (200, 3800, "2025-09", 1, "On or near C Street")]
    result = rolling_validation(crimes(train + test), STUDY, params=ModelParams(), top_n=1, test_months=3,
                                origins=1)
    (split,) = result.splits
    assert (split.test_first.isoformat(), split.test_last.isoformat()) == ("2025-07-01", "2025-09-01")
    # Street test harm: 4 + 3 at the two streets, 1 far away; the hospital's 5 are left out (kept in "all").
    assert split.model.total_harm == 8 and split.model_all.total_harm == 13
    # The model's one disc sits between the streets and sees 7; the density map's highest peak is the hospital
    # (36 training crimes at one point against 18 and 12), which sees none of the street harm.
    assert split.model.captured_harm == 7 and split.peaks.captured_harm == 0
    assert split.peaks_all.captured_harm == 5
    flagged = split.model.flagged_area_m2
    assert flagged == pytest.approx(3.14159 * 100 ** 2, rel=1e-3)
    assert split.model.pai == pytest.approx((7 / 8) / (flagged / 16e6))
    assert split.ratio_vs_peaks is None  # the peaks caught nothing: PAI 0, no ratio
    assert "1 train/test splits" in result.explanation() or result.median_vs_peaks is None


def test_origins_slide_back_a_month_each_and_need_data_before_them() -> None:
    rows = [(1000, 1000, f"2025-{m:02d}", 2, "On or near A Street") for m in range(1, 13)]
    rows += [(2500, 2500, f"2025-{m:02d}", 1, "On or near B Street") for m in range(1, 13)]
    result = rolling_validation(crimes(rows), STUDY, top_n=2, test_months=3, origins=4)
    assert [s.test_last.month for s in result.splits] == [9, 10, 11, 12]
    assert all(s.model.captured_harm == s.model.total_harm == 9 for s in result.splits)
    assert result.median_vs_peaks == pytest.approx(1.0)  # both find the two points: a tie
    with pytest.raises(ValueError, match="positive"):
        rolling_validation(crimes(rows), STUDY, origins=0)
