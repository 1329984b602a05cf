"""Forms and form pieces every area uses: a confirming button, and a point typed as longitude/latitude or as
National Grid easting/northing."""

import secrets

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, ValidationError
from wtforms.validators import Length

from cctv.web.inputs import FIRST_DAY, LAST_DAY
from inventory.geo import CoordinateError, from_bng


class DayField(DateField):
    """A date field held to 1900-2199 (cctv.web.inputs): year 1 or 9999 parse, but date arithmetic on them (a
    deadline a month on, a day's UTC start) overflows, so they are refused here, beside the field."""

    def pre_validate(self, form) -> None:
        super().pre_validate(form)
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            self.data = None
            raise ValidationError(f"Give a date between {FIRST_DAY.year} and {LAST_DAY.year}.")


class ConfirmForm(FlaskForm):
    """A button that changes something and carries only the CSRF token (close an incident, remove a risk, revoke a
    token, mark a message read)."""


ONCE_MAX = 255  # characters: the column's width, as for an API Idempotency-Key


def _fresh_token() -> str:
    return secrets.token_urlsafe(32)


class OnceOnlyForm(FlaskForm):
    """A form whose submission is taken once: each rendering carries a fresh one-time token (`once`), which the
    view claims with the work it guards (cctv.controlroom.submissions), so a double Enter or a re-sent POST does the
    work once and the second answer shows the first result. A form re-shown with problems keeps its token (the
    failed attempt claimed nothing). A POST without the field, or with it blank, is not guarded (scripts)."""

    once = HiddenField(default=_fresh_token, validators=[Length(max=ONCE_MAX)])


class LocationFields:
    """Longitude/latitude or National Grid easting/northing; one pair is enough."""

    def resolve_point(self) -> tuple[float | None, float | None] | None:
        """The WGS84 point typed or converted, or None (with field errors added) when it cannot be had."""
        lon, lat = self.longitude.data, self.latitude.data
        east, north = self.easting.data, self.northing.data
        if (lon is None) != (lat is None):
            (self.latitude if lat is None else self.longitude).errors.append("Give both longitude and latitude.")
            return None
        if lon is not None:
            return lon, lat
        if (east is None) != (north is None):
            (self.northing if north is None else self.easting).errors.append("Give both easting and northing.")
            return None
        if east is None:
            return None, None
        try:
            return from_bng(east, north)
        except CoordinateError as exc:
            self.easting.errors.append(str(exc))
            return None
