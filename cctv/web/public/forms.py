"""The forms of the publication choices and the signage register."""

from flask_wtf import FlaskForm
from wtforms import FloatField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from cctv.web.forms import DayField


class NoticeForm(FlaskForm):
    """What the public page says about who runs the cameras and where to ask."""

    operator = StringField("Operated by", validators=[Length(max=160)])
    data_controller = StringField("Data controller", validators=[Length(max=160)])
    contact_point = TextAreaField("Published contact point", validators=[DataRequired(), Length(max=2000)])
    introduction = TextAreaField("Introduction", validators=[Length(max=4000)])


class SystemForm(FlaskForm):
    """A system to publish: its purpose and DPIA summary in plain words."""

    purpose = StringField("Purpose", validators=[DataRequired(), Length(max=500)])
    dpia_summary = TextAreaField("DPIA summary", validators=[Length(max=4000)])


class AssessmentForm(FlaskForm):
    """The completed self-assessment to publish ("" for none)."""

    assessment_id = SelectField("Self-assessment published", choices={"": "None"}, default="")


class FiguresForm(FlaskForm):
    """The year whose figures to publish ("" for none)."""

    figures_year = SelectField("Annual figures published", choices={"": "None"}, default="")


class SignForm(FlaskForm):
    """A sign of the signage register."""

    place = StringField("Where", validators=[DataRequired(), Length(max=250)])
    town = StringField("Town", validators=[Length(max=80)])
    latitude = FloatField("Latitude", validators=[Optional(), NumberRange(-90, 90)])
    longitude = FloatField("Longitude", validators=[Optional(), NumberRange(-180, 180)])
    wording = TextAreaField("Wording", validators=[DataRequired(), Length(max=2000)])
    asset_ids = StringField("Cameras covered (asset ids, comma-separated)", validators=[Length(max=2000)])
    last_inspected = DayField("Last inspected", validators=[Optional()])
    notes = StringField("Notes", validators=[Length(max=1000)])
