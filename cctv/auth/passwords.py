"""The password policy, the same wherever a password is set: `cctv users create`, the admin's accounts page and
a user changing their own.

common-passwords.txt.gz is the list Django ships (django/contrib/auth/common-passwords.txt.gz, BSD licence):
19,640 common passwords, lowercased, from Royce Williams' compilation of breach corpora
(https://gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce). Most are shorter than our minimum;
they still matter because a password is also checked with its trailing digits and symbols taken off, so
"Summer2024!!" and "password1234" are refused as "summer" and "password".
"""

import gzip
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
COMMON_LIST = Path(__file__).with_name("common-passwords.txt.gz")
_TAIL = "0123456789!@#$%^&*()-_=+.,;:?~`'\"/\\|[]{}<> "


@cache
def common_passwords() -> frozenset[str]:
    """The list, read once per process."""
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def password_problems(password: str, username: str) -> list[str]:
    """What is wrong with a proposed password, as sentences to show beside the field; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    lowered = password.lower()
    if username and username.strip().lower() in (lowered, lowered[::-1]):
        problems.append("The password must not be the username.")
    if password and len(set(password)) == 1:
        problems.append("The password must not be one character repeated.")
    common = common_passwords()
    if lowered in common or lowered.rstrip(_TAIL) in common:
        problems.append("That password is on a list of common passwords: choose another.")
    return problems


class WeakPassword(ValueError):
    """A password the policy refuses; str() gives every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def check_password_policy(password: str, username: str) -> None:
    """Raise WeakPassword unless the password meets the policy."""
    problems = password_problems(password, username)
    if problems:
        raise WeakPassword(problems)
