"""The demo's DPIA register, labelled illustrative: signed-off DPIAs of different ages (one review overdue, some due
soon), one system with only a draft, one with none, and last year's self-assessment with open actions.

Built through the register's own services (start, edit, risks, sign-off with a past `today`), so the frozen annexes,
superseded versions and yearly reviews are exactly what real use would leave.
"""

from datetime import date, timedelta

from sqlmodel import Session, col, select

from dpia import register, selfassessment
from dpia.models import ActionBase, DpiaBase, DpiaRiskBase
from dpia.principles import PRINCIPLES
from dpia.types import PrincipleAnswer, RiskEffect
from inventory.models import CameraSystem

NOTE = "Illustrative demo text, not a real council DPIA."
ACTOR = "dpo"
RISKS = (
    ("Collateral intrusion: cameras overlook homes and gardens", 2, 3,
     "Privacy masking of private windows and gardens; masks checked at each annual review", 1, 2),
    ("Footage disclosed to people with no lawful basis", 2, 3,
     "Disclosure only through the evidence log with a police reference; supervisor release; SHA-256 hashes", 1, 3),
    ("Footage kept longer than needed", 2, 2, "31-day automatic overwrite unless extracted as evidence", 1, 1),
)


def _sections(system: CameraSystem) -> DpiaBase:
    return DpiaBase(
        need=f"{system.name} records identifiable people in public places. {NOTE}",
        processing="Cameras record 24/7 to the control room's recorders; operators monitor 08:00–23:00, and to "
                   "04:00 on Fridays and Saturdays; footage is overwritten after 31 days unless extracted.",
        evidence="Three-year high-harm crime counts around each camera (the siting model's figures).",
        consultation="Town and parish councils, Thames Valley Police, and residents near new sites.",
        necessity="Prevention and detection of crime and disorder; no less intrusive means achieves it; "
                  "signage at every site; cameras point at public space only.",
        measures_approved_by="Head of Community Safety", residual_risk_approved_by="Service Director",
        dpo_name="Demo data protection officer", dpo_advice="Proceed; keep privacy masks under review.",
        dpo_advice_accepted=True, reviewer="CCTV manager", summary_of_changes="",
    )


def _signed(session: Session, system: CameraSystem, signed_on: date) -> None:
    draft = register.start_dpia(session, system.id or 0, actor=ACTOR, reason="First DPIA of the system")
    register.update_draft(session, draft.id or 0, _sections(system), actor=ACTOR)
    for text, likelihood, severity, measures, res_l, res_s in RISKS:
        register.add_risk(session, draft.id or 0, DpiaRiskBase(
            description=text, likelihood=likelihood, severity=severity, measures=measures,
            effect=RiskEffect.REDUCED, residual_likelihood=res_l, residual_severity=res_s, measure_approved=True))
    register.sign_off(session, draft.id or 0, actor=ACTOR, today=signed_on)


def _assessment(session: Session, today: date) -> None:
    done_on = today - timedelta(days=340)
    assessment = selfassessment.start_assessment(session, actor=ACTOR, today=done_on - timedelta(days=20))
    for principle in PRINCIPLES:
        answer = PrincipleAnswer.PARTLY if principle.number in (3, 10) else PrincipleAnswer.MET
        selfassessment.save_answer(session, assessment.id or 0, principle.number, answer, NOTE)
    selfassessment.add_action(session, assessment.id or 0, ActionBase(
        principle=3, action="Publish the CCTV contact point and camera map on the council website",
        owner="Communications", due_on=today + timedelta(days=45)))
    selfassessment.add_action(session, assessment.id or 0, ActionBase(
        principle=10, action="Publish the annual CCTV report to the Advisory Group", owner="CCTV manager",
        due_on=today - timedelta(days=20)))
    selfassessment.complete_assessment(session, assessment.id or 0, actor=ACTOR, today=done_on)


def create_demo_dpias(session: Session, *, today: date) -> None:
    """Sign off DPIAs for most demo systems at staggered past dates; leave one draft and one gap."""
    systems = list(session.exec(select(CameraSystem).order_by(col(CameraSystem.name))))
    for index, system in enumerate(systems):
        if index == 1:
            draft = register.start_dpia(session, system.id or 0, actor=ACTOR, reason="First DPIA of the system")
            register.update_draft(session, draft.id or 0, _sections(system).model_copy(
                update={"dpo_advice": "", "dpo_advice_accepted": None}), actor=ACTOR)
            continue
        if index == 2:
            continue  # no DPIA at all: its cameras are gaps on the DPO dashboard
        # Spread sign-offs over the last 13 months: the oldest is overdue, a few fall due within 30 days.
        _signed(session, system, today - timedelta(days=(40 + index * 23) % 395))
    _assessment(session, today)
