"""Alembic environment: the metadata of every table; batch mode so SQLite can alter tables."""

import warnings

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlalchemy.exc import SAWarning

from cctv.models import metadata

config = context.config
# Batch mode on SQLite reflects a table's foreign-key targets, camera among them, whose case-insensitive asset id
# index (0009, on lower(asset_id)) SQLAlchemy cannot reflect from SQLite. No migration recreates the camera table
# after 0009 (one that must would re-create that index itself), so the warning says nothing a migration needs.
warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index",
                        category=SAWarning)


def run_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
