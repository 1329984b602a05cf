"""Finding incidents again: by reference, police reference, camera, category, place, words and date range, through
the database's own full-text index (cctv/controlroom/fts.py) rather than a scan of every narrative.

Words are matched whole ("robbery" finds "Robbery."; "rob" does not), every word needed, in any of the indexed
fields. A field of its own (police reference, place) first narrows by the index on its words, then keeps the
incidents whose field holds the text as typed, ignoring case: the index makes it fast, the second test exact.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, literal_column, text
from sqlmodel import Session, col, select

from cctv.controlroom import fts
from cctv.controlroom.models import Incident, IncidentCamera
from cctv.controlroom.references import parse_reference
from inventory.types import london_midnight

RESULTS_MAX = 200  # a page of results; a search that finds more says so and asks for more words


@dataclass(frozen=True)
class IncidentQuery:
    """What an incident search asks for; empty fields ask for nothing. Dates are London days, both included."""

    words: str = ""
    reference: str = ""
    police_reference: str = ""
    place: str = ""
    camera_ids: tuple[int, ...] = field(default_factory=tuple)
    category: str = ""
    start: date | None = None
    end: date | None = None

    def is_empty(self) -> bool:
        """Whether nothing at all is asked (the page then shows only the form)."""
        return not any((self.words.strip(), self.reference.strip(), self.police_reference.strip(), self.place.strip(),
                        self.camera_ids, self.category, self.start, self.end))


def matches_words(session: Session, terms: list[str]) -> ColumnElement[bool]:
    """The incidents whose indexed text holds every word, on this session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return literal_column(f"incident.{fts.PG_COLUMN}").op("@@")(
            text("to_tsquery('simple'::regconfig, :fts_query)").bindparams(fts_query=fts.pg_query(terms)))
    matching = text(f"SELECT rowid FROM {fts.FTS_TABLE} WHERE {fts.FTS_TABLE} MATCH :fts_query").bindparams(
        fts_query=fts.sqlite_query(terms)).columns(literal_column("rowid"))
    return col(Incident.id).in_(matching)


def _like(typed: str) -> str:
    """A LIKE pattern holding the text anywhere, its own % and _ taken literally."""
    escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def conditions(session: Session, query: IncidentQuery) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a search (an empty list finds everything)."""
    clauses: list[ColumnElement[bool]] = []
    terms = fts.words(query.words)
    for column, typed in ((Incident.police_reference, query.police_reference), (Incident.location_text, query.place)):
        if typed.strip():
            terms += fts.words(typed)
            clauses.append(col(column).ilike(_like(typed.strip()), escape="\\"))
    reference = query.reference.strip()
    if reference:
        parsed = parse_reference(reference)
        if parsed is not None:  # a whole reference: the unique index finds it
            code, year, number = parsed
            clauses.append(col(Incident.reference) == f"{code}-{year}-{number:06d}")
        else:
            terms += fts.words(reference)
            clauses.append(col(Incident.reference).ilike(_like(reference.upper()), escape="\\"))
    if terms:
        clauses.insert(0, matches_words(session, terms[:fts.MAX_WORDS]))
    if query.words.strip() and not fts.words(query.words):
        clauses.append(col(Incident.id).is_(None))  # only punctuation typed as words: no word can match it
    if query.camera_ids:
        used = select(IncidentCamera.incident_id).where(col(IncidentCamera.camera_id).in_(sorted(query.camera_ids)))
        clauses.append(col(Incident.id).in_(used))
    if query.category:
        clauses.append(col(Incident.category) == query.category)
    if query.start is not None:
        clauses.append(col(Incident.occurred_at) >= london_midnight(query.start))
    if query.end is not None:
        clauses.append(col(Incident.occurred_at) < london_midnight(query.end + timedelta(days=1)))
    return clauses


def search(session: Session, query: IncidentQuery, *, limit: int = RESULTS_MAX) -> list[Incident]:
    """The incidents matching every part of the query, newest first, at most `limit`."""
    stmt = (select(Incident).where(*conditions(session, query))
            .order_by(col(Incident.occurred_at).desc(), col(Incident.id).desc()).limit(limit))
    return list(session.exec(stmt))
