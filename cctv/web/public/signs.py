"""The signage register: each sign's place, wording, the cameras it covers, and when it was last inspected."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from cctv.transparency import signage
from cctv.transparency.models import SignBase
from cctv.web.access import SIGNAGE, allow, db, scope
from cctv.web.forms import ConfirmForm
from cctv.web.public.forms import SignForm

bp = Blueprint("signs", __name__, template_folder="templates", url_prefix="/signs")


@bp.route("")
@allow(SIGNAGE)
def index():
    """Every sign, by town."""
    return render_template("public/signs/list.html", signs=signage.list_signs(db(), scope()), confirm=ConfirmForm())


def _save(form: SignForm, sign_id: int | None):
    """Save the form's sign; the form with its errors (None when saved)."""
    data = SignBase(place=form.place.data or "", town=form.town.data or "", latitude=form.latitude.data,
                    longitude=form.longitude.data, wording=form.wording.data or "",
                    last_inspected=form.last_inspected.data, notes=form.notes.data or "")
    try:
        signage.save_sign(db(), scope(), data, (form.asset_ids.data or "").split(","), sign_id)
    except ValueError as exc:
        db().rollback()
        form.asset_ids.errors.append(str(exc)[:1].upper() + str(exc)[1:] + ".")
        return form
    db().commit()
    flash("Sign saved.")
    return None


@bp.route("/new", methods=["GET", "POST"])
@allow(SIGNAGE)
def create():
    """Add a sign."""
    form = SignForm()
    if form.validate_on_submit() and _save(form, None) is None:
        return redirect(url_for("signs.index"))
    return render_template("public/signs/form.html", form=form, sign=None), 400 if form.errors else 200


@bp.route("/<int:sign_id>", methods=["GET", "POST"])
@allow(SIGNAGE)
def edit(sign_id: int):
    """Change a sign (its wording, cameras, inspection date)."""
    row = signage.get_sign(db(), scope(), sign_id)
    if row is None:
        abort(404)
    form = SignForm(obj=row.sign)
    if not form.is_submitted():
        form.asset_ids.data = ", ".join(row.cameras)
    if form.validate_on_submit() and _save(form, sign_id) is None:
        return redirect(url_for("signs.index"))
    return render_template("public/signs/form.html", form=form, sign=row.sign,
                           confirm=ConfirmForm()), 400 if form.errors else 200


@bp.route("/<int:sign_id>/delete", methods=["POST"])
@allow(SIGNAGE)
def delete(sign_id: int):
    """Remove a sign that has been taken down."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not signage.delete_sign(db(), sign_id):
        abort(404)
    db().commit()
    flash("Sign removed.")
    return redirect(url_for("signs.index"))
