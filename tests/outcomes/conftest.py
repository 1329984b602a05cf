"""A small known history for the outcome measures, inserted row by row (no services), with its figures by hand.

Cameras (towns High Wycombe "HW" and Aylesbury "AY"; service areas Community Safety "CS" and Parking "PARK"):

    HW-1    public space fixed  CS    High Wycombe  operational  installed 2015
    HW-2    deployable          CS    High Wycombe  operational  installed 2024-01-01
    AY-1    public space PTZ    CS    Aylesbury     operational  installed 2016
    AY-P1   car park            PARK  Aylesbury     operational  installed 2020
    HW-P1   car park            PARK  High Wycombe  decommissioned (nothing on it)
    AY-COV  covert              PARK  Aylesbury     operational (never an effectiveness row)
    HW-NEW  public space fixed  CS    High Wycombe  operational  installed 2025-12-01
    AY-2    public space fixed  CS    Aylesbury     operational  installed 2018, never used
    AY-P2   car park            PARK  Aylesbury     operational  install date unknown, last used December 2024

Incidents (UTC → London wall clock; hours 08:00–23:00, Friday and Saturday 08:00–04:00):

    I0   2025-06-30 22:59Z  Mon 30 Jun 23:59 BST  Q2  outside  violence  1 arrest   AY-1
    I1   2025-06-30 23:30Z  Tue  1 Jul 00:30 BST  Q3  outside  violence  2 arrests  HW-1, AY-1
    I2   2025-07-04 22:00Z  Fri  4 Jul 23:00 BST  Q3  inside   theft     0          AY-P1
    I3   2025-07-05 01:30Z  Sat  5 Jul 02:30 BST  Q3  inside   violence  1          HW-1, AY-P1
    I4   2025-08-12 10:00Z  Tue 12 Aug 11:00 BST  Q3  inside   asb       0          (no camera)
    I5   2025-09-30 22:59Z  Tue 30 Sep 23:59 BST  Q3  outside  theft     3          HW-2
    I6   2025-09-30 23:00Z  Wed  1 Oct 00:00 BST  Q4  outside  asb       0          HW-1
    I7   2025-12-31 23:30Z  Wed 31 Dec 23:30 GMT  Q4  outside  theft     1          AY-1
    I8   2025-04-10 12:00Z  Thu 10 Apr 13:00 BST  Q2  inside   theft     0          AY-P1
    I9   2025-07-20 14:00Z  Sun 20 Jul 15:00 BST  Q3  inside   violence  0          HW-1
    I10  2025-10-26 00:30Z  Sun 26 Oct 01:30 BST  Q4  inside   asb       0          AY-1   (clocks go back at 01:00Z)
    I11  2025-10-26 01:30Z  Sun 26 Oct 01:30 GMT  Q4  inside   asb       0          AY-1
    I12  2025-03-30 00:30Z  Sun 30 Mar 00:30 GMT  Q1  inside   asb       0          HW-1   (clocks go forward at 01:00Z)
    I13  2025-03-30 01:30Z  Sun 30 Mar 02:30 BST  Q1  inside   asb       0          HW-1
    I14  2024-12-01 12:00Z  Sun  1 Dec 12:00 GMT  Q4 2024 inside asb  0          AY-P2

Evidence requests (produced when; later use; cameras asked for; incident):

    E1  2025-07-02 09:00Z  Q3  charged      HW-1          I1 (HW-1, AY-1)
    E2  2025-09-30 23:30Z  Q4  prosecution  AY-P1         —
    E3  2025-08-01 10:00Z  Q3  not used     —             I3 (HW-1, AY-P1)
    E4  2025-07-31 12:00Z  Q3  caution      AY-P1         I2 (AY-P1)
    E5  not produced           unknown      HW-2          I5
    E6  2025-07-10 08:00Z  Q3  unknown      AY-1          I0 (AY-1)

Arrest records (one per arrest counted above; offence group, outcome):

    I0   violence: charged                                          Q2
    I1   violence: charged; violence: released under investigation  Q3
    I3   violence: no further action                                Q3
    I5   theft: charged; theft: cautioned; robbery: charged        Q3
    I7   theft: not known yet                                       Q4
  Q3: 6 arrests. Violence 3 (charged 1, RUI 1, NFA 1), theft 2 (charged 1, cautioned 1), robbery 1 (charged 1);
  charged 3, cautioned 1, RUI 1, NFA 1. Aylesbury alone (I1 and I3 have Aylesbury cameras; I5 has not): the 3
  violence arrests.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from cctv.controlroom.hours import monitored_session
from cctv.controlroom.models import (
    DEFAULT_MONITORED_HOURS,
    Arrest,
    ControlRoom,
    EvidenceCamera,
    EvidenceRequest,
    Incident,
    IncidentCamera,
    IncidentCategory,
)
from cctv.controlroom.types import ArrestOutcome, LaterUse, OffenceGroup
from inventory.models import Camera, ServiceArea
from inventory.types import CameraKind, CameraStatus, london_date

HW, AY = "High Wycombe", "Aylesbury"

CAMERAS = {  # asset id: (kind, service area code, town, status, install date)
    "HW-1": (CameraKind.PUBLIC_SPACE_FIXED, "CS", HW, CameraStatus.OPERATIONAL, date(2015, 6, 1)),
    "HW-2": (CameraKind.DEPLOYABLE, "CS", HW, CameraStatus.OPERATIONAL, date(2024, 1, 1)),
    "AY-1": (CameraKind.PUBLIC_SPACE_PTZ, "CS", AY, CameraStatus.OPERATIONAL, date(2016, 3, 1)),
    "AY-P1": (CameraKind.CAR_PARK, "PARK", AY, CameraStatus.OPERATIONAL, date(2020, 9, 1)),
    "HW-P1": (CameraKind.CAR_PARK, "PARK", HW, CameraStatus.DECOMMISSIONED, date(2010, 1, 1)),
    "AY-COV": (CameraKind.COVERT, "PARK", AY, CameraStatus.OPERATIONAL, date(2022, 1, 1)),
    "HW-NEW": (CameraKind.PUBLIC_SPACE_FIXED, "CS", HW, CameraStatus.OPERATIONAL, date(2025, 12, 1)),
    "AY-2": (CameraKind.PUBLIC_SPACE_FIXED, "CS", AY, CameraStatus.OPERATIONAL, date(2018, 4, 1)),
    "AY-P2": (CameraKind.CAR_PARK, "PARK", AY, CameraStatus.OPERATIONAL, None),
}


def z(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    """A UTC instant."""
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


INCIDENTS = {  # name: (occurred, category, arrests, inside monitored hours (by hand), cameras)
    "I0": (z(2025, 6, 30, 22, 59), "violence", 1, False, ["AY-1"]),
    "I1": (z(2025, 6, 30, 23, 30), "violence", 2, False, ["HW-1", "AY-1"]),
    "I2": (z(2025, 7, 4, 22), "theft", 0, True, ["AY-P1"]),
    "I3": (z(2025, 7, 5, 1, 30), "violence", 1, True, ["HW-1", "AY-P1"]),
    "I4": (z(2025, 8, 12, 10), "asb", 0, True, []),
    "I5": (z(2025, 9, 30, 22, 59), "theft", 3, False, ["HW-2"]),
    "I6": (z(2025, 9, 30, 23), "asb", 0, False, ["HW-1"]),
    "I7": (z(2025, 12, 31, 23, 30), "theft", 1, False, ["AY-1"]),
    "I8": (z(2025, 4, 10, 12), "theft", 0, True, ["AY-P1"]),
    "I9": (z(2025, 7, 20, 14), "violence", 0, True, ["HW-1"]),
    "I10": (z(2025, 10, 26, 0, 30), "asb", 0, True, ["AY-1"]),
    "I11": (z(2025, 10, 26, 1, 30), "asb", 0, True, ["AY-1"]),
    "I12": (z(2025, 3, 30, 0, 30), "asb", 0, True, ["HW-1"]),
    "I13": (z(2025, 3, 30, 1, 30), "asb", 0, True, ["HW-1"]),
    "I14": (z(2024, 12, 1, 12), "asb", 0, True, ["AY-P2"]),
}

ARRESTS = {  # incident: [(offence group, outcome)], as many as its count
    "I0": [(OffenceGroup.VIOLENCE, ArrestOutcome.CHARGED)],
    "I1": [(OffenceGroup.VIOLENCE, ArrestOutcome.CHARGED),
           (OffenceGroup.VIOLENCE, ArrestOutcome.RELEASED_UNDER_INVESTIGATION)],
    "I3": [(OffenceGroup.VIOLENCE, ArrestOutcome.NO_FURTHER_ACTION)],
    "I5": [(OffenceGroup.THEFT, ArrestOutcome.CHARGED), (OffenceGroup.THEFT, ArrestOutcome.CAUTIONED),
           (OffenceGroup.ROBBERY, ArrestOutcome.CHARGED)],
    "I7": [(OffenceGroup.THEFT, ArrestOutcome.NOT_KNOWN)],
}
assert all(len(ARRESTS.get(name, [])) == arrests for name, (_, _, arrests, _, _) in INCIDENTS.items())

EVIDENCE = {  # name: (produced, later use, cameras asked for, incident)
    "E1": (z(2025, 7, 2, 9), LaterUse.CHARGED, ["HW-1"], "I1"),
    "E2": (z(2025, 9, 30, 23, 30), LaterUse.PROSECUTION, ["AY-P1"], None),
    "E3": (z(2025, 8, 1, 10), LaterUse.NOT_USED, [], "I3"),
    "E4": (z(2025, 7, 31, 12), LaterUse.CAUTION, ["AY-P1"], "I2"),
    "E5": (None, LaterUse.UNKNOWN, ["HW-2"], "I5"),
    "E6": (z(2025, 7, 10, 8), LaterUse.UNKNOWN, ["AY-1"], "I0"),
}


@dataclass
class History:
    """Ids of the known history: service areas and cameras by code, incidents and requests by name."""

    areas: dict[str, int]
    cameras: dict[str, int]
    incidents: dict[str, int]
    evidence: dict[str, int]
    room: ControlRoom


def build_history(session: Session) -> History:
    """Insert the history of the module notes and commit it."""
    areas = {"CS": ServiceArea(code="CS", name="Community Safety"), "PARK": ServiceArea(code="PARK", name="Parking")}
    session.add_all(areas.values())
    session.flush()
    cameras = {}
    for asset_id, (kind, area, town, status, installed) in CAMERAS.items():
        cameras[asset_id] = Camera(asset_id=asset_id, name=f"Camera {asset_id}", service_area_id=areas[area].id,
                                   kind=kind, status=status, town=town, install_date=installed)
    session.add_all(cameras.values())
    room = ControlRoom(code="WY", name="Wycombe")
    session.add(room)
    for position, (code, label) in enumerate([("violence", "Violence"), ("theft", "Theft"),
                                              ("asb", "Anti-social behaviour")]):
        session.add(IncidentCategory(code=code, label=label, position=position))
    session.flush()

    incidents = {}
    for number, (name, (occurred, category, arrests, inside, used)) in enumerate(INCIDENTS.items(), start=1):
        session_day, computed = monitored_session(occurred, DEFAULT_MONITORED_HOURS)
        assert computed == inside, f"{name}: the hand-worked flag disagrees with the control room's rule"
        logged = occurred + timedelta(minutes=5)
        ref_year = london_date(logged).year
        incident = Incident(
            occurred_at=occurred, category=category, arrests=arrests, reference=f"WY-{ref_year}-{number:06d}",
            control_room_id=room.id, ref_year=ref_year, ref_number=number, logged_at=logged, operator="alice",
            in_monitored_hours=inside, monitored_session=session_day,
        )
        session.add(incident)
        session.flush()
        session.add_all(IncidentCamera(incident_id=incident.id, camera_id=cameras[a].id) for a in used)
        session.add_all(Arrest(incident_id=incident.id, offence_group=group, outcome=outcome, recorded_at=logged)
                        for group, outcome in ARRESTS.get(name, []))
        incidents[name] = incident.id

    evidence = {}
    for name, (produced, later_use, asked, incident) in EVIDENCE.items():
        request = EvidenceRequest(
            requesting_officer="PC 1234 Patel", window_start=z(2025, 6, 1, 0), window_end=z(2025, 6, 1, 1),
            incident_id=incidents[incident] if incident else None, requested_at=z(2025, 6, 2, 9),
            produced_at=produced, later_use=later_use,
        )
        session.add(request)
        session.flush()
        session.add_all(EvidenceCamera(evidence_id=request.id, camera_id=cameras[a].id) for a in asked)
        evidence[name] = request.id
    session.commit()
    return History({k: v.id for k, v in areas.items()}, {k: v.id for k, v in cameras.items()}, incidents, evidence,
                   room)


@pytest.fixture
def history(session: Session) -> History:
    """The known history, committed."""
    return build_history(session)
