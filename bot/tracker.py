"""Rasa's SQL tracker store (endpoints.yml), with a connection pool and WAL on SQLite.

Rasa 3.6 builds its SQLite engine with SQLAlchemy's default for files, which opens a new
connection for every retrieve and save (6% of the Rasa process's time under load, py-spy),
in SQLite's rollback-journal mode, where a reader waits for a writer. Here the engine
keeps its connections and runs in WAL mode, as the lifecycle store does. Other databases
(PostgreSQL in production) keep Rasa's own engine.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.pool import QueuePool


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class ShopTrackerStore(SQLTrackerStore):
    engine: Any  # set by Rasa's __init__ (untyped)
    sessionmaker: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name != "sqlite":
            return
        url = self.engine.url
        self.engine.dispose()
        # Rasa calls the store from its one event-loop thread; the pool hands that thread the same few connections.
        self.engine = sa.create_engine(url, poolclass=QueuePool, pool_size=5, max_overflow=5,
                                       connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
