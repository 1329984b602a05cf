"""Forms of the control-room settings page: the weekly monitored hours and the incident category list.

The hours form has one row per weekday (`monday_monitored`, `monday_start`, `monday_end`, ... `sunday_end`); the
service (`cctv.controlroom.hours.set_monitored_hours`) checks the times and reports problems by weekday, which the
page shows beside the row.
"""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import AnyOf, Length

from cctv.controlroom.hours import WEEKDAYS


class HoursForm(FlaskForm):
    """The room's monitored hours, Monday to Sunday: each day monitored or not, with a start and an end (HH:MM;
    an end at or before the start is on the next day). Fields are added per weekday below."""

    @staticmethod
    def prefix_of(day: int) -> str:
        """The field-name prefix of a weekday's row (Monday 0): "monday"."""
        return WEEKDAYS[day].lower()

    def rows(self) -> list[tuple[int, str, BooleanField, StringField, StringField]]:
        """(weekday, name, monitored, start, end) for each day, Monday first (the template's table)."""
        return [(day, name, *(getattr(self, f"{self.prefix_of(day)}_{part}") for part in ("monitored", "start", "end")))
                for day, name in enumerate(WEEKDAYS)]

    def fill(self, hours: dict[int, tuple[str, str]]) -> None:
        """Show a room's stored hours; a day missing from them is not monitored."""
        for day, _name, monitored, start, end in self.rows():
            span = hours.get(day)
            monitored.data = span is not None
            start.data, end.data = span if span is not None else ("", "")

    def hours(self) -> dict[int, tuple[str, str]]:
        """The monitored days as typed, weekday → (start, end), for the service to check; unticked days are left
        out (not monitored) whatever their times say."""
        return {day: ((start.data or "").strip(), (end.data or "").strip())
                for day, _name, monitored, start, end in self.rows() if monitored.data}


for _day, _name in enumerate(WEEKDAYS):
    _prefix = HoursForm.prefix_of(_day)
    setattr(HoursForm, f"{_prefix}_monitored", BooleanField(f"{_name} monitored"))
    setattr(HoursForm, f"{_prefix}_start", StringField(f"{_name} start", validators=[Length(max=8)]))
    setattr(HoursForm, f"{_prefix}_end", StringField(f"{_name} end", validators=[Length(max=8)]))


class CategoryForm(FlaskForm):
    """A category's name: a new category, or a new name for one (its code, and its incidents, stay the same)."""

    label = StringField("Name", validators=[Length(max=200)])  # the service says more than 80 in words


class MoveForm(FlaskForm):
    """Move a category one place up or down the entry form's list."""

    direction = HiddenField(validators=[AnyOf(("up", "down"), message="Move a category up or down.")])
