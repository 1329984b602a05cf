"""The report's overview: the council's area with every site of the report numbered on it, and a key naming each
number's site and place, so a councillor can place a site before reading its page (no internet tiles: drawn from the
boundary the council uploaded and the sites themselves, in National Grid metres, grid north up).

Without a council area the map spans the sites (with a margin) and says so. The drawing keeps named groups —
`boundary` and `sites` (one group per numbered site) — so tests can count what was drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

import shapely
from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from common.pdf_style import BODY, FONT, FONT_BOLD, H1, SMALL, WIDTH, table
from siting.model.inputs import Site
from siting.model.run import SiteResult
from siting.report.maps import INK, PAPER, SITE

MAX_HEIGHT = 120 * mm
MARGIN_SHARE = 0.04  # of the larger side, around the area, so edge sites are not cut
_LENGTHS_M = (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000)
BOUNDARY = colors.HexColor("#5b5b52")


def overview_map(area_bng: shapely.Geometry | None, numbered: Sequence[tuple[int, Site]], *,
                 width: float = WIDTH, max_height: float = MAX_HEIGHT) -> Drawing:
    """The area's outline with each (number, site) drawn as a numbered disc at the site's centre."""
    centres = [site.centre for _, site in numbered]
    if area_bng is not None and not area_bng.is_empty:
        min_x, min_y, max_x, max_y = area_bng.bounds
    elif centres:
        xs, ys = [c[0] for c in centres], [c[1] for c in centres]
        min_x, min_y, max_x, max_y = min(xs) - 500, min(ys) - 500, max(xs) + 500, max(ys) + 500
    else:
        min_x, min_y, max_x, max_y = 0.0, 0.0, 1000.0, 1000.0
    pad = MARGIN_SHARE * max(max_x - min_x, max_y - min_y)
    min_x, min_y, max_x, max_y = min_x - pad, min_y - pad, max_x + pad, max_y + pad
    scale = min(width / (max_x - min_x), max_height / (max_y - min_y))  # points per metre
    w, h = (max_x - min_x) * scale, (max_y - min_y) * scale

    def to_xy(e: float, n: float) -> tuple[float, float]:
        return (e - min_x) * scale, (n - min_y) * scale

    drawing = Drawing(w, h)
    drawing.add(Rect(0, 0, w, h, fillColor=colors.white, strokeColor=INK, strokeWidth=0.6), name="frame")
    boundary = Group()
    if area_bng is not None and not area_bng.is_empty:
        simple = shapely.simplify(area_bng, 0.5 / scale)  # half a point: finer detail cannot be printed
        for part in shapely.get_parts(simple):
            if part.geom_type != "Polygon":
                continue
            boundary.add(Polygon([v for e, n in part.exterior.coords for v in to_xy(e, n)], fillColor=PAPER,
                                 strokeColor=BOUNDARY, strokeWidth=1.0))
            for hole in part.interiors:
                boundary.add(Polygon([v for e, n in hole.coords for v in to_xy(e, n)], fillColor=colors.white,
                                     strokeColor=BOUNDARY, strokeWidth=0.6))
    drawing.add(boundary, name="boundary")
    sites = Group()
    for number, site in sorted(numbered, key=lambda item: -item[0]):  # the lowest numbers drawn last, on top
        x, y = to_xy(*site.centre)
        disc = Group(Circle(x, y, 6.5, fillColor=SITE, strokeColor=colors.white, strokeWidth=1.0),
                     String(x, y - 2.6, str(number), fontName=FONT_BOLD, fontSize=7.5, fillColor=colors.white,
                            textAnchor="middle"))
        sites.add(disc)
    drawing.add(sites, name="sites")
    drawing.add(_scale_bar(max_x - min_x, scale))
    drawing.add(_north(w, h))
    return drawing


def overview_story(area_bng: shapely.Geometry | None, area_name: str, numbered: Sequence[tuple[int, SiteResult, Site]],
                   what: str) -> list:
    """The overview's section: heading, what is numbered, the map, and the key (number, site, place)."""
    where = f"the council's area ({escape(area_name)})" if area_bng is not None else \
        "the sites (no council area has been set, so no boundary is drawn)"
    story: list = [Paragraph("Where the sites are", H1),
                   Paragraph(f"The map shows {where}; the numbers are {escape(what)}.", BODY),
                   overview_map(area_bng, [(n, site) for n, _, site in numbered])]
    rows = [[str(n), r.label().name, r.label().place] for n, r, _ in numbered]
    if rows:
        story.append(table(["#", "Site", "Where"], rows, (8, 60, 106)))
    else:
        story.append(Paragraph("No site to show.", SMALL))
    return story


def _scale_bar(span_m: float, scale: float) -> Group:
    """A round length about a fifth of the map, bottom left, in metres or kilometres."""
    length = max((v for v in _LENGTHS_M if v <= span_m / 5), default=_LENGTHS_M[0])
    width = length * scale
    x, y = 8.0, 8.0
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length} m"
    group = Group(Rect(x - 4, y - 4, width + 8, 18, fillColor=colors.white, fillOpacity=0.85, strokeColor=None))
    group.add(Rect(x, y, width / 2, 3, fillColor=INK, strokeColor=INK, strokeWidth=0.5))
    group.add(Rect(x + width / 2, y, width / 2, 3, fillColor=colors.white, strokeColor=INK, strokeWidth=0.5))
    group.add(String(x + width / 2, y + 5, text, fontName=FONT, fontSize=6.5, textAnchor="middle", fillColor=INK))
    return group


def _north(w: float, h: float) -> Group:
    """Grid north is up: the map is drawn in National Grid metres."""
    x, y = w - 14, h - 30
    group = Group(Polygon([x, y + 16, x - 5, y, x, y + 4, x + 5, y], fillColor=INK, strokeColor=INK,
                          strokeWidth=0.5))
    group.add(String(x, y + 17, "N", fontName=FONT_BOLD, fontSize=7, textAnchor="middle", fillColor=INK))
    return group
