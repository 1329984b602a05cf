"""The camera list: its filters, the filter form, the end-of-life badge, and paging."""

import re
from datetime import date

import pytest
from flask import Flask
from sqlmodel import Session

from inventory.models import Camera
from inventory.types import CameraKind, CameraStatus
from tests.web.inventory.test_camera_pages import listed

pytestmark = pytest.mark.usefixtures("quick_app")


@pytest.fixture
def more_cameras(app: Flask, app_session: Session) -> None:
    estate = app.config["TEST_ESTATE"]
    app_session.add_all([
        Camera(asset_id="CS-002", name="Chesham Broadway", service_area_id=estate.community_safety,
               kind=CameraKind.DEPLOYABLE, status=CameraStatus.FAULTY, town="Chesham",
               location_text="The Broadway", notes="near the bus station", install_date=date(2024, 1, 1)),
        Camera(asset_id="PARK-002", name="Friars Square level 2", service_area_id=estate.parking,
               kind=CameraKind.CAR_PARK, status=CameraStatus.IN_STORAGE, town="Aylesbury",
               install_date=date(2009, 1, 1)),
    ])
    app_session.commit()


LIST_FILTERS = [
    ({}, ["CS-001", "CS-002", "PARK-001", "PARK-002"]),
    ({"service_area": "CS"}, ["CS-001", "CS-002"]),
    ({"kind": "car_park"}, ["PARK-001", "PARK-002"]),
    ({"status": "faulty"}, ["CS-002"]),
    ({"town": "Aylesbury"}, ["PARK-001", "PARK-002"]),
    ({"q": "BUS STATION"}, ["CS-002"]),  # notes, any case
    ({"q": "frogmoor"}, ["CS-001"]),  # name
    ({"q": "PARK-00"}, ["PARK-001", "PARK-002"]),  # asset id
    ({"q": "broadway"}, ["CS-002"]),  # location
    ({"eol": "yes"}, ["CS-001", "PARK-002"]),
    ({"eol": "no"}, ["CS-002", "PARK-001"]),
    ({"min_age": "15"}, ["PARK-002"]),
    ({"town": "Aylesbury", "status": "in_storage"}, ["PARK-002"]),
    ({"service_area": "CS", "eol": "no"}, ["CS-002"]),
    ({"kind": "no-such-kind"}, ["CS-001", "CS-002", "PARK-001", "PARK-002"]),  # unknown value: any
]


def test_list_filters(app: Flask, as_role, more_cameras: None) -> None:
    client = as_role("operator")
    area = str(app.config["TEST_ESTATE"].community_safety)
    wrong = {}
    for query, expected in LIST_FILTERS:
        query = {k: area if v == "CS" else v for k, v in query.items()}
        response = client.get("/cameras", query_string=query)
        shown = (listed(response), f"{len(expected)} found" in response.get_data(as_text=True))
        if shown != (expected, True):
            wrong[str(query)] = shown
    assert wrong == {}


def test_filter_form_shows_the_filter_in_use(as_role, form_view, more_cameras: None) -> None:
    page = form_view(as_role("operator").get("/cameras?kind=car_park&town=Aylesbury&q=level&eol=yes"))
    assert page.choice("kind") == "car_park"
    assert page.choice("eol") == "yes"
    assert page.value("q") == "level"
    assert "Aylesbury" in page.options["town"]


def test_end_of_life_badge_follows_each_kinds_configured_life(app: Flask, as_role, more_cameras: None) -> None:
    """CS-001 is a fixed camera of 2012 and PARK-002 a car-park camera of 2009: past their ten years by default."""
    client = as_role("operator")
    assert listed(client.get("/cameras?eol=yes")) == ["CS-001", "PARK-002"]
    assert _badged(client.get("/cameras").get_data(as_text=True)) == {"CS-001", "PARK-002"}
    app.config["EXPECTED_LIFE_YEARS"] = {"public_space_fixed": 20}
    assert listed(client.get("/cameras?eol=yes")) == ["PARK-002"]
    assert _badged(client.get("/cameras").get_data(as_text=True)) == {"PARK-002"}
    camera_id = app.config["TEST_ESTATE"].car_park_camera  # PARK-001 of 2021, given its own life of 3 years
    admin = as_role("admin")
    assert admin.post(f"/cameras/{camera_id}/lifecycle", data={"expected_life_years": "3"}).status_code == 302
    assert listed(client.get("/cameras?eol=yes")) == ["PARK-001", "PARK-002"]
    assert "Past end of life" in client.get(f"/cameras/{camera_id}").get_data(as_text=True)


def _badged(html: str) -> set[str]:
    """The asset ids of the list's rows that carry the end-of-life badge."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    return {m.group(1) for row in rows if 'class="badge eol"' in row
            for m in [re.search(r">((?:CS|PARK)-[A-Z0-9-]+)<", row)] if m}


@pytest.fixture
def many_cameras(app: Flask, app_session: Session) -> None:
    area = app.config["TEST_ESTATE"].community_safety
    app_session.add_all([
        Camera(asset_id=f"HW-{n:03d}", name=f"Town centre {n}", service_area_id=area,
               kind=CameraKind.PUBLIC_SPACE_FIXED, town="High Wycombe" if n % 2 else "Marlow")
        for n in range(120)
    ])
    app_session.commit()


def test_list_is_paged_fifty_at_a_time(as_role, many_cameras: None) -> None:
    client = as_role("operator")
    pages = [listed(client.get("/cameras", query_string={"q": "HW-", "page": n})) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [a for p in pages for a in p] == [f"HW-{n:03d}" for n in range(120)]  # in order, none twice, none missed
    assert listed(client.get("/cameras", query_string={"q": "HW-", "page": 4})) == []
    assert "Page 2 of 3" in client.get("/cameras?q=HW-&page=2").get_data(as_text=True)


def test_pager_links_keep_the_filters(as_role, many_cameras: None) -> None:
    client = as_role("operator")
    html = client.get("/cameras?town=Marlow&q=HW-").get_data(as_text=True)
    assert "60 found" in html and "Page 1 of 2" in html
    next_link = re.search(r'<a href="([^"]+)">Next', html).group(1).replace("&amp;", "&")
    second = listed(client.get(next_link))
    assert len(second) == 10
    assert all(int(a.removeprefix("HW-")) % 2 == 0 for a in second)  # still Marlow only


def test_list_page_size_is_configurable(app: Flask, as_role, many_cameras: None) -> None:
    app.config["PER_PAGE"] = 25
    client = as_role("operator")
    assert len(listed(client.get("/cameras?q=HW-"))) == 25
    assert "Page 1 of 5" in client.get("/cameras?q=HW-").get_data(as_text=True)


# --- the camera page ------------------------------------------------------------------------------------------
