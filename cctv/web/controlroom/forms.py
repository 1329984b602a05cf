"""Forms of the evidence, arrest, disclosure and shift pages. Times are typed on London's wall clock
("YYYY-MM-DD HH:MM"); the services' problems are put beside these fields by
`cctv.web.controlroom.common.show_problems`."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from cctv.controlroom.arrests import OFFENCE_MAX
from cctv.controlroom.custody import RECORDED_STEPS
from cctv.controlroom.models import ArrestBase
from cctv.controlroom.types import (
    ARREST_OUTCOME_LABELS,
    MOVEMENT_LABELS,
    OFFENCE_GROUP_LABELS,
    ArrestOutcome,
    DisclosureKind,
    DisclosureStatus,
    LaterUse,
    MovementKind,
    OffenceGroup,
    RedactionStatus,
)
from cctv.web.forms import DayField
from cctv.web.inputs import DB_INT_MAX
from inventory.types import FaultPriority

LATER_USE_LABELS = {
    LaterUse.UNKNOWN: "Not known yet", LaterUse.CHARGED: "Charged", LaterUse.PROSECUTION: "Prosecution",
    LaterUse.CAUTION: "Caution", LaterUse.NOT_USED: "Not used",
}
KIND_LABELS = {DisclosureKind.POLICE: "Police request", DisclosureKind.SUBJECT_ACCESS: "Subject access request",
               DisclosureKind.FOI: "Freedom of information request"}
REDACTION_LABELS = {RedactionStatus.NOT_NEEDED: "Not needed", RedactionStatus.NEEDED: "Needed",
                    RedactionStatus.IN_PROGRESS: "In progress", RedactionStatus.DONE: "Done"}
STATUS_LABELS = {DisclosureStatus.OPEN: "Open", DisclosureStatus.DISCLOSED: "Disclosed",
                 DisclosureStatus.REFUSED: "Refused", DisclosureStatus.WITHDRAWN: "Withdrawn"}


# --- evidence -----------------------------------------------------------------------------------------------------


class EvidenceForm(FlaskForm):
    """A police request for footage: who asked, the incident, the cameras and the time window."""

    requesting_officer = StringField("Requesting officer (name and collar number)", validators=[Length(max=120)])
    force = StringField("Force", default="Thames Valley Police", validators=[Length(max=120)])
    police_reference = StringField("Police reference", validators=[Length(max=60)])
    incident = StringField("Incident reference", validators=[Length(max=40)])
    cameras = StringField("Cameras", validators=[Length(max=1000)])
    window_start = StringField("Footage from", validators=[Length(max=40)])
    window_end = StringField("Footage to", validators=[Length(max=40)])
    notes = TextAreaField("Notes", validators=[Length(max=4000)])


class MediaForm(FlaskForm):
    """An exported file: uploaded (the app computes its SHA-256) or its media id and hash typed from the exporter."""

    media_id = StringField("Media id (disc or file label)", validators=[Length(max=80)])
    file = FileField("Exported file")
    sha256 = StringField("SHA-256 (when not uploading the file)", validators=[Length(max=80)])


class MovementForm(FlaskForm):
    """One step of a file's chain of custody, with the file presented again (hashed here) or its SHA-256 typed."""

    file_id = SelectField("Exported file", coerce=int, choices=[], validate_choice=False)
    kind = SelectField("Movement", default=MovementKind.HANDED_OVER.value,
                       choices={k.value: MOVEMENT_LABELS[k] for k in RECORDED_STEPS})
    to_whom = StringField("To whom (handed over, copied for) or returned by: name and collar number",
                          validators=[Length(max=120)])
    how = StringField("How (in person, secure courier, upload, shredded)", validators=[Length(max=200)])
    file = FileField("The file, to check its SHA-256")
    sha256 = StringField("Or its SHA-256 as your tool shows it", validators=[Length(max=80)])
    notes = StringField("Notes", validators=[Length(max=500)])


class LaterUseForm(FlaskForm):
    """What became of released footage."""

    later_use = SelectField("Later use", choices={u.value: label for u, label in LATER_USE_LABELS.items()})


# --- arrests -------------------------------------------------------------------------------------------------------


class ArrestForm(FlaskForm):
    """One arrest: the Home Office offence group, the offence in the police's words, and the outcome so far."""

    offence_group = SelectField("Offence group (Home Office)", default=OffenceGroup.NOT_RECORDED.value,
                                choices={g.value: label for g, label in OFFENCE_GROUP_LABELS.items()})
    offence = StringField("Offence (legislation or police wording; no names)",
                          validators=[Length(max=OFFENCE_MAX)])
    outcome = SelectField("Outcome", default=ArrestOutcome.NOT_KNOWN.value,
                          choices={o.value: label for o, label in ARREST_OUTCOME_LABELS.items()})

    def data_model(self) -> ArrestBase:
        """What was chosen and typed, as the service takes it."""
        return ArrestBase(offence_group=OffenceGroup(self.offence_group.data),
                          offence=self.offence.data or "", outcome=ArrestOutcome(self.outcome.data))


# --- disclosure log -----------------------------------------------------------------------------------------------


class DisclosureForm(FlaskForm):
    """A request received: its kind decides its clock."""

    kind = SelectField("Kind", default=DisclosureKind.POLICE.value,
                       choices={k.value: label for k, label in KIND_LABELS.items()})
    requester = StringField("Requester", validators=[Length(max=160)])
    reference = StringField("Their reference", validators=[Length(max=60)])
    received_on = DayField("Received on", validators=[DataRequired("Give the date the request was received.")])
    summary = TextAreaField("What is asked for", validators=[Length(max=4000)])
    evidence_id = IntegerField("Evidence request number (optional)", validators=[Optional(), NumberRange(min=1)])


class ExtendForm(FlaskForm):
    """Extend a subject access request by one or two further months."""

    months = SelectField("Extend by", coerce=int, default=2, choices={1: "1 further month", 2: "2 further months"})
    extension_reason = StringField("Reason (the requester is told it)", validators=[Length(max=500)])


class IdCheckForm(FlaskForm):
    """Record whether the subject's identity has been verified."""

    id_checked = BooleanField("Identity verified")


class RedactionForm(FlaskForm):
    """Where redaction of third parties stands."""

    redaction = SelectField("Redaction", choices={r.value: label for r, label in REDACTION_LABELS.items()})


class CloseDisclosureForm(FlaskForm):
    """Close a request: disclosed, refused or withdrawn (today)."""

    status = SelectField("Outcome", choices={s.value: label for s, label in STATUS_LABELS.items()
                                             if s != DisclosureStatus.OPEN})


# --- shifts -------------------------------------------------------------------------------------------------------


class StartShiftForm(FlaskForm):
    """Start a shift: the operators on it, lead first."""

    operators = StringField("Operators on shift (usernames, lead first)", validators=[Length(max=500)])


class HandOverNotesForm(FlaskForm):
    """End the shift with its handover notes."""

    notes = TextAreaField("Handover notes", validators=[Length(max=8000)])


class ShiftFaultForm(FlaskForm):
    """A fault seen on shift, raised straight into the inventory's fault list."""

    camera = StringField("Camera (asset id)", validators=[Length(max=80)])
    description = StringField("What is wrong", validators=[Length(max=2000)])
    priority = SelectField("Priority", default=FaultPriority.MEDIUM.value,
                           choices={p.value: p.label for p in FaultPriority})


# --- retention ----------------------------------------------------------------------------------------------------

RETENTION_KIND_CHOICES = {"incident": "Incident", "evidence": "Evidence request", "disclosure": "Disclosure",
                          "shift": "Shift notes"}


class RetentionReasonForm(FlaskForm):
    """The reason for clearing a legal hold."""

    reason = TextAreaField("Reason", validators=[Length(max=500)])


class RetentionKeepForm(FlaskForm):
    """A reviewer keeps a flagged record for a number of days, with the reason."""

    reason = TextAreaField("Why keep it", validators=[Length(max=500)])
    days = IntegerField("Keep for (days)", default=365,
                        validators=[DataRequired("Say for how many days."), NumberRange(min=1, max=3650)])


class LegalHoldForm(FlaskForm):
    """A legal hold on one record: its kind, its number and the reason."""

    kind = SelectField("Record", choices=RETENTION_KIND_CHOICES)
    record_id = IntegerField("Number (the incident's id, or #n of the request, disclosure or shift)",
                             validators=[DataRequired("Give the record's number."), NumberRange(min=1, max=DB_INT_MAX)])
    reason = TextAreaField("Reason for the hold", validators=[Length(max=500)])
