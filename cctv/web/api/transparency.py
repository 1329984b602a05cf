"""/api/v1 for the public face: what the public page publishes (for the DPO and admin, as on /publication) and the
signage register (as on /signs). Every change goes through the same services as the pages, so each is in the audit
trail under the token's user; a sign names only the cameras the user may see (never a covert one without access).
"""

from datetime import date, datetime
from typing import Annotated

from flask import Blueprint, abort
from flask_login import current_user
from pydantic import BaseModel, Field, StringConstraints

from cctv.transparency import publication, signage
from cctv.transparency.models import PublicNoticeBase, PublishedSystemBase, SignBase
from cctv.web.access import PUBLISH, SIGNAGE, allow, db, scope
from cctv.web.api.declare import operation
from cctv.web.api.parsing import unprocessable
from inventory.types import london_today

bp = Blueprint("transparency_api", __name__, url_prefix="/api/v1")

NO_SYSTEM = "No system with that id that can be published (a covert system never can)"
NOT_PUBLISHED = "The system is not published"
NO_SIGN = "No sign with that id"

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class NoticeWrite(BaseModel):
    """The public notice, every field given (one left out is cleared)."""

    contact_point: Annotated[Text, StringConstraints(min_length=1, max_length=2000)] = Field(
        description="Where the public ask, complain or make a subject access request")
    operator: Annotated[Text, StringConstraints(max_length=160)] = ""
    data_controller: Annotated[Text, StringConstraints(max_length=160)] = Field(
        "", description="The data controller of cameras that name none")
    introduction: Annotated[Text, StringConstraints(max_length=4000)] = ""


class SystemWrite(BaseModel):
    """A system to publish: its purpose and DPIA summary in plain words."""

    purpose: Annotated[Text, StringConstraints(min_length=1, max_length=500)]
    dpia_summary: Annotated[Text, StringConstraints(max_length=4000)] = ""


class PublishedSystemRead(BaseModel):
    """A published system."""

    system_id: int
    purpose: str
    dpia_summary: str
    published_at: datetime
    published_by: str


class ChoiceWrite(BaseModel):
    """A completed self-assessment's id, or a complete year; null publishes none."""

    id: int | None = Field(None, ge=1, le=2_147_483_647)


class PublicationRead(BaseModel):
    """What the public page shows: the notice, the published systems, the self-assessment and year published, and
    how many cameras are on the page."""

    operator: str
    data_controller: str
    contact_point: str
    introduction: str
    self_assessment_id: int | None
    figures_year: int | None
    systems: list[PublishedSystemRead]
    public_cameras: int


class SignWrite(BaseModel):
    """A sign of the register; `cameras` are the asset ids it covers (on a change, those the user may see are
    replaced; others stay)."""

    place: Annotated[Text, StringConstraints(min_length=1, max_length=250)]
    wording: Annotated[Text, StringConstraints(min_length=1, max_length=2000)]
    town: Annotated[Text, StringConstraints(max_length=80)] = ""
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    last_inspected: date | None = None
    notes: Annotated[Text, StringConstraints(max_length=1000)] = ""
    cameras: list[Annotated[Text, StringConstraints(max_length=60)]] = Field(default_factory=list, max_length=500)


class SignRead(BaseModel):
    """A sign with the asset ids of the cameras it covers that the user may see."""

    id: int
    place: str
    town: str
    latitude: float | None
    longitude: float | None
    wording: str
    last_inspected: date | None
    notes: str
    cameras: list[str]


class SignList(BaseModel):
    """The signage register, by town and place."""

    items: list[SignRead]


def _publication() -> dict:
    row = publication.notice(db())
    return row.model_dump() | {"systems": list(publication.published_systems(db()).values()),
                                "public_cameras": len(publication.public_cameras(db()))}


@bp.route("/publication")
@allow(PUBLISH)
@operation(answer=PublicationRead)
def get_publication():
    """What the public page publishes."""
    return _publication()


@bp.route("/publication/notice", methods=["PUT"])
@allow(PUBLISH)
@operation(body=NoticeWrite, answer=PublicationRead)
def put_notice(body: NoticeWrite):
    """Write the public notice.

    Its operator, data controller, contact point and introduction, all given."""
    publication.save_notice(db(), PublicNoticeBase(**body.model_dump()), actor=current_user.username)
    db().commit()
    return _publication()


@bp.route("/publication/systems/<int:system_id>", methods=["PUT"])
@allow(PUBLISH)
@operation(body=SystemWrite, answer=PublishedSystemRead, errors={404: NO_SYSTEM})
def publish_system(system_id: int, body: SystemWrite):
    """Publish a system.

    Or change its purpose and DPIA summary: its public-space cameras appear on the public page."""
    try:
        row = publication.publish_system(db(), system_id, PublishedSystemBase(**body.model_dump()),
                                         actor=current_user.username)
    except publication.NotPublishable:
        abort(404, description=NO_SYSTEM)
    db().commit()
    return row


@bp.route("/publication/systems/<int:system_id>", methods=["DELETE"])
@allow(PUBLISH)
@operation(answer=PublicationRead, errors={404: NOT_PUBLISHED})
def withdraw_system(system_id: int):
    """Withdraw a system.

    Its cameras leave the public page; the answer is what is published now."""
    if not publication.withdraw_system(db(), system_id):
        abort(404, description=NOT_PUBLISHED)
    db().commit()
    return _publication()


@bp.route("/publication/assessment", methods=["PUT"])
@allow(PUBLISH)
@operation(body=ChoiceWrite, answer=PublicationRead)
def put_assessment(body: ChoiceWrite):
    """Publish a completed self-assessment.

    By its id; null publishes none."""
    try:
        publication.publish_self_assessment(db(), body.id, actor=current_user.username)
    except publication.NotPublishable as exc:
        unprocessable({"id": str(exc)})
    db().commit()
    return _publication()


@bp.route("/publication/figures", methods=["PUT"])
@allow(PUBLISH)
@operation(body=ChoiceWrite, answer=PublicationRead)
def put_figures(body: ChoiceWrite):
    """Publish a complete year's figures.

    A snapshot of the year given as `id`; null publishes none."""
    try:
        publication.publish_figures(db(), body.id, actor=current_user.username, today=london_today())
    except publication.NotPublishable as exc:
        unprocessable({"id": str(exc)})
    db().commit()
    return _publication()


def _sign(row: signage.SignRow) -> dict:
    return row.sign.model_dump() | {"cameras": list(row.cameras)}


@bp.route("/signs")
@allow(SIGNAGE)
@operation(answer=SignList)
def list_signs():
    """Signs.

    The signage register, each sign with the cameras it covers that the user may see."""
    return {"items": [_sign(row) for row in signage.list_signs(db(), scope())]}


@bp.route("/signs/<int:sign_id>")
@allow(SIGNAGE)
@operation(answer=SignRead, errors={404: NO_SIGN})
def get_sign(sign_id: int):
    """A sign."""
    row = signage.get_sign(db(), scope(), sign_id)
    if row is None:
        abort(404, description=NO_SIGN)
    return _sign(row)


def _save(body: SignWrite, sign_id: int | None) -> dict:
    data = SignBase(**body.model_dump(exclude={"cameras"}))
    try:
        sign = signage.save_sign(db(), scope(), data, body.cameras, sign_id)
    except LookupError:
        abort(404, description=NO_SIGN)
    except ValueError as exc:  # an asset id that names no camera the user sees, or that no asset id could be
        unprocessable({"cameras": str(exc)})
    db().commit()
    row = signage.get_sign(db(), scope(), sign.id or 0)
    assert row is not None  # just saved
    return _sign(row)


@bp.route("/signs", methods=["POST"])
@allow(SIGNAGE)
@operation(body=SignWrite, answer=SignRead, status=201)
def create_sign(body: SignWrite):
    """Add a sign."""
    return _save(body, None)


@bp.route("/signs/<int:sign_id>", methods=["PUT"])
@allow(SIGNAGE)
@operation(body=SignWrite, answer=SignRead, errors={404: NO_SIGN})
def update_sign(sign_id: int, body: SignWrite):
    """Change a sign.

    Every field given; `cameras` replaces the cameras the user may see."""
    if signage.get_sign(db(), scope(), sign_id) is None:
        abort(404, description=NO_SIGN)
    return _save(body, sign_id)


@bp.route("/signs/<int:sign_id>", methods=["DELETE"])
@allow(SIGNAGE)
@operation(answer=SignList, errors={404: NO_SIGN})
def delete_sign(sign_id: int):
    """Remove a sign.

    One taken down; the answer is the register as it now is."""
    if not signage.delete_sign(db(), sign_id):
        abort(404, description=NO_SIGN)
    db().commit()
    return {"items": [_sign(row) for row in signage.list_signs(db(), scope())]}
