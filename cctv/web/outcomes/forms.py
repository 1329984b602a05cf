"""The Advisory Group dashboard's filters: a period (quarter, month, year or custom range), a town and a service area.

The filters travel in the query string, so any view of the dashboard can be linked to and every CSV and the PDF pack
carry the same filters as the page they were taken from. Two spellings are read:

- the form as submitted: ``?kind=quarter&year=2025&quarter=3`` (or ``kind=month&month=2025-07``, ``kind=year&year=
  2025``, ``kind=custom&start=2025-07-01&end=2025-09-30``), with ``town`` and ``service_area``;
- the short form the page's own links use: ``?period=2025Q3`` (anything `parse_period` reads), with the same two.

With no period at all the dashboard shows the last complete quarter. A period that cannot be read is an error
beside the field at fault, and the page shows the form again without figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Optional, Regexp

from cctv.outcomes.periods import Filters, Period, custom, month, parse_period, quarter, year
from cctv.web.forms import DayField
from cctv.web.inputs import int_or_none

FIRST_YEAR = 2015  # the year selector starts here: older records predate the estate's inventory
KIND_CHOICES = {"quarter": "Quarter", "month": "Month", "year": "Year", "custom": "Custom range"}
MONTH_HINT = "Give the month as YYYY-MM."
QUARTER_CHOICES = {"1": "Q1 (Jan–Mar)", "2": "Q2 (Apr–Jun)", "3": "Q3 (Jul–Sep)", "4": "Q4 (Oct–Dec)"}


class OutcomeFilterForm(FlaskForm):
    """The dashboard's filters, read from the query string (a GET form that changes nothing)."""

    class Meta:
        csrf = False

    kind = SelectField("Period", choices=KIND_CHOICES, default="quarter")
    year = SelectField("Year", choices={})
    quarter = SelectField("Quarter", choices=QUARTER_CHOICES)
    month = StringField("Month", validators=[Optional(), Regexp(r"^\d{4}-\d{2}$", message=MONTH_HINT)])
    start = DayField("From", validators=[Optional()])
    end = DayField("To (inclusive)", validators=[Optional()])
    town = SelectField("Town", choices={"": "All towns"}, default="")
    service_area = SelectField("Service area", choices={"": "All service areas"}, default="")


@dataclass(frozen=True)
class OutcomeFilters:
    """What the dashboard was asked for: the form as shown, and the period and filters (None: the form has errors)."""

    form: OutcomeFilterForm
    period: Period | None
    filters: Filters

    @property
    def args(self) -> dict[str, str]:
        """The short query string for this view (for the CSV, PDF, and previous/next links)."""
        args = {"period": self.period.code} if self.period else {}
        if self.filters.town:
            args["town"] = self.filters.town
        if self.filters.service_area_id is not None:
            args["service_area"] = str(self.filters.service_area_id)
        return args


def last_complete_quarter(today: date) -> Period:
    """The quarter before the one `today` is in."""
    return quarter(today.year, (today.month - 1) // 3 + 1).previous()


def following(period: Period) -> Period:
    """The period straight after: the next quarter, month or year, or as many days for a custom range."""
    if period.kind == "quarter":
        q = (period.start.month - 1) // 3 + 1
        return quarter(period.start.year + 1, 1) if q == 4 else quarter(period.start.year, q + 1)
    if period.kind == "month":
        return month(period.end.year, period.end.month)
    if period.kind == "year":
        return year(period.end.year)
    return custom(period.end, period.end + timedelta(days=period.days - 1))


def _fill(form: OutcomeFilterForm, period: Period) -> None:
    """Show a period in the form's fields, so the form says what the page shows."""
    form.kind.data = period.kind
    form.year.data = str(period.start.year)
    form.quarter.data = str((period.start.month - 1) // 3 + 1)
    form.month.data = f"{period.start.year}-{period.start.month:02d}"
    form.start.data, form.end.data = period.start, period.last_day


def _from_fields(form: OutcomeFilterForm) -> Period | None:
    """The period the form's fields give, or None with the error beside the field at fault."""
    kind = form.kind.data
    try:
        if kind == "quarter":
            return quarter(int(form.year.data), int(form.quarter.data))
        if kind == "year":
            return year(int(form.year.data))
        if kind == "month":
            if not form.month.data:
                form.month.errors.append(MONTH_HINT)
                return None
            return parse_period(form.month.data)
        if form.start.data is None or form.end.data is None:
            (form.start if form.start.data is None else form.end).errors.append("Give the first and last day.")
            return None
        return custom(form.start.data, form.end.data)
    except ValueError as exc:
        field = {"month": form.month, "custom": form.end}.get(kind, form.year)
        field.errors.append(_sentence(exc))
        return None


def read_filters(args: Mapping[str, str], *, today: date, towns: list[str],
                 service_areas: list[tuple[int, str]]) -> OutcomeFilters:
    """The period and filters in a query string (see the module's notes), validated against the towns and areas."""
    form = OutcomeFilterForm(args)
    form.year.choices = {str(y): str(y) for y in range(today.year, FIRST_YEAR - 1, -1)}
    form.town.choices = {"": "All towns"} | {t: t for t in towns}
    form.service_area.choices = {"": "All service areas"} | {str(i): name for i, name in service_areas}
    form.year.data = form.year.data or str(today.year)
    form.quarter.data = form.quarter.data or "1"
    shorthand = (args.get("period") or "").strip()
    problem = None
    if "kind" not in args:  # the page's own links (?period=…), or nothing: the last complete quarter
        try:
            _fill(form, _shorthand(shorthand, today) if shorthand else last_complete_quarter(today))
        except ValueError as exc:
            problem = _sentence(exc)
    valid = form.validate()
    if problem:
        form.kind.errors.append(problem)
    period = _from_fields(form) if valid and not problem else None
    area = form.service_area.data
    filters = Filters(town=form.town.data or None, service_area_id=int_or_none(area))  # refused above if unknown
    return OutcomeFilters(form, None if form.errors else period, filters)


def _shorthand(text: str, today: date) -> Period:
    """A period written as "2025Q3", "2025-07", "2025" or "2025-07-01..2025-09-30", within the years offered."""
    period = parse_period(text)
    if period.start.year < FIRST_YEAR or period.last_day.year > today.year:
        raise ValueError(f"{text!r} is outside the years {FIRST_YEAR} to {today.year}")
    return period


def _sentence(exc: Exception) -> str:
    """An exception's message as a sentence to show beside a field."""
    text = str(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
