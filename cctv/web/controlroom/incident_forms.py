"""The keyboard-first incident form (log and edit) and the small forms of the incident page.

The entry form's field names are a stable contract: the demo history, the benchmark and any script that posts to
POST /incidents/new use them (see cctv/web/controlroom/incidents.py).

A posted entry form is read by `read_incident_form`, not by WTForms: building and validating the fourteen-field
WTForms form cost more than the SQL of logging the incident (bench/controlroom.py), on the page operators use most.
`IncidentForm` still draws the form, and re-shows what was typed with the problems beside their fields. The global
CSRFProtect checks every POST's token, so the form carries the token without checking it again.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import TypeVar

from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from cctv.controlroom.models import Incident, IncidentCreate
from cctv.controlroom.types import SOURCE_LABELS, FollowUp, IncidentSource
from cctv.web.controlroom.common import cameras_from_text, local_text, parse_local_time
from inventory.models import Camera

FOLLOW_UP_LABELS = {
    FollowUp.OPEN: "Open", FollowUp.AWAITING_POLICE: "Awaiting police", FollowUp.EVIDENCE_PENDING: "Evidence pending",
    FollowUp.CLOSED: "Closed",
}
# Service field → form field, where they are named differently.
RENAMES = {"occurred_at": "occurred", "camera_ids": "cameras"}
# The longest text each field takes: checked by read_incident_form, drawn as maxlength by the form.
MAX_LENGTHS = {"occurred": 40, "location_text": 250, "cameras": 1000, "police_reference": 60, "arrest_offences": 500,
               "outcome": 500}
MAX_ARRESTS = 500
_TEXTS = ("location_text", "police_reference", "arrest_offences", "outcome", "narrative")
_FALSE = ("", "false")  # what an unticked checkbox may send, as WTForms' BooleanField reads it
E = TypeVar("E", IncidentSource, FollowUp)


def _length(field: str) -> Length:
    return Length(max=MAX_LENGTHS[field])


class IncidentForm(FlaskForm):
    """One screen, in the order an operator fills it in; every field but the category has a sensible default.
    It draws the form; a posted form is read by `read_incident_form`."""

    class Meta:
        csrf = False  # CSRFProtect checks every POST; the template carries the token

    category = SelectField("Category", validate_choice=False)  # the service checks it against the live list
    occurred = StringField("Occurred", validators=[_length("occurred")])
    source = SelectField("Source", default=IncidentSource.PROACTIVE.value,
                         choices=[(s.value, label) for s, label in SOURCE_LABELS.items()])
    location_text = StringField("Location", validators=[_length("location_text")])
    cameras = StringField("Cameras", validators=[_length("cameras")])
    police_informed = BooleanField("Police informed")
    police_reference = StringField("Police reference (CAD / URN)", validators=[_length("police_reference")])
    police_attended = BooleanField("Police attended")
    arrests = IntegerField("Arrests", default=0, validators=[Optional(), NumberRange(0, MAX_ARRESTS)])
    arrest_offences = StringField("Arrested for", validators=[_length("arrest_offences")])
    outcome = StringField("Outcome", validators=[_length("outcome")])
    narrative = TextAreaField("Narrative")
    follow_up = SelectField("Follow-up", default=FollowUp.OPEN.value,
                            choices=[(f.value, label) for f, label in FOLLOW_UP_LABELS.items()])

    def set_categories(self, choices: list[tuple[str, str]]) -> None:
        """The category select: a blank first entry, so nobody logs 'Violence' by not choosing."""
        self.category.choices = [("", "— choose —"), *choices]

    def fill(self, incident: Incident, cameras: list[Camera]) -> None:
        """Show a stored incident for editing."""
        for name in ("category", "location_text", "police_informed", "police_reference", "police_attended",
                     "arrests", "arrest_offences", "outcome", "narrative"):
            getattr(self, name).data = getattr(incident, name)
        self.source.data = IncidentSource(incident.source).value
        self.follow_up.data = FollowUp(incident.follow_up).value
        self.occurred.data = local_text(incident.occurred_at)
        self.cameras.data = ", ".join(c.asset_id for c in cameras)


def read_incident_form(posted: Mapping[str, str], *, at: datetime) -> tuple[IncidentCreate | None, dict[str, str]]:
    """The entry or edit form as posted → (what the service takes, {}), or (None, the problems by form field).

    The rules are the form's: text no longer than MAX_LENGTHS, arrests a whole number 0-MAX_ARRESTS (blank: 0), a
    source and follow-up from their lists (absent: the defaults), a checkbox ticked when sent with a value, a time
    as `parse_local_time` reads it and cameras as `cameras_from_text` finds them. The category is checked by the
    service against the live list; a blank one is reported here too when something else is wrong, so the operator
    fixes everything in one go.
    """
    problems: dict[str, str] = {}
    for field, longest in MAX_LENGTHS.items():
        if len(posted.get(field, "")) > longest:
            problems[field] = f"Field cannot be longer than {longest} characters."
    occurred, cameras, arrests = None, [], 0
    if "occurred" not in problems:
        try:
            occurred = parse_local_time(posted.get("occurred", ""), at=at)
        except ValueError as exc:
            problems["occurred"] = str(exc)
    if "cameras" not in problems:
        cameras, camera_problem = cameras_from_text(posted.get("cameras", ""))
        if camera_problem:
            problems["cameras"] = camera_problem
    typed_arrests = posted.get("arrests", "").strip()
    if typed_arrests:
        try:
            arrests = int(typed_arrests)
        except ValueError:
            problems["arrests"] = "Not a valid integer value."
        else:
            if not 0 <= arrests <= MAX_ARRESTS:
                problems["arrests"] = f"Number must be between 0 and {MAX_ARRESTS}."
    source = _choice(posted, "source", IncidentSource, IncidentSource.PROACTIVE, problems)
    follow_up = _choice(posted, "follow_up", FollowUp, FollowUp.OPEN, problems)
    if problems or occurred is None:
        if not posted.get("category"):
            problems["category"] = "Choose a category from the list."
        return None, problems
    try:
        return IncidentCreate(
            occurred_at=occurred, category=posted.get("category", ""), source=source, arrests=arrests,
            police_informed=posted.get("police_informed", "") not in _FALSE,
            police_attended=posted.get("police_attended", "") not in _FALSE, follow_up=follow_up,
            camera_ids=[c.id for c in cameras], **{name: posted.get(name, "") for name in _TEXTS},
        ), {}
    except ValidationError as exc:  # a limit of the stored record the form's own rules do not cover
        return None, {RENAMES.get(str(e["loc"][0]), str(e["loc"][0])) if e["loc"] else "": e["msg"]
                      for e in exc.errors()}


def _choice(
    posted: Mapping[str, str], field: str, choices: type[E], default: E, problems: dict[str, str]
) -> E:
    """A select's value: the default when the field was not sent at all, a problem when it is not one offered."""
    if field not in posted:
        return default
    try:
        return choices(posted[field])
    except ValueError:
        problems[field] = "Not a valid choice."
        return default


class ConfirmForm(FlaskForm):
    """A button that changes something and carries only the CSRF token (close an incident, produce footage, sign a
    handover)."""


class ReopenForm(FlaskForm):
    """Reopen a closed incident with the follow-up it now needs."""

    follow_up = SelectField("Follow-up", default=FollowUp.OPEN.value,
                            choices=[(f.value, FOLLOW_UP_LABELS[f]) for f in FollowUp if f != FollowUp.CLOSED])
