"""The report pack's page furniture: sizes, paragraph styles, and the grid and label–value tables every section uses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
_STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_STYLES["Normal"], fontSize=9.5, leading=12.5, spaceAfter=4)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10, spaceAfter=0)
CELL = ParagraphStyle("cell", parent=SMALL, fontSize=7.5, leading=9)
CELL_RIGHT = ParagraphStyle("cellright", parent=CELL, alignment=2)
CELL_HEAD = ParagraphStyle("cellhead", parent=CELL, fontName="Helvetica-Bold")
TITLE = ParagraphStyle("title", parent=_STYLES["Title"], fontSize=22, leading=26, alignment=0)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=13, leading=16, spaceAfter=8)
H1 = ParagraphStyle("h1", parent=_STYLES["Heading1"], fontSize=14, leading=17, spaceBefore=8, spaceAfter=5)
H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=11, leading=14, spaceBefore=6, spaceAfter=3)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=10, bulletIndent=2, spaceAfter=2)
MEASURED = ParagraphStyle("measured", parent=SMALL, textColor=colors.HexColor("#555555"), spaceAfter=3)
GRID = TableStyle([
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e6de")),
    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8b6ae")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
])
FOOTER_FONT = ("Helvetica", 7)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], *,
          numeric_from: int | None = None, bold_last: bool = False) -> Table:
    """A grid with a header row repeated on each page; columns from `numeric_from` on are right-aligned."""
    def cell(value: Any, column: int) -> Paragraph:
        style = CELL_RIGHT if numeric_from is not None and column >= numeric_from else CELL
        return Paragraph(escape(str(value)), style)

    data = [[Paragraph(escape(h), CELL_HEAD) for h in header]]
    data += [[cell(v, i) for i, v in enumerate(row)] for row in rows]
    grid = Table(data, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT", spaceAfter=6)
    grid.setStyle(GRID)
    if bold_last and rows:
        grid.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f1ea"))]))
    return grid


def key_values(rows: Sequence[tuple[str, str]], widths: tuple[float, float] = (62, 112)) -> Table:
    """Label and value pairs, ruled between."""
    cells = [[Paragraph(escape(k), CELL_HEAD), Paragraph(escape(v), SMALL)] for k, v in rows]
    grid = Table(cells, colWidths=[w * mm for w in widths], hAlign="LEFT", spaceAfter=6)
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#d6d4cc")),
                              ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return grid


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text (escaped)."""
    return Paragraph(escape(text), style)
