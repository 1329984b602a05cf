"""One rule for the charts' axes and shading: the dashboard's SVG and the PDF's drawings of the same figures get the
same gridlines, and a heat-map cell the same strength of fill."""

import pytest
from reportlab.graphics.charts.barcharts import VerticalBarChart

from cctv.outcomes.chart_scale import DARK, axis, heat_shade, tick_text
from cctv.outcomes.incidents import BreakdownRow
from cctv.outcomes.report_charts import incidents_by_month
from cctv.web.outcomes.charts import column_chart


@pytest.mark.parametrize(("largest", "whole", "top", "step"), [
    (0, True, 1, 1), (3, True, 3, 1), (17, True, 20, 5), (1, True, 1, 1), (0.4, True, 1, 1), (0.4, False, 0.4, 0.1),
    (16_500.50, True, 20_000, 5_000), (100, True, 100, 20), (101, True, 150, 50),
])
def test_the_axis_is_a_round_top_in_at_most_five_round_steps(largest: float, whole: bool, top: float,
                                                              step: float) -> None:
    scale = axis(largest, whole=whole)
    assert (scale.top, scale.step) == pytest.approx((top, step))
    assert scale.top >= largest and len(scale.ticks) <= 6 and scale.ticks[0] == 0
    assert scale.ticks[-1] == pytest.approx(scale.top)


def test_a_ceiling_fixes_the_top_in_quarters() -> None:
    assert axis(37.5, ceiling=100.0).ticks == (0, 25, 50, 75, 100)


def test_tick_text() -> None:
    assert [tick_text(v) for v in (0, 1500, 2.5)] == ["0", "1,500", "2.5"]


def test_heat_shade_grows_from_the_lightest_to_one_and_is_none_for_no_incident() -> None:
    assert heat_shade(0, 9) == 0 and heat_shade(3, 0) == 0
    assert heat_shade(9, 9) == 1
    assert 0.15 <= heat_shade(1, 1000) < heat_shade(2, 1000) < heat_shade(500, 1000) < DARK < heat_shade(600, 1000)


def _pdf_ticks(rows: list[BreakdownRow]) -> list[str]:
    drawing = incidents_by_month(rows)
    chart = next(c for c in drawing.contents if isinstance(c, VerticalBarChart))
    chart.draw()  # ReportLab works out the ticks when it draws
    return [chart.valueAxis.labelTextFormat(v) for v in chart.valueAxis._tickValues]


@pytest.mark.parametrize("counts", [[17, 4, 9], [3, 1, 0], [0, 0, 0], [1], [2_340, 980, 1_204]])
def test_the_dashboard_and_the_pdf_draw_the_same_axis_for_the_same_figures(counts: list[int]) -> None:
    rows = [BreakdownRow(f"2025-{i:02d}", f"Month {i}", n, n // 2) for i, n in enumerate(counts, start=1)]
    svg = column_chart("chart", "Incidents by month", [(str(r.key), r.label, r.incidents, str(r.incidents))
                                                       for r in rows])
    svg_ticks = [t.text for t in sorted(svg.ticks, key=lambda t: -t.position)]  # bottom (0) first
    assert svg_ticks == _pdf_ticks(rows)
    assert svg_ticks[-1] == tick_text(axis(max(counts)).top)
