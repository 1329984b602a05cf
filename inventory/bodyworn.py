"""Body-worn video: each device issued to a named officer and returned, what is out now, and overdue returns."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus
from inventory.upkeep_models import BodyWornIssue, BodyWornIssueBase


class IssueError(ValueError):
    """The device cannot be issued or returned as asked; the message says why."""


class IssueNotFound(LookupError):
    """No issue with that id on a device the user may see."""


@dataclass(frozen=True)
class Device:
    """A body-worn device and, when it is out, its open issue."""

    camera: Camera
    issue: BodyWornIssue | None

    def overdue(self, now: datetime) -> bool:
        return self.issue is not None and is_overdue(self.issue, now)


def is_overdue(issue: BodyWornIssue, now: datetime) -> bool:
    """Out past its return time (returned exactly at it is on time)."""
    return issue.returned_at is None and now > issue.due_back_at


def devices(session: Session, scope: CameraScope) -> list[Device]:
    """The body-worn devices the user may see that are in service, each with its open issue if out."""
    cameras = session.exec(
        select(Camera).where(scope.where(), Camera.kind == CameraKind.BODY_WORN,
                             col(Camera.status) != CameraStatus.DECOMMISSIONED).order_by(col(Camera.asset_id))
    ).all()
    open_issues = {issue.camera_id: issue for issue in session.exec(
        select(BodyWornIssue).join(Camera, col(Camera.id) == col(BodyWornIssue.camera_id))
        .where(col(BodyWornIssue.returned_at).is_(None), scope.where(), Camera.kind == CameraKind.BODY_WORN))}
    return [Device(camera, open_issues.get(camera.id)) for camera in cameras]


def issue_device(session: Session, scope: CameraScope, camera: Camera, data: BodyWornIssueBase, *, actor: str,
                 now: datetime) -> BodyWornIssue:
    """Hand a device to an officer until `due_back_at`."""
    scope.check(camera.service_area_id, camera.kind)
    if camera.kind != CameraKind.BODY_WORN:
        raise IssueError("only body-worn devices are issued to officers")
    if camera.status == CameraStatus.DECOMMISSIONED:
        raise IssueError("that device is decommissioned")
    if data.due_back_at <= now:
        raise IssueError("the return time must be later than now")
    out = session.exec(select(BodyWornIssue.id).where(BodyWornIssue.camera_id == camera.id,
                                                      col(BodyWornIssue.returned_at).is_(None))).first()
    if out is not None:
        raise IssueError(f"{camera.asset_id} is already out: record its return first")
    issue = BodyWornIssue.model_validate(data.model_dump() | {"camera_id": camera.id},
                                         update={"issued_at": now, "issued_by": actor})
    session.add(issue)
    session.flush()
    return issue


def get_issue(session: Session, scope: CameraScope, issue_id: int) -> BodyWornIssue:
    issue = session.get(BodyWornIssue, issue_id)
    camera = session.get(Camera, issue.camera_id) if issue is not None else None
    if issue is None or camera is None or not scope.sees(camera):
        raise IssueNotFound(issue_id)
    return issue


def return_device(session: Session, issue: BodyWornIssue, *, actor: str, now: datetime) -> BodyWornIssue:
    """Record the device back."""
    if issue.returned_at is not None:
        raise IssueError("that device was already returned")
    issue.returned_at, issue.returned_to = now, actor
    session.add(issue)
    session.flush()
    return issue


def recent_issues(session: Session, scope: CameraScope, limit: int = 50) -> list[tuple[BodyWornIssue, str]]:
    """The latest issues (out or back) with their device's asset id, newest first."""
    rows = session.exec(
        select(BodyWornIssue, Camera.asset_id).join(Camera, col(Camera.id) == col(BodyWornIssue.camera_id))
        .where(scope.where()).order_by(col(BodyWornIssue.issued_at).desc(), col(BodyWornIssue.id).desc())
        .limit(limit)
    ).all()
    return [(issue, asset_id) for issue, asset_id in rows]
