"""0012 carries the old data over: an incident's arrest count becomes that many arrest records (offence group from
its category, outcome not known yet), and a produced, handed-over request's file gets
its "produced" and "handed over" movements. Expected rows written out by hand."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from cctv.migrate import alembic_config, upgrade

PRODUCED = datetime(2025, 6, 15, 9, 0, tzinfo=UTC)
HANDED = datetime(2025, 6, 16, 14, 30, tzinfo=UTC)
LOGGED = datetime(2025, 6, 14, 22, 40)


def _before_0012() -> str:
    down = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision("0012").down_revision
    assert isinstance(down, str)
    return down


def _insert(connection: sa.Connection, table: str, **values: object) -> None:
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    connection.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)


def test_arrest_counts_and_handovers_are_carried_over(empty_url: str) -> None:
    upgrade(empty_url, _before_0012())
    engine = sa.create_engine(empty_url)
    try:
        with engine.begin() as c:
            _insert(c, "control_room", id=1, code="WY", name="Wycombe", monitored_hours_json="{}")
            for n, code in enumerate(("shoplifting", "fire", "violence"), start=1):
                _insert(c, "incident_category", id=n, code=code, label=code, position=n, active=True)
            common = {"control_room_id": 1, "ref_year": 2025, "operator": "op1", "occurred_at": LOGGED,
                      "logged_at": LOGGED, "updated_at": LOGGED, "monitored_session": date(2025, 6, 14),
                      "source": "proactive", "location_text": "", "police_informed": True, "police_reference": "",
                      "police_attended": True, "outcome": "", "narrative": "", "follow_up": "open",
                      "in_monitored_hours": True, "closed_by": ""}
            _insert(c, "incident", id=1, reference="WY-2025-000001", ref_number=1, category="shoplifting", arrests=2,
                    arrest_offences="Theft from Boots (2 people)", **common)
            _insert(c, "incident", id=2, reference="WY-2025-000002", ref_number=2, category="fire", arrests=1,
                    arrest_offences="Arson", **common)
            _insert(c, "incident", id=3, reference="WY-2025-000003", ref_number=3, category="violence", arrests=0,
                    arrest_offences="", **common)
            request = {"requesting_officer": "PC 1", "force": "TVP", "police_reference": "", "notes": "",
                       "window_start": LOGGED, "window_end": LOGGED, "requested_at": LOGGED, "recorded_by": "op1",
                       "later_use": "unknown"}
            _insert(c, "evidence_request", id=1, produced_at=PRODUCED, produced_by="sup1", handed_over_at=HANDED,
                    handed_over_to="DC 889 Patel", released_by="sup2", **request)
            _insert(c, "evidence_request", id=2, produced_at=None, produced_by="", handed_over_at=None,
                    handed_over_to="", released_by="", **request)
            for media_id, evidence_id in ((1, 1), (2, 2)):
                _insert(c, "evidence_media", id=media_id, evidence_id=evidence_id, media_id=f"DISC-{media_id}",
                        file_name="", sha256=str(media_id) * 64, hash_computed=media_id == 1, added_at=LOGGED,
                        added_by="sup1")
        upgrade(empty_url)
        with engine.connect() as c:
            arrests = c.execute(sa.text("SELECT incident_id, offence_group, offence, outcome FROM arrest "
                                        "ORDER BY id")).all()
            moves = c.execute(sa.text("SELECT evidence_id, file_id, kind, moved_by, to_whom, sha256, hash_computed "
                                      "FROM evidence_movement ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in arrests] == [
        (1, "theft_offences", "", "not_known"),  # the free text may name people: it stays on the incident only
        (1, "theft_offences", "", "not_known"),
        (2, "not_recorded", "", "not_known"),
    ]
    assert [tuple(r) for r in moves] == [
        (1, 1, "produced", "sup1", "", "1" * 64, True),
        (1, 1, "handed_over", "sup2", "DC 889 Patel", "1" * 64, False),
    ]
