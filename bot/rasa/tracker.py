"""Rasa's SQL tracker store (endpoints.yml), made to ride out a database restart and to read less.

Three changes to Rasa 3.6's `SQLTrackerStore`, each measured or forced by a fault test:
- Connections: on SQLite a pool in WAL mode (Rasa opens a new connection per call, in
  rollback-journal mode where a reader waits for a writer); on PostgreSQL a pool that
  checks a connection before use, so the first turn after a restart does not fail on a
  dead one.
- Publishing: Rasa re-reads the whole session (`retrieve`) on every save only to find the
  new events for the event broker, and publishes them before its commit. Here the new
  events are the ones the save itself adds, published once the commit succeeded: one read
  less per turn, and a retried save never publishes twice.
- Replays: whether a shopper's message id was already answered is one indexed query on the
  conversation's user events (`has_user_message`), where reading the tracker deserialised
  every event of the session: 8% of a production Rasa process's CPU under load (py-spy).
- Outages: a read or save that fails because the database is down or restarting is retried
  for up to RETRY_SECONDS (sleeping without blocking other conversations). If the database
  is still down, the save gives up quietly: the turn still reaches the event broker (which
  keeps it until the lifecycle store is back) and the shopper still gets the answer, where
  Rasa's `FailSafeTrackerStore` would re-publish the whole session into memory.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.broker import conversation_tag
from lifecycle.storage.database import unavailable
from lifecycle.storage.rasa_tracker import append_events, pooled_server, pooled_sqlite, user_message_recorded

logger = logging.getLogger(__name__)
RETRY_SECONDS = 15.0
T = TypeVar("T")


class ShopTrackerStore(SQLTrackerStore):
    engine: Any  # set by Rasa's __init__ (untyped)
    sessionmaker: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        pooled = pooled_sqlite if self.engine.dialect.name == "sqlite" else pooled_server
        self.engine, self.sessionmaker = pooled(url)

    async def _patiently(self, work: Callable[[], Awaitable[T]], what: str, sender_id: str) -> T:
        deadline, delay = time.monotonic() + RETRY_SECONDS, 0.2
        while True:
            try:
                return await work()
            except Exception as error:
                if not unavailable(error) or time.monotonic() > deadline:
                    raise
                logger.warning("tracker store unavailable during %s of %s (%s); retrying", what,
                               conversation_tag(sender_id), type(error).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._patiently(lambda: super(ShopTrackerStore, self).retrieve(sender_id), "a read",
                                     sender_id)

    async def has_user_message(self, sender_id: str, message_id: str) -> bool:
        """Whether a user message with this id may be recorded; a True is confirmed by reading the tracker
        (the pattern's `_` matches any character), a False is certain."""
        async def look() -> bool:
            with self.session_scope() as session:
                return user_message_recorded(session, self.SQLEvent, sender_id, message_id)

        return await self._patiently(look, "a read", sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            added = await self._patiently(lambda: self._store_new_events(tracker), "a save", tracker.sender_id)
        except Exception as error:
            if not unavailable(error):
                raise
            logger.error("tracker store still unavailable after %.0f s: the turn of %s is kept by the event "
                         "broker only", RETRY_SECONDS, conversation_tag(tracker.sender_id))
            added = [event.as_dict() for event in list(tracker.events)[-self._unsaved_guess(tracker):]]
        if self.event_broker is not None:
            for data in added:
                self.event_broker.publish({"sender_id": tracker.sender_id, **data})

    async def _store_new_events(self, tracker: DialogueStateTracker) -> list[dict[str, Any]]:
        with self.session_scope() as transaction:
            added = [event.as_dict() for event in self._additional_events(transaction, tracker)]
            append_events(transaction, self.SQLEvent, tracker.sender_id, added)
            transaction.commit()
        return added

    @staticmethod
    def _unsaved_guess(tracker: DialogueStateTracker) -> int:
        """With the database down, the events since the shopper's latest message are this turn's."""
        events = list(tracker.events)
        for back, event in enumerate(reversed(events), start=1):
            if event.type_name == "user":
                return back
        return len(events)
