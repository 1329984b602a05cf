"""WGS84 longitude/latitude and British National Grid (EPSG:27700) easting/northing, via pyproj."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyproj import Transformer


# The extent of the National Grid: anything outside is a typo or a swapped pair.
BNG_EASTING_RANGE = (0.0, 700_000.0)
BNG_NORTHING_RANGE = (0.0, 1_300_000.0)


class CoordinateError(ValueError):
    """A coordinate outside the range it claims to be in."""


@lru_cache(maxsize=1)
def _to_bng() -> Transformer:
    from pyproj import Transformer  # pyproj loads its database at import: only when first needed

    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


@lru_cache(maxsize=1)
def _from_bng() -> Transformer:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def to_bng(longitude: float, latitude: float) -> tuple[float, float]:
    """Easting and northing in metres for a WGS84 point."""
    easting, northing = _to_bng().transform(longitude, latitude)
    return round(easting, 1), round(northing, 1)


def from_bng(easting: float, northing: float) -> tuple[float, float]:
    """WGS84 longitude and latitude for a National Grid easting and northing in metres."""
    if not (BNG_EASTING_RANGE[0] <= easting <= BNG_EASTING_RANGE[1]):
        raise CoordinateError(f"easting {easting:.10g} is outside the National Grid (0 to 700000 m)")
    if not (BNG_NORTHING_RANGE[0] <= northing <= BNG_NORTHING_RANGE[1]):
        raise CoordinateError(f"northing {northing:.10g} is outside the National Grid (0 to 1300000 m)")
    longitude, latitude = _from_bng().transform(easting, northing)
    return round(longitude, 7), round(latitude, 7)


def check_lonlat(longitude: float, latitude: float) -> None:
    """Raise CoordinateError unless the pair is a plausible WGS84 point."""
    if not -180 <= longitude <= 180:
        raise CoordinateError(f"longitude {longitude:.10g} is not between -180 and 180")
    if not -90 <= latitude <= 90:
        raise CoordinateError(f"latitude {latitude:.10g} is not between -90 and 90")
