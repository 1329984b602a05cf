"""crime month columns

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 18:40:00.000000

Issue 15 (crimes read by window straight into arrays): each month's stored crimes packed as numpy columns
(`siting.store.columns`), so the model reads a county's three years as a few blobs instead of 457k rows. Filled
for the crimes already stored by the first read that finds a month missing (nothing to do here: it is a cache that
`crime` can always rebuild).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('crime_month_columns',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('max_id', sa.Integer(), nullable=False),
    sa.Column('easting', sa.LargeBinary(), nullable=False),
    sa.Column('northing', sa.LargeBinary(), nullable=False),
    sa.Column('category', sa.LargeBinary(), nullable=False),
    sa.Column('location', sa.LargeBinary(), nullable=False),
    sa.Column('lsoa', sa.LargeBinary(), nullable=False),
    sa.Column('categories_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('locations_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('lsoas_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('month')
    )


def downgrade() -> None:
    op.drop_table('crime_month_columns')
