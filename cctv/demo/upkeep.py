"""The demo estate's upkeep: a maintenance contract its faults go to, PPM schedules (one due, one overdue), costs
recorded for the public-space cameras, and body-worn devices out with officers (two overdue back). Illustrative."""

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select, update

from inventory.models import Camera, Fault
from inventory.types import PUBLIC_SPACE_KINDS, CameraKind, CameraStatus
from inventory.upkeep_models import BodyWornIssue, CameraLifecycle, MaintenanceContract, PpmSchedule

COSTS = {CameraKind.PUBLIC_SPACE_FIXED: (2400, 900), CameraKind.PUBLIC_SPACE_PTZ: (4200, 1300),
         CameraKind.DEPLOYABLE: (6500, 600), CameraKind.CAR_PARK: (1900, 700)}  # (purchase, installation) £
OFFICERS = ("CEO 104 Patel", "CEO 117 Hughes", "CEO 121 Okafor", "CEO 133 Brennan", "CEO 140 Walsh",
            "EO 12 Singh", "EO 19 Clarke", "EO 23 Novak", "EO 31 Ahmed", "EO 37 Fraser")


def create_demo_upkeep(session: Session, cameras: list[Camera], *, today: date, now: datetime, seed: int) -> None:
    """Add the upkeep records; its own random stream, so the rest of the demo is as it was."""
    rng = random.Random(seed + 18)
    contract = MaintenanceContract(
        reference="DEMO-MC-2023", contractor="Demo Maintenance Ltd", starts_on=date(2023, 4, 1),
        ends_on=date(2028, 3, 31), contact_name="Service desk", contact_phone="01494 000000",
        contact_email="servicedesk@example.invalid", annual_value=Decimal("68000"),
        notes="Illustrative demo contract: maintenance of the public-space and car-park cameras.")
    session.add(contract)
    session.flush()
    session.exec(update(Fault).where(col(Fault.opened_at) >= datetime(2023, 4, 1, tzinfo=UTC))
                 .values(contract_id=contract.id))  # the faults since the contract began
    session.add_all([
        PpmSchedule(contract_id=contract.id, title="Clean domes and check focus", covers="Town-centre cameras",
                    interval_months=3, next_due_on=today + timedelta(days=5), remind_days_before=14),
        PpmSchedule(contract_id=contract.id, title="Annual health check and NVR test", covers="Every recorder",
                    interval_months=12, next_due_on=today - timedelta(days=10), remind_days_before=30),
        PpmSchedule(contract_id=contract.id, title="Car-park column inspection", covers="Car-park cameras",
                    interval_months=6, next_due_on=today + timedelta(days=60), remind_days_before=14),
    ])
    for camera in cameras:
        if camera.kind in PUBLIC_SPACE_KINDS and camera.status != CameraStatus.DECOMMISSIONED and rng.random() < 0.7:
            purchase, install = COSTS[CameraKind(camera.kind)]
            session.add(CameraLifecycle(
                camera_id=camera.id, purchase_cost=Decimal(purchase + rng.randint(-200, 200)),
                installation_cost=Decimal(install), annual_maintenance_cost=Decimal(rng.choice((120, 150, 180))),
                warranty_provider="Demo Maintenance Ltd",
                warranty_ends_on=camera.install_date.replace(year=camera.install_date.year + 3)
                if camera.install_date else None))
    devices = session.exec(select(Camera).where(Camera.kind == CameraKind.BODY_WORN,
                                                col(Camera.status) == CameraStatus.OPERATIONAL)
                           .order_by(col(Camera.asset_id))).all()
    for index, (device, officer) in enumerate(zip(devices, OFFICERS, strict=False)):
        issued = now - timedelta(hours=rng.randint(2, 9) if index >= 2 else 30 + index)
        session.add(BodyWornIssue(camera_id=device.id, officer_name=officer, issued_at=issued, issued_by="supervisor",
                                  due_back_at=issued + timedelta(hours=10), notes="Illustrative demo issue"))
