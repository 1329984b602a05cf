"""Forms of the planner pages: model parameters (a GET form) and a typed candidate site."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, FloatField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from cctv.web.forms import LocationFields
from siting.model.run import ModelParams


class ParamsForm(FlaskForm):
    """The model's parameters, read from the query string so a ranking can be linked to and reproduced."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    end_month = StringField("Last month", validators=[Optional(), Regexp(r"^\d{4}-\d{2}$", message="Use YYYY-MM.")])
    window_months = SelectField("Window", coerce=int, default=0,  # 0: the months held, up to 36
                                choices={0: "Months held (up to 36)", 12: "12 months", 24: "24 months",
                                         36: "36 months"})
    profile = SelectField("Harm weights", default="high-harm",
                          choices={"high-harm": "High harm (count)", "cchi": "Cambridge Crime Harm Index"})
    radius_m = SelectField("Coverage radius", coerce=float, default=100.0,
                           choices={50.0: "50 m", 100.0: "100 m", 150.0: "150 m", 200.0: "200 m"})

    include_recorded_at = BooleanField("Include recorded-at places (hospital, police station, prison)")

    def params(self) -> ModelParams:
        """The ModelParams these fields give (defaults where a field was not sent)."""
        return ModelParams(end_month=self.end_month.data or None, window_months=self.window_months.data or None,
                           profile=self.profile.data or "high-harm", radius_m=self.radius_m.data or 100.0,
                           include_recorded_at=bool(self.include_recorded_at.data))


class SiteForm(FlaskForm, LocationFields):
    """A candidate site typed by a planner: a name and a point (longitude/latitude or easting/northing)."""

    name = StringField("Site name", validators=[DataRequired(), Length(max=120)])
    longitude = FloatField("Longitude", validators=[Optional(), NumberRange(-180, 180)])
    latitude = FloatField("Latitude", validators=[Optional(), NumberRange(-90, 90)])
    easting = FloatField("Easting (m)", validators=[Optional()])
    northing = FloatField("Northing (m)", validators=[Optional()])
    notes = StringField("Notes", validators=[Length(max=1000)])


class SaveRunForm(FlaskForm):
    """Save the ranking shown, under a title."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])


class SiteUploadForm(FlaskForm):
    """A CSV or GeoJSON file of candidate sites."""

    file = FileField("Sites file", validators=[
        FileRequired(), FileAllowed(["csv", "geojson", "json"], "A .csv, .geojson or .json file, please."),
    ])


class ProposalsForm(FlaskForm):
    """How many of the model's proposals (the dark dots on the map) to keep as candidate sites."""

    peaks = IntegerField("Proposals", default=10, validators=[DataRequired(), NumberRange(1, 50)])
