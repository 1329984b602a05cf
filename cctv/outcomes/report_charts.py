"""Charts for the Advisory Group's PDF, drawn with reportlab.graphics (vector, with real text for every label).

Each function takes the pack's own figures and returns a `Drawing` to place in the story: incidents by month,
incidents by category, incidents by hour of the week against the monitored hours (a heat map), and new investment
by source. Values are printed beside the bars, so the figure reads without the table; the tables follow anyway.
Axes and shading are `cctv.outcomes.chart_scale`'s, the same as the dashboard's charts; type is `common.pdf_style`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from cctv.controlroom.hours import WEEKDAYS
from cctv.outcomes.chart_scale import DARK, axis, heat_shade, tick_text
from cctv.outcomes.formats import count, money
from cctv.outcomes.hours_review import HoursGrid
from cctv.outcomes.incidents import BreakdownRow
from cctv.outcomes.investment import InvestmentMeasures
from common.pdf_style import FONT, FONT_BOLD, INK

BAR = colors.HexColor("#2f6f8f")
ARREST = colors.HexColor("#c2772b")
EXTERNAL = colors.HexColor("#5b8c3a")


def _title(drawing: Drawing, text: str, width: float, height: float) -> None:
    drawing.add(String(0, height - 10, text, fontName=FONT_BOLD, fontSize=9, fillColor=INK))


def incidents_by_month(rows: Sequence[BreakdownRow], width: float = 170 * mm, height: float = 62 * mm) -> Drawing:
    """Incidents (and arrests beside them) per month of the period."""
    drawing = Drawing(width, height)
    _title(drawing, "Incidents and arrests by month", width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 32, 22, width - 44, height - 44
    chart.data = [[r.incidents for r in rows] or [0], [r.arrests for r in rows] or [0]]
    chart.categoryAxis.categoryNames = [r.label for r in rows] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5 if len(rows) > 6 else 7.5
    chart.categoryAxis.labels.angle = 30 if len(rows) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(rows) > 6 else "n"
    scale = axis(max(chart.data[0] + chart.data[1]))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, scale.top, scale.step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = tick_text
    chart.bars[0].fillColor, chart.bars[1].fillColor = BAR, ARREST
    chart.bars.strokeColor = None
    chart.barLabelFormat = lambda v: count(int(v))
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 5
    chart.groupSpacing = 6
    drawing.add(chart)
    _legend(drawing, [("Incidents", BAR), ("Arrests", ARREST)], width - 120, height - 10)
    return drawing


def _legend(drawing: Drawing, items: Sequence[tuple[str, colors.Color]], x: float, y: float) -> None:
    for label, colour in items:
        drawing.add(Rect(x, y - 1, 7, 7, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 10, y, label, fontName=FONT, fontSize=7.5, fillColor=INK))
        x += 12 + 4.5 * len(label) + 8


def _horizontal(values: Sequence[float], names: Sequence[str], labels: Sequence[str], fills: Sequence[colors.Color],
                title: str, width: float, label_width: float) -> Drawing:
    rows = max(len(values), 1)
    bar_height = 11
    height = rows * bar_height + 30
    drawing = Drawing(width, height)
    _title(drawing, title, width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 8
    chart.width, chart.height = width - label_width - 60, rows * bar_height
    # Top to bottom in the order given: the chart draws the first category at the bottom.
    chart.data = [list(reversed(values)) or [0]]
    chart.categoryAxis.categoryNames = list(reversed(names)) or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, axis(max(values, default=0)).top
    chart.valueAxis.visible = False  # each bar is labelled with its figure instead
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = BAR
    for i, fill in enumerate(reversed(fills)):
        chart.bars[(0, i)].fillColor = fill
    chart.barWidth = 8
    drawing.add(chart)
    step = chart.height / rows
    top = chart.valueAxis.valueMax or 1
    for i, (value, label) in enumerate(zip(reversed(values), reversed(labels), strict=True)):
        x = chart.x + chart.width * float(value) / float(top) + 3
        drawing.add(String(x, chart.y + step * i + step / 2 - 2.5, label, fontName=FONT, fontSize=7,
                           fillColor=INK))
    return drawing


def incidents_by_category(rows: Sequence[BreakdownRow], width: float = 170 * mm) -> Drawing:
    """Incidents per category, most first, each bar labelled with its count."""
    return _horizontal([r.incidents for r in rows], [r.label for r in rows], [count(r.incidents) for r in rows],
                       [BAR] * len(rows), "Incidents by category", width, 46 * mm)


def investment_by_source(measures: InvestmentMeasures, width: float = 170 * mm) -> Drawing:
    """New investment per source, council sources in blue and external ones in green, labelled in pounds."""
    lines = measures.sources
    amounts = [float(line.amount) for line in lines]
    return _horizontal(amounts, [f"{line.label} ({line.group.lower()})" for line in lines],
                       [money(Decimal(line.amount)) for line in lines],
                       [EXTERNAL if line.external else BAR for line in lines], "New investment by source", width,
                       46 * mm)


def _fill(shade: float) -> colors.Color:
    """The bar colour laid over white paper at the strength `shade` (white for none), as the dashboard's SVG lays
    it with fill-opacity."""
    return colors.Color(*(1 - shade * (1 - c) for c in (BAR.red, BAR.green, BAR.blue)))


def hours_of_week(grid: HoursGrid, width: float = 174 * mm) -> Drawing:
    """A 7 × 24 heat map of incidents by London weekday and hour; monitored hours outlined, counts in the cells."""
    left, cell_h, top_pad, bottom = 52, 15, 18, 26
    cell_w = (width - left - 4) / 24
    height = top_pad + 7 * cell_h + bottom
    drawing = Drawing(width, height)
    _title(drawing, "Incidents by hour of the week (London time)", width, height)
    peak = max((c.incidents for c in grid.cells), default=0)
    for row, cells in enumerate(grid.rows()):
        y = height - top_pad - (row + 1) * cell_h
        drawing.add(String(left - 4, y + 4, WEEKDAYS[row], fontName=FONT, fontSize=7, textAnchor="end",
                           fillColor=INK))
        for cell in cells:
            x = left + cell.hour * cell_w
            shade = heat_shade(cell.incidents, peak)
            drawing.add(Rect(x, y, cell_w, cell_h, fillColor=_fill(shade), strokeColor=colors.HexColor("#d0d0d0"),
                             strokeWidth=0.3))
            if cell.incidents:
                dark = shade > DARK
                drawing.add(String(x + cell_w / 2, y + 4, count(cell.incidents), fontName=FONT,
                                   fontSize=5 if cell.incidents >= 1000 else 6, textAnchor="middle",
                                   fillColor=colors.white if dark else INK))
            if not cell.monitored:
                drawing.add(Line(x + 1, y + cell_h - 2, x + cell_w - 1, y + cell_h - 2,
                                 strokeColor=ARREST, strokeWidth=1.2))
    for hour in range(0, 24, 2):
        drawing.add(String(left + hour * cell_w + cell_w / 2, height - top_pad - 7 * cell_h - 9, f"{hour:02d}",
                           fontName=FONT, fontSize=6.5, textAnchor="middle", fillColor=INK))
    drawing.add(Line(left, 8, left + 12, 8, strokeColor=ARREST, strokeWidth=1.2))
    drawing.add(String(left + 16, 5.5, "hour not monitored by the control room (its current hours); "
                       "each cell counts the incidents that began in that hour", fontName=FONT, fontSize=6.5,
                       fillColor=INK))
    return drawing


__all__ = ["hours_of_week", "incidents_by_category", "incidents_by_month", "investment_by_source"]
