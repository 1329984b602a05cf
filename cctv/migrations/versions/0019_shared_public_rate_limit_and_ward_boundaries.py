"""shared public rate limit and ward boundaries

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 18:45:00.000000

Issue 18:
  - public_request: the public page's requests of the last minute, one row each, so every web worker shares one
    count per address (`cctv.transparency.request_limit`); pruned as requests arrive, never audited.
  - ward_boundary: the council's wards imported once (`cctv area wards FILE`), outlined and labelled on the map and
    the public page when no MAP_WARDS_FILE is configured.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('public_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('public_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_request_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_request_at'), ['at'], unique=False)

    op.create_table('ward_boundary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('geometry_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('imported_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('imported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ward_boundary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ward_boundary_name'), ['name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ward_boundary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ward_boundary_name'))
    op.drop_table('ward_boundary')
    with op.batch_alter_table('public_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_request_at'))
        batch_op.drop_index(batch_op.f('ix_public_request_address'))
    op.drop_table('public_request')
