"""asset id unique whatever its case

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 15:20:00.000000

Issue 17: `cs-fix-001` was accepted beside `CS-FIX-001`. The services now compare asset ids case-blind
(inventory/asset_ids.py); this makes the database refuse a second camera whose id differs only in case, however it
comes in: a unique index uq_camera_asset_id_lower on camera (lower(asset_id)), on SQLite and PostgreSQL alike.

A database that already holds two such ids cannot take the index. They are two cameras (each with its own incidents,
faults and DPIA history), so which one is renamed is a person's decision, not this migration's: the upgrade stops
before changing anything and names the pairs; rename one of each (on the camera's edit page or the API) and run it
again.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


class DuplicateAssetIds(RuntimeError):
    """Asset ids that differ only in case: the index cannot be made until one of each is renamed."""


def upgrade() -> None:
    clashes = op.get_bind().execute(sa.text(
        "SELECT lower(asset_id), count(*) FROM camera GROUP BY lower(asset_id) HAVING count(*) > 1 "
        "ORDER BY lower(asset_id)")).all()
    if clashes:
        names = ", ".join(f"{key} ({n} cameras)" for key, n in clashes)
        raise DuplicateAssetIds(
            f"Cameras whose asset ids differ only in case: {names}. Rename one of each, then upgrade again.")
    op.create_index('uq_camera_asset_id_lower', 'camera', [sa.text('lower(asset_id)')], unique=True)


def downgrade() -> None:
    op.drop_index('uq_camera_asset_id_lower', table_name='camera')
