"""council area

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 15:30:00.000000

Issue 14 (the council's area, once): the boundary a council uploads once, used by every siting import, proposal,
map and validation by default (`siting.store.council_area`); and crime_import.unplaced, the rows without a location
an import with an area counted but did not store (no area can place them).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('council_area',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('crs', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('geometry_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('area_km2', sa.Float(), nullable=False),
    sa.Column('parts', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('uploaded_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.add_column('crime_import', sa.Column('unplaced', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('crime_import', schema=None) as batch_op:
        batch_op.drop_column('unplaced')
    op.drop_table('council_area')
