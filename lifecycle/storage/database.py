"""Engines, transactions and schema migrations for the lifecycle store.

Engines are built on request, never at import time, so tests and each process pick
their own database URL. SQLite gets WAL mode and a busy timeout because three
processes (Rasa's event broker, the action server, the web app) write to one file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.future import create_engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
READ_ONLY = "shopmate_read_only"


def sqlite_wal(dbapi_connection: Any, _record: Any = None) -> None:
    """WAL, a busy timeout and NORMAL sync: several processes share each SQLite file (also Rasa's tracker)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A deleted row's bytes are overwritten, not left in a free page: forgetting a person must not
    # leave their messages readable in the file (tests/e2e/test_attacks.py greps var/ for them).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINTs (a rolled-back batch would keep
    # rows written inside one); SQLAlchemy's documented fix: no driver transactions, and
    # BEGIN emitted by the engine (`_sqlite_begin`).
    dbapi_connection.isolation_level = None
    sqlite_wal(dbapi_connection)
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(READ_ONLY):
        # A read needs no write lock: a deferred BEGIN reads its WAL snapshot while others write.
        connection.exec_driver_sql("BEGIN")
        return
    # IMMEDIATE takes the write lock up front, waiting up to busy_timeout. A deferred BEGIN
    # that reads and then writes fails at once with "database is locked" when another
    # process (broker, action server, web app) committed in between: WAL cannot upgrade a
    # stale read snapshot, and the busy handler is not consulted for that case.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _json(value: Any) -> str:
    # For JSON columns: keep non-ASCII text readable in the database, and store values JSON
    # has no type for (a datetime in Rasa metadata) as text rather than failing the turn.
    return json.dumps(value, ensure_ascii=False, default=str)


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, json_serializer=_json)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent).

    Called once per start by the program that prepares the store (`bot.runner.prepare`), never by
    the serving processes: with several Rasa processes in production, concurrent upgrades
    of one schema would race.
    """
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # Alembic changes an SQLite table by rebuilding it (copy, drop, rename); with
            # foreign keys on, dropping the old table would cascade-delete the rows that point
            # at it (a cart's reminder, a feedback's themes). The pragma only takes effect
            # outside a transaction, so it is set on the driver's connection before BEGIN.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()):
                    raise RuntimeError(f"migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def purge_deleted(engine: Engine) -> None:
    """After deleting personal data: on SQLite, merge the full-text index (storage/search.py), and
    copy the WAL into the file and empty it, so the deleted rows' old page images are gone from the
    disk too (secure_delete zeroed them in the file). Another process reading at that moment can keep
    part of the log until its next checkpoint. A database server keeps its own files; there the rows
    are gone for every query."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        driver = connection.connection.dbapi_connection
        if driver.execute("SELECT 1 FROM sqlite_master WHERE name = 'interactions_fts'").fetchone():
            # FTS5 only marks deleted rows; their words stay in the index's pages until a merge.
            # 'optimize' merges every segment, so a forgotten person's words leave the index.
            driver.execute("INSERT INTO interactions_fts(interactions_fts) VALUES ('optimize')")
            driver.commit()
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def unavailable(error: BaseException) -> bool:
    """Is this the database being down, locked or restarting (worth retrying), not a bad row?"""
    return isinstance(error, (OperationalError, InterfaceError, DisconnectionError))


class Database:
    """One engine and its session factory; a process makes one and passes it on."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, future=True, expire_on_commit=False)
        self._reads = sessionmaker(engine.execution_options(**{READ_ONLY: True}), future=True, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error.

        Only `lifecycle`'s services open these; `bot/` and `actions/` call the services
        (tests/test_architecture.py checks that).
        """
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only: on SQLite it takes no write lock, so it never queues behind a
        writer in another process (the broker's batches, the web app's timers)."""
        with self._reads() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
