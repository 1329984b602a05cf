"""A DPIA as a PDF in the Surveillance Camera Commissioner / ICO template's order, with the camera annex (ReportLab).

`dpia_pdf(document)` returns the PDF as bytes. All text is real PDF text (paragraphs and tables), so a reader can
search and copy it and the tests read it back. The output is reproducible for the same inputs (ReportLab's
invariant mode; `generated_at` is printed, never read from the clock). Its look (type, tables, the footer with page
numbers) is every report's: `common.pdf_style`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from common.pdf_style import BODY, CELL, H1, TITLE, WIDTH_MM, build_pdf, table
from dpia.models import Dpia, DpiaRisk
from dpia.types import Likelihood, Severity
from inventory.types import london_time

# The template's steps, in its order: (heading, the Dpia field holding the DPO's text).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("Step 1: Identify the need for a DPIA", "need"),
    ("Step 2: Describe the processing", "processing"),
    ("Evidence of a pressing need", "evidence"),
    ("Step 3: Consultation process", "consultation"),
    ("Step 4: Assess necessity and proportionality", "necessity"),
)


class AnnexRow(Protocol):
    """What the annex shows of a camera (dpia.annex.AnnexCamera has these)."""

    asset_id: str
    name: str
    kind: str
    status: str
    location_text: str
    town: str
    longitude: float | None
    latitude: float | None


@dataclass(frozen=True)
class DpiaDocument:
    """Everything the PDF prints: the version, its system, its risks, its camera annex and when it was made."""

    dpia: Dpia
    system_name: str
    service_area: str
    risks: Sequence[DpiaRisk]
    annex: Sequence[AnnexRow]
    generated_at: datetime


def _text(value: str) -> str:
    """Typed text as ReportLab paragraph markup: escaped, line breaks kept, a dash when blank."""
    value = (value or "").strip()
    return escape(value).replace("\n", "<br/>") if value else "—"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
    """A grid of typed text (widths in millimetres); a missing value shows as a dash, as blank text does."""
    return table(header, [["" if v is None else v for v in row] for row in rows], widths, markup=_text)


def _london(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return london_time(moment).strftime("%d %b %Y %H:%M")


def _cover(doc: DpiaDocument) -> list[Any]:
    dpia = doc.dpia
    status = dpia.status.replace("_", " ")
    lines = [f"System: {doc.system_name} ({doc.service_area})", f"Version {dpia.version}, {status}"]
    if dpia.signed_off_at is not None:
        lines.append(f"Signed off {_london(dpia.signed_off_at)} by {dpia.signed_off_by}")
    if dpia.next_review_due is not None:
        lines.append(f"Next review due {dpia.next_review_due:%d %b %Y}")
    if dpia.summary_of_changes.strip():
        lines.append(f"Changes in this version: {dpia.summary_of_changes.strip()}")
    return [Paragraph(f"Data protection impact assessment: {escape(doc.system_name)}", TITLE),
            *(Paragraph(escape(line), BODY) for line in lines), Spacer(1, 4 * mm)]


def _risk_tables(risks: Sequence[DpiaRisk]) -> list[Any]:
    assess = [(i, r.description, Likelihood(r.likelihood).name.title(), Severity(r.severity).name.title(),
               r.rating.value.title()) for i, r in enumerate(risks, 1)]
    measures = [(i, r.measures, r.effect.value.title(), r.residual_rating.value.title(),
                 "Yes" if r.measure_approved else "No") for i, r in enumerate(risks, 1)]
    return [
        Paragraph("Step 5: Identify and assess risks", H1),
        _table(("#", "Risk to individuals", "Likelihood", "Severity", "Overall risk"), assess,
               (8, WIDTH_MM - 68, 20, 20, 20)),
        Paragraph("Step 6: Identify measures to reduce risk", H1),
        _table(("#", "Measures", "Effect on risk", "Residual risk", "Measure approved"), measures,
               (8, WIDTH_MM - 68, 20, 20, 20)),
    ]


def _sign_off(dpia: Dpia) -> list[Any]:
    accepted = {None: "", True: "Accepted", False: "Overruled"}[dpia.dpo_advice_accepted]
    rows = [
        ("Measures approved by", dpia.measures_approved_by),
        ("Residual risks approved by", dpia.residual_risk_approved_by),
        ("DPO advice provided by", dpia.dpo_name),
        ("Summary of DPO advice", dpia.dpo_advice),
        ("DPO advice accepted or overruled", accepted),
        ("If overruled, because", dpia.dpo_advice_overruled_because),
        ("This DPIA will be kept under review by", dpia.reviewer),
        ("Signed off", f"{_london(dpia.signed_off_at)} {dpia.signed_off_by}".strip()),
    ]
    return [Paragraph("Step 7: Sign off and outcomes", H1),
            _table(("Item", "Name, date or notes"), rows, (60, WIDTH_MM - 60))]


def _annex(annex: Sequence[AnnexRow]) -> list[Any]:
    rows = [(c.asset_id, c.name, str(c.kind).replace("_", " "), c.location_text, c.town,
             "" if c.longitude is None or c.latitude is None else f"{c.latitude:.5f}, {c.longitude:.5f}",
             str(c.status).replace("_", " ")) for c in annex]
    flow: list[Any] = [Paragraph(f"Annex: camera locations ({len(rows)})", H1)]
    if not rows:
        return [*flow, Paragraph("No cameras are recorded in this system.", BODY)]
    widths = (20, 34, 22, WIDTH_MM - 142, 22, 28, 16)
    return [*flow, _table(("Asset", "Name", "Kind", "Location", "Town", "Lat, long", "Status"), rows, widths)]


def dpia_pdf(doc: DpiaDocument) -> bytes:
    """The DPIA version as PDF bytes: cover, the template's steps in order, risks, sign-off, camera annex."""
    flow: list[Any] = _cover(doc)
    for heading, field in SECTIONS:
        flow += [Paragraph(heading, H1), Paragraph(_text(getattr(doc.dpia, field)), BODY)]
    flow += _risk_tables(doc.risks) + _sign_off(doc.dpia) + _annex(doc.annex)
    flow.append(Paragraph(f"Generated {_london(doc.generated_at)} (Europe/London).", CELL))
    title = f"DPIA {doc.system_name} v{doc.dpia.version}"
    return build_pdf(flow, footer=f"Data protection impact assessment: {doc.system_name}, version "
                                  f"{doc.dpia.version}. Generated {_london(doc.generated_at)} (Europe/London).",
                     title=title, author="CCTV estate and control room")
