"""The council's area, uploaded once and used by every siting command and page by default.

A council draws its boundary once (one or many GeoJSON polygons, e.g. its LSOAs, merged into one area) and every
import, hotspot proposal, scoring map and validation then works inside it, with no bounding box to type each time.
One area is current at a time: uploading another replaces it (the old row stays, inactive, for the audit trail).
The merged geometry is kept, not the file: a district's LSOAs (1 MB) merge to a few tens of kilobytes.
"""

from datetime import datetime

import shapely
from sqlmodel import Field, Session, SQLModel, select

from inventory.types import utcnow
from siting.sources.area import WGS84, AreaError, AreaFilter

NAME_LENGTH = 200
MAX_GEOJSON_CHARS = 5_000_000  # a merged boundary simplified to a metre is far smaller; a whole nation's is not


class CouncilAreaBase(SQLModel):
    """The area's name, its merged geometry as GeoJSON and how big it is."""

    name: str = Field(max_length=NAME_LENGTH)
    crs: str = Field(default=WGS84, max_length=10)  # "wgs84" or "bng": the coordinates of `geometry_json`
    geometry_json: str  # the merged (Multi)Polygon, GeoJSON geometry
    area_km2: float = 0.0
    parts: int = 1  # polygons in the merged area (a district with islands or exclaves has several)


class CouncilArea(CouncilAreaBase, table=True):
    """An uploaded area as stored; the newest active one is the council's (`current_area`)."""

    __tablename__ = "council_area"
    id: int | None = Field(default=None, primary_key=True)
    active: bool = True
    uploaded_by: str = Field(default="", max_length=80)
    uploaded_at: datetime = Field(default_factory=utcnow)

    def to_filter(self) -> AreaFilter:
        """The area as the filter every siting function takes."""
        return AreaFilter(shapely.from_geojson(self.geometry_json), self.crs, name=self.name)


def set_council_area(session: Session, source: str | bytes, *, name: str, actor: str) -> CouncilArea:
    """Make the GeoJSON `source` (text or bytes) the council's area under `name`; AreaError when it is not one."""
    text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
    area = AreaFilter.from_geojson(text)
    name = " ".join(name.split())[:NAME_LENGTH] or area.name or "Council area"
    geometry = shapely.make_valid(area.geometry)
    geometry_json = shapely.to_geojson(geometry)
    if len(geometry_json) > MAX_GEOJSON_CHARS:
        raise AreaError(f"the merged boundary is {len(geometry_json) / 1e6:.1f} million characters of GeoJSON, more "
                        "than a council's area needs: simplify it (e.g. to 1 m) or upload the council's own area")
    for old in session.exec(select(CouncilArea).where(CouncilArea.active)).all():
        old.active = False
    parts = shapely.get_num_geometries(geometry) if geometry.geom_type == "MultiPolygon" else 1
    row = CouncilArea(name=name, crs=area.crs, geometry_json=geometry_json,
                      area_km2=round(area.area_m2 / 1e6, 3), parts=int(parts), uploaded_by=actor)
    session.add(row)
    session.flush()
    return row


def current_area(session: Session) -> CouncilArea | None:
    """The council's area, or None when none has been uploaded."""
    return session.exec(select(CouncilArea).where(CouncilArea.active).order_by(CouncilArea.id.desc())).first()


def clear_council_area(session: Session) -> bool:
    """Stop using an area (kept, inactive); whether there was one."""
    rows = session.exec(select(CouncilArea).where(CouncilArea.active)).all()
    for row in rows:
        row.active = False
    return bool(rows)
