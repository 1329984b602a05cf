"""An estate big enough that a page reading per row (an N+1) shows in its statement count, at any scale.

`add_records(app, scale)` adds, on top of the test estate, 30 × scale cameras (with a move and a fault each),
30 × scale incidents logged on one London day, and 5 × scale of everything that lists: camera systems with a
signed-off DPIA and a draft, awards, evidence requests (two cameras and two files each), disclosures, shifts with
faults, crime imports, candidate sites, saved siting runs, accounts with tokens, inbox messages. Lists inside one
record grow too (a DPIA's risks, an assessment's actions). The pages are then read at scale 1 and scale 3: a
page's statement count must not change.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask import Flask
from sqlmodel import Session, select, update

from cctv.auth.models import ApiToken, Role, User, UserServiceArea
from cctv.auth.service import issue_token
from cctv.controlroom import disclosure, evidence, incidents, rooms
from cctv.controlroom.models import (
    Arrest,
    ControlRoom,
    DisclosureBase,
    EvidenceMedia,
    EvidenceRequestBase,
    Incident,
    IncidentCreate,
    Shift,
    ShiftFault,
)
from cctv.controlroom.types import DisclosureKind
from cctv.notifications.models import InboxMessage
from cctv.transparency.models import PublicNotice, PublishedSystem, Sign, SignCamera
from dpia import register, selfassessment
from dpia.models import ActionBase, DpiaBase, DpiaRiskBase
from dpia.types import PrincipleAnswer
from inventory.models import Camera, CameraMove, CameraSystem, Fault, Funding, FundingCamera
from inventory.types import LONDON, CameraKind, FundingSource
from inventory.upkeep_models import BodyWornIssue, CameraLifecycle, MaintenanceContract, PpmSchedule
from siting.model.inputs import CrimeSet, Site
from siting.model.scoring import score_sites
from siting.store.columns import refresh_packs
from siting.store.jobs import ImportJob
from siting.store.saved import SiteSource, add_site, save_run
from siting.store.tables import Crime, CrimeImport

ROWS = 30  # the long lists, at scale 1
FEW = 5  # the short lists, at scale 1
FROGMOOR = (486_500.0, 192_900.0)  # British National Grid metres


@dataclass
class Records:
    """What the pages are opened on: the day of the log, and one record of each kind."""

    day: date
    camera_id: int
    incident_id: int
    evidence_id: int
    arrested_incident_id: int  # an incident with an arrest, and the arrest
    arrest_id: int
    disclosure_id: int
    system_id: int
    dpia_id: int
    signed_dpia_id: int
    assessment_id: int
    site_id: int
    run_id: int
    other_run_id: int
    token: str  # an admin's API token
    area_id: int
    room_id: int
    funding_id: int = 0
    contract_id: int = 0
    sign_id: int = 0
    job_id: int = 0


def add_records(app: Flask, scale: int) -> Records:
    """Add the records for this scale to the app's database (the test estate and accounts already in it)."""
    now = datetime.now(UTC)
    day = now.astimezone(LONDON).date() - timedelta(days=1)
    estate = app.config["TEST_ESTATE"]
    with app.extensions["cctv_db"].session("fixture") as s:
        systems = _systems(s, estate.community_safety, estate.parking, FEW * scale)
        cameras = _cameras(s, systems, ROWS * scale, now)
        faults = _faults(s, cameras, now)
        funding_id = _funding(s, cameras, FEW * scale)
        contract_id = _upkeep(s, estate.parking, cameras, faults, FEW * scale, now)
        dpia_ids = _dpias(s, systems, risks=2 * scale)
        assessment_id = _assessment(s, actions=2 * scale)
        room = rooms.ensure_defaults(s)
        incident_ids = _incidents(s, room, cameras, day, ROWS * scale, now)
        evidence_ids = _evidence(s, incident_ids, cameras, FEW * scale, now)
        disclosure_ids = _disclosures(s, evidence_ids, now.date())
        _shifts(s, room.id, faults, FEW * scale, now)
        site_id, run_ids = _siting(s, FEW * scale)
        _crimes(s, FEW * scale, ROWS * scale)
        token = _accounts(s, estate.parking, FEW * scale)
        sign_id = _public_page(s, systems, cameras, FEW * scale)
        job = ImportJob(created_by="fixture", state="done", message="8 rows read")
        s.add(job)
        s.flush()
        s.commit()
        # Read inside the block: a session used after its `with` ends begins a new transaction that nothing closes
        # (on PostgreSQL a connection left idle in transaction, holding locks, until the test database is reset).
        arrest = s.exec(select(Arrest).where(Arrest.incident_id == incident_ids[1])).first()
        assert arrest is not None and arrest.id is not None  # incident 1 has one arrest (logged with arrests=1)
    return Records(day=day, camera_id=cameras[0].id, incident_id=incident_ids[0], evidence_id=evidence_ids[0],
                   arrested_incident_id=incident_ids[1], arrest_id=arrest.id,
                   disclosure_id=disclosure_ids[0], system_id=systems[0].id, dpia_id=dpia_ids[0][1],
                   signed_dpia_id=dpia_ids[0][0], assessment_id=assessment_id, site_id=site_id, run_id=run_ids[0],
                   other_run_id=run_ids[1], token=token, area_id=estate.community_safety, room_id=room.id,
                   funding_id=funding_id, contract_id=contract_id, sign_id=sign_id, job_id=job.id)


def _public_page(s: Session, systems: list[CameraSystem], cameras: list[Camera], count: int) -> int:
    """Every system published, a notice, and signs each covering two cameras: the first sign's id."""
    s.add(PublicNotice(operator="Council CCTV", contact_point="cctv@example.gov.uk"))
    s.add_all([PublishedSystem(system_id=system.id, purpose="Crime prevention") for system in systems])
    signs = [Sign(place=f"Sign {i}", town="High Wycombe", wording="CCTV in operation") for i in range(count)]
    s.add_all(signs)
    s.flush()
    s.add_all([SignCamera(sign_id=sign.id, camera_id=camera.id)
               for i, sign in enumerate(signs) for camera in cameras[2 * i:2 * i + 2]])
    s.flush()
    return signs[0].id


def _systems(s: Session, community_safety: int, parking: int, count: int) -> list[CameraSystem]:
    systems = [CameraSystem(name=f"System {i}", service_area_id=community_safety if i % 2 else parking)
               for i in range(count)]
    s.add_all(systems)
    s.flush()
    return systems


def _cameras(s: Session, systems: list[CameraSystem], count: int, now: datetime) -> list[Camera]:
    kinds = [CameraKind.PUBLIC_SPACE_FIXED, CameraKind.PUBLIC_SPACE_PTZ, CameraKind.CAR_PARK]
    cameras = []
    for i in range(count):
        system = systems[i % len(systems)]
        cameras.append(Camera(
            asset_id=f"B-{i:04d}", name=f"Camera {i}", service_area_id=system.service_area_id, system_id=system.id,
            kind=kinds[i % len(kinds)], location_text=f"Street {i}", town=("High Wycombe", "Aylesbury")[i % 2],
            longitude=-0.75 + i / 10_000, latitude=51.63 + i / 10_000, install_date=date(2012 + i % 10, 5, 1),
            funding_source=FundingSource.NCIL, manufacturer="Axis", model="Q6155"))
    s.add_all(cameras)
    s.flush()
    s.add_all(CameraMove(camera_id=c.id, moved_at=now - timedelta(days=30), from_location_text="Old street",
                         to_location_text=c.location_text, to_town=c.town, moved_by="fixture") for c in cameras)
    return cameras


def _faults(s: Session, cameras: list[Camera], now: datetime) -> list[Fault]:
    faults = [Fault(camera_id=c.id, description=f"Fault {i}", opened_at=now - timedelta(days=i % 20 + 1),
                    target_fix_by=now + timedelta(hours=4), reported_by="fixture",
                    fixed_at=now - timedelta(hours=1) if i % 2 else None)
              for i, c in enumerate(cameras)]
    s.add_all(faults)
    s.flush()
    return faults


def _funding(s: Session, cameras: list[Camera], count: int) -> int:
    awards = [Funding(reference=f"AWARD-{i}", source=FundingSource.CAPITAL, amount=Decimal("10000.00") + i,
                      awarded_on=date(2024, 1 + i % 12, 1)) for i in range(count)]
    s.add_all(awards)
    s.flush()
    s.add_all(FundingCamera(funding_id=award.id, camera_id=camera.id)
              for i, award in enumerate(awards) for camera in cameras[i::len(awards)])
    return awards[0].id


def _upkeep(s: Session, parking: int, cameras: list[Camera], faults: list[Fault], count: int, now: datetime) -> int:
    """Contracts with PPM schedules and faults assigned, each camera's costs, body-worn devices half of them out
    (some overdue): the first contract's id."""
    contracts = [MaintenanceContract(reference=f"MC-{i}", contractor=f"Contractor {i}", starts_on=date(2024, 4, 1),
                                     ends_on=date(2030, 3, 31)) for i in range(count)]
    s.add_all(contracts)
    s.flush()
    s.add_all(PpmSchedule(contract_id=c.id, title=f"Visit {i}", next_due_on=now.date() + timedelta(days=i - 2))
              for i, c in enumerate(contracts))
    for i, fault in enumerate(faults):
        fault.contract_id = contracts[i % len(contracts)].id
    s.add_all(CameraLifecycle(camera_id=c.id, purchase_cost=Decimal("2000") + i, installation_cost=Decimal("500"),
                              annual_maintenance_cost=Decimal("100")) for i, c in enumerate(cameras))
    devices = [Camera(asset_id=f"BWV-{i:03d}", name=f"Body-worn {i}", service_area_id=parking,
                      kind=CameraKind.BODY_WORN) for i in range(count * 2)]
    s.add_all(devices)
    s.flush()
    s.add_all(BodyWornIssue(camera_id=d.id, officer_name=f"Officer {i}", issued_at=now - timedelta(hours=12),
                            due_back_at=now + timedelta(hours=i - 3)) for i, d in enumerate(devices[::2]))
    return contracts[0].id


def _dpias(s: Session, systems: list[CameraSystem], *, risks: int) -> list[tuple[int, int]]:
    """Each system's signed-off v1 and draft v2, each with `risks` risks: their ids."""
    ids = []
    for system in systems:
        v1 = register.start_dpia(s, system.id, actor="fixture")
        register.update_draft(s, v1.id, DpiaBase(
            need="n", processing="p", evidence="e", consultation="c", necessity="x", measures_approved_by="A",
            residual_risk_approved_by="B", dpo_name="D", dpo_advice="ok", dpo_advice_accepted=True, reviewer="R"),
            actor="fixture")
        for i in range(risks):
            register.add_risk(s, v1.id, DpiaRiskBase(description=f"Risk {i}"))
        register.sign_off(s, v1.id, actor="fixture", today=date(2025, 1, 15))
        v2 = register.start_dpia(s, system.id, actor="fixture", reason="yearly review")
        ids.append((v1.id, v2.id))
    return ids


def _assessment(s: Session, *, actions: int) -> int:
    assessment = selfassessment.start_assessment(s, actor="fixture", today=date(2026, 1, 15))
    for principle in range(1, 13):
        selfassessment.save_answer(s, assessment.id, principle, PrincipleAnswer.PARTLY, "evidence")
    for i in range(actions):
        selfassessment.add_action(s, assessment.id, ActionBase(principle=1 + i % 12, action=f"Action {i}",
                                                               owner="DPO", due_on=date(2026, 6, 1)))
    return assessment.id


def _incidents(s: Session, room: ControlRoom, cameras: list[Camera], day: date, count: int, now: datetime) -> list[int]:
    """`count` incidents from 08:00 on the London day, each with two cameras; a fifth flagged for retention."""
    start = datetime.combine(day, time(8), LONDON)
    step = timedelta(minutes=15 * 60 // count)
    ids = []
    for i in range(count):
        data = IncidentCreate(occurred_at=(start + i * step).astimezone(UTC), category="theft", arrests=i % 2,
                              arrest_offences="Theft" if i % 2 else "",
                              location_text=f"Street {i}",
                              camera_ids=[cameras[i % len(cameras)].id, cameras[(i + 1) % len(cameras)].id])
        ids.append(incidents.log_incident(s, data, room=room, operator="operator", now=now).id)
    s.exec(update(Incident).where(Incident.id.in_(ids[::5])).values(retention_flagged_at=now))
    return ids


def _evidence(s: Session, incident_ids: list[int], cameras: list[Camera], count: int, now: datetime) -> list[int]:
    ids = []
    for i in range(count):
        request = evidence.record_request(
            s, EvidenceRequestBase(requesting_officer=f"PC {i}", incident_id=incident_ids[i],
                                   window_start=now - timedelta(hours=3), window_end=now - timedelta(hours=2)),
            [cameras[i].id, cameras[i + 1].id], actor="operator", now=now)
        s.add_all(EvidenceMedia(evidence_id=request.id, media_id=f"DISC-{i}-{n}", sha256=f"{i:02d}{n}" * 16,
                                added_by="operator", added_at=now) for n in range(2))
        if i % 2:
            request.produced_at, request.produced_by = now - timedelta(hours=1), "operator"
            s.add(request)
        ids.append(request.id)
    s.flush()
    return ids


def _disclosures(s: Session, evidence_ids: list[int], today: date) -> list[int]:
    kinds = [DisclosureKind.POLICE, DisclosureKind.SUBJECT_ACCESS, DisclosureKind.FOI]
    return [disclosure.open_disclosure(
        s, DisclosureBase(kind=kinds[i % 3], requester=f"Requester {i}", received_on=today - timedelta(days=i),
                          evidence_id=evidence_id if i % 3 == 0 else None), actor="dpo").id
        for i, evidence_id in enumerate(evidence_ids)]


def _shifts(s: Session, room_id: int, faults: list[Fault], count: int, now: datetime) -> None:
    """Signed-off shifts, one after another, each with two of the faults."""
    hours = timedelta(hours=8)
    shifts = [Shift(control_room_id=room_id, operators="operator,supervisor", started_by="operator",
                    started_at=now - (count - i) * hours, ended_at=now - (count - i - 1) * hours,
                    handover_notes=f"Handover {i}", signed_by="supervisor", signed_at=now)
              for i in range(count)]
    s.add_all(shifts)
    s.flush()
    s.add_all(ShiftFault(shift_id=shift.id, fault_id=fault.id)
              for i, shift in enumerate(shifts) for fault in faults[2 * i:2 * i + 2])


def _siting(s: Session, count: int) -> tuple[int, list[int]]:
    """Candidate sites near Frogmoor and two saved runs scoring them: the first site's id and the runs' ids."""
    east, north = FROGMOOR
    sites = [add_site(s, Site.at(f"s{i}", east + 50 * i, north, f"Site {i}"), source=SiteSource.TYPED,
                      actor="fixture") for i in range(count)]
    crimes = CrimeSet.from_columns([east] * 3, [north] * 3, ["2025-12"] * 3, ["Burglary"] * 3)
    runs = [save_run(s, score_sites(crimes, [site.to_model() for site in sites]), actor="fixture", title=f"Run {n}")
            for n in range(2)]
    return sites[0].id, [run.id for run in runs]


def _crimes(s: Session, imports: int, crimes: int) -> None:
    months = [date(2025, 1 + i % 12, 1) for i in range(imports)]
    each = crimes // imports
    records = [CrimeImport(imported_by="fixture", files_json=f'["{month:%Y-%m}-street.csv"]', rows_read=each,
                           added=each, months_json=f'["{month:%Y-%m}"]', first_month=month, last_month=month)
               for month in months]
    s.add_all(records)
    s.flush()
    east, north = FROGMOOR
    s.add_all(Crime(dedup_key=f"crime-{i}", crime_id=f"crime-{i}", month=date(2025, 1 + i % 12, 1),
                    category=("burglary", "shoplifting", "violent-crime")[i % 3], longitude=-0.7493, latitude=51.6295,
                    easting=east + i, northing=north + i, location="On or near High Street",
                    import_id=records[i % imports].id) for i in range(crimes))
    s.flush()
    refresh_packs(s.connection())  # the months packed for the model, as an import packs them


def _accounts(s: Session, parking: int, count: int) -> str:
    """More accounts (each looking after Parking, with a token) and inbox messages for the admin; the admin's
    own API token."""
    users = [User(username=f"user{i}", full_name=f"User {i}", role=Role.SERVICE_MANAGER, password_hash="x")
             for i in range(count)]
    s.add_all(users)
    s.flush()
    s.add_all(UserServiceArea(user_id=user.id, service_area_id=parking) for user in users)
    s.add_all(ApiToken(user_id=user.id, name=f"feed {user.id}", token_hash=f"{user.id:064d}",
                       prefix=f"cctv_{user.id}") for user in users)
    admin = s.exec(select(User).where(User.username == Role.ADMIN.value)).one()
    s.add_all(InboxMessage(user_id=admin.id, reminder_key=f"review:{i}", subject=f"Reminder {i}",
                           link="/dpia") for i in range(count))
    _, plain = issue_token(s, admin, "budgets")
    return plain
