"""The signage register: each CCTV sign's place, wording, the cameras it covers and when it was last inspected.

Cameras are named by asset id (case and invisible characters ignored, `inventory.asset_ids`) and checked against
the user's scope: a user who cannot see a camera can neither attach it to a sign nor learn, from a sign, that it
exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from cctv.transparency.models import Sign, SignBase, SignCamera
from inventory.asset_ids import asset_id_key, normalise_asset_id
from inventory.models import Camera
from inventory.scope import CameraScope


class UnknownCameras(ValueError):
    """Asset ids that name no camera the user may see."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__("no camera with the id " + ", ".join(ids))
        self.ids = ids


@dataclass(frozen=True)
class SignRow:
    """A sign with the asset ids of the cameras it covers that the user may see."""

    sign: Sign
    cameras: tuple[str, ...]


def _cameras_by_sign(session: Session, scope: CameraScope, sign_ids: list[int]) -> dict[int, list[str]]:
    covered: dict[int, list[str]] = {}
    stmt = (select(SignCamera.sign_id, Camera.asset_id).join(Camera, col(SignCamera.camera_id) == Camera.id)
            .where(col(SignCamera.sign_id).in_(sign_ids), scope.where()).order_by(col(Camera.asset_id)))
    for sign_id, asset_id in session.exec(stmt):
        covered.setdefault(sign_id, []).append(asset_id)
    return covered


def list_signs(session: Session, scope: CameraScope) -> list[SignRow]:
    """Every sign, by town and place, with the cameras it covers that the user may see."""
    signs = list(session.exec(select(Sign).order_by(col(Sign.town), col(Sign.place))))
    covered = _cameras_by_sign(session, scope, [s.id for s in signs if s.id is not None])
    return [SignRow(s, tuple(covered.get(s.id or 0, ()))) for s in signs]


def get_sign(session: Session, scope: CameraScope, sign_id: int) -> SignRow | None:
    """One sign with its visible cameras, or None."""
    sign = session.get(Sign, sign_id)
    if sign is None:
        return None
    return SignRow(sign, tuple(_cameras_by_sign(session, scope, [sign_id]).get(sign_id, ())))


def _camera_ids(session: Session, scope: CameraScope, asset_ids: list[str]) -> list[int]:
    typed = {asset_id_key(a): normalise_asset_id(a) for a in asset_ids if a.strip()}
    if not typed:
        return []
    found = dict(session.exec(select(func.lower(Camera.asset_id), Camera.id)
                              .where(func.lower(Camera.asset_id).in_(sorted(typed)), scope.where())).all())
    missing = [typed[key] for key in sorted(typed) if key not in found]
    if missing:
        raise UnknownCameras(missing)
    return [found[key] for key in sorted(typed)]


def save_sign(session: Session, scope: CameraScope, data: SignBase, asset_ids: list[str],
              sign_id: int | None = None) -> Sign:
    """Add a sign, or change one; the cameras the user may see are replaced by `asset_ids` (those hidden from the
    user stay attached: they cannot be shown the choice, so they must not lose it either)."""
    if not data.place.strip() or not data.wording.strip():
        raise ValueError("a sign needs its place and its wording")
    camera_ids = _camera_ids(session, scope, asset_ids)
    sign = session.get(Sign, sign_id) if sign_id is not None else Sign(place=data.place)
    if sign is None:
        raise LookupError(f"sign {sign_id} does not exist")
    for name, value in data.model_dump().items():
        setattr(sign, name, value.strip() if isinstance(value, str) else value)
    session.add(sign)
    session.flush()
    visible = set(session.exec(select(Camera.id).where(scope.where())).all())
    for link in session.exec(select(SignCamera).where(SignCamera.sign_id == sign.id)):
        if link.camera_id in visible and link.camera_id not in camera_ids:
            session.delete(link)
    have = set(session.exec(select(SignCamera.camera_id).where(SignCamera.sign_id == sign.id)).all())
    session.add_all([SignCamera(sign_id=sign.id, camera_id=c) for c in camera_ids if c not in have])
    session.flush()
    return sign


def delete_sign(session: Session, sign_id: int) -> bool:
    """Remove a sign and its camera links (a sign taken down); False if there was none."""
    sign = session.get(Sign, sign_id)
    if sign is None:
        return False
    for link in session.exec(select(SignCamera).where(SignCamera.sign_id == sign_id)):
        session.delete(link)
    session.flush()
    session.delete(sign)
    session.flush()
    return True
