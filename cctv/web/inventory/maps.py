"""The camera map and the CSV/GeoJSON exports, filtered like the list."""

import json

from flask import Blueprint, Response, current_app, render_template, request
from sqlmodel import select

from cctv.audit import audit_read
from cctv.web.access import ANY_ROLE, allow, db, scope
from cctv.web.inventory.filters import filter_args, life_years, parse_filter
from cctv.web.inventory.forms import kind_choices
from inventory import cameras as camera_service
from inventory import exporting
from inventory.models import Camera
from inventory.service_areas import list_service_areas
from inventory.types import CameraStatus, london_today
from siting.context import context_layers

bp = Blueprint("maps", __name__, template_folder="templates")


def _matching():
    return camera_service.all_matching(db(), scope(), parse_filter(request.args), today=london_today(),
                                       life_years=life_years())


@bp.route("/map")
@allow(ANY_ROLE)
def camera_map():
    """Leaflet map of the cameras (shipped with the app); cameras show even when no tiles load."""
    filt = parse_filter(request.args)
    cfg = current_app.config
    return render_template(
        "inventory/maps/map.html", filt=filt, args=filter_args(filt), areas=list_service_areas(db()),
        towns=camera_service.towns(db(), scope()), kinds=kind_choices(scope().include_covert),
        statuses=list(CameraStatus), tile_url=cfg["MAP_TILE_URL"], tile_attribution=cfg["MAP_TILE_ATTRIBUTION"],
        centre=cfg["MAP_CENTRE"],
    )


@bp.route("/map/context.geojson")
@allow(ANY_ROLE)
def context():
    """The map's context layers from the app's own data (boundary, wards, towns, streets): it helps offline."""
    cfg = current_app.config
    places = db().exec(select(Camera.town, Camera.ward, Camera.longitude, Camera.latitude).where(scope().where()))
    body = json.dumps(context_layers(db(), places, boundary_file=cfg["MAP_BOUNDARY_FILE"],
                                     wards_file=cfg["MAP_WARDS_FILE"]))
    return Response(body, mimetype="application/geo+json")


@bp.route("/cameras.geojson")
@allow(ANY_ROLE)
def geojson():
    """GeoJSON of the cameras the user may see that match the filters."""
    body = exporting.to_geojson_text(_matching())
    return Response(body, mimetype="application/geo+json",
                    headers={"Content-Disposition": "inline; filename=cameras.geojson"})


@bp.route("/cameras.csv")
@allow(ANY_ROLE)
def csv_export():
    """CSV of the cameras the user may see that match the filters."""
    audit_read(db(), "camera", "export", f"cameras CSV ?{request.query_string.decode()}")
    return Response(exporting.to_csv(_matching()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=cameras.csv"})
