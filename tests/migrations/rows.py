"""One representative row for every table, written into a database at any revision and read back at head.

Each row names its primary key and the values that matter; every other column takes the model's Python default.
A row is written only when its table exists at the database's revision, and only with the columns that table
has there, so the rows stay valid at every revision as later migrations add tables and columns.
"""

import warnings
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cctv.auth.models import Role
from cctv.controlroom.types import ArrestOutcome, DisclosureKind, IncidentSource, MovementKind, OffenceGroup
from cctv.models import metadata
from cctv.notifications.models import DispatchStatus
from dpia.types import PrincipleAnswer, ReviewReason
from inventory.types import CameraKind, ChangeKind, FundingSource
from siting.store.saved import SiteSource

AT = datetime(2025, 6, 14, 22, 30, tzinfo=UTC)

ROWS: dict[str, dict[str, Any]] = {
    # 0001: inventory, accounts and the audit trail
    "service_area": {"id": 1, "code": "CS", "name": "Community Safety"},
    "app_user": {"id": 1, "username": "op1", "role": Role.OPERATOR, "password_hash": "x", "created_at": AT},
    "audit_entry": {"id": 1, "actor": "op1", "action": "insert", "table_name": "camera", "record_id": "1", "at": AT},
    "funding": {"id": 1, "reference": "NCIL-1", "source": FundingSource.NCIL, "amount": Decimal("12500.50"),
                "awarded_on": date(2024, 4, 1)},
    "api_token": {"id": 1, "user_id": 1, "name": "feed", "token_hash": "a" * 64, "prefix": "abc"},
    "camera_system": {"id": 1, "name": "Town centre", "service_area_id": 1},
    "user_service_area": {"user_id": 1, "service_area_id": 1},
    "camera": {"id": 1, "asset_id": "CS-001", "name": "Frogmoor north", "service_area_id": 1, "system_id": 1,
               "kind": CameraKind.PUBLIC_SPACE_FIXED, "town": "High Wycombe", "longitude": -0.7493,
               "latitude": 51.6295, "install_date": date(2012, 5, 1), "created_at": AT},
    "camera_move": {"id": 1, "camera_id": 1, "to_location_text": "Frogmoor south", "moved_at": AT},
    "fault": {"id": 1, "camera_id": 1, "description": "No picture", "target_fix_by": AT},
    "funding_camera": {"funding_id": 1, "camera_id": 1},
    "inventory_change": {"id": 1, "kind": ChangeKind.CAMERA_ADDED, "camera_id": 1, "occurred_at": AT},
    # 0002: siting
    "candidate_site": {"id": 1, "name": "Bus station", "geometry_wkt": "POINT (-0.75 51.63)",
                       "source": SiteSource.TYPED},
    "siting_run": {"id": 1, "window_first": date(2025, 1, 1), "window_last": date(2025, 3, 1), "params_json": "{}",
                   "counts_json": "{}", "result_json": "{}"},
    # 0003: crimes
    "crime_import": {"id": 1, "rows_read": 1, "added": 1},
    "crime": {"id": 1, "dedup_key": "k1", "month": date(2025, 3, 1), "category": "burglary", "import_id": 1},
    # 0021: each month's crimes packed as columns (rebuilt from crime whenever they differ)
    "crime_month_columns": {"month": date(2025, 3, 1), "rows": 1, "max_id": 1, "easting": b"\0" * 8,
                            "northing": b"\0" * 8, "category": b"\0" * 4, "location": b"\0" * 4, "lsoa": b"\0" * 4,
                            "categories_json": '["burglary"]', "locations_json": '[""]', "lsoas_json": '[["", ""]]'},
    # 0017: the council's area
    "council_area": {"id": 1, "name": "Dacorum", "geometry_json": '{"type":"Polygon","coordinates":[[[0,51],'
                     '[0.1,51],[0.1,51.1],[0,51]]]}', "uploaded_at": AT},
    # 0020: crime imports run in the background
    "crime_import_job": {"id": 1, "state": "done", "created_at": AT, "updated_at": AT, "files": 1,
                         "upload_bytes": 3 * 1024**3, "message": "1 rows read", "import_id": 1},
    # 0004: the DPIA register, self-assessments and reminders
    "reminder_dispatch": {"id": 1, "key": "dpia-review:1", "audience": "dpo", "status": DispatchStatus.SENT,
                          "claim_token": "t" * 36},
    "self_assessment": {"id": 1, "title": "2025 self-assessment", "due_on": date(2025, 9, 30)},
    "inbox_message": {"id": 1, "user_id": 1, "reminder_key": "dpia-review:1", "subject": "DPIA review due"},
    "self_assessment_action": {"id": 1, "assessment_id": 1, "principle": 3, "action": "Signs", "owner": "CS",
                               "due_on": date(2025, 12, 1)},
    "self_assessment_answer": {"id": 1, "assessment_id": 1, "principle": 3, "answer": PrincipleAnswer.PARTLY},
    "dpia": {"id": 1, "system_id": 1, "version": 1, "need": "Town-centre crime"},
    "dpia_risk": {"id": 1, "dpia_id": 1, "description": "Collateral intrusion", "likelihood": 2, "severity": 3},
    "dpia_review": {"id": 1, "key": "first:1", "system_id": 1, "reason": ReviewReason.FIRST,
                    "due_on": date(2025, 7, 1)},
    # 0005: the control-room log
    "control_room": {"id": 1, "code": "WY", "name": "Wycombe"},
    "incident_category": {"id": 1, "code": "assault", "label": "Assault"},
    "incident": {"id": 1, "occurred_at": AT, "category": "assault", "source": IncidentSource.POLICE_RADIO,
                 "reference": "WY-2025-000001", "control_room_id": 1, "ref_year": 2025, "ref_number": 1,
                 "operator": "op1", "monitored_session": date(2025, 6, 14), "arrests": 1, "logged_at": AT},
    "reference_counter": {"control_room_id": 1, "year": 2025, "last": 1},
    "shift": {"id": 1, "control_room_id": 1, "operators": "op1", "started_at": AT, "started_by": "op1"},
    "evidence_request": {"id": 1, "requesting_officer": "PC 123", "incident_id": 1, "window_start": AT,
                         "window_end": AT, "requested_at": AT, "produced_at": AT},
    "disclosure": {"id": 1, "kind": DisclosureKind.POLICE, "requester": "TVP", "received_on": date(2025, 6, 15),
                   "due_on": date(2025, 6, 16), "evidence_id": 1},
    "evidence_camera": {"evidence_id": 1, "camera_id": 1},
    "evidence_media": {"id": 1, "evidence_id": 1, "media_id": "DISC-1", "sha256": "b" * 64},
    "incident_camera": {"incident_id": 1, "camera_id": 1},
    "shift_fault": {"shift_id": 1, "fault_id": 1},
    # 0007: the sign-in throttle
    "login_attempt": {"id": 1, "at": AT, "address": "192.0.2.1", "username": "op1", "succeeded": True},
    # 0013: retention of every personal record, legal holds
    "retention_exemption": {"id": 1, "record_kind": "evidence", "record_id": 1, "exemption": "hold",
                            "reason": "Crown Court trial listed", "set_by": "sup1", "set_at": AT},
    # 0010: submissions taken once
    "submission": {"id": 1, "actor": "op1", "key": "form-token-1", "kind": "incident", "result_id": 1,
                   "created_at": AT},
    # 0012: custody movements and arrests
    "evidence_movement": {"id": 1, "evidence_id": 1, "file_id": 1, "kind": MovementKind.HANDED_OVER, "at": AT,
                          "moved_by": "sup1", "to_whom": "PC 123", "sha256": "b" * 64},
    "arrest": {"id": 1, "incident_id": 1, "offence_group": OffenceGroup.VIOLENCE, "offence": "Assault",
               "outcome": ArrestOutcome.CHARGED, "recorded_at": AT},
    # 0015: lifecycle, maintenance contracts, PPM and body-worn issues
    "camera_lifecycle": {"camera_id": 1, "purchase_cost": Decimal("2400.00"), "installation_cost": Decimal("800.00"),
                         "annual_maintenance_cost": Decimal("150.00"), "warranty_ends_on": date(2027, 5, 1),
                         "updated_at": AT},
    "maintenance_contract": {"id": 1, "reference": "MC-2025", "contractor": "Acme Security",
                             "starts_on": date(2025, 4, 1), "ends_on": date(2028, 3, 31)},
    "ppm_schedule": {"id": 1, "contract_id": 1, "title": "Annual clean and check", "next_due_on": date(2025, 9, 1)},
    "body_worn_issue": {"id": 1, "camera_id": 1, "officer_name": "CEO 12 Patel", "issued_at": AT, "due_back_at": AT},
    # 0016: the public page and the signage register
    "public_notice": {"id": 1, "operator": "Council CCTV", "contact_point": "cctv@example.gov.uk",
                      "self_assessment_id": 1, "figures_year": 2025, "figures_json": "{}", "updated_at": AT},
    "published_system": {"id": 1, "system_id": 1, "purpose": "Town-centre crime", "published_at": AT},
    "sign": {"id": 1, "place": "Frogmoor entrance", "town": "High Wycombe", "wording": "CCTV in operation",
             "last_inspected": date(2025, 6, 1), "created_at": AT},
    "sign_camera": {"sign_id": 1, "camera_id": 1},
    # 0019: the public page's shared request count, and the wards imported once
    "public_request": {"id": 1, "at": AT, "address": "192.0.2.1"},
    "ward_boundary": {"id": 1, "name": "Altrincham", "geometry_json": '{"type":"Polygon","coordinates":[[[-2.35,53.38],'
                      '[-2.33,53.38],[-2.33,53.4],[-2.35,53.38]]]}', "imported_at": AT},
}

# Columns a later migration dropped that older revisions still require (NOT NULL without a default): written while
# the table has them, never read back. {table: {column: (type, value)}}
RETIRED: dict[str, dict[str, tuple[sa.types.TypeEngine, Any]]] = {
    "app_user": {"failed_logins": (sa.Integer(), 0)},  # dropped by 0007 with the account lockout
}


def with_defaults(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row with every column it leaves out set to the model's Python default, where the model has one."""
    full = dict(row)
    for column in table.columns:
        default = column.default
        if column.name in full or default is None:
            continue
        if default.is_scalar:
            full[column.name] = default.arg
        elif default.is_callable:
            full[column.name] = default.arg(None)
    return full


def insert_rows(connection: Connection) -> set[str]:
    """Write the row of every table the database has, with the columns it has; the names of the tables written."""
    inspector = sa.inspect(connection)
    present = set(inspector.get_table_names())
    written = set()
    for table in metadata.sorted_tables:
        if table.name not in present:
            continue
        with warnings.catch_warnings():  # the crimes' PostGIS point (siting/store/postgis.py) is no model column
            warnings.filterwarnings("ignore", "Did not recognize type 'postgis.geometry'")
            columns = {column["name"] for column in inspector.get_columns(table.name)}
        values = {name: value for name, value in with_defaults(table, ROWS[table.name]).items() if name in columns}
        # The model's column types (so enums, UTC times and decimals are bound as the app binds them), but only
        # the columns the table has at this revision, and no defaults of columns it does not have yet.
        retired = {name: kind_value for name, kind_value in RETIRED.get(table.name, {}).items() if name in columns}
        values.update({name: value for name, (_, value) in retired.items()})
        as_at_revision = sa.Table(table.name, sa.MetaData(), *(sa.Column(c.name, c.type) for c in table.columns
                                                               if c.name in values),
                                  *(sa.Column(name, kind) for name, (kind, _) in retired.items()))
        connection.execute(as_at_revision.insert().values(values))
        written.add(table.name)
    return written


def rows_missing(connection: Connection, tables: set[str]) -> dict[str, dict[str, Any]]:
    """The rows of these tables that cannot be read back as written (read with the models' tables, at head)."""
    missing = {}
    for name in tables:
        table = metadata.tables[name]
        row = ROWS[name]
        key = sa.and_(*(column == row[column.name] for column in table.primary_key.columns))
        found = connection.execute(sa.select(*(table.c[c] for c in row)).where(key)).mappings().one_or_none()
        if found is None or dict(found) != row:
            missing[name] = dict(found) if found else {}
    return missing

