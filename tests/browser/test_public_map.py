"""In real headless Chromium, signed out: the public page's map shows the published public-space cameras and never a
covert or unpublished one, and says where it is with no tile server (the council's own labels); a tile server that
does not answer costs one probe request, not a stream of failing tiles."""

import json
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import expect

from cctv.transparency.models import PublishedSystem
from inventory.models import Camera, CameraSystem
from inventory.types import CameraKind, CameraStatus
from siting.store.tables import Crime, CrimeImport
from siting.store.wards import set_wards
from tests.browser.conftest import LiveServer, Tab, sign_in, start_server
from tests.conftest import build_app

pytestmark = pytest.mark.browser

DEAD_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens on the discard port: no tile ever loads


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app with a tile URL that never answers, a published system holding a public-space camera and a covert
    one, an unpublished system's public-space camera, and police.uk crimes on two streets."""
    path = tmp_path_factory.mktemp("public-map") / "app.sqlite3"
    app = build_app(f"sqlite:///{path}", MAP_TILE_URL=DEAD_TILES)
    estate = app.config["TEST_ESTATE"]
    with app.extensions["cctv_db"].session("fixture") as s:
        published = CameraSystem(name="Town centre", service_area_id=estate.community_safety)
        hidden = CameraSystem(name="Not yet public", service_area_id=estate.community_safety)
        s.add_all([published, hidden])
        s.flush()
        for camera_id in (estate.town_camera, estate.covert_camera):
            camera = s.get(Camera, camera_id)
            camera.system_id = published.id
            s.add(camera)
        s.add(Camera(asset_id="CS-UNPUB", name="Unpublished", service_area_id=estate.community_safety,
                     kind=CameraKind.PUBLIC_SPACE_FIXED, status=CameraStatus.OPERATIONAL, town="High Wycombe",
                     longitude=-0.752, latitude=51.630, system_id=hidden.id))
        s.add(PublishedSystem(system_id=published.id, purpose="Preventing and detecting crime"))
        ring = [[-0.80, 51.60], [-0.70, 51.60], [-0.70, 51.66], [-0.80, 51.66], [-0.80, 51.60]]
        set_wards(s, json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
            "WD23NM": "Abbey"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), actor="fixture")
        crimes = CrimeImport()
        s.add(crimes)
        s.flush()
        for i, (street, lon) in enumerate([("On or near Frogmoor", -0.7495)] * 3 + [("On or near Oxford Road", -0.76)]):
            s.add(Crime(dedup_key=f"k{i}", month=date(2025, 3, 1), category="burglary", longitude=lon,
                        latitude=51.6296, location=street, import_id=crimes.id))
        s.commit()
    live = start_server(app)
    yield live
    live.stop()
    app.extensions["cctv_db"].engine.dispose()


def test_signed_out_the_public_map_shows_published_public_cameras_only(tab: Tab) -> None:
    page = tab.page
    page.goto("/public")
    expect(page.locator("#map[data-loaded]")).to_have_count(1)
    assert page.locator("#map").get_attribute("data-loaded") == "1"
    expect(page.locator("path.camera-marker[data-asset-id='CS-001']")).to_have_count(1)
    for hidden in ("PARK-COV-1", "CS-UNPUB", "PARK-001"):
        assert page.locator(f"path.camera-marker[data-asset-id='{hidden}']").count() == 0
    page.locator("path.camera-marker[data-asset-id='CS-001']").dispatch_event("click")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Purpose: Preventing and detecting crime")
    html = page.content()
    assert "PARK-COV-1" not in html and "Fly-tipping hide" not in html and "CS-UNPUB" not in html
    assert page.locator("a[href='/login']").count() == 0 and "/public" in page.url  # no sign-in asked for


def test_without_tiles_the_map_is_labelled_from_the_apps_own_data(tab: Tab) -> None:
    page = tab.page
    page.goto("/public")
    expect(page.locator("#map[data-tiles-state='unavailable']")).to_have_count(1)
    expect(page.locator("#map-note")).to_contain_text("No background map could be loaded")
    expect(page.locator(".map-label-town", has_text="High Wycombe")).to_have_count(1)
    assert page.locator(".leaflet-tile").count() == 0
    tiles = [url for url in tab.outside_requests if url.startswith("http://127.0.0.1:9/")]
    assert len(tiles) == 1, tab.outside_requests  # the one probe: no failing tile per grid square


def test_signed_out_the_wards_imported_once_are_outlined_with_no_wards_file(tab: Tab) -> None:
    page = tab.page
    page.goto("/public")
    expect(page.locator("#map[data-context-state='loaded']")).to_have_count(1)
    for _ in range(12):  # wards are labelled from zoom 12; a click during a zoom animation is dropped
        if int(page.locator("#map").get_attribute("data-zoom") or 0) >= 12:
            break
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(400)
    expect(page.locator(".map-label-ward", has_text="Abbey")).to_have_count(1)


def test_signed_in_map_has_street_labels_close_in(tab: Tab) -> None:
    page = tab.page
    sign_in(page, "operator")
    page.goto("/map")
    expect(page.locator("#map[data-context-state='loaded']")).to_have_count(1)
    expect(page.locator(".map-label-town", has_text="High Wycombe")).to_have_count(1)
    assert page.locator(".map-label-street").count() == 0  # too far out for streets
    expect(page.locator("#map[data-loaded]")).to_have_count(1)
    for _ in range(12):  # a click during a zoom animation is dropped: click until close enough
        if int(page.locator("#map").get_attribute("data-zoom") or 0) >= 15:
            break
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(400)
    expect(page.locator(".map-label-street", has_text="Frogmoor")).to_have_count(1)
