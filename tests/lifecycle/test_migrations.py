from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lifecycle import people  # noqa: F401  (registers its tables)
from lifecycle.db import Database, migrate
from lifecycle.models import Base


def test_migrations_create_exactly_the_models_schema(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_upgrading_an_existing_store_keeps_its_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from lifecycle.db import alembic_config

    database = Database.from_url(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config(database.engine.url.render_as_string(hide_password=False))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO customers (visitor_id, stage, stage_since, created_at, last_seen_at) "
            "VALUES ('early-bird', 'engagement', '2026-01-01', '2026-01-01', '2026-01-01')")
    migrate(database.engine)
    with database.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT visitor_id, stage, reminders_opt_out FROM customers").one()
    assert tuple(row) == ("early-bird", "engagement", 0)
    database.dispose()
