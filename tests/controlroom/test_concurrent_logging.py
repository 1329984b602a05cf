"""Ten operators logging at once: nothing lost, no shared reference, no gap — on SQLite and on PostgreSQL.

Each writer is a thread with its own Database session (its own connection), as ten operators' requests would
be. SQLite runs on a file (in-memory databases are one per connection); the engine's 30-second busy timeout
(cctv/db.py passes `timeout=30` to sqlite3) makes writers queue for the write lock instead of failing.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from cctv.audit import AuditEntry
from cctv.controlroom.incidents import log_incident
from cctv.controlroom.models import ControlRoom, Incident, IncidentCamera, IncidentCreate, ReferenceCounter
from cctv.controlroom.rooms import ensure_defaults
from cctv.db import Database
from cctv.models import metadata
from tests.conftest import BACKENDS, database_url, make_estate

WRITERS = 10
EACH = 20
NOW = datetime(2026, 6, 6, 21, 0, tzinfo=UTC)  # a Saturday evening, 22:00 in London


@pytest.fixture(params=BACKENDS)
def fresh_database(request: pytest.FixtureRequest, tmp_path):
    """A Database of our own on a file SQLite database, or on the PostgreSQL test database (emptied first)."""
    db = Database(database_url(request.param, tmp_path))
    metadata.create_all(db.engine)
    with db.session("setup") as s:
        estate = make_estate(s)
        ensure_defaults(s)
        s.commit()
    yield db, estate
    db.engine.dispose()


def run_writers(db: Database, camera_id: int, *, roll_back_every: int = 0) -> list[BaseException]:
    """Start the writers together; each logs EACH incidents, one transaction per incident. Returns their errors.

    With roll_back_every=n, each writer also abandons every n-th incident after it was numbered (a form that
    failed half-way), which must give its number back.
    """
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait(timeout=30)
            done = attempt = 0
            while done < EACH:
                attempt += 1
                with db.session(f"operator{n}") as session:
                    room = session.exec(select(ControlRoom)).one()
                    data = IncidentCreate(occurred_at=NOW - timedelta(minutes=attempt), category="asb",
                                          narrative=f"writer {n} incident {done}", camera_ids=[camera_id])
                    log_incident(session, data, room=room, operator=f"operator{n}", now=NOW)
                    if roll_back_every and attempt % roll_back_every == 0:
                        session.rollback()
                        continue
                    session.commit()
                    done += 1
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    return errors


def check_log(db: Database) -> None:
    """200 incidents, every narrative once, references WY-2026-000001 … 000200, the counter at 200."""
    with db.session("check") as s:
        incidents = list(s.exec(select(Incident)))
        assert len(incidents) == WRITERS * EACH
        assert sorted(i.ref_number for i in incidents) == list(range(1, WRITERS * EACH + 1))
        assert {i.reference for i in incidents} == {f"WY-2026-{n:06d}" for n in range(1, WRITERS * EACH + 1)}
        assert sorted(i.narrative for i in incidents) == sorted(
            f"writer {n} incident {k}" for n in range(WRITERS) for k in range(EACH)
        )
        assert {i.operator for i in incidents if i.narrative.startswith("writer 3 ")} == {"operator3"}
        counter = s.exec(select(ReferenceCounter)).one()
        assert (counter.year, counter.last) == (2026, WRITERS * EACH)
        assert s.exec(select(func.count()).select_from(IncidentCamera)).one() == WRITERS * EACH
        created = s.exec(select(func.count()).where(AuditEntry.table_name == "incident",
                                                    AuditEntry.action == "create")).one()
        assert created == WRITERS * EACH  # the trail committed with each incident and only with it


def test_ten_concurrent_writers_lose_nothing_and_never_share_a_number(fresh_database) -> None:
    db, estate = fresh_database
    errors = run_writers(db, estate.town_camera)
    assert errors == []
    check_log(db)


def test_abandoned_incidents_give_their_numbers_back_under_concurrency(fresh_database) -> None:
    db, estate = fresh_database
    errors = run_writers(db, estate.town_camera, roll_back_every=4)  # 6 of each writer's 26 attempts rolled back
    assert errors == []
    check_log(db)
