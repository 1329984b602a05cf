"""crime job kind

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 21:45:00.000000

Issue 15 (re-filtering off the request): the background job that imports crimes also re-filters the crimes already
stored when the council's area changes (`siting.store.jobs`), so each job says which work it is. Existing jobs were
all imports.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('crime_import_job', sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10),
                                                server_default='import', nullable=False))


def downgrade() -> None:
    op.drop_column('crime_import_job', 'kind')
