"""The camera register's list: filters alone and combined, pages, minimum age and end of life."""

from datetime import date

import pytest
from sqlmodel import Session

from inventory.cameras import CameraFilter, list_cameras
from inventory.lifecycle import past_life, save_lifecycle
from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus
from inventory.upkeep_models import CameraLifecycleBase
from tests.conftest import Estate

EVERYTHING = CameraScope.everything()
TODAY = date(2025, 6, 15)


def add_cameras(session: Session, estate: Estate) -> None:
    """Five more cameras of known areas, kinds, statuses, towns and install dates."""
    more = [
        ("CS-002", estate.community_safety, CameraKind.PUBLIC_SPACE_PTZ, CameraStatus.FAULTY, "Marlow",
         "Spittal Street", date(2015, 6, 15), "Hikvision dome"),
        ("CS-003", estate.community_safety, CameraKind.DEPLOYABLE, CameraStatus.IN_STORAGE, "Aylesbury",
         "Depot", date(2015, 6, 16), ""),
        ("CS-004", estate.community_safety, CameraKind.PUBLIC_SPACE_FIXED, CameraStatus.OPERATIONAL, "Marlow",
         "West Street", None, "near the Frogmoor-style fountain"),
        ("PARK-002", estate.parking, CameraKind.CAR_PARK, CameraStatus.DECOMMISSIONED, "Marlow",
         "Pound Lane car park", date(2009, 1, 1), ""),
        ("PARK-003", estate.parking, CameraKind.ANPR, CameraStatus.OPERATIONAL, "Aylesbury",
         "Waterside entrance", date(2020, 6, 15), ""),
    ]
    for asset_id, area, kind, status, town, where, installed, notes in more:
        session.add(Camera(asset_id=asset_id, name=f"{town} {where}", service_area_id=area, kind=kind, status=status,
                           town=town, location_text=where, install_date=installed, notes=notes))
    session.commit()


def ids(session: Session, filt: CameraFilter, scope: CameraScope = EVERYTHING, **kwargs: object) -> list[str]:
    """The asset ids on the first page of the filtered list."""
    page = list_cameras(session, scope, filt, today=TODAY, per_page=100, **kwargs)
    assert page.total == len(page.items)
    return [c.asset_id for c in page.items]


def test_the_list_is_in_asset_id_order_and_counts_everything_visible(session: Session, estate: Estate) -> None:
    add_cameras(session, estate)
    assert ids(session, CameraFilter()) == ["CS-001", "CS-002", "CS-003", "CS-004", "PARK-001", "PARK-002",
                                            "PARK-003", "PARK-COV-1"]


def test_filters_alone_and_combined(session: Session, estate: Estate) -> None:
    add_cameras(session, estate)
    cases: list[tuple[str, CameraFilter, list[str]]] = [
        ("area", CameraFilter(service_area_id=estate.parking), ["PARK-001", "PARK-002", "PARK-003", "PARK-COV-1"]),
        ("kind", CameraFilter(kind=CameraKind.PUBLIC_SPACE_FIXED), ["CS-001", "CS-004"]),
        ("status", CameraFilter(status=CameraStatus.OPERATIONAL),
         ["CS-001", "CS-004", "PARK-001", "PARK-003", "PARK-COV-1"]),
        ("town", CameraFilter(town="Marlow"), ["CS-002", "CS-004", "PARK-002"]),
        ("town and status", CameraFilter(town="Marlow", status=CameraStatus.FAULTY), ["CS-002"]),
        ("area and town", CameraFilter(service_area_id=estate.community_safety, town="Aylesbury"), ["CS-003"]),
        ("area and kind", CameraFilter(service_area_id=estate.community_safety, kind=CameraKind.CAR_PARK), []),
        ("q in name and notes", CameraFilter(q="frogmoor"), ["CS-001", "CS-004"]),
        ("q in asset id, trimmed", CameraFilter(q="  park-00 "), ["PARK-001", "PARK-002", "PARK-003"]),
        ("q in name and location", CameraFilter(q="car park"), ["PARK-001", "PARK-002"]),
        ("q with a town", CameraFilter(q="street", town="Aylesbury"), ["PARK-001"]),
        ("q matching nothing", CameraFilter(q="nowhere at all"), []),
        ("empty q is no filter", CameraFilter(q=""), ids(session, CameraFilter())),
    ]
    for label, filt, expected in cases:
        assert ids(session, filt) == expected, label


def test_minimum_age_counts_whole_years_to_the_day(session: Session, estate: Estate) -> None:
    add_cameras(session, estate)
    # today 2025-06-15: CS-002 installed 2015-06-15 is exactly 10; CS-003 (2015-06-16) is one day short
    assert ids(session, CameraFilter(min_age_years=10)) == ["CS-001", "CS-002", "PARK-002"]
    assert ids(session, CameraFilter(min_age_years=5)) == ["CS-001", "CS-002", "CS-003", "PARK-002", "PARK-003"]
    assert ids(session, CameraFilter(min_age_years=14)) == ["PARK-002"]


def test_end_of_life_is_each_kinds_expected_life(session: Session, estate: Estate) -> None:
    """Today 2025-06-15, default lives: fixed 10 (CS-001, 2012), PTZ 8 (CS-002, 2015), deployable 5 (CS-003, 2015-06-16:
    five years were up on 2020-06-16), car park 10 (PARK-002 of 2009 past, PARK-001 of 2021 not), ANPR 8 (PARK-003,
    2020: not yet)."""
    add_cameras(session, estate)
    eol = ids(session, CameraFilter(end_of_life=True))
    not_eol = ids(session, CameraFilter(end_of_life=False))
    assert eol == ["CS-001", "CS-002", "CS-003", "PARK-002"]
    # cameras with no install date are not end of life
    assert not_eol == ["CS-004", "PARK-001", "PARK-003", "PARK-COV-1"]
    page = list_cameras(session, EVERYTHING, CameraFilter(), today=TODAY)
    assert {c.asset_id for c in page.items if c.id in page.past_life} == set(eol)  # the badge agrees with the filter
    council = {CameraKind.CAR_PARK: 20, CameraKind.ANPR: 5}  # ANPR 5: 2020-06-15 is exactly five years ago
    assert ids(session, CameraFilter(end_of_life=True), life_years=council) == ["CS-001", "CS-002", "CS-003",
                                                                               "PARK-003"]


def test_a_cameras_own_expected_life_wins_over_its_kinds(session: Session, estate: Estate) -> None:
    """CS-001 (fixed, 2012-05-01) is given 15 years: not past until 2027. PARK-001 (car park, 2021-03-01) is given
    4: past since 2025-03-01. The list, its filter and the flag on one camera agree."""
    add_cameras(session, estate)
    for camera_id, years in ((estate.town_camera, 15), (estate.car_park_camera, 4)):
        save_lifecycle(session, EVERYTHING, session.get(Camera, camera_id),
                       CameraLifecycleBase(expected_life_years=years))
    session.commit()
    assert ids(session, CameraFilter(end_of_life=True)) == ["CS-002", "CS-003", "PARK-001", "PARK-002"]
    assert ids(session, CameraFilter(end_of_life=False)) == ["CS-001", "CS-004", "PARK-003", "PARK-COV-1"]
    page = list_cameras(session, EVERYTHING, CameraFilter(q="001"), today=TODAY)
    assert {c.asset_id for c in page.items if c.id in page.past_life} == {"PARK-001"}
    own = CameraLifecycleBase(expected_life_years=4)
    assert past_life(session.get(Camera, estate.car_park_camera), own, TODAY)
    assert not past_life(session.get(Camera, estate.car_park_camera), own, date(2025, 2, 28))


def test_pagination_gives_totals_and_pages(session: Session, estate: Estate) -> None:
    add_cameras(session, estate)  # 8 cameras
    first = list_cameras(session, EVERYTHING, CameraFilter(), today=TODAY, page=1, per_page=3)
    third = list_cameras(session, EVERYTHING, CameraFilter(), today=TODAY, page=3, per_page=3)
    beyond = list_cameras(session, EVERYTHING, CameraFilter(), today=TODAY, page=9, per_page=3)
    assert (first.total, first.pages) == (8, 3)
    assert [c.asset_id for c in first.items] == ["CS-001", "CS-002", "CS-003"]
    assert [c.asset_id for c in third.items] == ["PARK-003", "PARK-COV-1"]
    assert (beyond.total, beyond.items) == (8, [])
    filtered = list_cameras(session, EVERYTHING, CameraFilter(town="Marlow"), today=TODAY, page=2, per_page=2)
    assert (filtered.total, filtered.pages, [c.asset_id for c in filtered.items]) == (3, 2, ["PARK-002"])
    nothing = list_cameras(session, EVERYTHING, CameraFilter(q="nowhere"), today=TODAY, per_page=3)
    assert (nothing.total, nothing.pages, nothing.items) == (0, 1, [])


def test_a_page_number_below_one_is_the_first_page(session: Session, estate: Estate) -> None:
    page = list_cameras(session, EVERYTHING, CameraFilter(), today=TODAY, page=0, per_page=2)
    assert page.page == 1
    assert [c.asset_id for c in page.items] == ["CS-001", "PARK-001"]


# --- end of life ----------------------------------------------------------------------------------------------


def installed(on: date | None) -> Camera:
    """An unsaved camera installed on a day."""
    return Camera(asset_id="T", name="T", service_area_id=1, kind=CameraKind.PUBLIC_SPACE_FIXED, install_date=on)


@pytest.mark.parametrize(
    ("install", "today", "eol"),
    [
        (date(2015, 6, 15), date(2025, 6, 15), True),  # exactly ten years to the day
        (date(2015, 6, 16), date(2025, 6, 15), False),  # one day short
        (date(2015, 6, 14), date(2025, 6, 15), True),
        (date(2014, 2, 28), date(2024, 2, 29), True),  # today a leap day: ten years ago is 28 February
        (date(2014, 3, 1), date(2024, 2, 29), False),
        (date(2016, 2, 29), date(2026, 2, 28), False),  # installed on a leap day: ten years on 1 March
        (date(2016, 2, 29), date(2026, 3, 1), True),
        (date(2016, 2, 29), date(2036, 2, 29), True),
        (None, date(2025, 6, 15), False),
    ],
)
def test_end_of_life_boundaries(install: date | None, today: date, eol: bool) -> None:
    assert past_life(installed(install), None, today) is eol  # a fixed camera: ten years


def test_end_of_life_age_is_configurable_by_kind() -> None:
    camera = installed(date(2018, 6, 15))
    assert not past_life(camera, None, date(2025, 6, 15))
    assert past_life(camera, None, date(2025, 6, 15), {CameraKind.PUBLIC_SPACE_FIXED: 7})
    assert not past_life(camera, None, date(2025, 6, 14), {CameraKind.PUBLIC_SPACE_FIXED: 7})
    assert not past_life(camera, None, date(2025, 6, 15), {CameraKind.CAR_PARK: 7})  # another kind's figure


def test_the_list_filter_agrees_with_the_end_of_life_flag_on_a_leap_day(session: Session, estate: Estate) -> None:
    for asset_id, installed_on in (("L-1", date(2014, 2, 28)), ("L-2", date(2014, 3, 1)), ("L-3", date(2014, 2, 27))):
        session.add(Camera(asset_id=asset_id, name=asset_id, service_area_id=estate.community_safety,
                           kind=CameraKind.PUBLIC_SPACE_FIXED, install_date=installed_on))
    session.commit()
    leap_day = date(2024, 2, 29)
    page = list_cameras(session, EVERYTHING, CameraFilter(end_of_life=True, q="L-"), today=leap_day)
    assert [c.asset_id for c in page.items] == ["L-1", "L-3"]
