"""A site's ward (from the imported ward outlines, else the camera register) and town, and whether it lies in the
council's area (issue 14)."""

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import box
from sqlmodel import select

from inventory.models import Camera, ServiceArea
from inventory.types import CameraKind, CameraStatus
from siting.geometry import to_wgs84
from siting.model.inputs import Site
from siting.store.localities import Localities, load_localities, with_localities
from tests.conftest import BACKENDS, build_app, database_url
from tests.siting.helpers import SITE_E as E
from tests.siting.helpers import SITE_N as N

# Named points 400 m, 1,400 m and 1,600 m east of the site.
REGISTER = Localities(np.array([[E + 1400, N], [E + 1600, N]]), ("Marlow", "Beaconsfield"),
                      np.array([[E + 400, N], [E + 600, N]]), ("Abbey", "Disraeli"))


def test_the_nearest_ward_within_500_m_and_town_within_1500_m() -> None:
    assert REGISTER.of(E, N) == "Abbey ward, Marlow"  # 400 m to Abbey, 1,400 m to Marlow
    assert REGISTER.of(E + 1000, N) == "Disraeli ward, Marlow"  # Disraeli 400 m (Abbey 600), Marlow 400 m
    assert REGISTER.of(E + 1250, N + 480) == "Marlow"  # Disraeli 808 m away: no ward; Marlow 503 m


def test_beyond_reach_nothing_is_guessed() -> None:
    assert REGISTER.of(E - 150, N) == ""  # Abbey 550 m, Marlow 1,550 m


def test_a_site_outside_the_council_area_says_so() -> None:
    inside = Localities(np.empty((0, 2)), (), np.empty((0, 2)), (), box(E - 100, N - 100, E + 100, N + 100), "Wycombe")
    assert inside.of(E, N) == "" and inside.of(E + 500, N) == "outside Wycombe"


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_register_gives_towns_and_wards_but_never_from_a_covert_camera(backend: str, tmp_path: Path) -> None:
    app = build_app(database_url(backend, tmp_path))
    database = app.extensions["cctv_db"]
    with database.session("t") as s:
        area = s.exec(select(ServiceArea).where(ServiceArea.code == "CS")).one()
        for camera in s.exec(select(Camera)):  # the small estate's own cameras are kilometres away or covert
            s.delete(camera)
        lon, lat = to_wgs84(np.array([E + 300, E + 100, E + 50]), np.array([N, N, N]))
        s.add_all([
            Camera(asset_id="A", name="a", service_area_id=area.id, kind=CameraKind.PUBLIC_SPACE_FIXED,
                   status=CameraStatus.DECOMMISSIONED, town="High  Wycombe", ward="Abbey", longitude=float(lon[0]),
                   latitude=float(lat[0]), install_date=date(2015, 1, 1)),
            Camera(asset_id="B", name="b", service_area_id=area.id, kind=CameraKind.PUBLIC_SPACE_FIXED,
                   town="High Wycombe", ward=" ", longitude=float(lon[1]), latitude=float(lat[1])),
            Camera(asset_id="C", name="c", service_area_id=area.id, kind=CameraKind.COVERT, town="Secretville",
                   ward="Hidden", longitude=float(lon[2]), latitude=float(lat[2])),
        ])
        s.commit()
        places = load_localities(s)
    # A decommissioned camera's ward still names its ward; the covert camera, nearest of all, names nothing.
    assert places.of(E, N) == "Abbey ward, High Wycombe"
    assert "Secretville" not in places.towns and "Hidden" not in places.wards
    database.engine.dispose()


def test_a_run_takes_each_sites_locality() -> None:
    from siting.model.scoring import score_sites
    from tests.siting.helpers import crimes_at

    sites = [Site.at("F", E, N, name="Frogmoor"), Site.at("Q", E - 5000, N, name="Quiet Lane")]
    run = with_localities(score_sites(crimes_at([(E + 10, N)]), sites), sites, REGISTER)
    assert run.result("F").locality == "Abbey ward, Marlow" and run.result("Q").locality == ""
    assert run.result("F").label().place.startswith("Abbey ward, Marlow")


def test_an_imported_ward_outline_wins_over_the_nearest_cameras_ward() -> None:
    """A site inside an imported ward is named by it whatever the cameras say; outside every outline the register
    serves as before."""
    outlined = Localities(REGISTER.town_points, REGISTER.towns, REGISTER.ward_points, REGISTER.wards,
                          ward_outlines=(box(E - 100, N - 100, E + 100, N + 100),), outline_names=("Bowerdean",))
    assert outlined.of(E, N) == "Bowerdean ward, Marlow"  # the register's nearest ward would be Abbey (400 m)
    assert outlined.of(E + 1000, N) == "Disraeli ward, Marlow"  # outside the outline: the register's ward


@pytest.mark.parametrize("backend", BACKENDS)
def test_wards_imported_once_name_the_sites_inside_them(backend: str, tmp_path: Path) -> None:
    import json

    from siting.store.wards import set_wards

    app = build_app(database_url(backend, tmp_path))
    database = app.extensions["cctv_db"]
    lon, lat = to_wgs84(np.array([E - 200, E + 200, E + 200, E - 200, E - 200]),
                        np.array([N - 200, N - 200, N + 200, N + 200, N - 200]))
    wards = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"WD23NM": "Totteridge"},
        "geometry": {"type": "Polygon", "coordinates": [list(zip(lon.tolist(), lat.tolist(), strict=True))]}}]}
    with database.session("t") as s:
        set_wards(s, json.dumps(wards), actor="t")
        s.commit()
        places = load_localities(s)
    assert places.of(E, N).startswith("Totteridge ward")
    assert "Totteridge" not in places.of(E + 1000, N)
    database.engine.dispose()
