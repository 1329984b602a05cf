"""The disclosure log: due dates by kind, the subject access extension, identity check and redaction before
disclosure, and the due and overdue views (dates counted by hand on a calendar)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from cctv.controlroom.disclosure import (
    DisclosureError,
    DisclosureNotFound,
    close,
    due_and_overdue,
    extend,
    list_disclosures,
    open_disclosure,
    record_id_check,
    set_redaction,
)
from cctv.controlroom.evidence import record_request
from cctv.controlroom.models import Disclosure, DisclosureBase, EvidenceRequestBase
from cctv.controlroom.types import DisclosureKind, DisclosureStatus, RedactionStatus
from tests.conftest import Estate

SAR, FOI, POLICE = DisclosureKind.SUBJECT_ACCESS, DisclosureKind.FOI, DisclosureKind.POLICE


def log(session: Session, kind: DisclosureKind, received: date, **kwargs: object) -> Disclosure:
    """A request of the kind received on the day, logged by the supervisor."""
    police_days = kwargs.pop("police_days", 7)
    data = DisclosureBase.model_validate({"kind": kind, "requester": "A. Person", "received_on": received, **kwargs})
    return open_disclosure(session, data, actor="supervisor", police_days=police_days)


# --- due dates ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "received", "police_days", "due"),
    [
        (SAR, date(2024, 1, 31), 7, date(2024, 2, 29)),  # leap year: the last day of February
        (SAR, date(2025, 1, 31), 7, date(2025, 2, 28)),
        (SAR, date(2026, 1, 31), 7, date(2026, 3, 2)),  # 28 Feb 2026 is a Saturday: the next working day
        (FOI, date(2025, 12, 15), 7, date(2026, 1, 15)),  # 20 working days over Christmas and New Year
        (FOI, date(2026, 4, 1), 7, date(2026, 5, 1)),  # over Easter 2026
        (POLICE, date(2026, 3, 10), 7, date(2026, 3, 17)),
        (POLICE, date(2026, 3, 10), 2, date(2026, 3, 12)),
    ],
)
def test_a_request_is_due_by_the_rule_of_its_kind(
    session: Session, kind: DisclosureKind, received: date, police_days: int, due: date
) -> None:
    disclosure = log(session, kind, received, police_days=police_days)
    session.commit()
    session.expire_all()
    stored = session.get(Disclosure, disclosure.id)
    assert (stored.due_on, stored.extended_to, stored.status) == (due, None, DisclosureStatus.OPEN)
    assert stored.handled_by == "supervisor"


def test_a_request_may_name_the_evidence_it_concerns(session: Session, estate: Estate) -> None:
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    evidence = record_request(
        session,
        EvidenceRequestBase(requesting_officer="PC 1 Smith", window_start=now - timedelta(hours=3),
                            window_end=now - timedelta(hours=2)),
        [estate.town_camera], actor="operator", now=now,
    )
    assert log(session, POLICE, date(2026, 3, 10), evidence_id=evidence.id).evidence_id == evidence.id
    with pytest.raises(DisclosureError) as error:
        log(session, POLICE, date(2026, 3, 10), evidence_id=evidence.id + 100)
    assert set(error.value.problems) == {"evidence_id"}


def test_a_request_needs_a_requester(session: Session) -> None:
    with pytest.raises(DisclosureError) as error:
        log(session, FOI, date(2026, 3, 10), requester="  ")
    assert set(error.value.problems) == {"requester"}


# --- extension ------------------------------------------------------------------------------------------------------


def test_a_subject_access_request_extends_by_two_months_from_receipt(session: Session) -> None:
    sar = log(session, SAR, date(2025, 1, 31))
    extend(session, sar.id, reason="Complex: footage from nine cameras to redact")
    assert (sar.due_on, sar.extended_to) == (date(2025, 2, 28), date(2025, 4, 30))
    assert sar.extension_reason == "Complex: footage from nine cameras to redact"


def test_an_extension_may_grow_to_two_months_but_never_shrink(session: Session) -> None:
    sar = log(session, SAR, date(2025, 1, 31))
    extend(session, sar.id, months=1, reason="Complex")
    assert sar.extended_to == date(2025, 3, 31)
    extend(session, sar.id, months=2, reason="Still complex")
    assert sar.extended_to == date(2025, 4, 30)
    with pytest.raises(DisclosureError):
        extend(session, sar.id, months=1, reason="Shorter")
    assert (sar.extended_to, sar.extension_reason) == (date(2025, 4, 30), "Still complex")


@pytest.mark.parametrize(("months", "reason", "field"), [(3, "Complex", "months"), (0, "Complex", "months"),
                                                          (2, "  ", "extension_reason")])
def test_an_extension_beyond_two_months_or_without_a_reason_is_refused(
    session: Session, months: int, reason: str, field: str
) -> None:
    sar = log(session, SAR, date(2025, 1, 31))
    with pytest.raises(DisclosureError) as error:
        extend(session, sar.id, months=months, reason=reason)
    assert set(error.value.problems) == {field}
    assert sar.extended_to is None


@pytest.mark.parametrize("kind", [FOI, POLICE])
def test_only_subject_access_requests_extend(session: Session, kind: DisclosureKind) -> None:
    request = log(session, kind, date(2026, 3, 10))
    with pytest.raises(DisclosureError):
        extend(session, request.id, reason="Complex")


# --- identity, redaction and closing ----------------------------------------------------------------------------------


def test_subject_access_footage_is_disclosed_only_after_the_id_check_and_redaction(session: Session) -> None:
    sar = log(session, SAR, date(2026, 3, 2))
    set_redaction(session, sar.id, RedactionStatus.NEEDED)
    with pytest.raises(DisclosureError) as error:
        close(session, sar.id, DisclosureStatus.DISCLOSED, date(2026, 3, 20))
    assert set(error.value.problems) == {"id_checked"}
    record_id_check(session, sar.id)
    with pytest.raises(DisclosureError) as error:
        close(session, sar.id, DisclosureStatus.DISCLOSED, date(2026, 3, 20))
    assert set(error.value.problems) == {"redaction"}
    set_redaction(session, sar.id, RedactionStatus.DONE)
    close(session, sar.id, DisclosureStatus.DISCLOSED, date(2026, 3, 20))
    session.commit()
    session.expire_all()
    stored = session.get(Disclosure, sar.id)
    assert (stored.status, stored.closed_on, stored.id_checked, stored.redaction) == (
        DisclosureStatus.DISCLOSED, date(2026, 3, 20), True, RedactionStatus.DONE)


def test_a_closed_request_stays_closed(session: Session) -> None:
    request = log(session, FOI, date(2026, 3, 2))
    with pytest.raises(DisclosureError):
        close(session, request.id, DisclosureStatus.OPEN, date(2026, 3, 5))
    with pytest.raises(DisclosureError):
        close(session, request.id, DisclosureStatus.REFUSED, date(2026, 3, 1))  # before it arrived
    close(session, request.id, DisclosureStatus.REFUSED, date(2026, 3, 5))
    with pytest.raises(DisclosureError):
        close(session, request.id, DisclosureStatus.DISCLOSED, date(2026, 3, 6))
    assert (request.status, request.closed_on) == (DisclosureStatus.REFUSED, date(2026, 3, 5))


def test_a_refused_or_withdrawn_subject_access_request_needs_no_id_check(session: Session) -> None:
    sar = log(session, SAR, date(2026, 3, 2))
    close(session, sar.id, DisclosureStatus.WITHDRAWN, date(2026, 3, 3))
    assert sar.status == DisclosureStatus.WITHDRAWN


def test_id_checks_are_for_subject_access_and_redaction_not_for_foi(session: Session) -> None:
    foi = log(session, FOI, date(2026, 3, 2))
    with pytest.raises(DisclosureError):
        record_id_check(session, foi.id)
    with pytest.raises(DisclosureError):
        set_redaction(session, foi.id, RedactionStatus.NEEDED)
    police = log(session, POLICE, date(2026, 3, 2))
    assert set_redaction(session, police.id, RedactionStatus.IN_PROGRESS).redaction == RedactionStatus.IN_PROGRESS


def test_an_unknown_request_is_not_found(session: Session) -> None:
    with pytest.raises(DisclosureNotFound):
        close(session, 404, DisclosureStatus.REFUSED, date(2026, 3, 5))


# --- due and overdue views ------------------------------------------------------------------------------------------


def test_due_soon_and_overdue_on_a_given_day(session: Session) -> None:
    today = date(2026, 3, 10)
    overdue = log(session, POLICE, date(2026, 3, 1))  # due 8 March
    due_today = log(session, POLICE, date(2026, 3, 3))  # due 10 March: due, not yet overdue
    due_in_a_week = log(session, POLICE, date(2026, 3, 10))  # due 17 March, the last day of the window
    log(session, POLICE, date(2026, 3, 5), police_days=14)  # due 19 March: later than a week
    closed = log(session, POLICE, date(2026, 2, 1))  # due 8 February, but answered
    close(session, closed.id, DisclosureStatus.DISCLOSED, date(2026, 2, 5))
    extended = log(session, SAR, date(2026, 1, 31))  # due 2 March (overdue) …
    extend(session, extended.id, months=1, reason="Complex")  # … but extended to 31 March
    late_sar = log(session, SAR, date(2026, 2, 9))  # due 9 March 2026 (a Monday)
    session.commit()
    due_soon, late = due_and_overdue(session, today)
    assert [d.id for d in due_soon] == [due_today.id, due_in_a_week.id]
    assert [d.id for d in late] == [overdue.id, late_sar.id]
    due_soon, late = due_and_overdue(session, today, within_days=21)  # up to 31 March: the extension shows
    assert [d.due_on for d in due_soon] == [date(2026, 3, 10), date(2026, 3, 17), date(2026, 3, 19),
                                            date(2026, 3, 2)]
    assert due_soon[-1].id == extended.id


def test_lists_filter_by_kind_and_open(session: Session) -> None:
    foi = log(session, FOI, date(2026, 3, 2))
    sar = log(session, SAR, date(2026, 3, 3))
    police = log(session, POLICE, date(2026, 3, 4))
    close(session, police.id, DisclosureStatus.WITHDRAWN, date(2026, 3, 4))
    assert [d.id for d in list_disclosures(session)] == [police.id, sar.id, foi.id]
    assert [d.id for d in list_disclosures(session, open_only=True)] == [sar.id, foi.id]
    assert [d.id for d in list_disclosures(session, kind=FOI)] == [foi.id]
