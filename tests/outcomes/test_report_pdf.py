"""The Advisory Group's PDF read back as text (pdftotext): the same figures as the pack, and so as the dashboard and
the CSVs, for 2025Q3 on the known history (tests/outcomes/pack_history.py); reproducible bytes; London times."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from cctv.outcomes.formats import change, money, percent
from cctv.outcomes.pack import AdvisoryPack
from cctv.outcomes.periods import Filters, parse_period
from cctv.outcomes.principles import principles_summary
from cctv.outcomes.report import advisory_pack_pdf
from cctv.outcomes.summary import advisory_pack
from tests.outcomes.pack_history import NOW, TODAY, build_pack_history
from tests.pdf import pdf_text

Q3 = parse_period("2025Q3")
GENERATED = datetime(2025, 10, 15, 12, tzinfo=UTC)  # 13:00 BST


def flat(text: str) -> str:
    """Every run of white space as one space, so wrapped sentences and table rows read on one line."""
    return re.sub(r"\s+", " ", text)


def rows(text: str) -> set[str]:
    """Each line of the laid-out text with its spacing collapsed (a table row per line)."""
    return {flat(line).strip() for line in text.splitlines() if line.strip()}


@pytest.fixture
def pack(session: Session) -> AdvisoryPack:
    build_pack_history(session)
    return advisory_pack(session, Q3, Filters(), today=TODAY, now=NOW)


@pytest.fixture
def text(pack: AdvisoryPack, tmp_path: Path) -> str:
    return pdf_text(advisory_pack_pdf(pack, generated_at=GENERATED), tmp_path)


def test_the_cover_and_its_headline_figures(pack: AdvisoryPack, text: str) -> None:
    lines = rows(text)
    assert "CCTV Advisory Group report" in lines
    assert "Q3 2025: 1 Jul 2025 to 30 Sep 2025" in lines
    assert "Generated 15 Oct 2025 13:00 (Europe/London)" in flat(text)  # 12:00 UTC in BST
    assert "Incidents 6 (+4 (+200.0%) on Q2 2025)" in lines
    assert "Arrests 6 (+5 (+500.0%) on Q2 2025)" in lines
    assert "Incidents inside monitored hours 4 of 6 (66.7%)" in lines
    assert "New investment £4,000.00 (council £1,000.00, external £3,000.00)" in lines
    assert "Faults fixed within SLA 1 of 2 due (50.0%)" in lines
    assert "Camera availability 99.3%" in lines
    assert "Systems with a current DPIA 1 of 2" in lines
    # The same numbers as the pack, written by the same functions.
    assert f"Incidents {pack.incidents.incidents} ({change(pack.trend['incidents'])} on Q2 2025)" in lines
    assert percent(pack.maintenance.share_within_sla) == "50.0%"


def test_every_principle_line_is_in_the_pdf(pack: AdvisoryPack, text: str) -> None:
    body = flat(text)
    for principle in principles_summary(pack):
        assert f"{principle.number}. {principle.title}" in body
        for line in principle.lines:
            assert line in body, line


def test_tables_show_the_packs_figures(pack: AdvisoryPack, text: str) -> None:
    lines = rows(text)
    # Incidents and arrests against the previous quarter, and the breakdowns.
    assert "Incidents 6 2 +4 (+200.0%)" in lines
    assert "Arrests 6 1 +5 (+500.0%)" in lines
    assert "High Wycombe 4 6" in lines and "Aylesbury 3 3" in lines and "(no camera) 1 0" in lines
    assert "Jul 2025 4 3" in lines and "Sep 2025 1 3" in lines
    # A camera's counts: incidents, arrests, evidence produced and later used, per monitored hour (3 / 1510).
    hw1 = next(r for r in pack.cameras if r.asset_id == "HW-1")
    assert (hw1.incidents, hw1.arrests, hw1.evidence_produced, hw1.evidence_used) == (3, 3, 2, 1)
    assert "HW-1 Camera HW-1 High Wycombe 3 3 2 1 0.0020" in lines  # most used, and again in the annex
    assert "AY-2 Camera AY-2 Aylesbury 0 0 0 0 0.0000" in lines  # least used
    # Investment by source and the totals.
    assert f"Council NCIL 1 {money(pack.investment.amount(pack.investment.sources[0].source))}" in lines
    assert "External Section 106 1 £3,000.00" in lines
    assert "All Total 2 £4,000.00" in lines
    # Maintenance: the SLA by priority and the least available camera (2112 / 2208).
    assert "All 2 0 2 1 50.0%" in lines
    assert "AY-P1 Camera AY-P1 Aylesbury Parking 1 96.0 95.7%" in lines
    # The hours review's busiest unmonitored hours, and the deployment's figures (London time 13:00).
    assert "Tuesday 23:00–00:00 1 3" in lines
    deployment = [line for line in lines if line.startswith("HW-2 Frogmoor")]
    assert len(deployment) == 1 and re.fullmatch(
        r"HW-2 Frogmoor, High 1 Aug 2025 still there 1 \(0\) 1 \(3\) – 1 3 0 ?/ ?0", deployment[0]), deployment
    assert "Wycombe 13:00" in lines  # the cells' second lines: the town, and the London time moved
    # Compliance.
    assert "Town centre Community Safety 3 1 10 Jan 2025 10 Jan 2026 0 Current" in lines


def test_covert_cameras_never_appear(text: str) -> None:
    assert "AY-COV" not in text and "HW-1" in text


def test_the_bytes_are_reproducible(pack: AdvisoryPack) -> None:
    first = advisory_pack_pdf(pack, generated_at=GENERATED)
    assert first.startswith(b"%PDF-") and first == advisory_pack_pdf(pack, generated_at=GENERATED)
    assert first != advisory_pack_pdf(pack, generated_at=datetime(2025, 10, 16, 12, tzinfo=UTC))


def test_a_filtered_pack_says_so(session: Session, tmp_path: Path) -> None:
    build_pack_history(session)
    pack = advisory_pack(session, parse_period("2025-08"), Filters(town="Aylesbury"), today=TODAY, now=NOW)
    text = flat(pdf_text(advisory_pack_pdf(pack, generated_at=GENERATED), tmp_path))
    assert "August 2025: 1 Aug 2025 to 31 Aug 2025" in text
    assert "Town: Aylesbury. Prepared for the CCTV Advisory Group" in text
    assert "No deployable camera was deployed in August 2025." in text


def test_an_empty_estate_makes_a_pdf(session: Session, tmp_path: Path) -> None:
    pack = advisory_pack(session, Q3, today=TODAY, now=NOW)
    text = flat(pdf_text(advisory_pack_pdf(pack, generated_at=GENERATED), tmp_path))
    assert "No incidents were logged in Q3 2025." in text
    assert "No camera was used in the period." in text
