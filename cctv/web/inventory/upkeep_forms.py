"""Forms of the estate's upkeep: a camera's costs and warranty, maintenance contracts, PPM schedules, body-worn
issues and withdrawing a funding award. What the user typed is kept and errors stand beside their fields."""

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from cctv.web.forms import DayField
from cctv.web.inventory.forms import _whole_pence

MONEY = [Optional(), NumberRange(min=0, max=Decimal("9999999999.99")), _whole_pence]
HOURS = [InputRequired(), NumberRange(min=1, max=8760)]


def _optional_int(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


class LifecycleForm(FlaskForm):
    """A camera's costs, expected life and warranty."""

    purchase_cost = DecimalField("Purchase cost (£)", places=2, validators=MONEY)
    installation_cost = DecimalField("Installation cost (£)", places=2, validators=MONEY)
    annual_maintenance_cost = DecimalField("Annual maintenance cost (£)", places=2, validators=MONEY)
    expected_life_years = IntegerField("Expected life (years; empty: its kind's)",
                                       validators=[Optional(), NumberRange(min=1, max=50)])
    warranty_provider = StringField("Warranty provider", validators=[Length(max=120)])
    warranty_ends_on = DayField("Warranty ends on", validators=[Optional()])


class ContractForm(FlaskForm):
    """A maintenance contract and its SLA table."""

    reference = StringField("Reference", validators=[DataRequired(), Length(max=60)])
    contractor = StringField("Contractor", validators=[DataRequired(), Length(max=120)])
    service_area_id = SelectField("Covers", coerce=_optional_int, validators=[Optional()])
    starts_on = DayField("Starts on", validators=[DataRequired()])
    ends_on = DayField("Ends on", validators=[DataRequired()])
    contact_name = StringField("Contact name", validators=[Length(max=120)])
    contact_phone = StringField("Contact phone", validators=[Length(max=40)])
    contact_email = StringField("Contact e-mail", validators=[
        Optional(), Length(max=200), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Give an e-mail address.")])
    sla_critical_hours = IntegerField("Critical: hours to fix", default=4, validators=HOURS)
    sla_high_hours = IntegerField("High: hours to fix", default=24, validators=HOURS)
    sla_medium_hours = IntegerField("Medium: hours to fix", default=72, validators=HOURS)
    sla_low_hours = IntegerField("Low: hours to fix", default=168, validators=HOURS)
    annual_value = DecimalField("Annual value (£)", places=2, validators=MONEY)
    notes = TextAreaField("Notes", validators=[Length(max=2000)])


class PpmForm(FlaskForm):
    """A planned preventive maintenance schedule under a contract."""

    contract_id = SelectField("Contract", coerce=int, validators=[InputRequired()])
    title = StringField("What is done", validators=[DataRequired(), Length(max=160)])
    covers = StringField("Which cameras or sites", validators=[Length(max=250)])
    interval_months = IntegerField("Every (months)", default=12, validators=[InputRequired(), NumberRange(1, 60)])
    next_due_on = DayField("Next due on", validators=[DataRequired()])
    remind_days_before = IntegerField("Remind (days before)", default=14,
                                      validators=[InputRequired(), NumberRange(0, 180)])


class VisitForm(FlaskForm):
    """A PPM visit done."""

    done_on = DayField("Done on", validators=[DataRequired()])


class IssueForm(FlaskForm):
    """A body-worn device handed to a named officer."""

    officer_name = StringField("Officer", validators=[DataRequired(), Length(max=120)])
    officer_number = StringField("Number", validators=[Length(max=40)])
    hours = IntegerField("Back within (hours)", default=10, validators=[InputRequired(), NumberRange(1, 168)])
    notes = StringField("Notes", validators=[Length(max=500)])


class WithdrawForm(FlaskForm):
    """Withdraw a funding award, saying why."""

    reason = StringField("Why it is withdrawn", validators=[DataRequired(), Length(max=500)])
