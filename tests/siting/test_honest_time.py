"""Honest time (DESIGN §4, issue 14): yearly figures are monthly rates over the months held, a year with too few
months is n/a (never 0), and a trend or persistence exists only where enough years hold data."""

from datetime import date

import pytest

from siting.model.inputs import CrimeSet, Site
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from tests.siting.helpers import SITE_E, SITE_N, VIOLENCE, crimes_at

SITE = Site.at("S", SITE_E, SITE_N, name="High Street")


def _at_site(per_month: dict[str, int]) -> CrimeSet:
    """`n` violent crimes at the site in each given month (and nothing in any other month)."""
    months = [m for m, n in per_month.items() for _ in range(n)]
    return crimes_at([(SITE_E, SITE_N)] * len(months), month=months, category=VIOLENCE)


def test_four_months_then_eleven_with_a_falling_rate_is_falling_not_rising() -> None:
    # 2024 holds Sep–Dec at 20 a month (80 crimes); 2025 holds Jan–Nov at 17 a month (187 crimes).
    # The totals rise 80 → 187, but the monthly rate falls 15%: 20 → 17.
    crimes = _at_site({f"2024-{m:02}": 20 for m in range(9, 13)} | {f"2025-{m:02}": 17 for m in range(1, 12)})
    run = score_sites(crimes, [SITE], params=ModelParams(end_month="2025-12", window_months=24))
    r = run.result("S")
    assert r.harm_by_year == (80, 187) and r.months_held_by_year == (4, 11)
    assert r.rate_by_year == (20, 17)
    assert r.trend == "falling" and r.trend_slope == -3
    assert r.trend_text() == "falling: 20.0 → 17.0 a month, 2024 vs 2025"
    assert r.years_text() == "2024: 20.0 a month (4 of 12 months held); 2025: 17.0 a month (11 of 12 months held)"
    assert r.deployable_cameras == 1  # no extra deployable: harm is not rising
    assert "falling: 20.0 → 17.0 a month, 2024 vs 2025" in r.explanation


def test_twelve_months_in_a_36_month_window_have_no_trend_no_persistence_and_no_extra_deployable() -> None:
    crimes = _at_site({f"2025-{m:02}": 1 + (m % 3) for m in range(1, 13)})  # 24 crimes in 2025, nothing before
    run = score_sites(crimes, [SITE], params=ModelParams(window_months=36))
    r = run.result("S")
    assert r.months_held_by_year == (0, 0, 12) and r.rate_by_year == (None, None, 2.0)
    assert r.years_text() == ("2023: n/a (0 of 12 months held); 2024: n/a (0 of 12 months held); "
                              "2025: 2.0 a month")
    assert (r.trend, r.trend_text()) == ("no trend", "no trend (one year of data)")
    assert r.persistent is None and r.persistent_text() == "n/a"
    assert r.top_decile_years == (None, None, True)
    assert (r.fixed_cameras, r.deployable_cameras) == (1, 1)
    assert "persistence n/a (needs two years with at least 4 months of data)" in r.explanation
    assert "rising" not in r.explanation and " 0 a month" not in r.explanation
    assert any("Only 1 of the window's years holds at least 4 months" in note for note in run.notes())


def test_the_window_defaults_to_the_months_held_and_says_so() -> None:
    crimes = _at_site({f"2025-{m:02}": 1 for m in range(1, 13)})
    run = score_sites(crimes, [SITE])
    assert (run.window_first, run.window_last, run.params.window_months) == (date(2025, 1, 1), date(2025, 12, 1), 12)
    assert run.window_from_data
    assert "The window is the 12 months to Dec 2025 that the data reaches" in run.notes()[0]
    # 15 months held (Oct 2024 to Dec 2025) round up to a 24-month window; more than 36 stop at 36.
    longer = _at_site({"2024-10": 1, "2025-12": 1})
    assert score_sites(longer, [SITE]).params.window_months == 24
    assert score_sites(_at_site({"2020-01": 1, "2025-12": 1}), [SITE]).params.window_months == 36


def test_a_year_with_three_months_is_na_never_zero() -> None:
    crimes = _at_site({"2024-10": 2, "2024-11": 2, "2024-12": 2} | {f"2025-{m:02}": 1 for m in range(1, 13)})
    r = score_sites(crimes, [SITE], params=ModelParams(window_months=24)).result("S")
    assert r.rate_by_year == (None, 1.0) and r.years_text().startswith("2024: n/a (3 of 12 months held)")
    assert r.trend == "no trend" and r.persistent is None


@pytest.mark.parametrize("needed", [1, 2])
def test_persistence_needs_two_years_with_data_whatever_years_needed_says(needed: int) -> None:
    crimes = _at_site({f"2025-{m:02}": 1 for m in range(1, 13)})
    r = score_sites(crimes, [SITE], params=ModelParams(window_months=12, years_needed=needed)).result("S")
    assert r.persistent is None
