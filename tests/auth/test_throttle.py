"""The sign-in throttle and authenticate() on each database: state in login_attempt, shared by every worker."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from cctv.auth import service, throttle
from cctv.auth.models import LoginAttempt, Role, User
from cctv.auth.service import REFUSED, THROTTLED, authenticate
from cctv.auth.throttle import ThrottlePolicy
from tests.conftest import PASSWORD, PASSWORD_HASH

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(window=timedelta(minutes=15), pair_max=3, address_max=6, attack_failures=5, known_days=30)
HOME, BAD = "198.51.100.10", "203.0.113.66"


@pytest.fixture
def operator(session: Session) -> User:
    user = User(username="op", role=Role.OPERATOR, password_hash=PASSWORD_HASH)
    session.add(user)
    session.commit()
    return user


def _try(session: Session, password: str, address: str, at: datetime = NOW, username: str = "op"):
    result = authenticate(session, username, password, address=address, now=at, policy=POLICY)
    session.commit()
    return result


def test_a_guessing_address_waits_and_another_signs_in(session: Session, operator: User) -> None:
    for _ in range(3):
        assert _try(session, "wrong-wrong-wrong", BAD).message == REFUSED
    throttled = _try(session, PASSWORD, BAD)
    assert (throttled.user, throttled.message, throttled.checked) == (None, THROTTLED, False)
    assert _try(session, PASSWORD, HOME).user is not None


def test_a_success_wipes_the_slate_of_its_address(session: Session, operator: User) -> None:
    for _ in range(2):
        _try(session, "wrong-wrong-wrong", HOME)
    assert _try(session, PASSWORD, HOME, NOW + timedelta(seconds=10)).user is not None
    for _ in range(2):
        _try(session, "wrong-wrong-wrong", HOME, NOW + timedelta(minutes=1))
    assert _try(session, PASSWORD, HOME, NOW + timedelta(minutes=1)).user is not None


def test_under_attack_new_addresses_get_one_guess_and_the_usual_address_its_allowance(
    session: Session, operator: User
) -> None:
    assert _try(session, PASSWORD, HOME).user is not None
    for n in range(5):
        _try(session, "wrong-wrong-wrong", f"203.0.113.{n}")
    assert _try(session, PASSWORD, "203.0.113.0").message == THROTTLED  # failed once here: waits
    assert _try(session, "wrong-wrong-wrong", HOME).message == REFUSED  # a typo at home…
    assert _try(session, PASSWORD, HOME).user is not None  # …and home still gets in
    assert _try(session, PASSWORD, "192.0.2.7").user is not None  # a fresh address is checked


def test_unknown_names_are_throttled_like_real_ones(session: Session, operator: User) -> None:
    for _ in range(3):
        assert _try(session, "x" * 12, BAD, username="ghost").message == REFUSED
    assert _try(session, "x" * 12, BAD, username="ghost").message == THROTTLED


def test_unknown_names_cost_one_hash_check_like_known_ones(session: Session, operator: User,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    hashes: list[str] = []
    real = service.check_password_hash
    monkeypatch.setattr(service, "check_password_hash", lambda h, p: hashes.append(h) or real(h, p))
    _try(session, "wrong-wrong-wrong", HOME, username="ghost")
    _try(session, "wrong-wrong-wrong", HOME)
    assert hashes == [service._dummy_hash(), PASSWORD_HASH]


def test_old_attempts_are_pruned(session: Session, operator: User) -> None:
    _try(session, PASSWORD, HOME)
    _try(session, "wrong-wrong-wrong", BAD)
    later = NOW + timedelta(minutes=16)
    throttle.record(session, BAD, "op", succeeded=False, now=later, policy=POLICY)
    session.commit()
    # The old failure is gone; the success stays (it marks a known address) until known_days have passed.
    assert session.exec(select(func.count()).select_from(LoginAttempt)).one() == 2
    throttle.record(session, BAD, "op", succeeded=False, now=NOW + timedelta(days=31), policy=POLICY)
    session.commit()
    assert session.exec(select(func.count()).select_from(LoginAttempt)).one() == 1


def test_the_attempt_rows_are_not_audited_but_the_sign_in_is(session: Session, operator: User) -> None:
    from cctv.audit import AuditEntry

    _try(session, PASSWORD, HOME)
    tables = set(session.exec(select(AuditEntry.table_name)))
    assert "login_attempt" not in tables
