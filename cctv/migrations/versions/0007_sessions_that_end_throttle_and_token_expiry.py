"""sessions that end, sign-in throttle, API token expiry

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 12:50:00.000000

Issue 17:
  - app_user.session_version: stored in every signed-in session and checked on each request; raised at sign-out,
    password change and when an account is disabled, so copied session cookies stop working.
  - app_user.failed_logins and locked_until go: the account lockout anyone could trigger is replaced by a throttle
    on the addresses that guess (login_attempt).
  - login_attempt: one row per sign-in attempt, pruned by the application once no throttle rule needs it.
  - api_token.expires_at: tokens now expire. Tokens issued before this migration get created_at + 365 days, but
    never less than 30 days from the upgrade, so no integration stops without a month's notice to reissue.
"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('app_user', sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+ has it): a batch copy of app_user would have to drop a table
    # that other tables' foreign keys point at.
    op.drop_column('app_user', 'failed_logins')
    op.drop_column('app_user', 'locked_until')

    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_attempt_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempt_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempt_username'), ['username'], unique=False)

    op.add_column('api_token', sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    token = sa.table('api_token', sa.column('id', sa.Integer()),
                     sa.column('created_at', sqlmodel.sql.sqltypes.UTCDateTime()),
                     sa.column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime()))
    connection = op.get_bind()
    soonest = datetime.now(UTC) + timedelta(days=30)
    for token_id, created_at in connection.execute(sa.select(token.c.id, token.c.created_at)).all():
        if created_at.tzinfo is None:
            created_at = created_at.replace(tzinfo=UTC)
        expires = max(created_at + timedelta(days=365), soonest)
        connection.execute(token.update().where(token.c.id == token_id).values(expires_at=expires))
    # api_token is referenced by no foreign key, so SQLite's batch copy of it is safe.
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_attempt_username'))
        batch_op.drop_index(batch_op.f('ix_login_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_login_attempt_address'))
    op.drop_table('login_attempt')
    op.add_column('app_user', sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.add_column('app_user', sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
    op.drop_column('app_user', 'session_version')
