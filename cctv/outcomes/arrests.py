"""Arrests by offence and outcome for a period: what the control room's arrests were for (Home Office offence
groups) and what came of them (charged, cautioned, released under investigation, no further action, ...).

An arrest counts in the period when its incident occurred in it and is inside the filters: the incidents are the
ones `clauses.incident_clauses` selects, so these totals equal the incident measures' arrests (every incident's
count equals its arrest records: `cctv.controlroom.arrests`). One GROUP BY (offence group, outcome).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col, func

from cctv.controlroom.models import Arrest, Incident
from cctv.controlroom.types import ARREST_OUTCOME_LABELS, OFFENCE_GROUP_LABELS, ArrestOutcome, OffenceGroup
from cctv.outcomes.clauses import incident_clauses
from cctv.outcomes.periods import Filters, Period


@dataclass(frozen=True)
class OffenceRow:
    """One offence group: its arrests by outcome (in `ArrestOutcome` order) and in all."""

    group: OffenceGroup
    label: str
    by_outcome: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class ArrestMeasures:
    """The period's arrests by offence group (groups with none left out, most arrests first) and by outcome."""

    rows: tuple[OffenceRow, ...]
    outcomes: tuple[ArrestOutcome, ...]
    outcome_labels: tuple[str, ...]
    outcome_totals: tuple[int, ...]
    total: int

    def outcome_count(self, outcome: ArrestOutcome) -> int:
        """The period's arrests with this outcome."""
        return self.outcome_totals[self.outcomes.index(outcome)]


def arrest_measures(session: Session, period: Period, filters: Filters | None = None) -> ArrestMeasures:
    """Arrests at the incidents the measures count (occurred in the period, inside the filters)."""
    filters = filters or Filters()
    stmt = (select(Arrest.offence_group, Arrest.outcome, func.count())
            .join(Incident, col(Incident.id) == Arrest.incident_id)
            .where(*incident_clauses(period, filters))
            .group_by(Arrest.offence_group, Arrest.outcome))
    found = {(OffenceGroup(g), ArrestOutcome(o)): int(n) for g, o, n in session.execute(stmt)}
    outcomes = tuple(ArrestOutcome)
    rows = []
    for group in OffenceGroup:
        counts = tuple(found.get((group, outcome), 0) for outcome in outcomes)
        if sum(counts):
            rows.append(OffenceRow(group, OFFENCE_GROUP_LABELS[group], counts, sum(counts)))
    order = list(OffenceGroup)
    rows.sort(key=lambda r: (-r.total, order.index(r.group)))
    totals = tuple(sum(n for (_, o), n in found.items() if o == outcome) for outcome in outcomes)
    return ArrestMeasures(tuple(rows), outcomes, tuple(ARREST_OUTCOME_LABELS[o] for o in outcomes), totals,
                          sum(totals))
