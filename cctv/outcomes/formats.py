"""How the Advisory Group's figures are written: one set of helpers for the dashboard, the CSVs and the PDF.

Every number a reader sees goes through these, so the same figure reads the same everywhere: counts with thousands
separators ("1,234"), money in pounds and pence ("£1,250.50"), shares as percentages to one decimal place ("60.0%"),
rates per monitored hour to four decimal places, changes signed ("+4 (+200.0%)"), instants in Europe/London time.
CSV cells use the same rounding without the decoration (`plain_*`), so a spreadsheet shows the dashboard's numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from inventory.types import london_time

DASH = "–"


class ChangeLike(Protocol):
    """What `change` reads of `effectiveness.Change`."""

    change: int
    percent: float | None
    previous: int


def count(n: int) -> str:
    """1234 → "1,234"."""
    return f"{n:,}"


def money(amount: Decimal) -> str:
    """Pounds and pence: Decimal("1250.5") → "£1,250.50"."""
    return f"£{amount.quantize(Decimal('0.01')):,}"


def plain_money(amount: Decimal) -> str:
    """For CSV: "1250.50"."""
    return str(amount.quantize(Decimal("0.01")))


def percent_value(share: float | None) -> float | None:
    """A share 0..1 as a percentage to one decimal place (the number every output prints)."""
    return None if share is None else round(share * 100, 1)


def percent(share: float | None) -> str:
    """0.6 → "60.0%"; None → "–"."""
    value = percent_value(share)
    return DASH if value is None else f"{value:.1f}%"


def plain_percent(share: float | None) -> str:
    """For CSV: 0.6 → "60.0"; None → ""."""
    value = percent_value(share)
    return "" if value is None else f"{value:.1f}"


def rate(value: float | None) -> str:
    """A figure per monitored hour (already rounded to 4 places by the measure): "0.0123"; None → "–"."""
    return DASH if value is None else f"{value:.4f}"


def plain_rate(value: float | None) -> str:
    """For CSV: "0.0123"; None → ""."""
    return "" if value is None else f"{value:.4f}"


def hours(value: float | None) -> str:
    """Hours to one decimal place: "1,104.0"; None → "–"."""
    return DASH if value is None else f"{value:,.1f}"


def plain_hours(value: float | None) -> str:
    """For CSV: "1104.0"; None → ""."""
    return "" if value is None else f"{value:.1f}"


def change(c: ChangeLike) -> str:
    """A change against the previous period: "+4 (+200.0%)", "-2 (-50.0%)", "+3 (none before)", "no change".

    The minus is ASCII: the PDF's standard fonts have no U+2212.
    """
    if c.change == 0:
        return "no change"
    sign = "+" if c.change > 0 else "-"
    amount = f"{sign}{abs(c.change):,}"
    if c.percent is None:
        return f"{amount} (none before)"
    return f"{amount} ({sign}{abs(c.percent):.1f}%)"


def plain_percent_change(c: ChangeLike) -> str:
    """For CSV: the percentage change as the measure gives it ("200.0", "-50.0"), "" from zero."""
    return "" if c.percent is None else f"{c.percent:.1f}"


def day(value: date | None) -> str:
    """date(2025, 9, 30) → "30 Sep 2025"; None → "–"."""
    return DASH if value is None else f"{value.day} {value:%b %Y}"


def london(moment: datetime | None) -> str:
    """An instant in Europe/London wall-clock time: "1 Jul 2025 00:30"; None → "–"."""
    if moment is None:
        return DASH
    local = london_time(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


def plain_london(moment: datetime | None) -> str:
    """For CSV: "2025-07-01 00:30" in Europe/London time; None → ""."""
    if moment is None:
        return ""
    return london_time(moment).strftime("%Y-%m-%d %H:%M")


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """"1 camera", "3 cameras" (counts with separators)."""
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"
