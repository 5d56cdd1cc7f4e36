"""Rasa's SQL tracker store (endpoints.yml), with a connection pool and WAL on SQLite.

Rasa 3.6 builds its SQLite engine with SQLAlchemy's default for files, which opens a new
connection for every retrieve and save (6% of the Rasa process's time under load, py-spy),
in SQLite's rollback-journal mode, where a reader waits for a writer. Here the engine keeps
its connections and runs in WAL mode (`lifecycle.storage.rasa_tracker.pooled_sqlite`).
Other databases (PostgreSQL in production) keep Rasa's own engine.
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore

from lifecycle.storage.rasa_tracker import pooled_sqlite


class ShopTrackerStore(SQLTrackerStore):
    engine: Any  # set by Rasa's __init__ (untyped)
    sessionmaker: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name != "sqlite":
            return
        url = self.engine.url
        self.engine.dispose()
        self.engine, self.sessionmaker = pooled_sqlite(url)
