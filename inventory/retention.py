"""Footage retention: each camera's stored retention days against the council's policy for its kind, and the
shortest retention among the cameras an evidence request asks for (what the evidence flag measures against)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from inventory.models import Camera, CameraSystem
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus

# The longest the council keeps recorded footage of each kind unless extracted (DESIGN §6: "about 31 days"; body-worn
# video 90). Overridden by RETENTION_POLICY_DAYS.
DEFAULT_RETENTION_POLICY_DAYS: dict[CameraKind, int] = {kind: 31 for kind in CameraKind} | {CameraKind.BODY_WORN: 90}

OK, LONGER, NONE = "ok", "longer than policy", "no retention set"


@dataclass(frozen=True)
class RetentionLine:
    """One camera's retention against its policy."""

    camera: Camera
    system: str
    policy_days: int
    state: str  # OK, LONGER or NONE
    system_mixed: bool  # its system's cameras keep footage for different periods


def compliance(session: Session, scope: CameraScope,
               policy: Mapping[CameraKind, int] = DEFAULT_RETENTION_POLICY_DAYS) -> list[RetentionLine]:
    """Every camera the user may see that records (not decommissioned or planned), exceptions first."""
    live = (scope.where(), col(Camera.status).not_in([CameraStatus.DECOMMISSIONED, CameraStatus.PLANNED]))
    rows = session.exec(
        select(Camera, CameraSystem.name).outerjoin(CameraSystem, col(CameraSystem.id) == col(Camera.system_id))
        .where(*live).order_by(col(Camera.asset_id))
    ).all()
    mixed = set(session.exec(
        select(Camera.system_id).where(*live, col(Camera.system_id).is_not(None)).group_by(col(Camera.system_id))
        .having(func.count(func.distinct(Camera.retention_days)) > 1)
    ).all())
    lines = []
    for camera, system in rows:
        days = policy.get(CameraKind(camera.kind), DEFAULT_RETENTION_POLICY_DAYS[CameraKind(camera.kind)])
        state = NONE if camera.retention_days <= 0 else LONGER if camera.retention_days > days else OK
        lines.append(RetentionLine(camera, system or "", days, state, camera.system_id in mixed))
    lines.sort(key=lambda line: (line.state == OK and not line.system_mixed, line.camera.asset_id))
    return lines


def shortest_retention(cameras: Iterable[Camera], default: int) -> int:
    """The fewest days any of these cameras keeps footage (`default` for none): footage asked for from several
    cameras is at risk as soon as the first of them overwrites it. A camera with no retention set (0) counts as
    keeping nothing."""
    return min((camera.retention_days for camera in cameras), default=default)
