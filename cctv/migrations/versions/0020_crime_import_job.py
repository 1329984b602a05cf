"""crime import job

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 18:45:00.000000

Issue 14 (uploads of a year of crimes from the page): a crime import that runs in the background while the page
polls it (`siting.store.jobs`): its state, who asked, its summary or error and the import it made.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('crime_import_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.Column('upload_bytes', sa.BigInteger(), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('crime_import_job')
