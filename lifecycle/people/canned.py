"""Canned replies: saved answers an agent inserts in a live chat by typing `/` and a shortcut.

They are the shop's data, one text per language. The shop's `canned_replies.yml` gives the first
set; from then on admins edit them in the console (the store holds them, the file seeds an empty
store only). A text may use {first_name}, {order_id} and {agent}; they are filled for the chat at
hand, and one that has no value there stays visible as {order_id} for the agent to complete
rather than vanishing from the sentence.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml
from sqlalchemy import delete, func, select

from lifecycle.shop.language import LANGUAGES
from lifecycle.shop.loader import ShopDataError
from lifecycle.storage.database import Database
from lifecycle.storage.models import CannedReply

VARIABLES = ("first_name", "order_id", "agent")
MAX_TEXT = 1000
SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_FIELD = re.compile(r"\{(\w+)\}")


class CannedError(ShopDataError):
    """A canned reply or its file cannot be used as written; the message says what to fix (in the
    file, it stops `make run` before anything serves, as any shop data mistake does)."""


@dataclass(frozen=True)
class Canned:
    shortcut: str
    language: str
    text: str


def check(shortcut: str, language: str, text: str) -> Canned:
    if not SHORTCUT.match(shortcut):
        raise CannedError(f"shortcut {shortcut!r}: use 1 to 40 lower-case letters, digits, - or _")
    if language not in LANGUAGES:
        raise CannedError(f"language {language!r}: use one of {', '.join(LANGUAGES)}")
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise CannedError(f"/{shortcut} ({language}): write a text of 1 to {MAX_TEXT} characters")
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise CannedError(f"/{shortcut} ({language}): a brace is not closed; variables look like "
                          "{first_name}") from None
    unknown = sorted(f for f in fields if f not in VARIABLES)
    if unknown:
        raise CannedError(f"/{shortcut} ({language}): unknown variable {{{unknown[0]}}}; the known ones are "
                          + ", ".join("{" + v + "}" for v in VARIABLES))
    return Canned(shortcut, language, text)


def load_defaults(path: Path) -> list[Canned]:
    """The shop's file: `shortcut: {language: text}`. No file: no defaults."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise CannedError(f"{path.name}: expected shortcuts, each with a text per language")
    found = []
    for shortcut, texts in data.items():
        if not isinstance(texts, dict):
            raise CannedError(f"{path.name}: /{shortcut} needs a text per language, e.g. en: ...")
        for language, text in texts.items():
            try:
                found.append(check(str(shortcut), str(language), str(text)))
            except CannedError as error:
                raise CannedError(f"{path.name}: {error}") from None
    return found


def fill(text: str, values: dict[str, str]) -> str:
    return _FIELD.sub(lambda m: values.get(m.group(1)) or m.group(0), text)


class CannedReplies:
    def __init__(self, database: Database) -> None:
        self.db = database

    def seed(self, defaults: list[Canned]) -> int:
        """Fill an empty store with the shop's file; once the store has any, admins own them."""
        with self.db.session() as session:
            if session.execute(select(func.count()).select_from(CannedReply)).scalar_one():
                return 0
            session.add_all(CannedReply(shortcut=c.shortcut, language=c.language, text=c.text, updated_by="shop file",
                                        updated_at=datetime.now(timezone.utc)) for c in defaults)
            return len(defaults)

    def all(self) -> list[Canned]:
        with self.db.reading() as session:
            return [Canned(r.shortcut, r.language, r.text) for r in session.execute(
                select(CannedReply).order_by(CannedReply.shortcut, CannedReply.language)).scalars()]

    def save(self, shortcut: str, language: str, text: str, by: str, at: datetime) -> Canned:
        reply = check(shortcut.strip().lower(), language, text)
        with self.db.session() as session:
            row = session.execute(select(CannedReply).where(
                CannedReply.shortcut == reply.shortcut, CannedReply.language == reply.language)).scalar_one_or_none()
            row = row or CannedReply(shortcut=reply.shortcut, language=reply.language)
            row.text, row.updated_by, row.updated_at = reply.text, by, at
            session.add(row)
        return reply

    def delete(self, shortcut: str, language: str) -> bool:
        with self.db.session() as session:
            return bool(session.execute(delete(CannedReply).where(CannedReply.shortcut == shortcut,
                                                                  CannedReply.language == language)).rowcount)

    def for_chat(self, language: str | None, values: dict[str, str]) -> list[Canned]:
        """Every shortcut once, in the chat's language where it has one (else English, else any), filled."""
        chosen: dict[str, Canned] = {}
        rank = {language or "en": 0, "en": 1}
        for reply in sorted(self.all(), key=lambda c: (c.shortcut, rank.get(c.language, 2), c.language)):
            chosen.setdefault(reply.shortcut, Canned(reply.shortcut, reply.language, fill(reply.text, values)))
        return list(chosen.values())
