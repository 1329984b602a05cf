"""camera source reference

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 15:05:00.000000

Issue 18 (a real council list as it is): camera.source_ref, the camera's id in the list it was imported from.
Real lists repeat ids (one council's 212 rows held 146 camera numbers); when the user chooses to keep such rows,
each camera gets a generated asset id and keeps the list's id here, so the two can be matched again.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('camera', sa.Column('source_ref', sqlmodel.sql.sqltypes.AutoString(length=80), server_default='',
                                      nullable=False))


def downgrade() -> None:
    op.drop_column('camera', 'source_ref')
