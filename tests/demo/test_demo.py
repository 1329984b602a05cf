"""The illustrative demo estate: the strategy's numbers (500+ cameras, 11 service areas, 222 public-space and car-park
cameras), legacy ages, deployables with move histories, open and closed faults; it only fills an empty database.

The demo is built once per backend for the module (it hashes seven passwords), and read by every test."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from cctv.auth.models import Role, User
from cctv.db import Database
from cctv.demo.estate import DemoSummary, create_demo
from cctv.models import metadata
from inventory.models import Camera, CameraMove, Fault, Funding, ServiceArea
from inventory.types import CameraKind, CameraStatus, FaultPriority
from tests.conftest import BACKENDS, database_url

TODAY = date(2025, 6, 15)
NOW = datetime(2025, 6, 15, 23, 59, tzinfo=UTC)
PUBLIC_SPACE_AND_CAR_PARKS = {"public_space_fixed", "public_space_ptz", "deployable", "car_park"}


@dataclass
class Demo:
    """The demo database and what create_demo said it made."""

    database: Database
    summary: DemoSummary


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """An empty database on each backend, filled once with the demo estate."""
    database = Database(database_url(request.param, tmp_path_factory.mktemp("demo")))
    metadata.create_all(database.engine)
    with database.transaction("demo") as s:
        summary = create_demo(s, today=TODAY, password="demo-password")
    yield Demo(database, summary)
    database.engine.dispose()


@pytest.fixture
def s(demo: Demo) -> Iterator[Session]:
    """A session on the demo database."""
    with demo.database.session("reader") as session:
        yield session


def count(session: Session, model: type) -> int:
    """Rows of a table."""
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_estate_has_the_strategys_numbers(demo: Demo, s: Session) -> None:
    cameras = s.exec(select(Camera)).all()
    assert len(cameras) >= 500
    assert len(cameras) == demo.summary.cameras
    by_kind = Counter(str(c.kind) for c in cameras)
    assert sum(n for kind, n in by_kind.items() if kind in PUBLIC_SPACE_AND_CAR_PARKS) == 222
    assert demo.summary.public_space_and_car_parks == 222
    assert {k.value for k in CameraKind} <= set(by_kind)  # every kind of system appears, covert included


def test_eleven_service_areas_each_own_cameras(s: Session) -> None:
    areas = s.exec(select(ServiceArea)).all()
    assert len(areas) == 11
    owning = set(s.exec(select(Camera.service_area_id).distinct()))
    assert owning == {a.id for a in areas}
    assert len({a.name for a in areas}) == 11


def test_most_cameras_are_legacy_equipment_ten_to_fifteen_years_old(s: Session) -> None:
    installs = [d for d in s.exec(select(Camera.install_date)) if d is not None]
    assert installs, "the demo gives install dates"
    ten, fifteen = date(2015, 6, 15), date(2010, 6, 15)
    legacy = [d for d in installs if fifteen <= d <= ten]
    assert len(legacy) / len(installs) >= 0.75
    assert all(fifteen <= d <= TODAY for d in installs)  # nothing older than 15 years, nothing in the future


def test_cameras_are_placed_around_buckinghamshire(s: Session) -> None:
    placed = s.exec(select(Camera).where(col(Camera.longitude).is_not(None))).all()
    assert len(placed) >= 450
    for camera in placed:
        assert -1.2 < camera.longitude < -0.4 and 51.45 < camera.latitude < 52.25, camera.asset_id
    towns = set(s.exec(select(Camera.town)))
    assert {"High Wycombe", "Aylesbury", "Amersham", "Chesham", "Marlow"} <= towns


def test_every_demo_camera_is_labelled_illustrative(s: Session) -> None:
    notes = s.exec(select(Camera.notes)).all()
    assert all("illustrative" in n.lower() for n in notes)


def test_deployables_are_where_their_latest_move_put_them(s: Session) -> None:
    deployables = s.exec(select(Camera).where(Camera.kind == CameraKind.DEPLOYABLE)).all()
    assert len(deployables) >= 5
    for camera in deployables:
        moves = sorted(s.exec(select(CameraMove).where(CameraMove.camera_id == camera.id)),
                       key=lambda m: m.moved_at)
        assert moves, f"{camera.asset_id} has no move history"
        latest = moves[-1]
        assert (camera.location_text, camera.town, camera.longitude, camera.latitude) == (
            latest.to_location_text, latest.to_town, latest.to_longitude, latest.to_latitude), camera.asset_id
        for earlier, later in pairwise(moves):
            assert later.from_location_text == earlier.to_location_text, camera.asset_id
        assert all(m.moved_at <= NOW and m.reason for m in moves)
    assert any(count_moves > 1 for count_moves in Counter(
        s.exec(select(CameraMove.camera_id))).values()), "some deployables have moved more than once"


def test_there_are_open_and_closed_faults_and_status_agrees(s: Session) -> None:
    faults = s.exec(select(Fault)).all()
    open_faults = [f for f in faults if f.fixed_at is None]
    closed = [f for f in faults if f.fixed_at is not None]
    assert open_faults and closed
    sla = {FaultPriority.CRITICAL: 4, FaultPriority.HIGH: 24, FaultPriority.MEDIUM: 72, FaultPriority.LOW: 168}
    for fault in faults:
        assert fault.target_fix_by - fault.opened_at == timedelta(hours=sla[FaultPriority(fault.priority)])
        assert fault.opened_at <= NOW
    for fault in closed:
        assert fault.opened_at <= fault.fixed_at <= NOW
    with_open_fault = {f.camera_id for f in open_faults}
    faulty = set(s.exec(select(Camera.id).where(Camera.status == CameraStatus.FAULTY)))
    assert faulty == with_open_fault
    # fixed both within and outside the SLA, so the contract's performance is worth looking at
    within = sum(f.fixed_at <= f.target_fix_by for f in closed)
    assert 0 < within < len(closed)


def test_funding_and_accounts(s: Session) -> None:
    assert count(s, Funding) >= 3
    users = {u.username: u for u in s.exec(select(User))}
    assert {"admin", "supervisor", "operator", "planner", "dpo", "advisory", "parking"} <= set(users)
    assert users["parking"].role == Role.SERVICE_MANAGER
    assert users["supervisor"].covert_access
    assert not users["operator"].covert_access
    assert all(u.password_hash != "demo-password" for u in users.values())


def test_the_demo_refuses_a_database_that_already_has_cameras(demo: Demo, s: Session) -> None:
    before = (count(s, Camera), count(s, ServiceArea), count(s, User))
    with pytest.raises(RuntimeError, match="empty"):
        create_demo(s, today=TODAY, password="demo-password")
    s.rollback()
    assert (count(s, Camera), count(s, ServiceArea), count(s, User)) == before


def test_the_demo_refuses_even_one_real_camera(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path}/one.sqlite3")
    metadata.create_all(database.engine)
    try:
        with database.session("t") as session:
            area = ServiceArea(code="CS", name="Community Safety")
            session.add(area)
            session.flush()
            session.add(Camera(asset_id="REAL-1", name="Real", service_area_id=area.id,
                               kind=CameraKind.PUBLIC_SPACE_FIXED))
            session.commit()
            with pytest.raises(RuntimeError):
                create_demo(session, today=TODAY, password="demo-password")
            session.rollback()
            assert count(session, Camera) == 1
            assert count(session, ServiceArea) == 1
    finally:
        database.engine.dispose()


def test_the_demo_has_a_contract_ppm_costs_and_body_worn_devices_out(s: Session) -> None:
    from inventory.bodyworn import devices
    from inventory.lifecycle import replacement_programme
    from inventory.ppm import list_schedules, state
    from inventory.scope import CameraScope
    from inventory.upkeep_models import MaintenanceContract

    contract = s.exec(select(MaintenanceContract)).one()
    assert count(s, Fault) == s.exec(select(func.count()).select_from(Fault).where(
        col(Fault.contract_id) == contract.id)).one() + s.exec(select(func.count()).select_from(Fault).where(
        col(Fault.opened_at) < datetime(2023, 4, 1, tzinfo=UTC))).one()
    assert sorted(state(p, TODAY) for p in list_schedules(s)) == ["due", "overdue", "planned"]
    out = [d for d in devices(s, CameraScope.everything()) if d.issue is not None]
    assert len(out) == 10 and sum(d.overdue(NOW) for d in out) >= 2
    programme = replacement_programme(s, CameraScope.everything(), today=TODAY)
    assert programme.items and 0 < programme.estimated_count() < len(programme.items)
def test_the_demo_publishes_a_public_page_of_public_space_cameras_only(s: Session) -> None:
    from cctv.transparency.publication import public_page

    page = public_page(s, "Buckinghamshire Council")
    kinds = dict(s.exec(select(Camera.asset_id, Camera.kind)).all())
    assert len(page.cameras) > 50 and page.notice.contact_point
    assert {kinds[c.ref] for c in page.cameras} <= {CameraKind.PUBLIC_SPACE_FIXED, CameraKind.PUBLIC_SPACE_PTZ,
                                                    CameraKind.CAR_PARK}
    assert page.signs and all(sign.cameras for sign in page.signs)
    assert all(s.name.endswith("town-centre CCTV") or s.name == "Council car parks CCTV" for s in page.systems)
