"""The keyboard-first incident form (log and edit) and the small forms of the incident page.

The entry form's field names are a stable contract: the demo history, the benchmark and any script that posts to
POST /incidents/new use them (see cctv/web/incidents.py).
"""

from datetime import datetime

from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from cctv.controlroom.models import Incident, IncidentCreate
from cctv.controlroom.types import SOURCE_LABELS, FollowUp, IncidentSource
from cctv.web.control import cameras_from_text, local_text, parse_local_time, show_problems
from inventory.models import Camera

FOLLOW_UP_LABELS = {
    FollowUp.OPEN: "Open", FollowUp.AWAITING_POLICE: "Awaiting police", FollowUp.EVIDENCE_PENDING: "Evidence pending",
    FollowUp.CLOSED: "Closed",
}
# Service field → form field, where they are named differently.
RENAMES = {"occurred_at": "occurred", "camera_ids": "cameras"}


class IncidentForm(FlaskForm):
    """One screen, in the order an operator fills it in; every field but the category has a sensible default."""

    category = SelectField("Category", validate_choice=False)  # the service checks it against the live list
    occurred = StringField("Occurred", validators=[Length(max=40)])
    source = SelectField("Source", default=IncidentSource.PROACTIVE.value,
                         choices=[(s.value, label) for s, label in SOURCE_LABELS.items()])
    location_text = StringField("Location", validators=[Length(max=250)])
    cameras = StringField("Cameras", validators=[Length(max=1000)])
    police_informed = BooleanField("Police informed")
    police_reference = StringField("Police reference (CAD / URN)", validators=[Length(max=60)])
    police_attended = BooleanField("Police attended")
    arrests = IntegerField("Arrests", default=0, validators=[Optional(), NumberRange(0, 500)])
    arrest_offences = StringField("Arrested for", validators=[Length(max=500)])
    outcome = StringField("Outcome", validators=[Length(max=500)])
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

    def incident_data(self, *, at: datetime) -> IncidentCreate | None:
        """What was typed, as the service takes it; None (with errors beside the fields) when the time or the
        cameras cannot be read."""
        ok = True
        try:
            occurred = parse_local_time(self.occurred.data or "", at=at)
        except ValueError as exc:
            self.occurred.errors = [*self.occurred.errors, str(exc)]
            ok = False
        cameras, problem = cameras_from_text(self.cameras.data or "")
        if problem:
            self.cameras.errors = [*self.cameras.errors, problem]
            ok = False
        if not ok:
            if not self.category.data:  # said now, so the operator fixes everything in one go
                self.category.errors = [*self.category.errors, "Choose a category from the list."]
            return None
        try:
            return IncidentCreate(
                occurred_at=occurred, category=self.category.data or "", source=IncidentSource(self.source.data),
                location_text=self.location_text.data or "", police_informed=bool(self.police_informed.data),
                police_reference=self.police_reference.data or "", police_attended=bool(self.police_attended.data),
                arrests=self.arrests.data or 0, arrest_offences=self.arrest_offences.data or "",
                outcome=self.outcome.data or "", narrative=self.narrative.data or "",
                follow_up=FollowUp(self.follow_up.data),
                camera_ids=[c.id for c in cameras if c.id is not None],
            )
        except (ValidationError, ValueError) as exc:  # a value the select did not offer (a hand-made request)
            errors = exc.errors() if isinstance(exc, ValidationError) else [{"loc": ("source",), "msg": str(exc)}]
            show_problems(self, {str(e["loc"][0]) if e["loc"] else "": e["msg"] for e in errors}, RENAMES)
            return None


class ConfirmForm(FlaskForm):
    """A button that changes something and carries only the CSRF token (close an incident, produce footage, sign a
    handover)."""


class ReopenForm(FlaskForm):
    """Reopen a closed incident with the follow-up it now needs."""

    follow_up = SelectField("Follow-up", default=FollowUp.OPEN.value,
                            choices=[(f.value, FOLLOW_UP_LABELS[f]) for f in FollowUp if f != FollowUp.CLOSED])
