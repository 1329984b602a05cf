"""One look for every PDF the system prints: the capital-bid site report, the DPIA and the Advisory Group pack.

Page size and margins, fonts and type sizes, colours, the grid table and the label–value table, and the canvas
that writes "Page 2 of 7" under a footer, are defined here once, so the three documents cannot drift apart. A
report builds its story from these and hands it to `build_pdf`, which always writes ReportLab's invariant mode:
the same story gives the same bytes (the generated time is printed by the caller, never read from the clock).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

PAGE = A4
MARGIN = 18 * mm
WIDTH = PAGE[0] - 2 * MARGIN  # 174 mm: the story's width between the side margins
WIDTH_MM = WIDTH / mm
FOOTER_LINES = 3  # a long footer wraps onto at most this many lines
FOOTER_LEADING = 8.5
FOOTER_ROOM = 8 * mm  # kept clear above the bottom margin so the body never runs into a three-line footer

FONT, FONT_BOLD = "Helvetica", "Helvetica-Bold"
FOOTER_FONT = (FONT, 7)

INK = colors.HexColor("#333333")  # chart labels and lines drawn beside the text
MUTED = colors.HexColor("#555555")  # the footer and secondary notes
HEADER_FILL = colors.HexColor("#e8e6de")  # a table's header row
RULE = colors.HexColor("#b8b6ae")  # a grid's lines
LIGHT_RULE = colors.HexColor("#d6d4cc")  # the rules between label–value rows
SHADE = colors.HexColor("#f3f1ea")  # a totals row, a highlighted paragraph

_SAMPLE = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_SAMPLE["Normal"], fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10, spaceAfter=0)
CELL = SMALL  # table cells are the small text
CELL_RIGHT = ParagraphStyle("cellright", parent=CELL, alignment=TA_RIGHT)  # figures, wrapped when long
CELL_HEAD = ParagraphStyle("cellhead", parent=CELL, fontName=FONT_BOLD)
TITLE = ParagraphStyle("title", parent=_SAMPLE["Title"], fontName=FONT_BOLD, fontSize=20, leading=24, alignment=0)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=13, leading=16, spaceAfter=8)
H1 = ParagraphStyle("h1", parent=_SAMPLE["Heading1"], fontName=FONT_BOLD, fontSize=14, leading=17, spaceBefore=8,
                    spaceAfter=5)
H2 = ParagraphStyle("h2", parent=_SAMPLE["Heading2"], fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=6,
                    spaceAfter=3)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=10, bulletIndent=2, spaceAfter=2)
NOTE = ParagraphStyle("note", parent=SMALL, textColor=MUTED, spaceAfter=3)

# Cells may be Paragraphs (which carry their own style) or plain strings, which take the FONT lines below.
GRID = TableStyle([
    ("FONT", (0, 0), (-1, -1), FONT, 8),
    ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ("GRID", (0, 0), (-1, -1), 0.4, RULE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
])


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text (escaped, so "<" and "&" print as themselves)."""
    return Paragraph(escape(text), style)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], *,
          numeric_from: int | None = None, bold_last: bool = False,
          markup: Callable[[str], str] = escape) -> Table:
    """A grid with its header row repeated on each page; `widths` in millimetres.

    Columns from `numeric_from` on are right-aligned; `bold_last` shades a totals row. Each value is written as
    `markup(str(value))` (escaped text by default; a report may keep line breaks, say, with its own).
    """
    def cell(value: Any, column: int) -> Paragraph:
        style = CELL_RIGHT if numeric_from is not None and column >= numeric_from else CELL
        return Paragraph(markup(str(value)), style)

    data = [[Paragraph(markup(h), _head_style(h, w)) for h, w in zip(header, widths, strict=False)]]
    data += [[cell(v, i) for i, v in enumerate(row)] for row in rows]
    grid = Table(data, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT", spaceAfter=6)
    grid.setStyle(GRID)
    if bold_last and rows:
        grid.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), SHADE)]))
    return grid


HEAD_MIN_SIZE = 6.0  # a header never shrinks below this; below it the word wraps (readable beats one line)
CELL_PADDING = 3  # GRID's left and right padding, points


def _head_style(text: str, width_mm: float) -> ParagraphStyle:
    """The header's style, its type made smaller when its longest word would not fit the column: ReportLab would
    otherwise break the word ("Evidence produce d")."""
    room = width_mm * mm - 2 * CELL_PADDING
    words = text.split() or [""]
    longest = max(stringWidth(w, CELL_HEAD.fontName, CELL_HEAD.fontSize) for w in words)
    if longest <= room:
        return CELL_HEAD
    size = max(HEAD_MIN_SIZE, CELL_HEAD.fontSize * room / longest)
    return ParagraphStyle(f"cellhead{size:.2f}", parent=CELL_HEAD, fontSize=size, leading=size * 1.2)


def key_values(rows: Sequence[tuple[str, str]], widths: tuple[float, float] = (62, 112)) -> Table:
    """Label and value pairs, ruled between; `widths` in millimetres."""
    cells = [[Paragraph(escape(k), CELL_HEAD), Paragraph(escape(v), SMALL)] for k, v in rows]
    grid = Table(cells, colWidths=[w * mm for w in widths], hAlign="LEFT", spaceAfter=6)
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, LIGHT_RULE),
                              ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return grid


def numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas that holds every page until the end, so each can say "Page 2 of 7" beside `footer` (which wraps
    onto up to `FOOTER_LINES` lines)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # ReportLab's name; holds the page instead of emitting it
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for page_no, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(page_no, len(self._pages))
                super().showPage()
            super().save()

        def _footer(self, page_no: int, pages: int) -> None:
            width, _ = self._pagesize
            self.saveState()
            self.setFont(*FOOTER_FONT)
            self.setFillColor(MUTED)
            lines = simpleSplit(footer, FOOTER_FONT[0], FOOTER_FONT[1], width - 2 * MARGIN - 24 * mm)[:FOOTER_LINES]
            for i, line in enumerate(lines):
                self.drawString(MARGIN, MARGIN - 2 + (len(lines) - 1 - i) * FOOTER_LEADING, line)
            self.drawRightString(width - MARGIN, MARGIN - 2, f"Page {page_no} of {pages}")
            self.restoreState()

    return NumberedCanvas


def build_pdf(story: list[Flowable], *, footer: str, title: str, author: str = "", subject: str = "",
              creator: str = "") -> bytes:
    """The story on A4 pages with the shared margins, `footer` and page numbers on each, as PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + FOOTER_ROOM, title=title, author=author, subject=subject,
                            creator=creator, invariant=True)
    doc.build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


__all__ = [
    "BODY", "BULLET", "CELL", "CELL_HEAD", "CELL_RIGHT", "FONT", "FONT_BOLD", "FOOTER_FONT", "GRID", "H1", "H2",
    "HEADER_FILL", "INK", "LIGHT_RULE", "MARGIN", "MUTED", "NOTE", "PAGE", "RULE", "SHADE", "SMALL", "SUBTITLE",
    "TITLE", "WIDTH", "WIDTH_MM", "build_pdf", "key_values", "numbered_canvas", "para", "table",
]
