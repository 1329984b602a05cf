"""New investment by source (principles 2 and 4): money secured from council sources and from external ones.

An award counts in the period in which it was awarded (`Funding.awarded_on`, a date: the period's first day counts,
its end — exclusive — does not). Council sources are NCIL, the capital programme and council budgets (principle 2:
"new investment secured from council sources"); external ones are Section 106 and private/business contributions
(principle 4). Every source is listed, with nothing where nothing was awarded, so charts and tables always show
the same five lines in the same order. Amounts stay `Decimal` (pounds and pence, exactly).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, func, select

from cctv.outcomes.periods import Period
from inventory.models import Funding, FundingCamera
from inventory.types import FundingSource

# Council sources first, then external ones: the order of every table and chart.
COUNCIL_SOURCES = (FundingSource.NCIL, FundingSource.CAPITAL, FundingSource.COUNCIL_BUDGET)
EXTERNAL_SOURCES = (FundingSource.S106, FundingSource.EXTERNAL_PRIVATE)
SOURCE_ORDER = COUNCIL_SOURCES + EXTERNAL_SOURCES


@dataclass(frozen=True)
class SourceLine:
    """What one source gave in the period."""

    source: FundingSource
    label: str
    external: bool
    awards: int
    amount: Decimal

    @property
    def group(self) -> str:
        """'External' or 'Council', as the tables head the two groups."""
        return "External" if self.external else "Council"


@dataclass(frozen=True)
class AwardLine:
    """One award made in the period."""

    funding_id: int
    reference: str
    source: FundingSource
    source_label: str
    external: bool
    amount: Decimal
    awarded_on: date
    description: str
    cameras: int  # cameras the award is recorded as paying for


@dataclass(frozen=True)
class TotalLine:
    """A totals row under the sources: council, external, or all (`key` names it: "council", "external", "total")."""

    key: str
    group: str
    label: str
    awards: int
    amount: Decimal


@dataclass(frozen=True)
class InvestmentMeasures:
    """New investment in [start, end): per source (all five, in SOURCE_ORDER), the awards, and the two totals."""

    start: date
    end: date
    sources: tuple[SourceLine, ...]
    awards: tuple[AwardLine, ...]
    council_total: Decimal
    external_total: Decimal

    @property
    def total(self) -> Decimal:
        return self.council_total + self.external_total

    @property
    def totals(self) -> tuple[TotalLine, ...]:
        """The council, external and overall totals (awards and amount), as every table ends: dashboard, CSV, PDF."""
        council = sum(line.awards for line in self.sources if not line.external)
        external = sum(line.awards for line in self.sources if line.external)
        return (TotalLine("council", "Council", "Council total", council, self.council_total),
                TotalLine("external", "External", "External total", external, self.external_total),
                TotalLine("total", "All", "Total", council + external, self.total))

    def amount(self, source: FundingSource) -> Decimal:
        """The amount one source gave."""
        return next(line.amount for line in self.sources if line.source == source)


def investment(session: Session, period: Period) -> InvestmentMeasures:
    """New investment awarded in the period, by source and grouped council against external."""
    awards = session.exec(
        select(Funding)
        .where(col(Funding.awarded_on) >= period.start, col(Funding.awarded_on) < period.end,
               col(Funding.withdrawn_on).is_(None))  # a withdrawn award was never secured
        .order_by(col(Funding.awarded_on), col(Funding.reference))
    ).all()
    ids = [a.id for a in awards]
    counts: dict[int, int] = dict(
        session.exec(
            select(FundingCamera.funding_id, func.count())
            .where(col(FundingCamera.funding_id).in_(ids)).group_by(col(FundingCamera.funding_id))
        ).all()
    ) if ids else {}
    amounts: dict[FundingSource, Decimal] = defaultdict(lambda: Decimal("0.00"))
    numbers: dict[FundingSource, int] = defaultdict(int)
    lines = []
    for award in awards:
        assert award.id is not None
        source = FundingSource(award.source)
        # Rounded to pence: SQLite keeps NUMERIC as a float, and a sum of floats is not a sum of pounds and pence.
        amount = Decimal(award.amount).quantize(Decimal("0.01"))
        amounts[source] += amount
        numbers[source] += 1
        lines.append(AwardLine(award.id, award.reference, source, source.label, source.is_external, amount,
                               award.awarded_on, award.description, counts.get(award.id, 0)))
    sources = tuple(SourceLine(s, s.label, s.is_external, numbers[s], amounts[s]) for s in SOURCE_ORDER)
    council = sum((line.amount for line in sources if not line.external), Decimal("0.00"))
    external = sum((line.amount for line in sources if line.external), Decimal("0.00"))
    return InvestmentMeasures(period.start, period.end, sources, tuple(lines), council, external)


__all__ = [
    "COUNCIL_SOURCES", "EXTERNAL_SOURCES", "SOURCE_ORDER", "AwardLine", "InvestmentMeasures", "SourceLine",
    "investment",
]
