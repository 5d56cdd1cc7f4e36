"""Alembic environment: runs on the connection `lifecycle.storage.database.migrate` hands over, or on the URL."""

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.future import create_engine

from lifecycle.storage import search
from lifecycle.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as own_connection:
            _run(own_connection)
        return
    _run(connection)


def _run(connection: Connection) -> None:
    # Autogenerate leaves the full-text index alone (it is made by hand in 0016). A later batch change of
    # `interactions` on SQLite rebuilds the table and drops its triggers: re-run search.create_index after it.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_name=lambda name, kind, _parent: not search.outside_the_models(name, kind))
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
