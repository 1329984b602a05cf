"""Accounts and reminders the notification tests share."""

from sqlmodel import Session

from cctv.auth.models import Role, User
from dpia.reminders import Reminder

DANA = "dana@council.example"  # DPO
DEV = "dev@council.example"  # DPO
ADA = "ada@council.example"  # admin
OTTO = "otto@council.example"  # operator: never a reminder
OLD = "old@council.example"  # a DPO who left: inactive


def add_people(session: Session, *, emails: bool = True, dpos: bool = True) -> dict[str, int]:
    """Two DPOs, an admin, an operator and an inactive DPO; their ids by username."""
    people = [("ada", Role.ADMIN, ADA, True), ("otto", Role.OPERATOR, OTTO, True), ("old", Role.DPO, OLD, False)]
    if dpos:
        people += [("dana", Role.DPO, DANA, True), ("dev", Role.DPO, DEV, True)]
    users = [User(username=name, role=role, email=address if emails else "", active=active, password_hash="x")
             for name, role, address, active in people]
    session.add_all(users)
    session.commit()
    return {u.username: u.id for u in users if u.id is not None}


def reminder(key: str, audience: str = "dpo") -> Reminder:
    """A reminder as dpia.reminders makes them."""
    return Reminder(key=key, audience=audience, subject=f"Subject of {key}", body=f"Body of {key}.",
                    link="/dpia/systems/3")
