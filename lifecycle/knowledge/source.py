"""The knowledge every process answers from, rebuilt when the FAQ file, a page or a console edit
changes: checked at most once a second, so a save is live within seconds and no restart."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from lifecycle.knowledge.edits import FaqEdits
from lifecycle.knowledge.entries import FAQ, FaqEntry, load_faq
from lifecycle.knowledge.pages import PAGES, read_pages
from lifecycle.knowledge.search import KnowledgeBase, catalog_words
from lifecycle.shop.facts import Shop
from lifecycle.shop.loader import ShopDataError
from lifecycle.storage.database import Database

logger = logging.getLogger(__name__)
CHECK_EVERY_S = 1.0


def merged(file_entries: list[FaqEntry], edited: dict[str, FaqEntry | None]) -> list[FaqEntry]:
    """The file's entries with the console's versions over them (same id), then the console's new ones."""
    entries = [edited.get(e.id, e) if e.id in edited else e for e in file_entries]
    known = {e.id for e in file_entries}
    entries += [e for entry_id, e in edited.items() if entry_id not in known]
    return [e for e in entries if e is not None]


def build(shop_dir: Path, shop: Shop, edited: dict[str, FaqEntry | None] | None = None) -> KnowledgeBase:
    return KnowledgeBase(merged(load_faq(shop_dir / FAQ), edited or {}), read_pages(shop_dir / PAGES),
                         catalog_words(shop))


class KnowledgeSource:
    def __init__(self, shop_dir: Path, database: Database | None) -> None:
        self._dir = shop_dir
        self._edits = FaqEdits(database) if database is not None else None
        self._stamp: tuple[object, ...] = ()
        self._checked = 0.0
        self._base: KnowledgeBase | None = None

    def _files(self) -> tuple[object, ...]:
        pages = self._dir / PAGES
        found = [self._dir / FAQ, *(sorted(pages.iterdir()) if pages.is_dir() else [])]
        return tuple((str(p), p.stat().st_mtime_ns) for p in found if p.exists())

    def _edit_stamp(self) -> int:
        try:
            return self._edits.stamp() if self._edits else 0
        except SQLAlchemyError:  # the store is down: the files still answer
            logger.warning("cannot read the console's FAQ edits; answering from data/shop only", exc_info=True)
            return -1

    def _edited(self) -> dict[str, FaqEntry | None]:
        try:
            return self._edits.current() if self._edits else {}
        except SQLAlchemyError:
            return {}

    def get(self, shop: Shop) -> KnowledgeBase:
        now = time.monotonic()
        if self._base is not None and now - self._checked < CHECK_EVERY_S:
            return self._base
        self._checked = now
        stamp = (*self._files(), self._edit_stamp(), id(shop))
        if self._base is None or stamp != self._stamp:
            try:
                self._base = build(self._dir, shop, self._edited())
            except ShopDataError:
                if self._base is None:
                    raise
                logger.exception("the FAQ changed but cannot be loaded; still answering from the previous version")
            self._stamp = stamp
        return self._base
