"""Finding incidents again through the full-text index, on each database: by each field, as word starts, every word
needed, the index following edits and deletes, hostile search text harmless; and the header's search across kinds,
scoped to the user's cameras."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlmodel import Session

from cctv.controlroom import disclosure, evidence
from cctv.controlroom.incidents import log_incident
from cctv.controlroom.models import (
    ControlRoom,
    Disclosure,
    DisclosureBase,
    EvidenceRequestBase,
    Incident,
    IncidentCreate,
)
from cctv.controlroom.rooms import ensure_defaults
from cctv.controlroom.search import IncidentQuery, search
from cctv.controlroom.site_search import site_search
from cctv.controlroom.types import DisclosureKind
from inventory.scope import CameraScope
from tests.conftest import Estate

NOW = datetime(2026, 6, 8, 12, 0, tzinfo=UTC)
ALL_KINDS = frozenset({"cameras", "incidents", "evidence", "disclosures"})


@pytest.fixture
def room(session: Session, estate: Estate) -> ControlRoom:
    room = ensure_defaults(session)
    session.commit()
    return room


@pytest.fixture
def log(session: Session, room: ControlRoom):
    def logged(day: int, **fields: object) -> Incident:
        data = IncidentCreate(occurred_at=datetime(2026, 6, day, 20, 0, tzinfo=UTC), **{"category": "asb", **fields})
        incident = log_incident(session, data, room=room, operator="alice", now=NOW)
        session.commit()
        return incident
    return logged


def found(session: Session, **asked: object) -> list[str]:
    return sorted(i.reference for i in search(session, IncidentQuery(**asked)))


@pytest.fixture
def three(log, estate: Estate) -> tuple[Incident, Incident, Incident]:
    robbery = log(1, category="robbery", location_text="Frogmoor, High Wycombe", police_reference="CAD 1234/01JUN",
                  narrative="Two males robbed a cyclist of his phone by the fountain.", camera_ids=[estate.town_camera])
    assault = log(3, category="violence", location_text="Exchange Street car park", police_reference="TV-77-0099",
                  narrative="Fight outside the Bell; one man taken to hospital.", arrests=1,
                  arrest_offences="Section 47 assault", camera_ids=[estate.car_park_camera])
    asb = log(5, location_text="Castle Street", narrative="Youths on bikes kicking bins over near the fountain.")
    return robbery, assault, asb


def test_finds_by_each_field_and_nothing_else(session: Session, three, estate: Estate) -> None:
    robbery, assault, asb = three
    assert found(session, reference=assault.reference) == [assault.reference]
    assert found(session, reference=assault.reference.lower() + " ") == [assault.reference]  # as typed
    assert found(session, reference=robbery.reference.rsplit("-", 1)[1]) == [robbery.reference]  # its number alone
    assert found(session, police_reference="1234/01jun") == [robbery.reference]
    assert found(session, police_reference="TV-77") == [assault.reference]
    assert found(session, police_reference="1234/01JUL") == []
    assert found(session, camera_ids=(estate.car_park_camera,)) == [assault.reference]
    assert found(session, category="robbery") == [robbery.reference]
    assert found(session, place="castle street") == [asb.reference]
    assert found(session, place="Street") == sorted([assault.reference, asb.reference])
    assert found(session, words="fountain") == sorted([robbery.reference, asb.reference])
    assert found(session, words="fountain bins") == [asb.reference]  # every word needed
    assert found(session, words="ROBBED") == [robbery.reference]  # whole words, any case
    assert found(session, words="rob") == []  # not word starts: "rob" is not "robbed"
    assert found(session, words="section 47") == [assault.reference]  # arrest offences are words too
    assert found(session, words="1234") == [robbery.reference]  # and the police reference
    assert found(session, words="fountain", start=date(2026, 6, 2), end=date(2026, 6, 5)) == [asb.reference]
    assert found(session, words="fountain", end=date(2026, 6, 1)) == [robbery.reference]  # the end day included
    assert found(session, words="fountain", category="violence") == []
    assert found(session, words="elephant") == []


def test_the_index_follows_edits_and_deletes(session: Session, three) -> None:
    _, _, asb = three
    asb.narrative = "Bins set alight by the clock tower."
    session.add(asb)
    session.commit()
    assert found(session, words="bikes") == []
    assert found(session, words="clock tower") == [asb.reference]
    session.delete(asb)  # no cameras: nothing else refers to it
    session.commit()
    assert found(session, words="clock") == []


def test_hostile_search_text_finds_nothing_rather_than_failing(session: Session, three) -> None:
    for typed in ('"', "NEAR(a b)", "*", "-fountain", "fountain OR bins", "a:* & b", "!!!", "%", "_", "\\", "'; --",
                  "x" * 500, " ".join(["fountain"] * 50)):
        search(session, IncidentQuery(words=typed, police_reference=typed, place=typed, reference=typed))
    assert found(session, words="!!!") == []
    assert found(session, place="%") == []  # a literal %, not "anything"


def test_the_full_text_index_is_the_databases_own(session: Session, three) -> None:
    if session.get_bind().dialect.name == "postgresql":
        plan = "\n".join(session.exec(text(  # type: ignore[call-overload]
            "EXPLAIN SELECT id FROM incident WHERE to_tsvector('simple'::regconfig, regexp_replace(coalesce(reference, "
            "'') || ' ' || coalesce(police_reference, '') || ' ' || coalesce(location_text, '') || ' ' || "
            "coalesce(arrest_offences, '') || ' ' || coalesce(outcome, '') || ' ' || coalesce(narrative, ''), "
            "'[^[:alnum:]]+', ' ', 'g')) @@ to_tsquery('simple', 'fountain:*')")).scalars())
        assert "ix_incident_search" in plan or "Seq Scan" in plan  # three rows may not be worth the index
        names = set(session.exec(text("SELECT indexname FROM pg_indexes WHERE tablename = 'incident'")).scalars())  # type: ignore[call-overload]
        assert "ix_incident_search" in names
    else:
        rows = session.exec(text("SELECT count(*) FROM incident_fts WHERE incident_fts MATCH 'fountain'")).scalar()  # type: ignore[call-overload]
        assert rows == 2


def test_the_search_box_finds_each_kind_within_the_users_scope(session: Session, three, estate: Estate) -> None:
    robbery, assault, _ = three
    evidence.record_request(session, EvidenceRequestBase(
        requesting_officer="DC Ada Lovelace", police_reference="CAD 1234/01JUN", incident_id=robbery.id,
        window_start=datetime(2026, 6, 1, 19, tzinfo=UTC), window_end=datetime(2026, 6, 1, 21, tzinfo=UTC)),
        [estate.town_camera], actor="alice", now=NOW)
    disclosure.open_disclosure(session, DisclosureBase(kind=DisclosureKind.SUBJECT_ACCESS, requester="Jo Lovelace",
                                                       received_on=date(2026, 6, 2)), actor="alice")
    session.commit()
    everything = CameraScope.everything()
    results = site_search(session, "1234/01JUN", everything, ALL_KINDS)
    assert [i.reference for i in results.incidents] == [robbery.reference]
    assert len(results.evidence) == 1 and results.disclosures == []
    results = site_search(session, "lovelace", everything, ALL_KINDS)
    assert len(results.evidence) == 1 and [d.requester for d in results.disclosures] == ["Jo Lovelace"]
    assert [i.reference for i in site_search(session, assault.reference, everything, ALL_KINDS).incidents] == [
        assault.reference]
    # Cameras: the covert one only with covert access; a service manager only in their own areas.
    assert [c.asset_id for c in site_search(session, "park", everything, ALL_KINDS).cameras] == ["PARK-001",
                                                                                                 "PARK-COV-1"]
    assert [c.asset_id for c in site_search(session, "park", CameraScope(), ALL_KINDS).cameras] == ["PARK-001"]
    parking_only = CameraScope(service_area_ids=frozenset({estate.parking}))
    assert [c.asset_id for c in site_search(session, "-001", parking_only, frozenset({"cameras"})).cameras] == [
        "PARK-001"]
    # A kind the role may not search is not searched at all.
    nothing = site_search(session, "lovelace", everything, frozenset({"cameras"}))
    assert nothing.incidents == nothing.evidence == nothing.disclosures == [] and nothing.searched == {"cameras"}
    assert isinstance(nothing.total(), int) and Disclosure is not None
