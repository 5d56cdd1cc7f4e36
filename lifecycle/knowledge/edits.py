"""FAQ entries saved in the console: versioned rows in the lifecycle store (who, when), read by
every process, so a save is answerable at once everywhere without touching the shop's files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import func, select

from lifecycle.knowledge.entries import FaqEntry
from lifecycle.storage.database import Database
from lifecycle.storage.models import FaqVersion
from lifecycle.values import utcnow


class EntryInvalid(ValueError):
    """The entry cannot be saved; the message names the field to fix."""


@dataclass(frozen=True)
class Version:
    id: int
    entry_id: str
    author: str
    at: datetime
    deleted: bool
    entry: FaqEntry | None


def parse_entry(raw: dict[str, object]) -> FaqEntry:
    try:
        return FaqEntry.parse_obj(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise EntryInvalid(f"{where}: {first['msg']}" if where != "__root__" else first["msg"]) from None


class FaqEdits:
    def __init__(self, database: Database) -> None:
        self.database = database

    def save(self, entry: FaqEntry, author: str, at: datetime | None = None) -> int:
        with self.database.session() as session:
            row = FaqVersion(entry_id=entry.id, body=entry.json(), deleted=False, author=author, at=at or utcnow())
            session.add(row)
            session.flush()
            return int(row.id)

    def delete(self, entry_id: str, author: str) -> int:
        with self.database.session() as session:
            row = FaqVersion(entry_id=entry_id, body="{}", deleted=True, author=author, at=utcnow())
            session.add(row)
            session.flush()
            return int(row.id)

    def stamp(self) -> int:
        """The newest version's id: it changes with every save, so a process knows to rebuild."""
        with self.database.reading() as session:
            return int(session.execute(select(func.max(FaqVersion.id))).scalar() or 0)

    def current(self) -> dict[str, FaqEntry | None]:
        """Each edited entry's latest version (None: deleted in the console)."""
        latest = select(func.max(FaqVersion.id)).group_by(FaqVersion.entry_id)
        with self.database.reading() as session:
            rows = session.execute(select(FaqVersion).where(FaqVersion.id.in_(latest))).scalars().all()
            return {row.entry_id: None if row.deleted else FaqEntry.parse_obj(json.loads(row.body)) for row in rows}

    def history(self, entry_id: str) -> list[Version]:
        with self.database.reading() as session:
            rows = session.execute(select(FaqVersion).where(FaqVersion.entry_id == entry_id)
                                   .order_by(FaqVersion.id.desc())).scalars().all()
            return [Version(row.id, row.entry_id, row.author, row.at, row.deleted,
                            None if row.deleted else FaqEntry.parse_obj(json.loads(row.body))) for row in rows]
