"""Cameras as the control-room forms name them: asset ids typed by an operator, turned into light references.

Logging an incident, asking for footage and raising a fault on shift need a camera's id, asset id, kind, area and
status, not the whole inventory record. These reads are Core statements returning `CameraRef` tuples: as ORM
objects they cost more than half of logging an incident's own time (bench/controlroom.py).
"""

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import bindparam, func
from sqlalchemy import select as sql_select
from sqlmodel import Session

from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus

_CAMERA = Camera.__table__.c  # type: ignore[attr-defined]


class CameraRef(NamedTuple):
    """The parts of a camera a control-room record refers to; `CameraScope.sees` takes it like a camera."""

    id: int
    asset_id: str
    name: str
    kind: CameraKind
    service_area_id: int
    status: CameraStatus


_REF = sql_select(*(_CAMERA[name] for name in CameraRef._fields))
_BY_ID = _REF.where(_CAMERA.id.in_(bindparam("ids", expanding=True)))
_BY_ASSET_ID = _REF.where(func.lower(_CAMERA.asset_id).in_(bindparam("asset_ids", expanding=True)))
_BY_NAME = _REF.where(func.lower(_CAMERA.name) == bindparam("name")).order_by(_CAMERA.asset_id).limit(2)


def cameras_by_id(session: Session, ids: Iterable[int]) -> dict[int, CameraRef]:
    """Id → camera for those of the ids that exist (whatever the scope: the caller decides what a user sees)."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = session.connection().execute(_BY_ID, {"ids": wanted}).all()
    return {row.id: CameraRef._make(row) for row in rows}


def resolve_asset_ids(session: Session, scope: CameraScope, text: str) -> tuple[list[CameraRef], list[str]]:
    """The cameras named in a list of asset ids as typed ("cs-001, PARK-001"), and the ids that match none.

    Matching ignores case; a camera outside the scope counts as not found. Order follows the text, each once.
    """
    typed_once: dict[str, str] = {}  # lower-cased → as first typed, in the order typed
    for part in text.replace(";", ",").split(","):
        if part.strip():
            typed_once.setdefault(part.strip().lower(), part.strip())
    if not typed_once:
        return [], []
    rows = session.connection().execute(_BY_ASSET_ID, {"asset_ids": list(typed_once)}).all()
    found = {ref.asset_id.lower(): ref for ref in map(CameraRef._make, rows) if scope.sees(ref)}
    cameras, unknown = [], []
    for key, typed in typed_once.items():
        if key in found:
            cameras.append(found[key])
        else:
            unknown.append(typed)
    return cameras, unknown


def camera_named(session: Session, scope: CameraScope, name: str) -> CameraRef | None:
    """The one camera within the scope whose name is exactly this (ignoring case); None when none or several are."""
    rows = session.connection().execute(_BY_NAME.where(scope.where()), {"name": name.strip().lower()}).all()
    return CameraRef._make(rows[0]) if len(rows) == 1 else None
