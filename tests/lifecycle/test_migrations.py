from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lifecycle import people  # noqa: F401  (registers its tables)
from lifecycle.db import Database
from lifecycle.models import Base


def test_migrations_create_exactly_the_models_schema(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
