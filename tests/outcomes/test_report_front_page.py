"""The pack's first page is the council's and holds the summary in plain words; a measure with nothing recorded says
so instead of drawing an empty chart; the per-camera annex comes only when asked for; headers fit their columns.
Read back with pdftotext on the known history (tests/outcomes/pack_history.py: Q3 2025 has 6 incidents against 2 in
Q2, 6 arrests, 4 of 6 inside monitored hours, £4,000 awarded)."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session

from cctv.outcomes.pack import AdvisoryPack
from cctv.outcomes.periods import Filters, parse_period
from cctv.outcomes.report import Council, advisory_pack_pdf
from cctv.outcomes.summary import advisory_pack
from common.pdf_style import CELL_HEAD, _head_style
from tests.outcomes.pack_history import NOW, TODAY, build_pack_history
from tests.pdf import pdf_text

GENERATED = datetime(2025, 10, 15, 12, tzinfo=UTC)
CHART_TITLES = ("Incidents and arrests by month", "Incidents by category", "New investment by source",
                "Incidents by hour of the week")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pages(data: bytes, tmp_path: Path) -> list[str]:
    """Each page's text, flattened (pdftotext ends each page with a form feed)."""
    return [flat(page) for page in pdf_text(data, tmp_path).split("\f")]


@pytest.fixture
def pack(session: Session) -> AdvisoryPack:
    build_pack_history(session)
    return advisory_pack(session, parse_period("2025Q3"), Filters(), today=TODAY, now=NOW)


def test_the_first_page_is_the_councils_plain_summary(pack: AdvisoryPack, tmp_path: Path) -> None:
    first = pages(advisory_pack_pdf(pack, generated_at=GENERATED, council=Council("Trafford Council")), tmp_path)[0]
    assert "Trafford Council" in first and "CCTV Advisory Group report" in first
    assert "Summary in plain words" in first
    assert "In Q3 2025 the control room logged 6 incidents, up 4 on Q2 2025 (2). They led to 6 arrests." in first
    assert "4 of the 6 incidents happened while the control room was watching (66.7%)." in first
    assert "New money for cameras: £4,000.00 (£1,000.00 from the council, £3,000.00 from elsewhere)." in first
    assert "Headline figures" not in first  # the figures follow on the next pages


def test_the_logo_from_configuration_is_drawn_and_a_bad_path_is_ignored(pack: AdvisoryPack, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (0, 90, 160)).save(logo)
    with_logo = advisory_pack_pdf(pack, generated_at=GENERATED, council=Council("Trafford Council", str(logo)))
    without = advisory_pack_pdf(pack, generated_at=GENERATED, council=Council("Trafford Council"))
    assert b"/Subtype /Image" in with_logo and b"/Subtype /Image" not in without
    missing = advisory_pack_pdf(pack, generated_at=GENERATED,
                                council=Council("Trafford Council", str(tmp_path / "none.png")))
    assert missing == without


def test_nothing_recorded_instead_of_empty_charts(session: Session, tmp_path: Path) -> None:
    empty = advisory_pack(session, parse_period("2025Q3"), today=TODAY, now=NOW)  # no records at all
    text = " ".join(pages(advisory_pack_pdf(empty, generated_at=GENERATED), tmp_path))
    for title in CHART_TITLES:
        assert title not in text, title
    assert "Nothing recorded: no incidents were logged in Q3 2025." in text
    assert "Nothing recorded: no new investment was awarded in Q3 2025." in text
    assert "Nothing recorded: the control room logged no incidents in Q3 2025." in text  # the plain summary


def test_charts_are_drawn_when_there_is_data(pack: AdvisoryPack, tmp_path: Path) -> None:
    text = " ".join(pages(advisory_pack_pdf(pack, generated_at=GENERATED), tmp_path))
    for title in CHART_TITLES:
        assert title in text, title
    assert "Nothing recorded" not in text


def test_the_per_camera_annex_is_optional(pack: AdvisoryPack, tmp_path: Path) -> None:
    plain = pages(advisory_pack_pdf(pack, generated_at=GENERATED), tmp_path)
    full = pages(advisory_pack_pdf(pack, generated_at=GENERATED, annex=True), tmp_path)
    assert "Annex: every camera's figures" not in " ".join(plain)
    assert "Annex: every camera's figures" in " ".join(full)
    assert len(full) > len(plain)


def test_a_header_word_never_breaks_inside_its_column() -> None:
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert _head_style("Incidents", 30) is CELL_HEAD  # room enough: the usual type
    style = _head_style("Evidence produced", 14)
    assert style.fontSize < CELL_HEAD.fontSize
    assert stringWidth("produced", style.fontName, style.fontSize) <= 14 * mm - 6


def test_headers_read_back_whole(pack: AdvisoryPack, tmp_path: Path) -> None:
    """The annex's narrow columns once broke their headers mid-word ("Incident s", "Evidenc e produ ced")."""
    text = pdf_text(advisory_pack_pdf(pack, generated_at=GENERATED, annex=True), tmp_path)
    lines = [flat(line).strip() for line in text.splitlines()]
    assert "Asset Name Kind Town Incidents Arrests Evidence Later Per" in lines
    assert "produced used monitored" in lines  # the headers' second lines: whole words
