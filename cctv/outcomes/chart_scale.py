"""How the Advisory Group's charts are scaled, decided once for the dashboard's SVG and the PDF's drawings.

`axis(largest)` gives the value axis: a round top and the step between its gridlines, so the same figures get the
same axis on the screen and on paper. `heat_shade(incidents, busiest)` gives how strongly a cell of the hours heat
map is filled. No Flask and no drawing library: each renderer (`cctv.web.outcomes.charts`,
`cctv.outcomes.report_charts`) turns these numbers into its own marks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

STEPS = 5  # at most this many gridline steps above zero
LIGHTEST = 0.15  # the shade of a cell with one incident when the busiest has very many: still visibly not empty
DARK = LIGHTEST + (1 - LIGHTEST) * 0.55  # from this shade on, a count written in the cell is white, not ink


@dataclass(frozen=True)
class Axis:
    """A value axis from 0 to `top` with gridlines every `step`."""

    top: float
    step: float

    @property
    def ticks(self) -> tuple[float, ...]:
        """The gridline values, 0 first and `top` last."""
        return tuple(self.step * i for i in range(round(self.top / self.step) + 1))


def axis(largest: float, *, whole: bool = True, ceiling: float | None = None) -> Axis:
    """The axis for figures up to `largest`: at most `STEPS` steps of 1, 2 or 5 × 10ⁿ, so gridlines fall on numbers
    people read at a glance, never steps below 1 for counts (`whole`). A `ceiling` (100 for percentages) fixes the
    top instead, in quarters.

    3 incidents → 0 to 3 by 1; 17 → 0 to 20 by 5; £16,500.50 → 0 to 20,000 by 5,000; nothing → 0 to 1 by 1.
    """
    if ceiling is not None:
        return Axis(ceiling, ceiling / 4)
    if largest <= 0:
        return Axis(1.0, 1.0)
    raw = largest / STEPS
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if whole:
        step = max(step, 1.0)
    return Axis(math.ceil(largest / step - 1e-9) * step, step)


def tick_text(value: float) -> str:
    """A gridline's figure: "1,500" for whole values, "2.5" otherwise."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def heat_shade(incidents: int, busiest: int) -> float:
    """How strongly a heat-map cell is filled, 0 (no incident) to 1 (the busiest hour), growing with the count
    from `LIGHTEST`, so a cell with any incident never looks empty."""
    if incidents <= 0 or busiest <= 0:
        return 0.0
    return LIGHTEST + (1 - LIGHTEST) * incidents / busiest


__all__ = ["DARK", "Axis", "axis", "heat_shade", "tick_text"]
