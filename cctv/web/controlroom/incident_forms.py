"""The keyboard-first incident form (log and edit) and the small forms of the incident page.

The entry form's field names are a stable contract: the demo history, the benchmark and any script that posts to
POST /incidents/new use them (see cctv/web/controlroom/incidents.py).

The limits of what may be typed (text lengths, the number of arrests) are declared once, on the incident model
(`IncidentBase`), which the API's schema and the database's columns share; the form reads them from there, checks
them with WTForms' own validators and draws them as `maxlength`, `min` and `max`.
"""

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from annotated_types import Ge, Le, MaxLen
from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import BooleanField, Field, Form, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, StopValidation

from cctv.controlroom.incidents import VOID_REASON_MAX
from cctv.controlroom.models import Incident, IncidentBase, IncidentCreate
from cctv.controlroom.types import SOURCE_LABELS, FollowUp, IncidentSource
from cctv.web.controlroom.common import cameras_from_text, local_text, parse_local_time, show_problems
from cctv.web.forms import OnceOnlyForm
from inventory.models import Camera

FOLLOW_UP_LABELS = {
    FollowUp.OPEN: "Open", FollowUp.AWAITING_POLICE: "Awaiting police", FollowUp.EVIDENCE_PENDING: "Evidence pending",
    FollowUp.CLOSED: "Closed",
}
# Service field → form field, where they are named differently.
RENAMES = {"occurred_at": "occurred", "camera_ids": "cameras"}
NO_CATEGORY = "Choose a category from the list."

C = TypeVar("C", MaxLen, Ge, Le)


def _declared(name: str, kind: type[C]) -> C:
    """The constraint of this kind (MaxLen, Ge, Le) that the incident model declares on one of its fields."""
    return next(m for m in IncidentBase.model_fields[name].metadata if isinstance(m, kind))


def _model_length(name: str) -> Length:
    """The model's longest text for this field, as a WTForms validator (which also draws it as maxlength)."""
    return Length(max=_declared(name, MaxLen).max_length)


def _unreadable_stops(_form: Form, field: Field) -> None:
    """A number that could not be read ("two") has its one problem already: the range check has nothing to add."""
    if field.process_errors:
        raise StopValidation()


def _choices(labels: Mapping[StrEnum, str]) -> dict[str, str]:
    """A select's options ({value: label}) from an enumeration's labels, in their order."""
    return {member.value: label for member, label in labels.items()}


class IncidentForm(OnceOnlyForm):
    """One screen, in the order an operator fills it in; every field but the category has a sensible default.
    Logged once per rendering of the form (its `once` token), however often it is sent."""

    # The service checks the category against the live list (a retired one may stay on an incident being edited).
    category = SelectField("Category", validate_choice=False, validators=[_model_length("category")])
    occurred = StringField("Occurred", validators=[Length(max=40)])  # typed text, read by parse_local_time
    source = SelectField("Source", default=IncidentSource.PROACTIVE.value, choices=_choices(SOURCE_LABELS))
    location_text = StringField("Location", validators=[_model_length("location_text")])
    cameras = StringField("Cameras", validators=[Length(max=1000)])  # asset ids as typed, read by cameras_from_text
    police_informed = BooleanField("Police informed")
    police_reference = StringField("Police reference (CAD / URN)", validators=[_model_length("police_reference")])
    police_attended = BooleanField("Police attended")
    arrests = IntegerField("Arrests", default=0, validators=[
        Optional(), _unreadable_stops, NumberRange(_declared("arrests", Ge).ge, _declared("arrests", Le).le)])
    arrest_offences = StringField("Arrested for", validators=[_model_length("arrest_offences")])
    outcome = StringField("Outcome", validators=[_model_length("outcome")])
    narrative = TextAreaField("Narrative", validators=[_model_length("narrative")])
    follow_up = SelectField("Follow-up", default=FollowUp.OPEN.value, choices=_choices(FOLLOW_UP_LABELS))

    def set_categories(self, labels: Mapping[str, str]) -> None:
        """The category select (code → label): a blank first entry, so nobody logs 'Violence' by not choosing."""
        self.category.choices = {"": "— choose —", **labels}

    def fill(self, incident: Incident, cameras: list[Camera]) -> None:
        """Show a stored incident for editing."""
        for name in ("category", "location_text", "police_informed", "police_reference", "police_attended",
                     "arrests", "arrest_offences", "outcome", "narrative"):
            getattr(self, name).data = getattr(incident, name)
        self.source.data = IncidentSource(incident.source).value
        self.follow_up.data = FollowUp(incident.follow_up).value
        self.occurred.data = local_text(incident.occurred_at)
        self.cameras.data = ", ".join(c.asset_id for c in cameras)

    def incident_data(self, *, at: datetime) -> IncidentCreate | None:
        """What was typed, as the service takes it, once `validate()` has passed; None, with the problems beside
        their fields, when the time or the cameras cannot be read. `at` is now, for a time typed as HH:MM."""
        occurred = None
        try:
            occurred = parse_local_time(self.occurred.data or "", at=at)
        except ValueError as exc:
            self.occurred.errors = [*self.occurred.errors, str(exc)]
        cameras, camera_problem = cameras_from_text(self.cameras.data or "")
        if camera_problem:
            self.cameras.errors = [*self.cameras.errors, camera_problem]
        if occurred is None or camera_problem:
            if not self.category.data:  # said now too, so the operator fixes everything in one go
                self.category.errors = [*self.category.errors, NO_CATEGORY]
            return None
        try:
            return IncidentCreate(
                occurred_at=occurred, category=self.category.data or "", source=IncidentSource(self.source.data),
                location_text=self.location_text.data or "", police_informed=bool(self.police_informed.data),
                police_reference=self.police_reference.data or "", police_attended=bool(self.police_attended.data),
                arrests=self.arrests.data or 0, arrest_offences=self.arrest_offences.data or "",
                outcome=self.outcome.data or "", narrative=self.narrative.data or "",
                follow_up=FollowUp(self.follow_up.data), camera_ids=[c.id for c in cameras if c.id is not None],
            )
        except ValidationError as exc:  # a rule of the model that the form's validators do not mirror
            show_problems(self, {str(e["loc"][0]) if e["loc"] else "": e["msg"] for e in exc.errors()}, RENAMES)
            return None


class VoidForm(FlaskForm):
    """Void an incident: the reason is required (a duplicate names the incident it duplicates)."""

    reason = StringField("Reason", validators=[Length(max=VOID_REASON_MAX)])


class ReopenForm(FlaskForm):
    """Reopen a closed incident with the follow-up it now needs."""

    follow_up = SelectField("Follow-up", default=FollowUp.OPEN.value,
                            choices=_choices({f: label for f, label in FOLLOW_UP_LABELS.items()
                                              if f != FollowUp.CLOSED}))
