"""The replacement programme: each camera placed in the financial year it reaches its expected life, with totals by
year, service area and funding source worked out by hand below."""

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from inventory.funding import record_funding, withdraw_funding
from inventory.lifecycle import financial_year, programme_rows, replacement_programme, save_lifecycle, year_label
from inventory.models import Camera, FundingCreate
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus, FundingSource
from inventory.upkeep_models import CameraLifecycleBase
from tests.conftest import Estate

EVERYTHING = CameraScope.everything()
OVERT = CameraScope(include_covert=False)
TODAY = date(2026, 6, 15)  # financial year 2026/27
ESTIMATES = {CameraKind.PUBLIC_SPACE_PTZ: Decimal("5500"), CameraKind.CAR_PARK: Decimal("3000")}


def _estate(session: Session, estate: Estate) -> None:
    """CS-001 (fixed, installed May 2012, life 10: due 2022/23, so the 2026/27 backlog) cost 2,400 + 800 recorded;
    PARK-001 (car park, March 2021, life 10: due March 2031, financial year 2030/31) no cost: the 3,000 estimate;
    CS-002 (deployable, April 2024, its own life 3: due April 2027, 2027/28) purchase 5,000 recorded;
    CS-003 (PTZ, January 2020, life 8: due January 2028, 2027/28) no cost: the 5,500 estimate;
    CS-004 decommissioned: never in the programme. The covert camera has no install date."""
    town = session.get(Camera, estate.town_camera)
    town.funding_source = FundingSource.COUNCIL_BUDGET
    session.add_all([
        Camera(asset_id="CS-002", name="Deployable 1", service_area_id=estate.community_safety,
               kind=CameraKind.DEPLOYABLE, install_date=date(2024, 4, 1)),
        Camera(asset_id="CS-003", name="Market PTZ", service_area_id=estate.community_safety,
               kind=CameraKind.PUBLIC_SPACE_PTZ, install_date=date(2020, 1, 15)),
        Camera(asset_id="CS-004", name="Old one", service_area_id=estate.community_safety,
               kind=CameraKind.PUBLIC_SPACE_FIXED, install_date=date(2005, 1, 1), status=CameraStatus.DECOMMISSIONED),
    ])
    session.flush()
    save_lifecycle(session, EVERYTHING, town, CameraLifecycleBase(purchase_cost=Decimal("2400"),
                                                                   installation_cost=Decimal("800")))
    deployable = session.exec(select(Camera).where(Camera.asset_id == "CS-002")).one()
    save_lifecycle(session, EVERYTHING, deployable, CameraLifecycleBase(purchase_cost=Decimal("5000"),
                                                                         expected_life_years=3))
    session.commit()


def test_financial_years_start_in_april() -> None:
    assert financial_year(date(2027, 3, 31)) == 2026 and financial_year(date(2027, 4, 1)) == 2027
    assert year_label(2026) == "2026/27" and year_label(2099) == "2099/00"


def test_the_programme_totals_by_year_area_and_source(session: Session, estate: Estate) -> None:
    _estate(session, estate)
    award = record_funding(session, EVERYTHING, FundingCreate(
        reference="S106-9", source=FundingSource.S106, amount=Decimal("4000"), awarded_on=date(2021, 2, 1),
        camera_ids=[estate.car_park_camera]))
    programme = replacement_programme(session, EVERYTHING, today=TODAY, cost_estimates=ESTIMATES)

    assert programme.years == list(range(2026, 2036))
    totals = programme.total_by_year()
    assert {year: total for year, total in totals.items() if total} == {
        2026: Decimal("3200"), 2027: Decimal("10500"), 2030: Decimal("3000")}
    assert programme.by_service_area() == {
        "Community Safety": {y: {2026: Decimal("3200"), 2027: Decimal("10500")}.get(y, Decimal(0))
                             for y in programme.years},
        "Parking Services": {y: Decimal("3000") if y == 2030 else Decimal(0) for y in programme.years},
    }
    by_source = {source: {y: t for y, t in years.items() if t} for source, years in programme.by_funding().items()}
    assert by_source == {"Council budget": {2026: Decimal("3200")}, "Section 106": {2030: Decimal("3000")},
                         "not recorded": {2027: Decimal("10500")}}
    overdue = [item.asset_id for item in programme.items if item.overdue]
    assert overdue == ["CS-001"]
    assert programme.estimated_count() == 2 and programme.undated == 1  # the covert camera: no install date

    # Withdrawn, the S106 award no longer pays for the car-park camera.
    withdraw_funding(session, award, on=date(2026, 6, 1), reason="Developer defaulted")
    again = replacement_programme(session, EVERYTHING, today=TODAY, cost_estimates=ESTIMATES)
    assert "Section 106" not in again.by_funding()


def test_a_shorter_horizon_leaves_later_cameras_out_and_covert_stays_hidden(session: Session,
                                                                            estate: Estate) -> None:
    _estate(session, estate)
    short = replacement_programme(session, OVERT, today=TODAY, years=3, cost_estimates=ESTIMATES)
    assert short.years == [2026, 2027, 2028]
    assert sum(short.total_by_year().values()) == Decimal("13700")  # 3,200 + 10,500; PARK-001 is later
    assert (short.later, short.undated) == (1, 0)  # the covert camera is not even counted for this user


def test_the_csv_rows_carry_numbers_and_the_year(session: Session, estate: Estate) -> None:
    _estate(session, estate)
    rows = programme_rows(replacement_programme(session, EVERYTHING, today=TODAY, cost_estimates=ESTIMATES))
    assert rows[0][:2] == ["financial_year", "asset_id"]
    assert [(r[0], r[1], r[9], r[10]) for r in rows[1:]] == [
        ("2026/27", "CS-001", Decimal("3200"), "no"), ("2027/28", "CS-002", Decimal("5000"), "no"),
        ("2027/28", "CS-003", Decimal("5500"), "yes"), ("2030/31", "PARK-001", Decimal("3000"), "yes")]
