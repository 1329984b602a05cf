"""The yearly self-assessment against the Surveillance Camera Code's 12 guiding principles.

One assessment at a time is a draft: an answer and evidence per principle, and an action plan (what, for which
principle, who, by when). Completing it checks that every principle is answered and that every principle not fully
met has an action; a completed assessment's answers are read only, but its actions are worked through over the
following year (`complete_action`). The next assessment is due on the anniversary of the last completion, and
starts with the actions still open carried over.

The completion date is the London date of `completed_at`; `complete_assessment` takes the caller's `today` and
stores a time on that date, so the date that sets the next due date is the one the caller gave.

Services never commit: the caller owns the transaction.
"""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from dpia.models import ActionBase, AssessmentAction, PrincipleAnswerRow, SelfAssessment
from dpia.principles import PRINCIPLE_NUMBERS
from dpia.reviews import anniversary
from dpia.types import AssessmentStatus, PrincipleAnswer
from inventory.types import LONDON, london_date

# The first assessment is due this many days after it is started.
FIRST_ASSESSMENT_DAYS = 30
# Answers that need an action in the plan before the assessment can be completed.
NEEDS_ACTION = frozenset({PrincipleAnswer.NOT_MET, PrincipleAnswer.PARTLY})


class AssessmentError(ValueError):
    """A self-assessment operation that cannot be done."""


class AssessmentIsCompleted(AssessmentError):
    """A completed self-assessment's answers and plan are read only."""


class IncompleteAssessment(AssessmentError):
    """Completion refused; `problems` maps each principle number to what is missing."""

    def __init__(self, problems: dict[int, str]) -> None:
        listing = "; ".join(f"principle {n}: {text}" for n, text in sorted(problems.items()))
        super().__init__("the self-assessment is not complete: " + listing)
        self.problems = problems


def get_assessment(session: Session, assessment_id: int) -> SelfAssessment:
    """The assessment with this id; LookupError when there is none."""
    assessment = session.get(SelfAssessment, assessment_id)
    if assessment is None:
        raise LookupError(f"self-assessment {assessment_id} does not exist")
    return assessment


def _draft(session: Session, assessment_id: int) -> SelfAssessment:
    assessment = get_assessment(session, assessment_id)
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentIsCompleted(f"{assessment.title} is completed and cannot be changed")
    return assessment


def latest_assessment(session: Session) -> SelfAssessment | None:
    """The newest assessment, draft or completed (a draft is always the newest: only one may exist)."""
    return session.exec(select(SelfAssessment).order_by(col(SelfAssessment.id).desc())).first()


def current_draft(session: Session) -> SelfAssessment | None:
    """The assessment in progress, if any."""
    stmt = select(SelfAssessment).where(SelfAssessment.status == AssessmentStatus.DRAFT)
    return session.exec(stmt.order_by(col(SelfAssessment.id).desc())).first()


def latest_completed(session: Session) -> SelfAssessment | None:
    """The most recently completed assessment, if any."""
    stmt = select(SelfAssessment).where(SelfAssessment.status == AssessmentStatus.COMPLETED)
    return session.exec(stmt.order_by(col(SelfAssessment.completed_at).desc(), col(SelfAssessment.id).desc())).first()


def completed_on(assessment: SelfAssessment) -> date | None:
    """The London date the assessment was completed on."""
    return london_date(assessment.completed_at) if assessment.completed_at else None


def answers(session: Session, assessment_id: int) -> list[PrincipleAnswerRow]:
    """The assessment's answers in principle order."""
    stmt = select(PrincipleAnswerRow).where(PrincipleAnswerRow.assessment_id == assessment_id)
    return list(session.exec(stmt.order_by(col(PrincipleAnswerRow.principle))))


def actions(session: Session, assessment_id: int) -> list[AssessmentAction]:
    """The assessment's action plan, by principle then due date."""
    stmt = select(AssessmentAction).where(AssessmentAction.assessment_id == assessment_id)
    return list(session.exec(stmt.order_by(col(AssessmentAction.principle), col(AssessmentAction.due_on),
                                           col(AssessmentAction.id))))


def start_assessment(session: Session, *, actor: str, today: date) -> SelfAssessment:
    """Start the next assessment: 12 blank answers, the last one's open actions carried over.

    Due on the anniversary of the last completion, or FIRST_ASSESSMENT_DAYS from today for the very first.
    Refused while another is in progress.
    """
    if current_draft(session) is not None:
        raise AssessmentError("a self-assessment is already in progress")
    previous = latest_completed(session)
    previous_date = completed_on(previous) if previous else None
    due = anniversary(previous_date) if previous_date else today + timedelta(days=FIRST_ASSESSMENT_DAYS)
    assessment = SelfAssessment(title=f"Self-assessment {today.year}", due_on=due, created_by=actor,
                                based_on_id=previous.id if previous else None)
    session.add(assessment)
    session.flush()
    session.add_all(PrincipleAnswerRow(assessment_id=assessment.id, principle=n) for n in PRINCIPLE_NUMBERS)
    if previous is not None:
        # The previous record keeps its actions as they were; the plan goes on in the new one.
        for action in actions(session, previous.id):
            if action.done_on is None:
                session.add(AssessmentAction(assessment_id=assessment.id, principle=action.principle,
                                             action=action.action, owner=action.owner, due_on=action.due_on))
    session.flush()
    return assessment


def _check_principle(principle: int) -> None:
    if principle not in PRINCIPLE_NUMBERS:
        raise AssessmentError(f"there is no guiding principle {principle}")


def save_answer(
    session: Session, assessment_id: int, principle: int, answer: PrincipleAnswer | None, evidence: str
) -> PrincipleAnswerRow:
    """Record the answer and evidence for one principle of a draft."""
    _draft(session, assessment_id)
    _check_principle(principle)
    stmt = select(PrincipleAnswerRow).where(PrincipleAnswerRow.assessment_id == assessment_id,
                                            PrincipleAnswerRow.principle == principle)
    row = session.exec(stmt).first() or PrincipleAnswerRow(assessment_id=assessment_id, principle=principle)
    row.answer = PrincipleAnswer(answer) if answer is not None else None
    row.evidence = evidence.strip()
    session.add(row)
    session.flush()
    return row


def add_action(session: Session, assessment_id: int, data: ActionBase) -> AssessmentAction:
    """Add a step to a draft's action plan; it needs a description and an owner."""
    _draft(session, assessment_id)
    _check_principle(data.principle)
    if not data.action.strip() or not data.owner.strip():
        raise AssessmentError("an action needs a description and an owner")
    action = AssessmentAction(assessment_id=assessment_id, principle=data.principle, action=data.action.strip(),
                              owner=data.owner.strip(), due_on=data.due_on)
    session.add(action)
    session.flush()
    return action


def complete_action(session: Session, action_id: int, today: date) -> AssessmentAction:
    """Mark an action done today (also on a completed assessment: the plan is worked through over the year)."""
    action = session.get(AssessmentAction, action_id)
    if action is None:
        raise LookupError(f"action {action_id} does not exist")
    if action.done_on is None:
        action.done_on = today
        session.add(action)
        session.flush()
    return action


def completion_problems(session: Session, assessment_id: int) -> dict[int, str]:
    """What stops the assessment being completed, by principle: unanswered, or not met with no action."""
    with_action = {a.principle for a in actions(session, assessment_id)}
    given = {row.principle: row.answer for row in answers(session, assessment_id)}
    problems: dict[int, str] = {}
    for number in PRINCIPLE_NUMBERS:
        answer = given.get(number)
        if answer is None:
            problems[number] = "not answered"
        elif answer in NEEDS_ACTION and number not in with_action:
            problems[number] = "not fully met, and the action plan has no action for it"
    return problems


def _on(today: date) -> datetime:
    """An instant on `today` in London (now's time of day), in UTC; equal to now when today is today."""
    local = datetime.combine(today, datetime.now(LONDON).time(), tzinfo=LONDON)
    return local.astimezone(UTC)


def complete_assessment(session: Session, assessment_id: int, *, actor: str, today: date) -> SelfAssessment:
    """Complete a draft, or raise IncompleteAssessment listing every principle that stops it."""
    assessment = _draft(session, assessment_id)
    problems = completion_problems(session, assessment_id)
    if problems:
        raise IncompleteAssessment(problems)
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = _on(today)
    assessment.completed_by = actor
    session.add(assessment)
    session.flush()
    return assessment


def open_actions(session: Session) -> list[AssessmentAction]:
    """The open actions of the latest assessment, soonest due first (older copies were carried into it)."""
    latest = latest_assessment(session)
    if latest is None:
        return []
    stmt = select(AssessmentAction).where(AssessmentAction.assessment_id == latest.id,
                                          col(AssessmentAction.done_on).is_(None))
    return list(session.exec(stmt.order_by(col(AssessmentAction.due_on), col(AssessmentAction.principle),
                                           col(AssessmentAction.id))))


def next_assessment(session: Session) -> tuple[int, date] | None:
    """What the next assessment's reminders are keyed on, and its due date; None when there has never been one.

    The key is the id of the last completed assessment (whose anniversary sets the date), so starting the draft
    does not send again the reminders already sent; the very first draft is keyed on itself.
    """
    draft = current_draft(session)
    if draft is not None:
        return (draft.based_on_id or draft.id or 0), draft.due_on
    previous = latest_completed(session)
    previous_date = completed_on(previous) if previous else None
    if previous is None or previous_date is None:
        return None
    return previous.id or 0, anniversary(previous_date)


def assessment_due(session: Session, today: date) -> date | None:
    """When the next assessment is due: the draft's due date, or the anniversary of the last completion.

    `today` is part of the contract (callers show due/overdue beside it); the date itself does not depend on it.
    """
    found = next_assessment(session)
    return found[1] if found else None
