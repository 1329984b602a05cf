"""The yearly self-assessment: the 12 principles, answers and evidence, an action plan that must cover every
principle not fully met, open actions carried into the next year, and the next one due a year after completion."""

from datetime import date

import pytest
from sqlmodel import Session, func, select

from dpia.models import ActionBase, AssessmentAction, PrincipleAnswerRow, SelfAssessment
from dpia.principles import PRINCIPLES, principle
from dpia.selfassessment import (
    AssessmentError,
    AssessmentIsCompleted,
    IncompleteAssessment,
    actions,
    add_action,
    answers,
    assessment_due,
    complete_action,
    complete_assessment,
    latest_assessment,
    open_actions,
    save_answer,
    start_assessment,
)
from dpia.types import AssessmentStatus, PrincipleAnswer
from inventory.types import london_date

MET, PARTLY, NOT_MET, NA = (PrincipleAnswer.MET, PrincipleAnswer.PARTLY, PrincipleAnswer.NOT_MET,
                            PrincipleAnswer.NOT_APPLICABLE)


def answer(session: Session, assessment_id: int, given: dict[int, PrincipleAnswer]) -> None:
    for number, value in given.items():
        save_answer(session, assessment_id, number, value, f"evidence for {number}")


def action(principle_number: int, text: str, due: date, owner: str = "CCTV manager") -> ActionBase:
    return ActionBase(principle=principle_number, action=text, owner=owner, due_on=due)


def test_the_twelve_guiding_principles_in_the_codes_order() -> None:
    assert [p.number for p in PRINCIPLES] == list(range(1, 13))
    assert PRINCIPLES[0].text.startswith("Use of a surveillance camera system must always be for a specified purpose")
    assert PRINCIPLES[0].text.endswith("necessary to meet an identified pressing need.")
    assert "published contact point for access to information and complaints" in principle(3).text
    assert principle(6).title == "Retention no longer than needed"
    assert principle(12).text.startswith("Any information used to support a surveillance camera system which compares "
                                         "against a reference database")
    with pytest.raises(LookupError):
        principle(13)


def test_starting_makes_twelve_blank_answers_due_in_thirty_days_and_only_one_at_a_time(session: Session) -> None:
    assessment = start_assessment(session, actor="dpo", today=date(2026, 1, 10))
    session.commit()

    assert (assessment.title, assessment.status, assessment.due_on, assessment.created_by) == (
        "Self-assessment 2026", AssessmentStatus.DRAFT, date(2026, 2, 9), "dpo")
    assert [(row.principle, row.answer, row.evidence) for row in answers(session, assessment.id)] == [
        (n, None, "") for n in range(1, 13)]
    assert assessment_due(session, date(2026, 1, 10)) == date(2026, 2, 9)
    with pytest.raises(AssessmentError, match="already in progress"):
        start_assessment(session, actor="dpo", today=date(2026, 1, 11))


def test_nothing_is_due_before_the_first_assessment(session: Session) -> None:
    assert latest_assessment(session) is None
    assert assessment_due(session, date(2026, 1, 10)) is None
    assert open_actions(session) == []


def test_completing_is_refused_while_a_principle_is_unanswered_or_not_met_without_an_action(session: Session) -> None:
    assessment = start_assessment(session, actor="dpo", today=date(2026, 1, 10))
    given = dict.fromkeys(range(1, 12), MET) | {3: NOT_MET, 7: PARTLY, 12: NA}
    del given[5]
    answer(session, assessment.id, given)
    add_action(session, assessment.id, action(4, "Name a senior responsible officer", date(2026, 6, 1)))

    with pytest.raises(IncompleteAssessment) as refused:
        complete_assessment(session, assessment.id, actor="dpo", today=date(2026, 2, 1))
    assert refused.value.problems == {
        3: "not fully met, and the action plan has no action for it",
        5: "not answered",
        7: "not fully met, and the action plan has no action for it",
    }
    assert "principle 5: not answered" in str(refused.value)

    save_answer(session, assessment.id, 5, MET, "Operating procedures v3, issued to all staff")
    add_action(session, assessment.id, action(3, "Publish a contact point on the council website", date(2026, 4, 1)))
    with pytest.raises(IncompleteAssessment) as refused:
        complete_assessment(session, assessment.id, actor="dpo", today=date(2026, 2, 1))
    assert list(refused.value.problems) == [7]

    add_action(session, assessment.id, action(7, "Log every disclosure", date(2026, 3, 1)))
    done = complete_assessment(session, assessment.id, actor="dpo", today=date(2026, 2, 1))
    session.commit()

    assert (done.status, done.completed_by) == (AssessmentStatus.COMPLETED, "dpo")
    session.expire_all()
    stored = session.get(SelfAssessment, assessment.id)
    assert london_date(stored.completed_at) == date(2026, 2, 1)
    assert {row.principle: row.evidence for row in answers(session, assessment.id)}[5] == (
        "Operating procedures v3, issued to all staff")


def test_a_completed_assessment_is_read_only_but_its_actions_can_be_done(session: Session) -> None:
    assessment = start_assessment(session, actor="dpo", today=date(2026, 1, 10))
    answer(session, assessment.id, dict.fromkeys(range(1, 13), MET) | {9: PARTLY})
    step = add_action(session, assessment.id, action(9, "Encrypt exports", date(2026, 5, 1)))
    complete_assessment(session, assessment.id, actor="dpo", today=date(2026, 2, 1))
    session.commit()

    with pytest.raises(AssessmentIsCompleted):
        save_answer(session, assessment.id, 1, NOT_MET, "changed my mind")
    with pytest.raises(AssessmentIsCompleted):
        add_action(session, assessment.id, action(1, "Another", date(2026, 5, 1)))
    with pytest.raises(AssessmentIsCompleted):
        complete_assessment(session, assessment.id, actor="dpo", today=date(2026, 2, 2))

    assert [a.id for a in open_actions(session)] == [step.id]
    complete_action(session, step.id, date(2026, 4, 20))
    session.commit()
    assert session.get(AssessmentAction, step.id).done_on == date(2026, 4, 20)
    assert open_actions(session) == []


def test_a_bad_principle_or_an_action_without_an_owner_is_refused(session: Session) -> None:
    assessment = start_assessment(session, actor="dpo", today=date(2026, 1, 10))
    with pytest.raises(AssessmentError, match="no guiding principle 13"):
        save_answer(session, assessment.id, 13, MET, "")
    with pytest.raises(AssessmentError, match="owner"):
        add_action(session, assessment.id, action(2, "Review the DPIA", date(2026, 3, 1), owner="  "))
    with pytest.raises(LookupError):
        save_answer(session, 999, 1, MET, "")


def test_open_actions_carry_into_next_years_assessment_which_is_due_a_year_after_completion(
    session: Session,
) -> None:
    first = start_assessment(session, actor="dpo", today=date(2026, 1, 10))
    answer(session, first.id, dict.fromkeys(range(1, 13), MET) | {3: NOT_MET, 7: PARTLY})
    signage = add_action(session, first.id, action(3, "Put up signs at Frogmoor", date(2026, 6, 1), owner="Sam"))
    logging = add_action(session, first.id, action(7, "Log every disclosure", date(2026, 3, 1)))
    complete_assessment(session, first.id, actor="dpo", today=date(2026, 2, 1))
    complete_action(session, logging.id, date(2026, 2, 20))
    session.commit()
    assert assessment_due(session, date(2026, 3, 1)) == date(2027, 2, 1)

    second = start_assessment(session, actor="dpo", today=date(2027, 1, 5))
    session.commit()

    assert (second.due_on, second.based_on_id, second.title) == (date(2027, 2, 1), first.id, "Self-assessment 2027")
    assert latest_assessment(session).id == second.id
    [carried] = actions(session, second.id)
    assert carried.id != signage.id
    assert (carried.principle, carried.action, carried.owner, carried.due_on, carried.done_on) == (
        3, "Put up signs at Frogmoor", "Sam", date(2026, 6, 1), None)
    assert [a.id for a in open_actions(session)] == [carried.id]
    # Last year's record keeps its plan as it was.
    assert [(a.principle, a.done_on) for a in actions(session, first.id)] == [(3, None), (7, date(2026, 2, 20))]
    assert session.exec(select(func.count()).select_from(PrincipleAnswerRow)).one() == 24


def test_an_assessment_completed_on_29_february_is_next_due_on_28_february(session: Session) -> None:
    first = start_assessment(session, actor="dpo", today=date(2024, 2, 1))
    answer(session, first.id, dict.fromkeys(range(1, 13), MET))
    complete_assessment(session, first.id, actor="dpo", today=date(2024, 2, 29))
    session.commit()

    assert assessment_due(session, date(2024, 3, 1)) == date(2025, 2, 28)
    assert start_assessment(session, actor="dpo", today=date(2025, 2, 1)).due_on == date(2025, 2, 28)
