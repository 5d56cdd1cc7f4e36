"""What every table shares: one declarative Base (one schema for Alembic) and UTC times."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import declarative_base

Base: Any = declarative_base()  # Any: SQLAlchemy 1.4 ships no type stubs for declarative classes

# Plain JSON documents (bot reply payloads, cart lines): SQLAlchemy serialises them, and a
# Python None stays SQL NULL instead of the JSON text 'null'.
Json = JSON(none_as_null=True)


class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the lifecycle store; use UTC-aware times")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value
