"""The password policy, and create_user holding every new account to it."""

import pytest
from sqlmodel import Session

from cctv.auth.models import Role, UserCreate
from cctv.auth.passwords import WeakPassword, common_passwords, password_problems
from cctv.auth.service import create_user


@pytest.mark.parametrize("password", ["aaaaaaaaaaaaaa", "jsmith", "jsmithjsmith1", "Password1234", "Summer2024!!!",
                                      "qwertyuiop123", "1qaz2wsx3edc", "shortone"])
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_problems(password, "jsmithjsmith1" if password == "jsmithjsmith1" else "jsmith")


@pytest.mark.parametrize("password", ["correct-horse-battery", "kettle.zebra.moon7", "Wycombe control 2026!"])
def test_good_passwords_pass(password: str) -> None:
    assert password_problems(password, "jsmith") == []


def test_the_list_is_the_shipped_one() -> None:
    words = common_passwords()
    assert len(words) > 19_000 and "password" in words and "qwerty" in words


def test_create_user_refuses_a_weak_password(session: Session) -> None:
    with pytest.raises(WeakPassword, match="at least 12 characters"):
        create_user(session, UserCreate(username="jsmith", role=Role.OPERATOR, password="aaaaaaaaaa"))
    with pytest.raises(WeakPassword, match="must not be the username"):
        create_user(session, UserCreate(username="jsmith-long-name", role=Role.OPERATOR,
                                        password="JSMITH-LONG-NAME"))
    assert create_user(session, UserCreate(username="jsmith", role=Role.OPERATOR,
                                           password="correct-horse-battery")).id
