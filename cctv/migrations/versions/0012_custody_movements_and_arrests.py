"""custody movements and arrests

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 15:00:00.000000

Issue 16: the chain of custody of evidence as one row per movement (`evidence_movement`), and arrests as records
with their offence group and outcome (`arrest`).

Existing data is carried over:
- every file of a produced request gets a "produced" movement (when, by whom and the hash recorded with the file),
  and of a handed-over request a "handed over" movement (to whom, released by whom) — the one handover the old
  columns could hold. The old columns stay on `evidence_request` (the first handover).
- an incident's arrest count becomes that many arrest rows: the offence group its category most likely means
  (violence → violence against the person, shoplifting → theft offences, …; "not recorded yet" otherwise) and
  outcome "not known yet". The free-text "arrested for" stays on the incident alone: it may name people, and the
  retention rule scrubs it there. `incident.arrests` stays, kept equal to the
  number of rows by the service, so every existing measure reads the same figures.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

MOVEMENT_KINDS = ('produced', 'copied', 'handed_over', 'returned', 'destroyed')
OFFENCE_GROUPS = ('not_recorded', 'violence_against_the_person', 'sexual_offences', 'robbery', 'theft_offences',
                  'criminal_damage_and_arson', 'drug_offences', 'possession_of_weapons_offences',
                  'public_order_offences', 'miscellaneous_against_society', 'other')
OUTCOMES = ('not_known', 'charged', 'cautioned', 'community_resolution', 'bailed', 'released_under_investigation',
            'no_further_action')
# A copy, not an import: a migration must mean the same whatever later code says (cctv.controlroom.types).
CATEGORY_GROUP = {
    'violence': 'violence_against_the_person', 'sexual_offence': 'sexual_offences', 'robbery': 'robbery',
    'burglary': 'theft_offences', 'theft': 'theft_offences', 'shoplifting': 'theft_offences',
    'criminal_damage': 'criminal_damage_and_arson', 'drugs': 'drug_offences', 'public_order': 'public_order_offences',
    'asb': 'public_order_offences', 'weapons': 'possession_of_weapons_offences',
}


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table('evidence_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('kind', _enum(MOVEMENT_KINDS, 'movementkind'), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('moved_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('to_whom', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('how', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hash_computed', sa.Boolean(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence_request.id'], ),
    sa.ForeignKeyConstraint(['file_id'], ['evidence_media.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('evidence_movement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_movement_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_movement_file_id'), ['file_id'], unique=False)
    op.create_table('arrest',
    sa.Column('offence_group', _enum(OFFENCE_GROUPS, 'offencegroup'), nullable=False),
    sa.Column('offence', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('outcome', _enum(OUTCOMES, 'arrestoutcome'), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('outcome_noted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('arrest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arrest_incident_id'), ['incident_id'], unique=False)
    _carry_over(op.get_bind())


def _carry_over(connection: sa.engine.Connection) -> None:
    """Movements from the old produced/handed-over columns; arrest rows from the incidents' counts."""
    # The columns read and written, named here rather than reflected: reflection follows foreign keys to the camera
    # table, whose expression index (0009) SQLite's reflection cannot read, and this data step needs none of that.
    request = sa.table('evidence_request', *map(sa.column, (
        'id', 'produced_at', 'produced_by', 'handed_over_at', 'handed_over_to', 'released_by')))
    media = sa.table('evidence_media', *map(sa.column, ('id', 'evidence_id', 'sha256', 'hash_computed')))
    incident = sa.table('incident', *map(sa.column, ('id', 'category', 'arrests', 'logged_at')))
    movement = sa.table('evidence_movement', *map(sa.column, (
        'evidence_id', 'file_id', 'sha256', 'notes', 'kind', 'at', 'moved_by', 'to_whom', 'how', 'hash_computed')))
    arrest = sa.table('arrest', *map(sa.column, (
        'incident_id', 'offence_group', 'offence', 'outcome', 'recorded_at', 'outcome_noted_at')))
    files = connection.execute(
        sa.select(media.c.id, media.c.evidence_id, media.c.sha256, media.c.hash_computed, request.c.produced_at,
                  request.c.produced_by, request.c.handed_over_at, request.c.handed_over_to, request.c.released_by)
        .join(request, request.c.id == media.c.evidence_id)
        .where(request.c.produced_at.is_not(None)).order_by(media.c.id)
    ).all()
    moves = []
    for f in files:
        common = {'evidence_id': f.evidence_id, 'file_id': f.id, 'sha256': f.sha256, 'notes': ''}
        moves.append({**common, 'kind': 'produced', 'at': f.produced_at, 'moved_by': f.produced_by or '', 'to_whom': '',
                      'how': '', 'hash_computed': bool(f.hash_computed)})
        if f.handed_over_at is not None:
            moves.append({**common, 'kind': 'handed_over', 'at': f.handed_over_at, 'moved_by': f.released_by or '',
                          'to_whom': f.handed_over_to or '', 'how': '', 'hash_computed': False})
    if moves:
        connection.execute(movement.insert(), moves)
    arrested = connection.execute(
        sa.select(incident.c.id, incident.c.category, incident.c.arrests, incident.c.logged_at).where(incident.c.arrests > 0).order_by(incident.c.id)
    ).all()
    rows = [{'incident_id': i.id, 'offence_group': CATEGORY_GROUP.get(i.category, 'not_recorded'),
             'offence': '', 'outcome': 'not_known', 'recorded_at': i.logged_at,
             'outcome_noted_at': None}
            for i in arrested for _ in range(int(i.arrests))]
    for start in range(0, len(rows), 5000):
        connection.execute(arrest.insert(), rows[start:start + 5000])


def downgrade() -> None:
    with op.batch_alter_table('arrest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arrest_incident_id'))
    op.drop_table('arrest')
    with op.batch_alter_table('evidence_movement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_movement_file_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_movement_evidence_id'))
    op.drop_table('evidence_movement')
