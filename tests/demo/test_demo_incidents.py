"""The demo's control-room history: the strategy's volumes (about 20,000 incidents and 200 arrests a year), times
that follow the monitored hours and the night-time economy, gap-free references the services carry on from, and the
evidence, disclosure and shift records around them.

The whole demo is built once per backend for the module (as tests/demo/test_demo.py does); 15 June 2025 makes 2023 and
2024 full years of history."""

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, col, select

from cctv.controlroom.disclosure import due_date
from cctv.controlroom.evidence import retention_risk
from cctv.controlroom.hours import monitored_session
from cctv.controlroom.incidents import log_incident
from cctv.controlroom.models import (
    Arrest,
    ControlRoom,
    Disclosure,
    EvidenceMedia,
    EvidenceMovement,
    EvidenceRequest,
    Incident,
    IncidentCamera,
    IncidentCreate,
    ReferenceCounter,
    Shift,
)
from cctv.controlroom.rooms import room_by_code
from cctv.controlroom.types import (
    CATEGORY_OFFENCE_GROUP,
    DEFAULT_CATEGORIES,
    ArrestOutcome,
    DisclosureKind,
    IncidentSource,
    MovementKind,
    OffenceGroup,
)
from cctv.db import Database
from cctv.demo.estate import create_demo
from cctv.demo.incidents import create_demo_incidents
from cctv.models import metadata
from inventory.models import Camera
from inventory.types import LONDON, CameraKind
from tests.conftest import BACKENDS, database_url, make_estate

TODAY = date(2025, 6, 15)
NOW = datetime(2025, 6, 15, 9, 0, tzinfo=UTC)
FULL_YEARS = (2023, 2024)


@dataclass
class History:
    """The demo database and every incident's main fields, read once."""

    database: Database
    incidents: list[tuple]  # (id, reference, ref_year, ref_number, occurred_at, logged_at, category, arrests, ...)


COLUMNS = (Incident.id, Incident.reference, Incident.ref_year, Incident.ref_number, Incident.occurred_at,
           Incident.logged_at, Incident.category, Incident.arrests, Incident.in_monitored_hours,
           Incident.monitored_session, Incident.police_informed, Incident.police_reference, Incident.source,
           Incident.narrative, Incident.police_attended, Incident.arrest_offences, Incident.operator)


@pytest.fixture(scope="module", params=BACKENDS)
def history(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    """The full demo (estate, accounts, DPIAs and the control-room history) on each backend."""
    database = Database(database_url(request.param, tmp_path_factory.mktemp("demo-incidents")))
    metadata.create_all(database.engine)
    with database.transaction("demo") as s:
        create_demo(s, today=TODAY, password="demo-password")
    with database.session("reader") as s:
        rows = [tuple(row) for row in s.exec(select(*COLUMNS).order_by(col(Incident.id)))]
    yield History(database, rows)
    database.engine.dispose()


@pytest.fixture
def s(history: History) -> Iterator[Session]:
    """A session on the demo database (rolled back at the end)."""
    with history.database.session("reader") as session:
        yield session
        session.rollback()


def local(instant: datetime) -> datetime:
    """London wall clock."""
    return instant.astimezone(LONDON)


def test_about_twenty_thousand_incidents_in_each_full_year(history: History) -> None:
    per_year = Counter(row[2] for row in history.incidents)
    for year in FULL_YEARS:
        assert 18_000 <= per_year[year] <= 22_000, (year, per_year[year])
    assert set(per_year) == {2022, 2023, 2024, 2025}  # three years back from 15 June 2025
    assert min(row[4] for row in history.incidents).date() >= date(2022, 6, 14)
    assert max(row[5] for row in history.incidents) < datetime.combine(TODAY, time(7), tzinfo=LONDON)


def test_about_two_hundred_arrests_a_year_some_incidents_with_two(history: History) -> None:
    for year in FULL_YEARS:
        arrests = sum(row[7] for row in history.incidents if row[2] == year)
        assert 150 <= arrests <= 250, (year, arrests)
    with_arrests = [row for row in history.incidents if row[7]]
    assert 0.007 <= len(with_arrests) / len(history.incidents) <= 0.013  # about 1% of incidents
    assert any(row[7] >= 2 for row in with_arrests)
    assert all(row[10] and row[14] and row[15] for row in with_arrests)  # police told and there; offence given
    by_category = Counter(row[6] for row in with_arrests)
    assert by_category["violence"] > by_category["asb"]  # violence far more often ends in an arrest


def test_references_are_gap_free_per_year_in_logged_order(history: History, s: Session) -> None:
    by_year: dict[int, list[tuple]] = {}
    for row in history.incidents:
        by_year.setdefault(row[2], []).append(row)
    counters = {c.year: c.last for c in s.exec(select(ReferenceCounter))}
    assert set(counters) == set(by_year)
    for year, rows in by_year.items():
        rows.sort(key=lambda r: r[3])
        assert [r[3] for r in rows] == list(range(1, len(rows) + 1)), year
        assert counters[year] == len(rows)
        assert all(r[1] == f"WY-{year}-{r[3]:06d}" for r in rows)
        assert all(local(r[5]).year == year for r in rows)  # the London year of the logged time
        assert all(a[5] <= b[5] for a, b in pairwise(rows))  # numbered as they were logged
    assert all(row[5] >= row[4] for row in history.incidents)  # logged at or after it happened


def test_monitored_flags_are_monitored_sessions_answer(history: History, s: Session) -> None:
    hours = room_by_code(s).monitored_hours()
    for row in history.incidents[::37]:
        assert monitored_session(row[4], hours) == (row[9], row[8]), row[1]
    # Worked by hand: the small hours of Saturday belong to Friday's session (08:00-04:00), inside.
    saturday_small_hours = [r for r in history.incidents if local(r[4]).weekday() == 5 and local(r[4]).hour < 4]
    assert saturday_small_hours
    for row in saturday_small_hours:
        assert row[8] and row[9] == local(row[4]).date() - timedelta(days=1), row[1]
    # and 02:00 on a Wednesday is outside (Tuesday ended at 23:00), counted towards Tuesday.
    wednesday_night = [r for r in history.incidents if local(r[4]).weekday() == 2 and local(r[4]).hour < 4]
    assert wednesday_night
    assert all(not r[8] and r[9] == local(r[4]).date() - timedelta(days=1) for r in wednesday_night)


def test_most_incidents_are_inside_monitored_hours_and_those_outside_came_from_the_police(history: History) -> None:
    outside = [row for row in history.incidents if not row[8]]
    share = 1 - len(outside) / len(history.incidents)
    assert 0.9 <= share < 1.0
    assert all(row[12] == IncidentSource.POLICE_REQUEST for row in outside)


def test_friday_and_saturday_nights_are_busier_than_tuesday_nights(history: History) -> None:
    def night(row: tuple) -> int | None:
        """The weekday of the evening a 21:00-03:00 incident belongs to, else None."""
        wall = local(row[4])
        if wall.hour >= 21:
            return wall.weekday()
        if wall.hour < 3:
            return (wall.weekday() - 1) % 7
        return None

    nights = Counter(night(row) for row in history.incidents)
    weeks = (TODAY - date(2022, 6, 14)).days / 7
    tuesday, friday, saturday = nights[1] / weeks, nights[4] / weeks, nights[5] / weeks
    assert friday > 3 * tuesday and saturday > 3 * tuesday, (tuesday, friday, saturday)
    assert 20 <= friday <= 45  # the night-time economy on top of the evening


def test_categories_are_weighted_and_shoplifting_is_in_shop_hours(history: History) -> None:
    categories = Counter(row[6] for row in history.incidents)
    assert set(categories) <= {code for code, _ in DEFAULT_CATEGORIES}
    assert categories.most_common(1)[0][0] == "asb"
    assert categories["violence"] > categories["robbery"] > 0
    shoplifting = [local(row[4]) for row in history.incidents if row[6] == "shoplifting"]
    in_shop_hours = sum(8 <= wall.hour < 18 for wall in shoplifting)
    assert in_shop_hours / len(shoplifting) > 0.75


def test_police_informed_on_about_forty_percent_with_cad_references(history: History) -> None:
    informed = [row for row in history.incidents if row[10]]
    assert 0.35 <= len(informed) / len(history.incidents) <= 0.45
    for row in informed[::50]:
        match = re.fullmatch(r"CAD (\d{1,4}) (\d\d)/(\d\d)", row[11])
        assert match, row[11]
        wall = local(row[4])
        assert (int(match.group(2)), int(match.group(3))) == (wall.day, wall.month)
    assert all(row[11] == "" for row in history.incidents if not row[10])


def test_incidents_are_labelled_and_use_one_to_three_public_space_cameras(history: History, s: Session) -> None:
    assert all(row[13].startswith("Illustrative demo incident.") for row in history.incidents)
    per_incident = Counter(s.exec(select(IncidentCamera.incident_id)))
    assert len(per_incident) == len(history.incidents)
    assert set(per_incident.values()) == {1, 2, 3}
    kinds = set(s.exec(select(Camera.kind).join(IncidentCamera, col(IncidentCamera.camera_id) == Camera.id)
                       .distinct()))
    assert {CameraKind(k) for k in kinds} <= {CameraKind.PUBLIC_SPACE_FIXED, CameraKind.PUBLIC_SPACE_PTZ,
                                              CameraKind.DEPLOYABLE}


def test_evidence_requests_with_hashed_media_handover_and_later_use(history: History, s: Session) -> None:
    requests = list(s.exec(select(EvidenceRequest)))
    assert 0.015 <= len(requests) / len(history.incidents) <= 0.025  # about 2% of incidents
    media = list(s.exec(select(EvidenceMedia)))
    assert media and all(re.fullmatch(r"[0-9a-f]{64}", m.sha256) for m in media)
    produced = {r.id for r in requests if r.produced_at is not None}
    assert {m.evidence_id for m in media} == produced
    handed = [r for r in requests if r.handed_over_at is not None]
    assert handed and all(r.produced_at <= r.handed_over_at and r.handed_over_to for r in handed)
    assert {str(r.later_use) for r in handed} >= {"charged", "prosecution", "not_used"}
    assert any(retention_risk(r, NOW) for r in requests)  # a few asked for after the footage's 31 days


def test_every_arrest_is_a_record_and_every_file_has_its_chain(history: History, s: Session) -> None:
    counted = Counter({row[0]: row[7] for row in history.incidents if row[7]})
    records = list(s.exec(select(Arrest)))
    assert Counter(a.incident_id for a in records) == counted  # the records equal every incident's count
    assert len({a.outcome for a in records}) >= 4 and any(a.outcome == ArrestOutcome.NOT_KNOWN for a in records)
    category = {row[0]: row[6] for row in history.incidents}
    assert all(a.offence_group == CATEGORY_OFFENCE_GROUP.get(category[a.incident_id], OffenceGroup.OTHER)
               for a in records)
    media = {m.id: m for m in s.exec(select(EvidenceMedia))}
    moves = list(s.exec(select(EvidenceMovement)))
    produced = Counter(m.file_id for m in moves if m.kind == MovementKind.PRODUCED)
    assert produced == Counter(list(media))  # one "produced" per file
    assert all(m.sha256 == media[m.file_id].sha256 for m in moves)
    handed = {r.id for r in s.exec(select(EvidenceRequest).where(col(EvidenceRequest.handed_over_at).is_not(None)))}
    assert {m.evidence_id for m in moves if m.kind == MovementKind.HANDED_OVER} == handed


def test_disclosure_log_and_shifts(history: History, s: Session) -> None:
    disclosures = list(s.exec(select(Disclosure)))
    assert {d.kind for d in disclosures} == set(DisclosureKind)
    assert all(d.due_on == due_date(d.kind, d.received_on) for d in disclosures)
    shifts = list(s.exec(select(Shift).order_by(col(Shift.started_at))))
    assert len(shifts) > 2 * 365 * 3 - 10  # a day and a late shift every day
    assert all(sh.ended_at is not None for sh in shifts)  # none open: the morning's operator starts one
    assert all(sh.signed_by and sh.signed_by != sh.operators.split(",")[0] for sh in shifts[:-1])
    assert shifts[-1].signed_by == ""  # last night's handover waits for the incoming operator
    assert all(a.ended_at <= b.started_at for a, b in pairwise(shifts))  # one shift at a time
    starts = [sh.started_at for sh in shifts]
    on_shift = 0
    for row in history.incidents[::101]:  # the operator who logged it was on the shift at the time
        shift = shifts[bisect.bisect_right(starts, row[5]) - 1]
        if shift.started_at <= row[5] < shift.ended_at:
            assert row[16] in shift.operators.split(","), row[1]
            on_shift += 1
    assert on_shift > len(history.incidents[::101]) * 0.9


def test_logging_a_new_incident_takes_the_next_number(s: Session) -> None:
    room = room_by_code(s)
    last = s.exec(select(ReferenceCounter.last).where(ReferenceCounter.year == 2025)).one()
    incident = log_incident(s, IncidentCreate(occurred_at=NOW - timedelta(minutes=5), category="asb"),
                            room=room, operator="operator", now=NOW)
    assert incident.reference == f"WY-2025-{last + 1:06d}"
    # The bulk-inserted times are stored exactly as the ORM stores them (on SQLite, text compared as text).
    stored = s.execute(text("SELECT occurred_at, logged_at FROM incident WHERE id IN (1, :new) ORDER BY id"),
                       {"new": incident.id}).all()
    old, new = ([re.sub(r"\d", "0", str(value)) for value in row] for row in stored)
    assert old == new
    s.rollback()


def test_the_history_is_deterministic_and_fills_only_an_empty_log(session: Session) -> None:
    make_estate(session)  # one public-space camera is enough
    first = create_demo_incidents(session, today=TODAY, seed=7, years=1, per_year=1500)
    rows = list(session.exec(select(Incident.reference, Incident.occurred_at, Incident.category, Incident.arrests)
                             .order_by(col(Incident.reference))))
    with pytest.raises(RuntimeError, match="already has incidents"):
        create_demo_incidents(session, today=TODAY, seed=7, years=1, per_year=1500)
    session.rollback()
    # Again on the emptied log (the estate is committed, the history was not): the same incidents.
    assert session.exec(select(func.count()).select_from(Incident)).one() == 0
    assert session.exec(select(func.count()).select_from(ControlRoom)).one() == 0
    second = create_demo_incidents(session, today=TODAY, seed=7, years=1, per_year=1500)
    assert second == first
    assert list(session.exec(select(Incident.reference, Incident.occurred_at, Incident.category, Incident.arrests)
                             .order_by(col(Incident.reference)))) == rows
    assert 1300 <= first.incidents <= 1700
