"""An illustrative demo estate, labelled as such: 536 cameras in 11 service areas around real town centres."""

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlmodel import Session, func, select

from cctv.auth.models import Role, UserCreate
from cctv.auth.service import create_user
from cctv.demo.dpia import create_demo_dpias
from cctv.demo.incidents import create_demo_incidents
from cctv.demo.places import BUILDINGS, MAKES, SERVICE_AREAS, SYSTEMS, TOWNS
from cctv.demo.public import create_demo_public
from cctv.demo.upkeep import create_demo_upkeep
from inventory.models import Camera, CameraMove, CameraSystem, Fault, Funding, ServiceArea
from inventory.types import DEFAULT_SLA_HOURS, CameraKind, CameraStatus, FaultPriority, FundingSource

DEMO_LABEL = "Illustrative demo estate: not real council data."
DEMO_NOTE = "Illustrative demo data, not a real council camera."
DEMO_USERS = [
    ("admin", Role.ADMIN, False), ("supervisor", Role.SUPERVISOR, True), ("operator", Role.OPERATOR, False),
    ("planner", Role.PLANNER, False), ("dpo", Role.DPO, False), ("advisory", Role.ADVISORY, False),
    ("parking", Role.SERVICE_MANAGER, False),
]


ASSET_CODES = {
    CameraKind.PUBLIC_SPACE_FIXED: "FIX", CameraKind.PUBLIC_SPACE_PTZ: "PTZ", CameraKind.DEPLOYABLE: "DEP",
    CameraKind.CAR_PARK: "CPK", CameraKind.BUILDING: "BLD", CameraKind.BODY_WORN: "BWV", CameraKind.ANPR: "ANPR",
    CameraKind.TRAFFIC: "TRF", CameraKind.COVERT: "COV",
}


@dataclass
class DemoSummary:
    """What the demo created."""

    cameras: int
    service_areas: int
    public_space_and_car_parks: int
    users: list[str]


def has_data(session: Session) -> bool:
    """Whether the register already holds cameras (the demo never adds to real data)."""
    return session.exec(select(func.count()).select_from(Camera)).one() > 0


def _scatter(rng: random.Random, lat: float, lon: float, metres: float) -> tuple[float, float]:
    dy, dx = rng.gauss(0, metres), rng.gauss(0, metres)
    return round(lon + dx / (111_320 * math.cos(math.radians(lat))), 6), round(lat + dy / 110_574, 6)


def _install_date(rng: random.Random, today: date) -> date:
    if rng.random() < 0.12:  # a few replacements since the legacy councils
        return today - timedelta(days=rng.randint(365, 6 * 365))
    return today - timedelta(days=rng.randint(10 * 365, 15 * 365))  # the inherited estate: 10–15 years old


def _place(rng: random.Random, kind: CameraKind, index: int) -> tuple[str, str, float, float]:
    weights = [t[3] for t in TOWNS]
    pick = rng.choices(TOWNS, weights=weights)[0] if kind != CameraKind.TRAFFIC else rng.choice(TOWNS)
    town, lat, lon, _, streets = pick
    street = rng.choice(streets)
    spread = {CameraKind.TRAFFIC: 1500, CameraKind.BUILDING: 900, CameraKind.CAR_PARK: 500}.get(kind, 300)
    lon2, lat2 = _scatter(rng, lat, lon, spread)
    label = {
        CameraKind.CAR_PARK: f"{street} car park, level {index % 3 + 1}",
        CameraKind.BUILDING: f"{rng.choice(BUILDINGS)}, {street}",
        CameraKind.TRAFFIC: f"{street} junction",
        CameraKind.ANPR: f"{street} entrance (ANPR)",
    }.get(kind, f"{street} {rng.choice(('north', 'south', 'east', 'west', 'junction', 'precinct'))}")
    return label, town, lon2, lat2


def _systems(session: Session, areas: dict[str, ServiceArea]) -> dict[str, CameraSystem]:
    names: dict[str, CameraSystem] = {}
    for (code, _kind), pattern in SYSTEMS.items():
        for town in ([t[0] for t in TOWNS] if "{town}" in pattern else [""]):
            name = pattern.format(town=town)
            if name not in names:
                names[name] = CameraSystem(name=name, service_area_id=areas[code].id, description=DEMO_NOTE)
                session.add(names[name])
    session.flush()
    return names


def _cameras(session: Session, rng: random.Random, today: date) -> list[Camera]:
    areas = {}
    for code, name, _ in SERVICE_AREAS:
        areas[code] = ServiceArea(code=code, name=name, description="Illustrative demo service area")
        session.add(areas[code])
    session.flush()
    systems = _systems(session, areas)
    cameras = []
    for code, _name, kinds in SERVICE_AREAS:
        for kind_value, count in kinds:
            kind = CameraKind(kind_value)
            for n in range(1, count + 1):
                cameras.append(_camera(rng, today, areas[code], systems, kind, n))
    session.add_all(cameras)
    session.flush()
    return cameras


def _camera(rng: random.Random, today: date, area: ServiceArea, systems: dict[str, CameraSystem],
            kind: CameraKind, n: int) -> Camera:
    location, town, lon, lat = _place(rng, kind, n)
    make, model = rng.choice(MAKES)
    public = kind in (CameraKind.PUBLIC_SPACE_FIXED, CameraKind.PUBLIC_SPACE_PTZ)
    roll = rng.random()
    status = CameraStatus.OPERATIONAL
    if roll < 0.02:
        status = CameraStatus.DECOMMISSIONED
    elif roll < 0.03:
        status = CameraStatus.PLANNED
    elif kind == CameraKind.DEPLOYABLE and roll < 0.2:
        status = CameraStatus.IN_STORAGE
    wearable = kind == CameraKind.BODY_WORN
    return Camera(
        asset_id=f"{area.code}-{ASSET_CODES[kind]}-{n:03d}",
        name=f"{town} {location}" if not wearable else f"{area.name} body-worn unit {n}",
        service_area_id=area.id,
        system_id=systems[SYSTEMS[(area.code, kind.value)].format(town=town)].id,
        kind=kind, status=status,
        location_text=location if not wearable else "Issued to officers", town=town,
        longitude=None if wearable else lon, latitude=None if wearable else lat,
        control_room="Wycombe" if public or kind == CameraKind.DEPLOYABLE else "",
        proactively_monitored=public, retention_days=31 if not wearable else 90,
        manufacturer=make if not wearable else "Reveal", model=model if not wearable else "D5",
        install_date=_install_date(rng, today), owner=area.name, data_controller="Buckinghamshire Council",
        funding_source=rng.choice([FundingSource.CAPITAL, FundingSource.COUNCIL_BUDGET, None]),
        notes=DEMO_NOTE + (" Traffic camera." if kind == CameraKind.TRAFFIC else ""),
    )


def _moves(session: Session, rng: random.Random, cameras: list[Camera], now: datetime) -> None:
    for camera in (c for c in cameras if c.kind == CameraKind.DEPLOYABLE):
        at = now - timedelta(days=rng.randint(600, 720))
        for _ in range(rng.randint(1, 4)):
            location, town, lon, lat = _place(rng, CameraKind.PUBLIC_SPACE_FIXED, 0)
            reason = rng.choice(("Rising ASB reports", "Night-time economy hotspot", "Burglary series",
                                 "Displacement after fixed camera installed", "Community event", "Police request"))
            session.add(CameraMove(camera_id=camera.id, moved_at=at, from_location_text=camera.location_text,
                                   from_longitude=camera.longitude, from_latitude=camera.latitude,
                                   to_location_text=location, to_town=town, to_longitude=lon, to_latitude=lat,
                                   reason=reason, moved_by="supervisor"))
            camera.location_text, camera.town, camera.longitude, camera.latitude = location, town, lon, lat
            at += timedelta(days=rng.randint(60, 180))


def _faults(session: Session, rng: random.Random, cameras: list[Camera], now: datetime) -> None:
    live = [c for c in cameras if c.status == CameraStatus.OPERATIONAL]
    for _ in range(160):
        camera = rng.choice(live)
        priority = rng.choices(list(FaultPriority), weights=[1, 3, 5, 3])[0]
        opened = now - timedelta(hours=rng.randint(24, 2 * 365 * 24))
        target = opened + timedelta(hours=DEFAULT_SLA_HOURS[priority])
        fixed = opened + timedelta(hours=DEFAULT_SLA_HOURS[priority] * rng.uniform(0.2, 1.6))
        session.add(Fault(camera_id=camera.id, priority=priority, description=rng.choice(FAULTS),
                          contractor="Demo Maintenance Ltd", contractor_ref=f"DM-{rng.randint(10000, 99999)}",
                          opened_at=opened, reported_by="operator", target_fix_by=target,
                          fixed_at=min(fixed, now), resolution="Repaired on site"))
    for camera in rng.sample(live, 18):
        priority = rng.choice(list(FaultPriority))
        opened = now - timedelta(hours=rng.randint(1, 300))
        session.add(Fault(camera_id=camera.id, priority=priority, description=rng.choice(FAULTS),
                          contractor="Demo Maintenance Ltd", opened_at=opened, reported_by="operator",
                          target_fix_by=opened + timedelta(hours=DEFAULT_SLA_HOURS[priority])))
        camera.status = CameraStatus.FAULTY


FAULTS = ("No picture", "Dome obscured by foliage", "PTZ not responding", "Picture flickering at night",
          "Fibre link down", "Lens misted", "Vandalised housing", "Recording gaps on NVR", "IR illuminator failed")


def _funding(session: Session, cameras: list[Camera], today: date) -> None:
    by_town = lambda town: [c for c in cameras if c.town == town and c.kind == CameraKind.PUBLIC_SPACE_FIXED][:6]  # noqa: E731
    awards = [
        ("NCIL-2024-011", FundingSource.NCIL, "85000", 400, "High Wycombe town-centre upgrade",
         by_town("High Wycombe")),
        ("S106-2023-087", FundingSource.S106, "40000", 700, "Kingsbrook development contribution",
         by_town("Aylesbury")),
        ("CAP-2023-002", FundingSource.CAPITAL, "250000", 800, "Single control room at Wycombe", []),
        ("BID-2025-004", FundingSource.EXTERNAL_PRIVATE, "15000", 200, "Aylesbury BID contribution", []),
        ("REV-2025-019", FundingSource.COUNCIL_BUDGET, "22000", 120, "Deployable camera replacement",
         [c for c in cameras if c.kind == CameraKind.DEPLOYABLE][:4]),
    ]
    for ref, source, amount, days_ago, description, paid_for in awards:
        session.add(Funding(reference=ref, source=source, amount=Decimal(amount),
                            awarded_on=today - timedelta(days=days_ago), description=description,
                            sites=DEMO_NOTE, cameras=paid_for))


def create_demo(session: Session, *, today: date, password: str, seed: int = 2023) -> DemoSummary:
    """Fill an empty register with the illustrative estate and one account per role."""
    if has_data(session):
        raise RuntimeError("the register already has cameras; the demo only fills an empty database")
    rng = random.Random(seed)
    now = datetime.combine(today, time(9, 0), tzinfo=UTC)
    cameras = _cameras(session, rng, today)
    _moves(session, rng, cameras, now)
    _faults(session, rng, cameras, now)
    _funding(session, cameras, today)
    create_demo_upkeep(session, cameras, today=today, now=now, seed=seed)
    parking = session.exec(select(ServiceArea).where(ServiceArea.code == "PARK")).one()
    for username, role, covert in DEMO_USERS:
        create_user(session, UserCreate(
            username=username, full_name=f"Demo {role.label.lower()}", role=role, covert_access=covert,
            password=password, service_area_ids=[parking.id] if role == Role.SERVICE_MANAGER else [],
        ))
    create_demo_dpias(session, today=today)
    create_demo_public(session)
    create_demo_incidents(session, today=today, seed=seed)
    public = sum(c.kind in (CameraKind.PUBLIC_SPACE_FIXED, CameraKind.PUBLIC_SPACE_PTZ, CameraKind.DEPLOYABLE,
                            CameraKind.CAR_PARK) for c in cameras)
    return DemoSummary(len(cameras), len(SERVICE_AREAS), public, [u for u, _, _ in DEMO_USERS])
