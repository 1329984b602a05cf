"""API tokens expire, and their last use is noted at most once a minute, on each database."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from cctv.audit import AuditEntry
from cctv.auth.models import ApiToken, Role, User
from cctv.auth.service import issue_token, user_for_token
from tests.conftest import PASSWORD_HASH

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def user(session: Session) -> User:
    found = User(username="gis", role=Role.PLANNER, password_hash=PASSWORD_HASH)
    session.add(found)
    session.commit()
    return found


def test_a_token_works_until_it_expires(session: Session, user: User) -> None:
    token, plain = issue_token(session, user, "GIS", now=NOW, days=30)
    session.commit()
    assert token.expires_at == NOW + timedelta(days=30)
    assert user_for_token(session, plain, now=NOW + timedelta(days=29, hours=23)) is not None
    assert user_for_token(session, plain, now=NOW + timedelta(days=30)) is None


def test_the_default_lifetime_is_a_year(session: Session, user: User) -> None:
    token, _ = issue_token(session, user, "GIS", now=NOW)
    assert token.expires_at == NOW + timedelta(days=365)


def test_last_use_is_noted_at_most_once_a_minute_and_not_audited(session: Session, user: User) -> None:
    token, plain = issue_token(session, user, "GIS", now=NOW)
    session.commit()
    assert token.last_used_at is None
    for seconds in (0, 30, 59, 61):
        user_for_token(session, plain, now=NOW + timedelta(seconds=seconds))
        session.commit()
    session.expire_all()
    assert session.get(ApiToken, token.id).last_used_at == NOW + timedelta(seconds=61)
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.table_name == "api_token")).all()
    assert actions == ["create"]
