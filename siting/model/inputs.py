"""Plain inputs to the model: months as integers, crimes as numpy columns in National Grid metres, candidate sites.

The database layer reads crimes back as columns (longitude, latitude, month, category) and hands them to
`CrimeSet.from_lonlat`; tests build them in metres with `CrimeSet.from_columns`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import Point

from siting.geometry import geometry_to_bng, to_bng

_EPOCH_YEAR = 1970
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_index(value: date | str | int) -> int:
    """Months since January 1970 for a date (its month), a "YYYY-MM" string, or an index already."""
    if isinstance(value, bool):
        raise TypeError("a month cannot be a bool")
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, str):
        year, _, month = value.strip().partition("-")
        value = date(int(year), int(month[:2]), 1)
    return (value.year - _EPOCH_YEAR) * 12 + value.month - 1


def month_date(index: int) -> date:
    """The first day of the month with this index (the inverse of `month_index`)."""
    year, month = divmod(int(index), 12)
    return date(_EPOCH_YEAR + year, month + 1, 1)


def month_label(value: date | int) -> str:
    """"Dec 2025": short, and independent of the server's locale."""
    day = month_date(value) if isinstance(value, int) else value
    return f"{_MONTH_NAMES[day.month - 1]} {day.year}"


def year_label(first: date | int, last: date | int) -> str:
    """A model year's name: "2025" for January to December, else "year to Jun 2025"."""
    first_day = month_date(first) if isinstance(first, int) else first
    last_day = month_date(last) if isinstance(last, int) else last
    if first_day.month == 1 and last_day.month == 12 and first_day.year == last_day.year:
        return str(first_day.year)
    return f"year to {month_label(last_day)}"


def month_indices(values: ArrayLike | Iterable[date | str | int]) -> NDArray[np.int64]:
    """`month_index` over many values: integers, dates, "YYYY-MM" strings or numpy datetime64."""
    array = np.asarray(values if not isinstance(values, Iterable) or isinstance(values, np.ndarray) else list(values))
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    if array.dtype.kind == "M":
        return array.astype("datetime64[M]").astype(np.int64)  # numpy counts months from 1970-01 too
    cache: dict[object, int] = {}  # a few dozen distinct months among 100k crimes
    out = np.empty(array.shape, dtype=np.int64)
    for i, value in enumerate(array.tolist()):
        found = cache.get(value)
        if found is None:
            found = cache[value] = month_index(value)
        out[i] = found
    return out


def _codes(category: ArrayLike | Sequence[str], categories: Sequence[str] | None) -> tuple[NDArray[np.int32], tuple]:
    array = np.asarray(category)
    if array.dtype.kind in "iu":
        if categories is None:
            raise ValueError("integer category codes need the `categories` they index")
        if array.size and (array.min() < 0 or array.max() >= len(categories)):
            raise ValueError("a category code is outside `categories`")
        return array.astype(np.int32), tuple(categories)
    names, codes = np.unique(array.astype(str), return_inverse=True)
    return codes.astype(np.int32).reshape(array.shape), tuple(str(n) for n in names)


@dataclass(frozen=True, eq=False)
class CrimeSet:
    """Crimes as parallel columns: National Grid easting/northing (NaN = no location), month index, category code,
    and optionally police.uk's location label ("On or near Hospital") as a code into `locations` and the LSOA as
    a code into `lsoas` ((code, name) pairs such as ("E01023456", "Dacorum 012A")).

    The labels matter to the model: some mark places where crimes are recorded rather than committed
    (`siting.model.recorded_at`), and they and the LSOAs name where a site is (`siting.model.place`). A set built
    without them has `location` (or `lsoa`) None: not known.
    """

    easting: NDArray[np.float64]
    northing: NDArray[np.float64]
    month: NDArray[np.int64]
    category: NDArray[np.int32]
    categories: tuple[str, ...]
    location: NDArray[np.int32] | None = None
    locations: tuple[str, ...] = ()
    lsoa: NDArray[np.int32] | None = None
    lsoas: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        n = len(self.easting)
        if not (len(self.northing) == len(self.month) == len(self.category) == n):
            raise ValueError("crime columns differ in length")
        if any(column is not None and len(column) != n for column in (self.location, self.lsoa)):
            raise ValueError("crime columns differ in length")

    def with_lsoas(self, codes: Sequence[str], names: Sequence[str] | None = None) -> CrimeSet:
        """These crimes with an LSOA code each ("" for none) and optionally its name ("Dacorum 012A")."""
        names = [""] * len(codes) if names is None else names
        if len(codes) != len(self) or len(names) != len(self):
            raise ValueError("crime columns differ in length")
        pairs = list(zip((str(c) for c in codes), (str(n) for n in names), strict=True))
        distinct = sorted(set(pairs))
        lookup = {pair: i for i, pair in enumerate(distinct)}
        return replace(self, lsoa=np.fromiter((lookup[p] for p in pairs), dtype=np.int32, count=len(pairs)),
                       lsoas=tuple(distinct))

    def lsoa_pairs(self) -> list[tuple[str, str]]:
        """Each crime's (LSOA code, LSOA name); ("", "") when unknown."""
        if self.lsoa is None or not self.lsoas:
            return [("", "")] * len(self)
        return [self.lsoas[i] for i in self.lsoa.tolist()]

    def with_locations(self, labels: ArrayLike | Sequence[str]) -> CrimeSet:
        """These crimes with a police.uk location label each ("" for none)."""
        codes, names = _codes(np.asarray(labels, dtype=str) if len(self) else np.array([], dtype=str), None)
        return replace(self, location=codes.ravel(), locations=names)

    def location_names(self) -> NDArray[np.str_]:
        """Each crime's location label ("" when unknown)."""
        if self.location is None or not self.locations:
            return np.full(len(self), "", dtype=object).astype(str)
        return np.asarray(self.locations, dtype=str)[self.location]

    def __len__(self) -> int:
        return len(self.easting)

    @classmethod
    def from_columns(
        cls,
        easting: ArrayLike,
        northing: ArrayLike,
        month: ArrayLike | Iterable[date | str | int],
        category: ArrayLike | Sequence[str],
        categories: Sequence[str] | None = None,
    ) -> CrimeSet:
        """Crimes from National Grid metres; months as indices, dates or "YYYY-MM"; categories as names or codes."""
        codes, names = _codes(category, categories)
        return cls(np.asarray(easting, dtype=np.float64).ravel(), np.asarray(northing, dtype=np.float64).ravel(),
                   month_indices(month).ravel(), codes.ravel(), names)

    @classmethod
    def from_lonlat(
        cls,
        longitude: ArrayLike,
        latitude: ArrayLike,
        month: ArrayLike | Iterable[date | str | int],
        category: ArrayLike | Sequence[str],
        categories: Sequence[str] | None = None,
    ) -> CrimeSet:
        """Crimes from WGS84 longitude/latitude (None or NaN for no location), projected to the National Grid."""
        lon = np.asarray([np.nan if v is None else v for v in longitude] if isinstance(longitude, list) else longitude,
                         dtype=np.float64)
        lat = np.asarray([np.nan if v is None else v for v in latitude] if isinstance(latitude, list) else latitude,
                         dtype=np.float64)
        easting, northing = to_bng(lon, lat)
        return cls.from_columns(easting, northing, month, category, categories)

    @classmethod
    def from_records(cls, records: Iterable) -> CrimeSet:
        """Crimes from `police_csv.CrimeRecord`s (or anything with longitude, latitude, month and category), with
        their location labels when the records have them."""
        lon, lat, month, category, location, lsoa_code, lsoa_name = [], [], [], [], [], [], []
        for record in records:
            lon.append(np.nan if record.longitude is None else record.longitude)
            lat.append(np.nan if record.latitude is None else record.latitude)
            month.append(record.month)
            category.append(record.category)
            location.append(getattr(record, "location", None))
            lsoa_code.append(getattr(record, "lsoa_code", None))
            lsoa_name.append(getattr(record, "lsoa_name", None) or "")
        crimes = cls.from_lonlat(np.array(lon, dtype=np.float64), np.array(lat, dtype=np.float64), month, category)
        if location and all(label is not None for label in location):
            crimes = crimes.with_locations(location)
        if lsoa_code and all(code is not None for code in lsoa_code):
            crimes = crimes.with_lsoas(lsoa_code, lsoa_name)
        return crimes

    @property
    def located(self) -> NDArray[np.bool_]:
        """Which crimes have a location (police.uk leaves some rows without coordinates)."""
        return np.isfinite(self.easting) & np.isfinite(self.northing)

    def category_names(self) -> NDArray[np.str_]:
        """Each crime's category name."""
        return np.asarray(self.categories, dtype=str)[self.category] if self.categories else np.array([], dtype=str)

    def subset(self, mask: ArrayLike) -> CrimeSet:
        """The crimes selected by a boolean mask or an index array (categories keep their codes)."""
        pick = np.asarray(mask)
        location = None if self.location is None else self.location[pick]
        lsoa = None if self.lsoa is None else self.lsoa[pick]
        return CrimeSet(self.easting[pick], self.northing[pick], self.month[pick], self.category[pick], self.categories,
                        location, self.locations, lsoa, self.lsoas)

    def concat(self, other: CrimeSet) -> CrimeSet:
        """These crimes followed by another set's (categories merged by name)."""
        names = tuple(dict.fromkeys(self.categories + other.categories))
        lookup = np.array([names.index(c) for c in other.categories], dtype=np.int32)
        other_codes = lookup[other.category] if len(other) else other.category
        joined = CrimeSet(np.concatenate([self.easting, other.easting]),
                          np.concatenate([self.northing, other.northing]), np.concatenate([self.month, other.month]),
                          np.concatenate([self.category, other_codes]), names)
        if self.location is not None or other.location is not None:
            joined = joined.with_locations(np.concatenate([self.location_names(), other.location_names()]))
        if self.lsoa is not None or other.lsoa is not None:
            pairs = self.lsoa_pairs() + other.lsoa_pairs()
            joined = joined.with_lsoas([c for c, _ in pairs], [n for _, n in pairs])
        return joined


@dataclass(frozen=True)
class Site:
    """A candidate camera site: a Point, or a Polygon/line for a street or square, in National Grid metres.

    A site's catchment is everything within the coverage radius of its geometry, so a polygon site's catchment is
    the polygon buffered by the radius.
    """

    site_id: str
    geometry: shapely.Geometry
    name: str = ""

    def __post_init__(self) -> None:
        if self.geometry is None or self.geometry.is_empty:
            raise ValueError(f"site {self.site_id!r} has no geometry")

    @classmethod
    def at(cls, site_id: str, easting: float, northing: float, name: str = "") -> Site:
        """A point site at a National Grid easting and northing."""
        return cls(site_id, Point(float(easting), float(northing)), name)

    @classmethod
    def from_lonlat(cls, site_id: str, geometry_or_lon: shapely.Geometry | float, latitude: float | None = None,
                    name: str = "") -> Site:
        """A site from WGS84: a longitude and latitude, or a shapely geometry in longitude/latitude."""
        if latitude is not None:
            easting, northing = to_bng(float(geometry_or_lon), latitude)  # type: ignore[arg-type]
            return cls.at(site_id, float(easting), float(northing), name)
        return cls(site_id, geometry_to_bng(geometry_or_lon), name)  # type: ignore[arg-type]

    @property
    def centre(self) -> tuple[float, float]:
        """The point cameras would look out from: the point itself, or the centroid of a polygon."""
        point = self.geometry if isinstance(self.geometry, Point) else self.geometry.centroid
        return float(point.x), float(point.y)


def camera_points(cameras: ArrayLike | Sequence[shapely.Geometry] | None) -> NDArray[np.float64]:
    """Existing cameras as an (n, 2) array of eastings/northings, from such an array or from shapely Points."""
    if cameras is None:
        return np.empty((0, 2), dtype=np.float64)
    items = list(cameras) if not isinstance(cameras, np.ndarray) else cameras
    if len(items) and isinstance(items[0], shapely.Geometry):
        return np.array([[g.x, g.y] for g in items], dtype=np.float64).reshape(-1, 2)
    array = np.asarray(items, dtype=np.float64)
    return array.reshape(-1, 2)
