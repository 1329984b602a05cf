"""The Advisory Group's quarterly report pack as a PDF (ReportLab): every figure read from one `AdvisoryPack`.

`advisory_pack_pdf(pack, generated_at=…, council=…, annex=…)` returns the PDF as bytes. Its first page is the
council's (name and logo from configuration) with a one-page summary in plain words (`plain_summary`); then the
headline figures, the summary against the six principles (`principles_summary`, the sentences the dashboard shows),
incidents with their charts and tables, arrests by offence group and outcome, camera effectiveness (best and least
used cameras), the control-room hours review, the deployable cameras' deployments, investment, maintenance and
compliance; and, when asked for, an annex with every camera's figures and the idle cameras. A measure with nothing
recorded says so in a sentence, never as an empty chart. All text is real PDF text (tables, paragraphs and chart
labels), so it can be searched, copied and read back by tests. Numbers are written by `formats`, as on the
dashboard. Times are Europe/London. The bytes are reproducible for the same pack and `generated_at` (ReportLab's
invariant mode; the clock is never read). The look (type, tables, page numbers) is every report's:
`common.pdf_style`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import CondPageBreak, Image, KeepTogether, PageBreak, Paragraph, Spacer

from cctv.outcomes import report_sections as sections
from cctv.outcomes.formats import change, count, day, london, money, percent
from cctv.outcomes.pack import AdvisoryPack
from cctv.outcomes.plain_summary import plain_summary
from cctv.outcomes.principles import principles_summary
from common.pdf_style import BULLET, H1, H2, NOTE, SMALL, SUBTITLE, TITLE, build_pdf, key_values, para

LOGO_HEIGHT_MM = 18
LOGO_MAX_WIDTH_MM = 70


@dataclass(frozen=True)
class Council:
    """Whose pack it is: the council's name and, if configured, its logo (a PNG or JPEG file)."""

    name: str = "Buckinghamshire Council"
    logo: str = ""


def _logo(path: str) -> Image | None:
    """The logo scaled to the letterhead, or None when none is configured or the file cannot be read as an image
    (a wrong path must not stop the pack)."""
    if not path or not Path(path).is_file():
        return None
    try:
        width, height = ImageReader(path).getSize()
    except (OSError, ValueError):
        return None
    h = LOGO_HEIGHT_MM * mm
    w = min(LOGO_MAX_WIDTH_MM * mm, h * width / height)
    image = Image(path, width=w, height=w * height / width)
    image.hAlign = "LEFT"
    return image


def _front_page(pack: AdvisoryPack, council: Council) -> list[Any]:
    """The council's letterhead, the title and the summary in plain words: the one page most readers read."""
    period = pack.period
    scope = "; ".join(pack.filter_labels) if pack.filter_labels else "All towns and service areas"
    story: list[Any] = []
    logo = _logo(council.logo)
    if logo is not None:
        story += [logo, Spacer(1, 3 * mm)]
    story += [
        para(council.name, SUBTITLE),
        para("CCTV Advisory Group report", TITLE),
        para(f"{period.label}: {day(period.start)} to {day(period.last_day)}", SUBTITLE),
        para(f"{scope}.", SMALL),
        Spacer(1, 4 * mm),
        Paragraph("Summary in plain words", H1),
    ]
    story += [Paragraph(escape(line), BULLET, bulletText="•") for line in plain_summary(pack)]
    story.append(para("The pages that follow give the figures behind each sentence, measure by measure.", NOTE))
    return story


HEADLINE_TOTALS = ("incidents", "arrests", "incidents_with_arrest", "evidence_produced", "evidence_later_used")


def headline(pack: AdvisoryPack) -> list[tuple[str, str]]:
    """The cover's figures: each total with its change, investment, SLA, availability and DPIAs."""
    t, m, before = pack.trend, pack.maintenance, pack.previous.period.label
    rows = [(t[name].label, f"{count(t[name].current)} ({change(t[name])} on {before})") for name in HEADLINE_TOTALS]
    total = pack.incidents.incidents
    rows.append(("Incidents inside monitored hours",
                 f"{count(pack.incidents.inside_monitored)} of {count(total)}"
                 + (f" ({percent(pack.incidents.inside_monitored / total)})" if total else "")))
    inv = pack.investment
    rows.append(("New investment", f"{money(inv.total)} (council {money(inv.council_total)}, external "
                                   f"{money(inv.external_total)})"))
    rows.append(("Faults fixed within SLA", f"{count(m.sla.fixed_within_sla)} of {count(m.sla.due)} due "
                                            f"({percent(m.share_within_sla)})"))
    rows.append(("Camera availability", percent(m.availability)))
    c = pack.compliance
    rows.append(("Systems with a current DPIA", f"{count(c.systems_current)} of {count(c.systems_total)}"))
    return rows


def _cover(pack: AdvisoryPack, generated_at: datetime) -> list[Any]:
    scope = "; ".join(pack.filter_labels) if pack.filter_labels else "All towns and service areas"
    story: list[Any] = [
        para(f"{scope}. Prepared for the CCTV Advisory Group (councillors and police). "
             f"Generated {london(generated_at)} (Europe/London); figures as at {day(pack.today)}."),
        Spacer(1, 4 * mm),
        Paragraph("Headline figures", H1),
        key_values(headline(pack)),
        Paragraph("How the figures are counted", H2),
    ]
    notes = [
        "Every figure is computed from the records (incident log, evidence requests, camera register, faults, "
        "funding awards and the DPIA register); none is typed in. The dashboard, its CSV downloads and this "
        "report read the same measures for the same period, so they agree.",
        "An incident belongs to the period in which it occurred, by London time. Arrests are counted per incident. "
        "An incident seen by cameras in two towns counts once in each town but once in the total. Evidence is "
        "counted when produced; later used means the police reported a charge, prosecution or caution.",
        "Investment and compliance cover the whole estate whatever the filters. Covert cameras are not shown.",
    ]
    story += [para(note, SMALL) for note in notes]
    return story


def _principles(pack: AdvisoryPack) -> list[Any]:
    story: list[Any] = [Paragraph("Summary against the six principles", H1),
                        para("The strategy's six principles, each with the measures that evidence it for "
                             f"{pack.period.label}.")]
    for line in principles_summary(pack):
        block = [Paragraph(f"{line.number}. {escape(line.title)}", H2),
                 para(f"Measured by: {line.measured_by}", NOTE)]
        block += [Paragraph(escape(text), BULLET, bulletText="•") for text in line.lines]
        story.append(KeepTogether(block))
    return story


def advisory_pack_pdf(pack: AdvisoryPack, *, generated_at: datetime, council: Council | None = None,
                      annex: bool = False) -> bytes:
    """The report pack as PDF bytes (see the module's notes); the per-camera annex only when `annex`."""
    council = council or Council()
    story: list[Any] = _front_page(pack, council)
    story += [PageBreak(), *_cover(pack, generated_at)]
    story += [PageBreak(), *_principles(pack)]
    story += [PageBreak(), *sections.incidents(pack)]
    story += [CondPageBreak(80 * mm), *sections.arrests(pack)]
    story += [CondPageBreak(90 * mm), *sections.cameras(pack, annex=annex)]
    story += [CondPageBreak(110 * mm), *sections.hours_review(pack)]
    story += [CondPageBreak(60 * mm), *sections.deployments(pack)]
    story += [CondPageBreak(90 * mm), *sections.investment(pack)]
    story += [CondPageBreak(80 * mm), *sections.maintenance(pack)]
    story += [CondPageBreak(80 * mm), *sections.compliance(pack)]
    if annex:
        story += [PageBreak(), *sections.camera_annex(pack)]
    return build_pdf(story, footer=f"{council.name}. {pack.title}. Generated {london(generated_at)} "
                                   "(Europe/London).",
                     title=pack.title, author=f"{council.name} CCTV",
                     subject="CCTV Advisory Group report pack", creator="cctv-estate outcomes")


__all__ = ["Council", "advisory_pack_pdf", "headline"]
