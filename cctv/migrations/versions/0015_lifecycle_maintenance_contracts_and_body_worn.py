"""lifecycle, maintenance contracts, PPM, body-worn issues and funding withdrawal

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 14:52:05.710542

Issue 18 (the estate a CCTV manager runs): camera_lifecycle (costs, expected life, warranty per camera),
maintenance_contract (contractor, dates, contact, SLA hours per fault priority), ppm_schedule (planned preventive
maintenance under a contract), body_worn_issue (a device handed to a named officer and its return);
fault.contract_id (the contract whose SLA the fault is measured against) and funding.withdrawn_on/withdrawn_reason
(a withdrawn award is kept but no longer counts).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('maintenance_contract',
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('contractor', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('service_area_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('contact_phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sla_critical_hours', sa.Integer(), nullable=False),
    sa.Column('sla_high_hours', sa.Integer(), nullable=False),
    sa.Column('sla_medium_hours', sa.Integer(), nullable=False),
    sa.Column('sla_low_hours', sa.Integer(), nullable=False),
    sa.Column('annual_value', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_area_id'], ['service_area.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reference')
    )
    op.create_table('ppm_schedule',
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('covers', sqlmodel.sql.sqltypes.AutoString(length=250), nullable=False),
    sa.Column('interval_months', sa.Integer(), nullable=False),
    sa.Column('next_due_on', sa.Date(), nullable=False),
    sa.Column('remind_days_before', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['maintenance_contract.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ppm_schedule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ppm_schedule_contract_id'), ['contract_id'], unique=False)

    op.create_table('body_worn_issue',
    sa.Column('camera_id', sa.Integer(), nullable=False),
    sa.Column('officer_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('officer_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('due_back_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('issued_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('returned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('returned_to', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('body_worn_issue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_body_worn_issue_camera_id'), ['camera_id'], unique=False)

    op.create_table('camera_lifecycle',
    sa.Column('purchase_cost', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('installation_cost', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('annual_maintenance_cost', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('expected_life_years', sa.Integer(), nullable=True),
    sa.Column('warranty_provider', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('warranty_ends_on', sa.Date(), nullable=True),
    sa.Column('camera_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['camera_id'], ['camera.id'], ),
    sa.PrimaryKeyConstraint('camera_id')
    )
    with op.batch_alter_table('fault', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_fault_contract_id'), ['contract_id'], unique=False)
        batch_op.create_foreign_key('fk_fault_contract_id_maintenance_contract', 'maintenance_contract', ['contract_id'], ['id'])

    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False,
                                      server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('withdrawn_on')

    with op.batch_alter_table('fault', schema=None) as batch_op:
        batch_op.drop_constraint('fk_fault_contract_id_maintenance_contract', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_fault_contract_id'))
        batch_op.drop_column('contract_id')

    op.drop_table('camera_lifecycle')
    with op.batch_alter_table('body_worn_issue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_body_worn_issue_camera_id'))

    op.drop_table('body_worn_issue')
    with op.batch_alter_table('ppm_schedule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ppm_schedule_contract_id'))

    op.drop_table('ppm_schedule')
    op.drop_table('maintenance_contract')
