"""Rasa's SQL tracker store, reached by table name: what a person's data request must cover.

Rasa keeps every conversation's events in its own database (`events`, one row per event,
keyed by the conversation's sender id). Exporting or forgetting a person, or expiring old
conversations, has to reach those rows too; this module knows that table's shape and
nothing else of Rasa (no Rasa import), so `lifecycle` stays free of it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    inspect,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from lifecycle.storage.database import make_engine, purge_deleted, sqlite_wal

_metadata = MetaData()
EVENTS = Table(
    "events", _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def pooled_sqlite(url: Any) -> tuple[Engine, Any]:
    """An engine and session factory for Rasa's SQLite tracker store: pooled connections, WAL.

    Rasa 3.6 opens a new SQLite connection for every retrieve and save, in rollback-journal
    mode where a reader waits for a writer. Rasa calls its store from one event-loop thread,
    so a small pool of connections shared with that thread is safe.
    """
    engine = create_engine(url, poolclass=QueuePool, pool_size=5, max_overflow=5,
                           connect_args={"check_same_thread": False})
    event.listen(engine, "connect", sqlite_wal)
    return engine, sessionmaker(bind=engine)


def pooled_server(url: Any) -> tuple[Engine, Any]:
    """An engine for Rasa's tracker store on a database server: a connection is checked before use,
    so a turn after the server restarted gets a fresh one instead of failing on a dead one."""
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    return engine, sessionmaker(bind=engine)


def append_events(session: Any, row: Any, sender_id: str, events: list[dict[str, Any]]) -> None:
    """Add Rasa's event dicts as rows of its `events` table (`row`: Rasa's own ORM class for it),
    in the caller's transaction, with the columns Rasa's SQL tracker store fills."""
    for data in events:
        session.add(row(sender_id=sender_id, type_name=data.get("event"), timestamp=data.get("timestamp"),
                        intent_name=((data.get("parse_data") or {}).get("intent") or {}).get("name"),
                        action_name=data.get("name"), data=json.dumps(data)))


def user_message_recorded(session: Any, row: Any, sender_id: str, message_id: str) -> bool:
    """Whether the conversation may hold a user message with this id, by one indexed query on its
    user events. A True is to be confirmed (the LIKE pattern's `_` matches any character); a False is certain."""
    pattern = f'%"message_id": "{message_id}"%'  # append_events writes json.dumps' default separators
    query = select(row.id).where(row.sender_id == sender_id, row.type_name == "user", row.data.like(pattern)).limit(1)
    return session.execute(query).first() is not None


class RasaTrackerRows:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> RasaTrackerRows:
        return cls(make_engine(url))

    def _exists(self) -> bool:  # a store Rasa has not written to yet has no table
        return bool(inspect(self.engine).has_table("events"))

    def events(self, sender_id: str) -> list[dict[str, Any]]:
        if not self._exists():
            return []
        with self.engine.connect() as connection:
            rows = connection.execute(select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
                                      .where(EVENTS.c.sender_id == sender_id).order_by(EVENTS.c.id)).all()
        found = []
        for type_name, timestamp, data in rows:
            try:
                event = json.loads(data) if data else {}
            except ValueError:
                event = {}
            found.append({"event": type_name, "timestamp": timestamp, "text": event.get("text"),
                          "intent": ((event.get("parse_data") or {}).get("intent") or {}).get("name"),
                          "action": event.get("name") if type_name == "action" else None})
        return found

    def count(self, sender_ids: Sequence[str]) -> int:
        if not sender_ids or not self._exists():
            return 0
        with self.engine.connect() as connection:
            return len(connection.execute(select(EVENTS.c.id).where(EVENTS.c.sender_id.in_(sender_ids))).all())

    def delete(self, sender_ids: Sequence[str]) -> int:
        if not sender_ids or not self._exists():
            return 0
        with self.engine.begin() as connection:
            deleted = int(connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(sender_ids))).rowcount)
        purge_deleted(self.engine)
        return deleted

    def dispose(self) -> None:
        self.engine.dispose()
