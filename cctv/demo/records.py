"""The records around the demo history's incidents, and the bulk insert it is all written with: footage requests
with their exported files (SHA-256), production, handover and later use, and each file's chain of custody; the
incidents' arrest records (offence group, outcome); the disclosure log; faults linked to the shift on duty.
Illustrative, labelled as such; called by `cctv.demo.incidents`.
"""

import bisect
import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, insert, select
from sqlmodel import Session

from cctv.controlroom import models as m
from cctv.controlroom.deadlines import sar_due
from cctv.controlroom.disclosure import due_date
from cctv.controlroom.types import (
    CATEGORY_OFFENCE_GROUP,
    ArrestOutcome,
    DisclosureKind,
    DisclosureStatus,
    FollowUp,
    LaterUse,
    MovementKind,
    OffenceGroup,
)
from cctv.controlroom.types import RedactionStatus as Redaction
from cctv.demo import incident_data as data
from inventory.models import Fault
from inventory.types import london_date, london_midnight


def bulk_insert(session: Session, table: Table, rows: Sequence[dict]) -> None:
    """Insert many rows, bound as Core would bind them but a column at a time, then handed to the driver in one go:
    executemany on SQLite, COPY on PostgreSQL (psycopg's executemany is several times slower)."""
    if not rows:
        return
    connection = session.connection()
    given = [column.name for column in table.columns if column.name in rows[0]]
    statement = insert(table).compile(dialect=connection.dialect, column_keys=given)
    # Core adds the columns with a scalar default the rows leave out (a column added since the rows were written):
    # they take that default, as an ORM insert would.
    names = list(statement.positiontup or ()) if connection.dialect.name != "postgresql" else \
        [column.name for column in table.columns if column.name in rows[0] or _scalar_default(column) is not None]
    columns = []
    for name in names:
        values = [row[name] for row in rows] if name in rows[0] else [_scalar_default(table.c[name])] * len(rows)
        process = table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        columns.append(list(map(process, values)) if process else values)
    tuples = list(zip(*columns, strict=True))
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(statement.string, tuples)  # qmark: the values go in positiontup's order
        return
    quote = connection.dialect.identifier_preparer.quote
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(f"COPY {quote(table.name)} ({', '.join(map(quote, names))}) FROM STDIN") as copy:
        for row in tuples:
            copy.write_row(row)


def _scalar_default(column: Any) -> Any:
    """A column's Python-side default when it is a plain value (None otherwise)."""
    default = column.default
    return default.arg if default is not None and getattr(default, "is_scalar", False) else None


def plan_evidence(rng: random.Random, chosen: list, rows: list[dict], end: datetime) -> list[dict]:
    """Footage requests for the chosen incidents (produced, handed over, later use), their incidents' follow-up
    "evidence pending" until the footage is with the police."""
    requests = []
    for index, occurred, used, arrested in chosen:
        row = rows[index]
        late = rng.random() < 0.03  # asked for after the footage's 31 days: the retention flag shows it
        requested = row["logged_at"] + timedelta(hours=rng.randint(2, 24 * (rng.randint(32, 40) if late else 10)))
        if requested >= end:
            continue
        produced = requested + timedelta(hours=rng.randint(4, 96))
        handed = produced + timedelta(hours=rng.randint(1, 72))
        produced, handed = (produced, handed) if handed < end else (produced, None) if produced < end else (None, None)
        use = (rng.choices(list(LaterUse), (10, 50, 25, 10, 5) if arrested else (35, 15, 5, 10, 35))[0]
               if handed else LaterUse.UNKNOWN)
        noted = handed + timedelta(days=rng.randint(20, 90)) if handed and use != LaterUse.UNKNOWN else None
        if noted is not None and noted >= end:
            use, noted = LaterUse.UNKNOWN, None
        if handed is None:
            row.update(follow_up=FollowUp.EVIDENCE_PENDING, closed_at=None, closed_by="", updated_at=row["logged_at"])
        officer = f"{rng.choice(('PC', 'PC', 'DC', 'PS'))} {rng.randint(1000, 9999)} {rng.choice(data.SURNAMES)}"
        requests.append({
            "requesting_officer": officer, "force": "Thames Valley Police", "police_reference": row["police_reference"],
            "incident_id": row["reference"], "window_start": occurred - timedelta(minutes=15),
            "window_end": occurred + timedelta(minutes=45), "notes": f"Illustrative demo request, {row['reference']}.",
            "requested_at": requested, "recorded_by": row["operator"], "produced_by": "supervisor" if produced else "",
            "produced_at": produced, "handed_over_to": officer if handed else "", "handed_over_at": handed,
            "released_by": "supervisor" if handed else "", "later_use": use, "later_use_noted_at": noted,
            "cameras": used,
        })
    return requests


def store_evidence(session: Session, rng: random.Random, requests: list[dict], ids: dict[str, int]) -> None:
    """Insert the planned requests (incident references turned into ids), their cameras and exported files."""
    cameras = {}
    for request in requests:
        cameras[request["incident_id"]] = request.pop("cameras")
        request["incident_id"] = ids[request["incident_id"]]
    bulk_insert(session, m.EvidenceRequest.__table__, requests)
    found = dict(session.connection().execute(select(m.EvidenceRequest.incident_id, m.EvidenceRequest.id)).all())
    reference_of = {v: k for k, v in ids.items()}
    media, links = [], []
    for request in requests:
        request["id"], reference = found[request["incident_id"]], reference_of[request["incident_id"]]
        for k, camera in enumerate(cameras[reference], start=1):
            links.append({"evidence_id": request["id"], "camera_id": camera[0]})
            if request["produced_at"] is not None:
                media.append({"evidence_id": request["id"], "media_id": f"{reference}-{k}",
                              "file_name": f"{reference}_{camera[1]}.mp4", "size_bytes": rng.randint(5, 900) << 20,
                              "sha256": f"{rng.getrandbits(256):064x}", "hash_computed": rng.random() < 0.7,
                              "added_at": request["produced_at"] - timedelta(minutes=10), "added_by": "supervisor"})
    bulk_insert(session, m.EvidenceCamera.__table__, links)
    bulk_insert(session, m.EvidenceMedia.__table__, media)
    _store_custody(session, requests)


def _store_custody(session: Session, requests: list[dict]) -> None:
    """Each exported file's chain: produced (the hash recorded with it) and, when released, handed over."""
    by_id = {r["id"]: r for r in requests}
    files = session.connection().execute(select(m.EvidenceMedia.id, m.EvidenceMedia.evidence_id,
                                                m.EvidenceMedia.sha256, m.EvidenceMedia.hash_computed)).all()
    moves = []
    for file_id, evidence_id, sha256, computed in files:
        r = by_id[evidence_id]
        common = {"evidence_id": evidence_id, "file_id": file_id, "sha256": sha256, "notes": ""}
        moves.append({**common, "kind": MovementKind.PRODUCED, "at": r["produced_at"], "moved_by": r["produced_by"],
                      "to_whom": "", "how": "exported from the recorder", "hash_computed": computed})
        if r["handed_over_at"] is not None:
            moves.append({**common, "kind": MovementKind.HANDED_OVER, "at": r["handed_over_at"],
                          "moved_by": r["released_by"], "to_whom": r["handed_over_to"], "how": "in person",
                          "hash_computed": False})
    bulk_insert(session, m.EvidenceMovement.__table__, moves)


# What became of an arrest, by how long ago it was made: recent ones are mostly not known yet.
_OUTCOMES = (ArrestOutcome.NOT_KNOWN, ArrestOutcome.CHARGED, ArrestOutcome.CAUTIONED,
             ArrestOutcome.COMMUNITY_RESOLUTION, ArrestOutcome.BAILED, ArrestOutcome.RELEASED_UNDER_INVESTIGATION,
             ArrestOutcome.NO_FURTHER_ACTION)
_OUTCOME_WEIGHTS = {True: (70, 8, 3, 2, 7, 8, 2), False: (5, 40, 12, 8, 3, 12, 20)}


def store_arrests(session: Session, rng: random.Random, rows: list[dict], ids: dict[str, int], end: datetime
                  ) -> None:
    """One arrest record per arrest counted on an incident: its category's offence group, an outcome as the police
    might have reported it by now."""
    arrests = []
    for row in rows:
        for _ in range(row["arrests"]):
            recent = end - row["logged_at"] < timedelta(days=28)
            outcome = rng.choices(_OUTCOMES, _OUTCOME_WEIGHTS[recent])[0]
            noted = None
            if outcome != ArrestOutcome.NOT_KNOWN:
                noted = min(row["logged_at"] + timedelta(days=rng.randint(1, 28)), end)
            arrests.append({"incident_id": ids[row["reference"]], "recorded_at": row["logged_at"],
                            "offence_group": CATEGORY_OFFENCE_GROUP.get(row["category"], OffenceGroup.OTHER),
                            "offence": "", "outcome": outcome, "outcome_noted_at": noted})
    bulk_insert(session, m.Arrest.__table__, arrests)


def add_disclosures(session: Session, rng: random.Random, requests: list[dict], start: date, today: date) -> int:
    """The disclosure log: a police entry for a third of the footage requests, one to three subject access requests
    and an FOI request a month; the old ones closed, the last week's open (some overdue, as happens)."""
    rows = []

    def add(kind: DisclosureKind, requester: str, received: date, summary: str, **extra: object) -> None:
        due = due_date(kind, received)
        closed = received + timedelta(days=rng.randint(2, max(2, (due - received).days)))
        status = (rng.choices(list(DisclosureStatus)[1:], (80, 12, 8))[0] if closed < today - timedelta(days=7)
                  else DisclosureStatus.OPEN)  # extra may say otherwise (a police request closes at handover)
        rows.append({"kind": kind, "requester": requester, "received_on": received, "due_on": due,
                     "summary": f"{summary} Illustrative demo entry.", "status": status,
                     "closed_on": closed if status != DisclosureStatus.OPEN else None, "handled_by": "supervisor",
                     "created_at": london_midnight(received) + timedelta(hours=10), "reference": "",
                     "evidence_id": None, "extended_to": None, "extension_reason": "", "id_checked": False,
                     "redaction": Redaction.NOT_NEEDED, **extra})

    for request in requests[::3]:
        handed = request["handed_over_at"]
        add(DisclosureKind.POLICE, f"{request['requesting_officer']}, Thames Valley Police",
            london_date(request["requested_at"]), "Footage for a police investigation.",
            reference=request["police_reference"], evidence_id=request["id"],
            status=DisclosureStatus.DISCLOSED if handed else DisclosureStatus.OPEN,
            closed_on=london_date(handed) if handed else None)
    for month in range((today - start).days // 30):
        received = start + timedelta(days=30 * month + rng.randint(0, 29))
        for _ in range(rng.choice((1, 2, 2, 3))):
            extended = rng.random() < 0.05
            add(DisclosureKind.SUBJECT_ACCESS, f"Member of the public ({rng.choice(data.SURNAMES)})", received,
                "Footage of the requester in the town centre.", id_checked=True,
                redaction=rng.choice((Redaction.DONE, Redaction.NOT_NEEDED)),
                extended_to=sar_due(received, 3) if extended else None,
                extension_reason="Many cameras and third parties to redact." if extended else "")
        add(DisclosureKind.FOI, "FOI requester", received + timedelta(days=rng.randint(0, 20)),
            "Number of CCTV incidents and arrests by town.")
    rows = [r for r in rows if r["received_on"] < today]
    bulk_insert(session, m.Disclosure.__table__, rows)
    return len(rows)


def link_shift_faults(session: Session, shifts: list[dict], room_id: int | None) -> None:
    """Link the estate's faults to the shift on duty when they were opened (shifts are in time order, as inserted)."""
    ids = session.connection().execute(
        select(m.Shift.id).where(m.Shift.control_room_id == room_id).order_by(m.Shift.started_at)).scalars().all()
    starts = [s["started_at"] for s in shifts]
    links = []
    for fault_id, opened in session.connection().execute(select(Fault.id, Fault.opened_at)).all():
        at = bisect.bisect_right(starts, opened) - 1
        if at >= 0 and opened < shifts[at]["ended_at"]:
            links.append({"shift_id": ids[at], "fault_id": fault_id})
    bulk_insert(session, m.ShiftFault.__table__, links)
