"""Arrests by offence group and outcome for 2025Q3 on the known history (tests/outcomes/conftest.py, worked by
hand): the measure, its CSV, and the PDF pack read back with pdftotext."""

from pathlib import Path

from sqlmodel import Session

from cctv.controlroom.types import ArrestOutcome, OffenceGroup
from cctv.outcomes.arrests import arrest_measures
from cctv.outcomes.csvs import table_rows
from cctv.outcomes.periods import Filters, parse_period
from cctv.outcomes.report import advisory_pack_pdf
from cctv.outcomes.summary import advisory_pack
from tests.outcomes.conftest import History
from tests.outcomes.pack_history import NOW, TODAY, build_pack_history
from tests.outcomes.test_report_pdf import GENERATED, rows
from tests.pdf import pdf_text

Q3 = parse_period("2025Q3")


def test_q3_arrests_by_offence_group_and_outcome(session: Session, history: History) -> None:
    a = arrest_measures(session, Q3)
    assert a.total == 6
    assert [(r.group, r.total) for r in a.rows] == [
        (OffenceGroup.VIOLENCE, 3), (OffenceGroup.THEFT, 2), (OffenceGroup.ROBBERY, 1)]
    violence = dict(zip(a.outcomes, a.rows[0].by_outcome, strict=True))
    assert (violence[ArrestOutcome.CHARGED], violence[ArrestOutcome.RELEASED_UNDER_INVESTIGATION],
            violence[ArrestOutcome.NO_FURTHER_ACTION]) == (1, 1, 1)
    assert {o: a.outcome_count(o) for o in ArrestOutcome if a.outcome_count(o)} == {
        ArrestOutcome.CHARGED: 3, ArrestOutcome.CAUTIONED: 1, ArrestOutcome.RELEASED_UNDER_INVESTIGATION: 1,
        ArrestOutcome.NO_FURTHER_ACTION: 1}


def test_filters_and_other_quarters(session: Session, history: History) -> None:
    aylesbury = arrest_measures(session, Q3, Filters(town="Aylesbury"))
    assert [(r.group, r.total) for r in aylesbury.rows] == [(OffenceGroup.VIOLENCE, 3)]
    q4 = arrest_measures(session, parse_period("2025Q4"))
    assert (q4.total, q4.outcome_count(ArrestOutcome.NOT_KNOWN)) == (1, 1)
    assert arrest_measures(session, parse_period("2025Q1")).rows == ()


def test_the_csv_crosses_offence_group_and_outcome(session: Session) -> None:
    build_pack_history(session)
    pack = advisory_pack(session, Q3, Filters(), today=TODAY, now=NOW)
    assert pack.arrests.total == pack.incidents.arrests == 6  # the records agree with the incidents' counts
    header, body = table_rows("arrests", pack)
    assert header == ["Offence group", "Not known yet", "Charged", "Cautioned", "Community resolution", "Bailed",
                      "Released under investigation", "No further action", "Total"]
    assert body == [
        ["Violence against the person", "0", "1", "0", "0", "0", "1", "1", "3"],
        ["Theft offences", "0", "1", "1", "0", "0", "0", "0", "2"],
        ["Robbery", "0", "1", "0", "0", "0", "0", "0", "1"],
        ["All offences", "0", "3", "1", "0", "0", "1", "1", "6"],
    ]


def test_the_pdf_pack_counts_arrests_by_offence_group_and_outcome(session: Session, tmp_path: Path) -> None:
    build_pack_history(session)
    pack = advisory_pack(session, Q3, Filters(), today=TODAY, now=NOW)
    lines = rows(pdf_text(advisory_pack_pdf(pack, generated_at=GENERATED), tmp_path))
    assert "Arrests by offence and outcome" in lines
    assert {"Violence against the person 3", "Theft offences 2", "Robbery 1"} <= lines
    assert {"Charged 3", "Cautioned 1", "Released under investigation 1", "No further action 1"} <= lines
    assert "Bailed 0" not in lines  # outcomes with no arrest are left out of the PDF's table
