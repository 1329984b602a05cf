"""A site's map for the PDF report, drawn from the data alone (no internet tiles): a ReportLab `Drawing` in metres.

The map is a square of National Grid around the site (300 m either side by default), grid north up. It shows the
window's crimes as dots, one per map point with its size growing with the number of crimes there (police.uk snaps
crimes to shared anonymous points, so a dot per crime would hide how many sit on top of each other), harm-weighted
ones in red over faint grey others; existing cameras as blue triangles with their coverage dashed; the site with
its coverage (the site buffered by r) shaded; the streets police.uk named the crimes in the frame after
(`STREET_LABELS` of them, those with most crimes, each at the middle of its map points, skipped where it would
cover another); a scale bar and a north arrow.

The drawing keeps named groups — `harm_crimes`, `other_crimes`, `cameras`, `street_labels` — and the `frame`
rectangle, so tests can count what was drawn without parsing PDF graphics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from reportlab.graphics.shapes import FILL_EVEN_ODD, Circle, Drawing, Group, Line, Path, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from shapely.geometry import Point, box

from common.pdf_style import FONT, FONT_BOLD
from siting.model.explain import number
from siting.model.inputs import CrimeSet, Site, camera_points
from siting.model.place import is_street, place_name
from siting.model.points import unique_points

HARM = colors.HexColor("#c0392b")
OTHER = colors.HexColor("#9a9a9a")
CAMERA = colors.HexColor("#1f5fa8")
SITE = colors.HexColor("#e67e22")
INK = colors.HexColor("#222222")
PAPER = colors.HexColor("#fbfbf8")
LEGEND_HEIGHT = 30.0  # points below the frame for the key
STREET_LABELS = 6  # enough to place a site among its streets, few enough to leave the dots readable
STREET_FONT_SIZE = 6.0
_NICE_LENGTHS = (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000)


@dataclass(frozen=True)
class MapCrimes:
    """The window's located crimes, ready to draw: National Grid metres and whether each carries harm (weight > 0)."""

    easting: NDArray[np.float64]
    northing: NDArray[np.float64]
    harmful: NDArray[np.bool_]
    street: NDArray[np.int32] | None = None  # each crime's street as a code into `streets`; -1: not a street
    streets: tuple[str, ...] = ()

    @classmethod
    def from_crimes(cls, crimes: CrimeSet, weights: NDArray[np.float64], first_month: int, last_month: int
                    ) -> MapCrimes:
        """Located crimes with month in [first_month, last_month]; `weights` is indexed by category code."""
        keep = crimes.located & (crimes.month >= first_month) & (crimes.month <= last_month)
        harmful = weights[crimes.category[keep]] > 0 if keep.any() else np.zeros(0, dtype=bool)
        street, streets = None, ()
        if crimes.location is not None and crimes.locations:
            # police.uk's labels as street names: "On or near High Street" → "High Street"; generic places → -1.
            names = [place_name(label) if is_street(label) else "" for label in crimes.locations]
            streets = tuple(sorted({n for n in names if n}))
            lookup = {n: i for i, n in enumerate(streets)}
            codes = np.array([lookup.get(n, -1) for n in names], dtype=np.int32)
            street = codes[crimes.location[keep]] if len(codes) else np.full(int(keep.sum()), -1, dtype=np.int32)
        return cls(crimes.easting[keep], crimes.northing[keep], np.asarray(harmful, dtype=bool), street, streets)


def map_half_width(site: Site, radius_m: float, half_width_m: float = 300.0) -> float:
    """Half the side of the map in metres: the requested width, widened so a large polygon's catchment fits."""
    cx, cy = site.centre
    min_x, min_y, max_x, max_y = site.geometry.bounds
    reach = max(cx - min_x, max_x - cx, cy - min_y, max_y - cy) + 1.15 * radius_m
    return max(float(half_width_m), math.ceil(reach / 50) * 50)


def site_map(site: Site, mapped: MapCrimes, cameras_bng: ArrayLike | None, radius_m: float, *,
             half_width_m: float = 300.0, size: float = 95 * mm) -> Drawing:
    """The site's map: a `size`-point square frame with a key below it (see the module docstring)."""
    cx, cy = site.centre
    hw = map_half_width(site, radius_m, half_width_m)
    scale = size / (2 * hw)  # points per metre
    x0, y0 = cx - hw, cy - hw

    def to_xy(e: float, n: float) -> tuple[float, float]:
        return (e - x0) * scale, LEGEND_HEIGHT + (n - y0) * scale

    drawing = Drawing(size, size + LEGEND_HEIGHT)
    drawing.add(Rect(0, LEGEND_HEIGHT, size, size, fillColor=PAPER, strokeColor=None), name="frame")
    frame_m = box(x0, y0, x0 + 2 * hw, y0 + 2 * hw)
    drawing.add(_grid_lines(x0, y0, hw, scale))

    cams = camera_points(cameras_bng)
    in_view = cams[(np.abs(cams[:, 0] - cx) <= hw) & (np.abs(cams[:, 1] - cy) <= hw)] if len(cams) else cams
    near = cams[(np.abs(cams[:, 0] - cx) <= hw + radius_m) & (np.abs(cams[:, 1] - cy) <= hw + radius_m)] \
        if len(cams) else cams
    for e, n in near:  # coverage of cameras just outside the frame still reaches into it
        for points in _outlines(Point(e, n).buffer(radius_m, quad_segs=16), frame_m, to_xy):
            drawing.add(Polygon(points, fillColor=None, strokeColor=CAMERA, strokeWidth=0.6,
                                strokeDashArray=[2, 2]))
    catchment = site.geometry.buffer(radius_m, quad_segs=16)
    for points in _outlines(catchment, frame_m, to_xy):
        drawing.add(Polygon(points, fillColor=SITE, fillOpacity=0.12, strokeColor=SITE, strokeWidth=1))

    camera_group = Group()  # under the crime dots, so a crime next to a camera is not hidden by its triangle
    for e, n in in_view:
        x, y = to_xy(e, n)
        camera_group.add(Polygon([x, y + 5, x - 4.3, y - 2.5, x + 4.3, y - 2.5], fillColor=CAMERA,
                                 strokeColor=colors.white, strokeWidth=0.5))
    drawing.add(camera_group, name="cameras")
    inside = (np.abs(mapped.easting - cx) <= hw) & (np.abs(mapped.northing - cy) <= hw)
    other, _ = _dots(mapped.easting[inside & ~mapped.harmful], mapped.northing[inside & ~mapped.harmful], to_xy,
                     OTHER, opacity=0.55, size=size)
    harm, labels = _dots(mapped.easting[inside & mapped.harmful], mapped.northing[inside & mapped.harmful], to_xy,
                         HARM, opacity=0.85, size=size)
    drawing.add(other, name="other_crimes")
    drawing.add(harm, name="harm_crimes")
    drawing.add(labels, name="harm_labels")  # only harm counts: grey numbers too would clutter the map

    drawing.add(_street_labels(mapped, inside, to_xy, size), name="street_labels")
    drawing.add(_site_shape(site, frame_m, to_xy))
    drawing.add(_mat(size))
    drawing.add(Rect(0, LEGEND_HEIGHT, size, size, fillColor=None, strokeColor=INK, strokeWidth=0.8))
    drawing.add(_scale_bar(hw, scale))
    drawing.add(_north_arrow(size))
    n_harm, n_other = int((inside & mapped.harmful).sum()), int((inside & ~mapped.harmful).sum())
    drawing.add(_key(size, radius_m, (n_harm, len(harm.contents)), (n_other, len(other.contents)), len(in_view)))
    return drawing


def _dots(easting: NDArray[np.float64], northing: NDArray[np.float64], to_xy, colour: colors.Color, *,
          opacity: float, size: float) -> tuple[Group, Group]:
    """One dot per distinct point, its area growing with the crimes there up to 15 (so a hotspot does not blot out
    its neighbours); bigger counts are written beside the dot instead. Returns (dots, labels)."""
    dots, labels = Group(), Group()
    if not len(easting):
        return dots, labels
    ue, un, inverse = unique_points(easting, northing)
    counts = np.bincount(inverse, minlength=len(ue))
    for e, n, count in sorted(zip(ue, un, counts, strict=True), key=lambda t: -t[2]):  # big dots first, small on top
        x, y = to_xy(e, n)
        r = min(1.8 * math.sqrt(count), 7.0)
        dots.add(Circle(x, y, r, fillColor=colour, fillOpacity=opacity, strokeColor=colors.white, strokeWidth=0.3))
        if count > 15:
            right = x + r + 14 < size  # keep the label inside the frame
            labels.add(String(x + (r + 1 if right else -r - 1), y + r - 2, str(count), fontName=FONT_BOLD,
                              fontSize=5.5, fillColor=colour, textAnchor="start" if right else "end"))
    return dots, labels


def _street_labels(mapped: MapCrimes, inside: NDArray[np.bool_], to_xy, size: float) -> Group:
    """The streets holding most of the frame's crimes, each written at the middle of its distinct map points
    (police.uk's points for a street lie along it), on a pale card; a label that would overlap one already
    written, or run off the frame, is left out."""
    group = Group()
    if mapped.street is None:
        return group
    codes = mapped.street[inside]
    east, north = mapped.easting[inside], mapped.northing[inside]
    named = codes >= 0
    if not named.any():
        return group
    counts = np.bincount(codes[named], minlength=len(mapped.streets))
    order = sorted(np.flatnonzero(counts), key=lambda c: (-counts[c], mapped.streets[c]))
    placed: list[tuple[float, float, float, float]] = []
    for code in order:
        if len(group.contents) >= 2 * STREET_LABELS:  # a card and a string each
            break
        ue, un, _ = unique_points(east[codes == code], north[codes == code])
        x, y = to_xy(float(ue.mean()), float(un.mean()))
        name = mapped.streets[code]
        width = stringWidth(name, FONT, STREET_FONT_SIZE) + 4
        box_ = (x - width / 2, y - 2, x + width / 2, y + STREET_FONT_SIZE + 1)
        off_frame = box_[0] < 2 or box_[2] > size - 2 or box_[1] < LEGEND_HEIGHT + 2 or box_[3] > LEGEND_HEIGHT + size
        if off_frame or any(box_[0] < b[2] and b[0] < box_[2] and box_[1] < b[3] and b[1] < box_[3] for b in placed):
            continue
        placed.append(box_)
        group.add(Rect(box_[0], box_[1], width, box_[3] - box_[1], fillColor=colors.white, fillOpacity=0.75,
                       strokeColor=None))
        group.add(String(x, y, name, fontName=FONT, fontSize=STREET_FONT_SIZE, fillColor=INK, textAnchor="middle"))
    return group


def _mat(size: float, width: float = 8.0) -> Path:
    """A white band around the outside of the frame hiding the part of an edge dot that spills over it: ReportLab
    drawings have no clipping, and shrinking edge dots would misstate their counts."""
    mat = Path(fillColor=colors.white, strokeColor=None, fillMode=FILL_EVEN_ODD)
    for x0, y0, x1, y1 in ((-width, LEGEND_HEIGHT - width, size + width, LEGEND_HEIGHT + size + width),
                           (0, LEGEND_HEIGHT, size, LEGEND_HEIGHT + size)):
        mat.moveTo(x0, y0)
        mat.lineTo(x1, y0)
        mat.lineTo(x1, y1)
        mat.lineTo(x0, y1)
        mat.closePath()
    return mat


def _outlines(geometry: shapely.Geometry, frame: shapely.Geometry, to_xy) -> list[list[float]]:
    """Flat point lists for the polygons of `geometry` clipped to the frame (clipping in metres, before drawing)."""
    clipped = shapely.intersection(geometry, frame)
    out = []
    for part in shapely.get_parts(clipped):
        if part.geom_type == "Polygon" and not part.is_empty:
            out.append([v for e, n in part.exterior.coords for v in to_xy(e, n)])
    return out


def _site_shape(site: Site, frame: shapely.Geometry, to_xy) -> Group:
    group = Group()
    if site.geometry.geom_type == "Point":
        x, y = to_xy(*site.centre)
        group.add(Circle(x, y, 4.5, fillColor=None, strokeColor=INK, strokeWidth=1.4))  # open: dots show through
        group.add(Line(x - 7, y, x + 7, y, strokeColor=INK, strokeWidth=1.2))
        group.add(Line(x, y - 7, x, y + 7, strokeColor=INK, strokeWidth=1.2))
        return group
    for points in _outlines(site.geometry, frame, to_xy):
        group.add(Polygon(points, fillColor=None, strokeColor=INK, strokeWidth=1.6))
    for part in shapely.get_parts(shapely.intersection(site.geometry, frame)):
        if part.geom_type == "LineString":  # a sliver of an edge left by clipping
            group.add(PolyLine([v for e, n in part.coords for v in to_xy(e, n)], strokeColor=INK, strokeWidth=1.6))
    return group


def _grid_lines(x0: float, y0: float, hw: float, scale: float) -> Group:
    """Faint 100 m National Grid lines, so distances can be read anywhere on the map, not only off the scale bar."""
    step = 100.0 if hw <= 600 else 500.0
    group = Group()
    size = 2 * hw * scale
    for value in np.arange(math.ceil(x0 / step) * step, x0 + 2 * hw, step):
        x = (value - x0) * scale
        group.add(Line(x, LEGEND_HEIGHT, x, LEGEND_HEIGHT + size, strokeColor=colors.HexColor("#e4e4dc"),
                       strokeWidth=0.4))
    for value in np.arange(math.ceil(y0 / step) * step, y0 + 2 * hw, step):
        y = LEGEND_HEIGHT + (value - y0) * scale
        group.add(Line(0, y, size, y, strokeColor=colors.HexColor("#e4e4dc"), strokeWidth=0.4))
    return group


def _scale_bar(hw: float, scale: float) -> Group:
    """A bar of a round length, about a fifth of the map, in the bottom-left corner on a white card."""
    length = max(v for v in _NICE_LENGTHS if v <= 2 * hw / 5) if 2 * hw / 5 >= 10 else 10
    width = length * scale
    x, y = 8.0, LEGEND_HEIGHT + 8.0
    group = Group(Rect(x - 4, y - 4, width + 8, 18, fillColor=colors.white, fillOpacity=0.85, strokeColor=None))
    group.add(Rect(x, y, width / 2, 3, fillColor=INK, strokeColor=INK, strokeWidth=0.5))
    group.add(Rect(x + width / 2, y, width / 2, 3, fillColor=colors.white, strokeColor=INK, strokeWidth=0.5))
    group.add(String(x + width / 2, y + 5, f"{number(length)} m", fontName=FONT, fontSize=6.5,
                     textAnchor="middle", fillColor=INK))
    return group


def _north_arrow(size: float) -> Group:
    """Grid north is straight up: the map is drawn in National Grid metres, not rotated."""
    x, y = size - 14, LEGEND_HEIGHT + size - 30
    group = Group(Rect(x - 8, y - 4, 16, 28, fillColor=colors.white, fillOpacity=0.85, strokeColor=None))
    group.add(Polygon([x, y + 16, x - 5, y, x, y + 4, x + 5, y], fillColor=INK, strokeColor=INK, strokeWidth=0.5))
    group.add(String(x, y + 17, "N", fontName=FONT_BOLD, fontSize=7, textAnchor="middle", fillColor=INK))
    return group


def _key(size: float, radius_m: float, harm: tuple[int, int], other: tuple[int, int], cameras: int) -> Group:
    """The legend under the frame, with the counts drawn, so a reader can check the map against the tables."""
    group = Group()
    font = {"fontName": FONT, "fontSize": 6.5, "fillColor": INK}
    row1, row2 = LEGEND_HEIGHT - 11, LEGEND_HEIGHT - 23
    group.add(Circle(4, row1 + 2, 2.6, fillColor=HARM, strokeColor=None))
    group.add(String(10, row1, f"harm-weighted crimes: {harm[0]} at {harm[1]} points", **font))
    group.add(Circle(size / 2 + 4, row1 + 2, 2.6, fillColor=OTHER, strokeColor=None))
    group.add(String(size / 2 + 10, row1, f"other crimes: {other[0]} at {other[1]} points", **font))
    group.add(Polygon([4, row2 + 6, 0.5, row2, 7.5, row2], fillColor=CAMERA, strokeColor=None))
    group.add(String(10, row2, f"existing cameras: {cameras} (dashed: {number(radius_m)} m)", **font))
    group.add(Rect(size / 2 + 1, row2 - 1, 6, 6, fillColor=SITE, fillOpacity=0.25, strokeColor=SITE))
    group.add(String(size / 2 + 10, row2, f"site and its {number(radius_m)} m coverage", **font))
    return group
