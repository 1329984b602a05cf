"""What changed between two versions of a system's DPIA: its sections, its risk register and its camera annex.

Risks have no identity across versions (a review copies them into new rows), so a risk is matched by its
description: the same description is the same risk, possibly re-scored; a reworded risk shows as one removed and one
added. Cameras are matched by their inventory id, so a camera that moved keeps its identity.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from dpia.annex import AnnexCamera, annex_for
from dpia.models import Dpia, DpiaRisk, DpiaRiskBase
from dpia.register import SECTION_LABELS, SIGN_OFF_LABELS, risks

# The annex fields that say where a camera is: a change in any of them is a move.
LOCATION_FIELDS = ("location_text", "town", "longitude", "latitude")
OTHER_CAMERA_FIELDS = ("asset_id", "name", "kind", "status")


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its name, the label the DPO sees, and the two values."""

    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RiskChange:
    """A risk in both versions whose scores, measures or residual risk changed."""

    before: DpiaRisk
    after: DpiaRisk
    changes: list[FieldChange]


@dataclass(frozen=True)
class CameraChange:
    """A camera in both annexes whose line changed (moved, or renamed, upgraded, put out of service …)."""

    before: AnnexCamera
    after: AnnexCamera
    changes: list[FieldChange]


@dataclass
class VersionDiff:
    """Everything that differs between an older and a newer version, older values first."""

    older: Dpia
    newer: Dpia
    sections: list[FieldChange] = field(default_factory=list)  # the template's sections (steps 1 to 4)
    sign_off: list[FieldChange] = field(default_factory=list)  # approvals, DPO advice, reviewer, summary
    risks_added: list[DpiaRisk] = field(default_factory=list)
    risks_removed: list[DpiaRisk] = field(default_factory=list)
    risks_changed: list[RiskChange] = field(default_factory=list)
    cameras_added: list[AnnexCamera] = field(default_factory=list)
    cameras_removed: list[AnnexCamera] = field(default_factory=list)
    cameras_moved: list[CameraChange] = field(default_factory=list)
    cameras_changed: list[CameraChange] = field(default_factory=list)  # changed in place, not moved

    @property
    def is_empty(self) -> bool:
        """Nothing of substance differs (a review that confirmed the DPIA as it was; each version has its own
        sign-off, so that is left out)."""
        return not any((self.sections, self.risks_added, self.risks_removed, self.risks_changed, self.cameras_added,
                        self.cameras_removed, self.cameras_moved, self.cameras_changed))


RISK_LABELS: dict[str, str] = {
    "description": "Risk",
    "likelihood": "Likelihood",
    "severity": "Severity",
    "measures": "Measures",
    "effect": "Effect on risk",
    "residual_likelihood": "Residual likelihood",
    "residual_severity": "Residual severity",
    "measure_approved": "Measure approved",
}


def _changes(before: object, after: object, names: tuple[str, ...] | list[str],
             labels: dict[str, str]) -> list[FieldChange]:
    """The named fields whose values differ, in the order given."""
    return [
        FieldChange(name, labels.get(name, name.replace("_", " ").capitalize()), getattr(before, name),
                    getattr(after, name))
        for name in names
        if getattr(before, name) != getattr(after, name)
    ]


def _match_risks(diff: VersionDiff, older: list[DpiaRisk], newer: list[DpiaRisk]) -> None:
    """Pair risks by description (whitespace and case ignored), the first unpaired one of each first."""
    def key(risk: DpiaRisk) -> str:
        return " ".join(risk.description.split()).casefold()

    unpaired = list(older)
    compared = [name for name in DpiaRiskBase.model_fields if name != "description"]
    for risk in newer:
        match = next((old for old in unpaired if key(old) == key(risk)), None)
        if match is None:
            diff.risks_added.append(risk)
            continue
        unpaired.remove(match)
        changes = _changes(match, risk, compared, RISK_LABELS)
        if changes:
            diff.risks_changed.append(RiskChange(match, risk, changes))
    diff.risks_removed.extend(unpaired)


def _match_cameras(diff: VersionDiff, older: list[AnnexCamera], newer: list[AnnexCamera]) -> None:
    """Pair annex lines by camera id: new ones added, missing ones removed, changed ones moved or changed."""
    before = {line.camera_id: line for line in older}
    after_ids = {line.camera_id for line in newer}
    for line in newer:
        old = before.get(line.camera_id)
        if old is None:
            diff.cameras_added.append(line)
            continue
        moved = _changes(old, line, LOCATION_FIELDS, {})
        other = _changes(old, line, OTHER_CAMERA_FIELDS, {})
        if moved:
            diff.cameras_moved.append(CameraChange(old, line, moved + other))
        elif other:
            diff.cameras_changed.append(CameraChange(old, line, other))
    diff.cameras_removed.extend(line for line in older if line.camera_id not in after_ids)


def compare_versions(session: Session, older: Dpia, newer: Dpia, *, include_covert: bool = True) -> VersionDiff:
    """What changed from `older` to `newer`: sections, risks, and cameras between their annexes.

    A draft's annex is the live inventory, so comparing the version in force with a draft shows what the inventory
    has done since the sign-off. `include_covert=False` leaves covert cameras out of both annexes.
    """
    assert older.id is not None and newer.id is not None
    diff = VersionDiff(older, newer)
    diff.sections = _changes(older, newer, list(SECTION_LABELS), SECTION_LABELS)
    diff.sign_off = _changes(older, newer, list(SIGN_OFF_LABELS), SIGN_OFF_LABELS)
    _match_risks(diff, risks(session, older.id), risks(session, newer.id))
    _match_cameras(diff, annex_for(session, older, include_covert=include_covert),
                   annex_for(session, newer, include_covert=include_covert))
    return diff


__all__ = ["CameraChange", "FieldChange", "RiskChange", "VersionDiff", "compare_versions"]
