"""The Advisory Group's pack on the known history (tests/outcomes/pack_history.py): every measure for 2025Q3 and
the previous quarter, best and worst cameras, and the six principles' lines with their figures, worked by hand."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session

from cctv.outcomes.effectiveness import Change
from cctv.outcomes.pack import AdvisoryPack
from cctv.outcomes.periods import Filters, parse_period
from cctv.outcomes.principles import principles_summary
from cctv.outcomes.summary import advisory_pack, best_and_worst
from tests.outcomes.conftest import AY
from tests.outcomes.pack_history import NOW, TODAY, PackHistory, build_pack_history

Q3 = parse_period("2025Q3")
COVERT = "AY-COV"


@pytest.fixture
def known(session: Session) -> PackHistory:
    return build_pack_history(session)


@pytest.fixture
def pack(session: Session, known: PackHistory) -> AdvisoryPack:
    return advisory_pack(session, Q3, Filters(), today=TODAY, now=NOW)


def asset_ids(pack: AdvisoryPack) -> set[str]:
    """Every camera the pack names anywhere."""
    found = {r.asset_id for r in pack.cameras + pack.best_cameras + pack.worst_cameras}
    found |= {c.asset_id for c in pack.idle_cameras} | {d.asset_id for d in pack.deployments}
    found |= {c.asset_id for c in pack.maintenance.cameras + pack.maintenance.worst}
    found |= {g.asset_id for g in pack.compliance.cameras_without_dpia}
    return found


def test_the_pack_holds_the_quarter_and_the_one_before(pack: AdvisoryPack) -> None:
    assert pack.title == "Advisory Group report: Q3 2025" and pack.filter_labels == ()
    assert (pack.today, pack.now) == (TODAY, NOW)
    assert pack.incidents.totals() == {"incidents": 6, "arrests": 6, "incidents_with_arrest": 3,
                                       "evidence_produced": 4, "evidence_later_used": 2, "inside_monitored": 4,
                                       "outside_monitored": 2}
    assert pack.previous.period == parse_period("2025Q2")
    assert pack.previous.totals()["incidents"] == 2 and pack.previous.totals()["arrests"] == 1
    assert pack.trend["incidents"] == Change("Incidents", 6, 2, 4, 200.0)
    assert pack.trend["evidence_produced"] == Change("Evidence produced", 4, 0, 4, None)
    assert pack.monitored_hours == 1510


def test_best_worst_and_idle_cameras(pack: AdvisoryPack) -> None:
    assert [(r.asset_id, r.incidents, r.arrests) for r in pack.best_cameras] == [
        ("HW-1", 3, 3), ("AY-P1", 2, 1), ("HW-2", 1, 3), ("AY-1", 1, 2)]  # only cameras used at all
    assert [r.asset_id for r in pack.worst_cameras] == ["AY-2", "AY-P2", "HW-NEW"]  # none, by asset id
    # Since 15 October 2024: AY-2 never used; AY-P2 was (1 December 2024); HW-NEW installed since.
    assert [(c.asset_id, c.town, c.service_area, c.last_incident) for c in pack.idle_cameras] == [
        ("AY-2", AY, "Community Safety", None)]
    best, worst = best_and_worst(pack.cameras, n=2)
    assert [r.asset_id for r in best] == ["HW-1", "AY-P1"]
    assert [r.asset_id for r in worst] == ["AY-2", "AY-P2"]


def test_deployments_investment_maintenance_and_compliance(pack: AdvisoryPack) -> None:
    (row,) = pack.deployments
    assert (row.asset_id, row.location_text, row.current) == ("HW-2", "Frogmoor", True)
    assert (row.before.incidents, row.during.incidents, row.during.arrests) == (1, 1, 3)  # I9 before; I5 during
    s = pack.deployment_summary
    assert (s.deployments, s.cameras, s.locations, s.camera_incidents, s.camera_arrests) == (1, 1, 1, 1, 3)
    assert pack.investment.council_total == Decimal("1000.00")
    assert pack.investment.external_total == Decimal("3000.00")
    assert pack.investment.total == Decimal("4000.00")
    m = pack.maintenance
    assert (m.faults_opened, m.faults_fixed, m.open_at_end, m.sla.due, m.sla.fixed_within_sla) == (2, 2, 0, 2, 1)
    assert m.mean_hours_to_fix == 53.0
    assert m.availability == pytest.approx(15350 / 15456)
    c = pack.compliance
    assert (c.systems_current, c.systems_total, c.reviews_open, c.reviews_overdue) == (1, 2, 1, 1)
    assert [g.asset_id for g in c.cameras_without_dpia] == ["AY-2", "AY-P1", "AY-P2", "HW-NEW"]


def test_covert_cameras_never_appear(pack: AdvisoryPack) -> None:
    assert COVERT not in asset_ids(pack)
    assert "HW-1" in asset_ids(pack)


def test_the_six_principles_with_their_figures(pack: AdvisoryPack) -> None:
    summary = principles_summary(pack)
    assert [p.number for p in summary] == [1, 2, 3, 4, 5, 6]
    assert summary[1].measured_by == "New investment secured from council sources (NCIL, capital, budgets)"
    assert [list(p.lines) for p in summary] == [
        ["6 incidents logged in Q3 2025, by category: Violence 3, Theft 2, Anti-social behaviour 1.",
         "1 of 2 camera systems have a current DPIA; 1 of 1 open review overdue; 4 working cameras not covered by "
         "a signed-off DPIA.",
         "No self-assessment against the Surveillance Camera Code has been recorded."],
        ["New investment from council sources in Q3 2025: £1,000.00 (NCIL £1,000.00 from 1 award; Capital "
         "programme £0.00; Council budget £0.00).",
         "Most incidents by town: High Wycombe 4, Aylesbury 3."],
        ["1 location had deployable cameras in Q3 2025 (1 deployment of 1 camera).",
         "Deployable cameras were used on 1 incident with 3 arrests; footage from them was produced 0 times, 0 "
         "later used to charge, prosecute or caution.",
         "Within 100 m of 1 deployment with a recorded point: 1 incident in the equal period before, 1 during."],
        ["New investment from external sources in Q3 2025: £3,000.00 (Section 106 £3,000.00 from 1 award; "
         "External / private £0.00).",
         "Total new investment £4,000.00, of which 75.0% from external sources."],
        ["The control room monitored 1,510.0 hours in Q3 2025 (Monday–Thursday 08:00–23:00; Friday–Saturday "
         "08:00–04:00; Sunday 08:00–23:00).",
         "4 of 6 incidents (66.7%) were inside monitored hours and 2 (33.3%) outside.",
         "Busiest unmonitored hours: Tuesday 23:00–00:00 (1 incident), Tuesday 00:00–01:00 (1 incident)."],
        ["Whole system: 6 incidents (+4 (+200.0%) on Q2 2025), 6 arrests (+5 (+500.0%)), evidence produced 4 "
         "(+4 (none before)), later used 2 (+2 (none before)).",
         "Most used cameras: HW-1 Camera HW-1: 3 incidents, 3 arrests; AY-P1 Camera AY-P1: 2 incidents, "
         "1 arrest; HW-2 Camera HW-2: 1 incident, 3 arrests.",
         "3 of 7 cameras had no incident in the period; listed for review: 1 operational camera with no incident "
         "in the last 12 months.",
         "Maintenance: 2 faults opened and 2 fixed; 1 of 2 due fixed within SLA (50.0%); availability 99.3% "
         "across 7 cameras."],
    ]


def test_a_town_narrows_the_cameras_but_not_investment_or_compliance(session: Session, known: PackHistory) -> None:
    pack = advisory_pack(session, Q3, Filters(town=AY), today=TODAY, now=NOW)
    assert pack.title == "Advisory Group report: Q3 2025 (Town: Aylesbury)"
    assert (pack.incidents.incidents, pack.incidents.arrests) == (3, 3)  # I1, I2, I3
    assert [r.asset_id for r in pack.cameras] == ["AY-P1", "AY-1", "AY-2", "AY-P2"]
    assert [c.asset_id for c in pack.idle_cameras] == ["AY-2"]
    assert pack.deployments == () and pack.deployment_summary.deployments == 0
    assert [c.asset_id for c in pack.maintenance.cameras] == ["AY-1", "AY-2", "AY-P1", "AY-P2"]
    assert pack.investment.total == Decimal("4000.00")  # the whole estate's
    assert pack.compliance.systems_total == 2
    lines = {p.number: p.lines for p in principles_summary(pack)}
    assert lines[3] == ("No deployable camera was deployed in Q3 2025.",)
    area = advisory_pack(session, Q3, Filters(service_area_id=known.history.areas["PARK"]), today=TODAY, now=NOW)
    assert area.filter_labels == ("Service area: Parking",)
    assert [r.asset_id for r in area.cameras] == ["AY-P1", "AY-P2"]


def test_now_defaults_to_the_end_of_today(session: Session, known: PackHistory) -> None:
    pack = advisory_pack(session, Q3, today=date(2025, 10, 15))
    assert pack.now == datetime(2025, 10, 15, 23, tzinfo=UTC)  # London midnight after the day, in BST
    assert pack.maintenance.sla.fixed_within_sla == 1


def test_an_empty_estate_still_makes_a_pack(session: Session) -> None:
    pack = advisory_pack(session, Q3, today=TODAY, now=NOW)
    assert pack.incidents.incidents == 0 and pack.cameras == () and pack.best_cameras == ()
    lines = {p.number: p.lines for p in principles_summary(pack)}
    assert lines[1][0] == "No incidents were logged in Q3 2025."
    assert lines[4][1] == "No new investment was recorded in Q3 2025."
    assert lines[6][-1] == ("Maintenance: 0 faults opened and 0 fixed; 0 of 0 due fixed within SLA (–); "
                            "availability – across 0 cameras.")
