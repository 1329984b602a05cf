"""Who a reminder is for: the accounts of its audience, and the addresses its e-mail goes to."""

from collections.abc import Mapping, Sequence

from sqlmodel import Session, col, select

from cctv.auth.models import Role, User

AUDIENCES = ("dpo", "escalation", "maintenance")


def _active(session: Session, roles: Sequence[Role]) -> list[User]:
    stmt = select(User).where(col(User.role).in_(roles), col(User.active).is_(True)).order_by(col(User.username))
    return list(session.exec(stmt))


def audience_users(session: Session, audience: str) -> list[User]:
    """Active accounts of an audience: "dpo" is the data protection officers (the admins when there is no DPO
    account, so a reminder never goes nowhere); "escalation" is the DPOs and the admins together; "maintenance" is
    the supervisors (the CCTV managers), or the admins."""
    if audience == "dpo":
        return _active(session, [Role.DPO]) or _active(session, [Role.ADMIN])
    if audience == "escalation":
        return _active(session, [Role.DPO, Role.ADMIN])
    if audience == "maintenance":  # planned maintenance: the CCTV managers, or the admins when there are none
        return _active(session, [Role.SUPERVISOR]) or _active(session, [Role.ADMIN])
    raise ValueError(f"unknown reminder audience {audience!r} (expected one of {', '.join(AUDIENCES)})")


def email_addresses(users: Sequence[User], audience: str,
                    fallback: Mapping[str, Sequence[str]] | None = None) -> tuple[str, ...]:
    """The users' own addresses; when none of them has one, the configured addresses for the audience."""
    addresses: dict[str, str] = {}  # lower case -> as typed: one e-mail per address, however it is capitalised
    for user in users:
        address = (user.email or "").strip()
        if address:
            addresses.setdefault(address.lower(), address)
    if addresses:
        return tuple(addresses.values())
    return tuple((fallback or {}).get(audience, ()))
