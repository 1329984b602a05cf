"""Camera, move and fault forms: what the user typed is kept and errors stand beside their fields."""

from decimal import Decimal
from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from cctv.web.forms import DayField, LocationFields
from inventory.geo import to_bng
from inventory.models import Camera
from inventory.types import CameraKind, CameraStatus, FaultPriority, FundingSource


def _optional_int(value: Any) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class CameraForm(FlaskForm, LocationFields):
    """Create or edit a camera."""

    asset_id = StringField("Asset id", validators=[DataRequired(), Length(max=40)])
    name = StringField("Name", validators=[DataRequired(), Length(max=160)])
    service_area_id = SelectField("Service area", coerce=int, validators=[InputRequired()])
    system_id = SelectField("System (for its DPIA)", coerce=_optional_int, validators=[Optional()])
    kind = SelectField("Kind", validators=[DataRequired()])
    status = SelectField("Status", default=CameraStatus.OPERATIONAL.value,
                         choices={s.value: s.label for s in CameraStatus})
    location_text = StringField("Location", validators=[Length(max=250)])
    town = StringField("Town", validators=[Length(max=80)])
    ward = StringField("Ward", validators=[Length(max=80)])
    longitude = FloatField("Longitude", validators=[Optional(), NumberRange(-180, 180)])
    latitude = FloatField("Latitude", validators=[Optional(), NumberRange(-90, 90)])
    easting = FloatField("Easting (m)", validators=[Optional()])
    northing = FloatField("Northing (m)", validators=[Optional()])
    control_room = StringField("Control room", validators=[Length(max=80)])
    proactively_monitored = BooleanField("Proactively monitored")
    retention_days = IntegerField("Recording retention (days)", default=31,
                                  validators=[InputRequired(), NumberRange(0, 3650)])
    manufacturer = StringField("Manufacturer", validators=[Length(max=80)])
    model = StringField("Model", validators=[Length(max=80)])
    install_date = DayField("Install date", validators=[Optional()])
    owner = StringField("Owner", validators=[Length(max=120)])
    data_controller = StringField("Data controller", default=lambda: current_app.config["DATA_CONTROLLER"],
                                  validators=[Length(max=120)])
    funding_source = SelectField("Funding source", default="",
                                 choices={"": "—"} | {f.value: f.label for f in FundingSource})
    notes = TextAreaField("Notes", validators=[Length(max=2000)])

    def fill_easting_northing(self, camera: Camera) -> None:
        """Show the stored point in National Grid metres too."""
        if camera.longitude is not None and camera.latitude is not None:
            self.easting.data, self.northing.data = to_bng(camera.longitude, camera.latitude)

    def prefer_changed_grid_reference(self, camera: Camera) -> None:
        """The edit form shows both pairs: a changed easting/northing under an unchanged longitude/latitude wins."""
        if camera.longitude is None or camera.latitude is None or None in (self.easting.data, self.northing.data):
            return
        if (self.longitude.data, self.latitude.data) != (camera.longitude, camera.latitude):
            return  # the longitude/latitude were edited (or cleared): they decide, as on the add form
        if (self.easting.data, self.northing.data) != to_bng(camera.longitude, camera.latitude):
            for field in (self.longitude, self.latitude):
                field.data, field.raw_data = None, []

    def camera_fields(self) -> dict[str, Any] | None:
        """The typed values as model fields, or None when a field has an error."""
        point = self.resolve_point()
        if point is None:
            return None
        data = {name: getattr(self, name).data for name in _MODEL_FIELDS}
        data["longitude"], data["latitude"] = point
        data["funding_source"] = data["funding_source"] or None
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


_MODEL_FIELDS = (
    "asset_id", "name", "service_area_id", "system_id", "kind", "status", "location_text", "town", "ward",
    "control_room", "proactively_monitored", "retention_days", "manufacturer", "model", "install_date", "owner",
    "data_controller", "funding_source", "notes",
)


def kind_choices(include_covert: bool) -> list[tuple[str, str]]:
    """Kinds a user may choose: covert only for those with covert access."""
    return [(k.value, k.label) for k in CameraKind if include_covert or k != CameraKind.COVERT]


class MoveForm(FlaskForm, LocationFields):
    """Move a (deployable) camera to a new place."""

    to_location_text = StringField("New location", validators=[DataRequired(), Length(max=250)])
    to_town = StringField("Town", validators=[Length(max=80)])
    longitude = FloatField("Longitude", validators=[Optional(), NumberRange(-180, 180)])
    latitude = FloatField("Latitude", validators=[Optional(), NumberRange(-90, 90)])
    easting = FloatField("Easting (m)", validators=[Optional()])
    northing = FloatField("Northing (m)", validators=[Optional()])
    reason = StringField("Why", validators=[DataRequired(), Length(max=500)])


class FaultForm(FlaskForm):
    """Report a fault on a camera."""

    priority = SelectField("Priority", default=FaultPriority.MEDIUM.value,
                           choices={p.value: p.label for p in FaultPriority})
    description = TextAreaField("What is wrong", validators=[DataRequired(), Length(max=2000)])
    # Left out of a post (a script, an older page), they are blank, not None.
    contractor = StringField("Contractor", default="", validators=[Length(max=120)])
    contractor_ref = StringField("Contractor reference", default="", validators=[Length(max=80)])


class FixForm(FlaskForm):
    """Close a fault."""

    resolution = StringField("Resolution", validators=[DataRequired(), Length(max=2000)])


def _whole_pence(_form: FlaskForm, field) -> None:
    """Money in pounds and pence: 0.005 or 1e-20 cannot be stored as the amount typed."""
    amount = field.data
    if amount is None or not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        return  # NumberRange has refused it (and quantize would overflow)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError("Give the amount in pounds and pence.")


class FundingForm(FlaskForm):
    """Record a funding award and the cameras it paid for (asset ids, comma separated)."""

    reference = StringField("Reference", validators=[DataRequired(), Length(max=60)])
    source = SelectField("Source", choices={f.value: f.label for f in FundingSource})
    # The column is NUMERIC(12, 2): pounds and pence below ten thousand million (1e20 once gave a 500).
    amount = DecimalField("Amount (£)", places=2, validators=[
        InputRequired(), NumberRange(min=0, max=Decimal("9999999999.99")), _whole_pence])
    awarded_on = DayField("Awarded on", validators=[DataRequired()])
    description = StringField("Description", validators=[Length(max=500)])
    sites = StringField("Sites", validators=[Length(max=500)])
    asset_ids = StringField("Cameras (asset ids, comma separated)")
