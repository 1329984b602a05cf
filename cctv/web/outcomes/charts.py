"""Chart geometry for the Advisory Group dashboard: bars and a heat grid laid out here, drawn as inline SVG by
cctv/web/outcomes/templates/outcomes/dashboard/_charts.html. No JavaScript, no library, nothing fetched: the
server sends the picture.

The value axes and the heat map's shading come from `cctv.outcomes.chart_scale`, as the PDF's charts do, so the
same figures get the same gridlines on the screen and on paper. Each mark carries its label and its figure as
text (already written by `cctv.outcomes.formats`, so the chart, the table under it, the CSV and the PDF say the
same), which the template puts in an aria-label and a <title> tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cctv.outcomes import chart_scale
from cctv.outcomes.hours_review import HoursGrid

WIDTH = 640  # the viewBox width of every chart; the SVG scales to its container


@dataclass(frozen=True)
class Bar:
    """One bar: where it is drawn, and what it says (`key` identifies it, e.g. "2025-07" or a category code)."""

    key: str
    label: str
    value: float
    text: str  # the figure as written beside the bar
    x: float
    y: float
    width: float
    height: float
    noun: tuple[str, str] | None = None  # what is counted, singular and plural ("incident", "incidents")

    @property
    def aria(self) -> str:
        """"Jul 2025: 3 incidents" — the accessible name of the bar (and its tooltip)."""
        if self.noun is None:
            return f"{self.label}: {self.text}"
        return f"{self.label}: {self.text} {self.noun[0] if self.value == 1 else self.noun[1]}"


@dataclass(frozen=True)
class Tick:
    """A gridline of the value axis: where, and its value written."""

    position: float
    text: str


@dataclass(frozen=True)
class BarChart:
    """Bars laid out in a WIDTH × height box: `columns` stand up from the bottom, otherwise bars run left to right."""

    id: str
    title: str
    columns: bool
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    height: float
    plot: tuple[float, float, float, float]  # left, top, right, bottom of the plotting area

    @property
    def empty(self) -> bool:
        """No bar has a figure above zero."""
        return not any(bar.value for bar in self.bars)


def column_chart(chart_id: str, title: str, rows: Sequence[tuple[str, str, float, str]], *, height: float = 240,
                 ceiling: float | None = None, whole: bool = True,
                 tick_text: Callable[[float], str] = chart_scale.tick_text,
                 noun: tuple[str, str] | None = None) -> BarChart:
    """Upright bars, one per (key, label, value, text), left to right (months along the bottom)."""
    left, top, right, bottom = 48.0, 22.0, WIDTH - 8.0, height - 36.0
    scale = chart_scale.axis(max((r[2] for r in rows), default=0), whole=whole, ceiling=ceiling)
    top_value = scale.top
    step = (right - left) / max(len(rows), 1)
    bars = []
    for i, (key, label, value, text) in enumerate(rows):
        h = (bottom - top) * value / top_value
        bars.append(Bar(key, label, value, text, left + i * step + step * 0.15, bottom - h, step * 0.7, h, noun))
    ticks = tuple(Tick(bottom - (bottom - top) * v / top_value, tick_text(v)) for v in scale.ticks)
    return BarChart(chart_id, title, True, tuple(bars), ticks, height, (left, top, right, bottom))


def bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, str, float, str]], *, row_height: float = 26,
              ceiling: float | None = None, whole: bool = True,
              tick_text: Callable[[float], str] = chart_scale.tick_text,
              noun: tuple[str, str] | None = None) -> BarChart:
    """Bars running right from their labels, one per (key, label, value, text), top to bottom."""
    left, top, right = 190.0, 22.0, WIDTH - 90.0
    bottom = top + row_height * max(len(rows), 1)
    scale = chart_scale.axis(max((r[2] for r in rows), default=0), whole=whole, ceiling=ceiling)
    top_value = scale.top
    bars = []
    for i, (key, label, value, text) in enumerate(rows):
        w = (right - left) * value / top_value
        bars.append(Bar(key, label, value, text, left, top + i * row_height + row_height * 0.15, w, row_height * 0.7,
                        noun))
    ticks = tuple(Tick(left + (right - left) * v / top_value, tick_text(v)) for v in scale.ticks)
    return BarChart(chart_id, title, False, tuple(bars), ticks, bottom + 24, (left, top, right, bottom))


@dataclass(frozen=True)
class Cell:
    """One hour of the week in the heat grid."""

    x: float
    y: float
    weekday: int
    hour: int
    incidents: int
    monitored: bool
    shade: float  # the fill's strength, 0 (none) to 1 (the busiest hour): `chart_scale.heat_shade`
    label: str  # "Saturday 03:00–04:00: 2 incidents, monitored"


@dataclass(frozen=True)
class HeatGrid:
    """Seven rows (Monday first) of 24 hours, and the outline of the monitored hours as one SVG path."""

    id: str
    title: str
    cells: tuple[Cell, ...]
    outline: str
    size: float
    left: float
    top: float
    height: float
    busiest: int

    @property
    def hour_marks(self) -> list[tuple[float, str]]:
        """The x positions and labels of every third hour along the top."""
        return [(self.left + h * self.size + self.size / 2, f"{h:02d}") for h in range(0, 24, 3)]

    @property
    def day_marks(self) -> list[tuple[float, str]]:
        """The y positions and short names of the weekdays down the side."""
        days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        return [(self.top + d * self.size + self.size * 0.68, name) for d, name in enumerate(days)]


def heat_grid(chart_id: str, title: str, grid: HoursGrid, *, size: float = 22.0) -> HeatGrid:
    """The hours review's 168 cells, shaded by incidents, with the monitored hours outlined."""
    left, top = 44.0, 22.0
    busiest = max((c.incidents for c in grid.cells), default=0)
    cells = []
    for c in grid.cells:
        noun = "incident" if c.incidents == 1 else "incidents"
        state = "monitored" if c.monitored else "not monitored"
        cells.append(Cell(left + c.hour * size, top + c.weekday * size, c.weekday, c.hour, c.incidents, c.monitored,
                          chart_scale.heat_shade(c.incidents, busiest), f"{c.label}: {c.incidents:,} {noun}, {state}"))
    return HeatGrid(chart_id, title, tuple(cells), _outline(grid, left, top, size), size, left, top,
                    top + 7 * size + 30, busiest)


def _outline(grid: HoursGrid, left: float, top: float, size: float) -> str:
    """Path segments along every edge between a monitored cell and one that is not (or the grid's border)."""
    def monitored(day: int, hour: int) -> bool:
        return 0 <= day < 7 and 0 <= hour < 24 and grid.cell(day, hour).monitored

    parts = []
    for c in grid.cells:
        if not c.monitored:
            continue
        x, y = left + c.hour * size, top + c.weekday * size
        if not monitored(c.weekday - 1, c.hour):
            parts.append(f"M{x:g} {y:g}h{size:g}")
        if not monitored(c.weekday + 1, c.hour):
            parts.append(f"M{x:g} {y + size:g}h{size:g}")
        if not monitored(c.weekday, c.hour - 1):
            parts.append(f"M{x:g} {y:g}v{size:g}")
        if not monitored(c.weekday, c.hour + 1):
            parts.append(f"M{x + size:g} {y:g}v{size:g}")
    return "".join(parts)
