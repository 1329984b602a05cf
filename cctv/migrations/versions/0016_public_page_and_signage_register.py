"""public page and signage register

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 14:51:37.662189

Issue 18 (the public face the Code asks for, principle 3):
  - public_notice: one row, what the council says on the public page (operator, data controller, contact point,
    introduction) and what it chose to publish (a completed self-assessment, a snapshot of one year's figures).
  - published_system: the camera systems whose public-space cameras appear on the public page, with their purpose
    and DPIA summary in plain words. No row: nothing of the system is public.
  - sign, sign_camera: the signage register (each sign's place, wording, cameras covered, last inspected).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sign',
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=250), nullable=False),
    sa.Column('town', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('wording', sa.Text(), nullable=False),
    sa.Column('last_inspected', sa.Date(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_town'), ['town'], unique=False)

    op.create_table('public_notice',
    sa.Column('operator', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('data_controller', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('contact_point', sa.Text(), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('self_assessment_id', sa.Integer(), nullable=True),
    sa.Column('figures_year', sa.Integer(), nullable=True),
    sa.Column('figures_json', sa.Text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.ForeignKeyConstraint(['self_assessment_id'], ['self_assessment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('published_system',
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('dpia_summary', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('system_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('published_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.ForeignKeyConstraint(['system_id'], ['camera_system.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('system_id')
    )
    op.create_table('sign_camera',
    sa.Column('sign_id', sa.Integer(), nullable=False),
    sa.Column('camera_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], ),
    sa.ForeignKeyConstraint(['sign_id'], ['sign.id'], ),
    sa.PrimaryKeyConstraint('sign_id', 'camera_id')
    )
    with op.batch_alter_table('sign_camera', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_camera_camera_id'), ['camera_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sign_camera', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_camera_camera_id'))

    op.drop_table('sign_camera')
    op.drop_table('published_system')
    op.drop_table('public_notice')
    with op.batch_alter_table('sign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_town'))

    op.drop_table('sign')
