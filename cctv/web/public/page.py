"""The public page: anyone, signed in or not, may read which public-space cameras the council runs, where and why,
who to contact, and what the council chose to publish. Read only, rate-limited per address, and never a covert,
internal or unpublished camera (`cctv.transparency.publication` decides; the page, JSON and CSV read the same list).
"""

import csv
import io
import json

from flask import Blueprint, Response, current_app, render_template

from cctv.transparency.publication import PublicCamera, notice, public_cameras, public_page
from cctv.web.access import db, public
from cctv.web.public.limits import rate_limited
from common.csv_cells import safe_row
from siting.context import context_layers

bp = Blueprint("public", __name__, template_folder="templates", url_prefix="/public")
CSV_COLUMNS = ("ref", "name", "location", "town", "ward", "purpose", "system", "data_controller", "latitude",
               "longitude")


def _controller() -> str:
    """The data controller named for cameras that name none: the notice's, else the council."""
    return notice(db()).data_controller or current_app.config["COUNCIL_NAME"]


@bp.route("")
@public
@rate_limited
def index():
    """The page: the notice, the map and list of cameras by town, systems, signs, self-assessment and figures."""
    cfg = current_app.config
    page = public_page(db(), cfg["COUNCIL_NAME"])
    return render_template("public/page/index.html", page=page, council=cfg["COUNCIL_NAME"],
                           controller=page.notice.data_controller or cfg["COUNCIL_NAME"],
                           tile_url=cfg["MAP_TILE_URL"], tile_attribution=cfg["MAP_TILE_ATTRIBUTION"],
                           centre=cfg["MAP_CENTRE"])


def _feature(camera: PublicCamera) -> dict[str, object]:
    point = None
    if camera.longitude is not None and camera.latitude is not None:
        point = {"type": "Point", "coordinates": [camera.longitude, camera.latitude]}
    return {"type": "Feature", "geometry": point, "properties": camera.as_json()}


@bp.route("/cameras.geojson")
@public
@rate_limited
def geojson():
    """The public cameras as GeoJSON (the map's data, and anyone's to reuse)."""
    cameras = public_cameras(db(), _controller())
    body = json.dumps({"type": "FeatureCollection", "features": [_feature(c) for c in cameras]})
    return Response(body, mimetype="application/geo+json",
                    headers={"Content-Disposition": "inline; filename=public-cameras.geojson"})


@bp.route("/context.geojson")
@public
@rate_limited
def context():
    """The map's context layers (boundary, wards, towns and wards of the public cameras, streets): it helps
    offline."""
    cfg = current_app.config
    places = [(c.town, c.ward, c.longitude, c.latitude) for c in public_cameras(db())]
    body = json.dumps(context_layers(db(), places, boundary_file=cfg["MAP_BOUNDARY_FILE"],
                                     wards_file=cfg["MAP_WARDS_FILE"]))
    return Response(body, mimetype="application/geo+json")


@bp.route("/cameras.csv")
@public
@rate_limited
def csv_download():
    """The public cameras as CSV (no cell can run as a spreadsheet formula)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for c in public_cameras(db(), _controller()):
        writer.writerow(safe_row([c.ref, c.name, c.location, c.town, c.ward, c.purpose, c.system, c.data_controller,
                                  c.latitude if c.latitude is not None else "",
                                  c.longitude if c.longitude is not None else ""]))
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=public-cameras.csv"})
