"""Rasa event broker that writes every conversation turn into the lifecycle store, off the turn's path.

Rasa publishes each new tracker event here, including turns answered by a plain response
that never reach the action server, so no turn is missed. Rasa 3.6 calls `publish`
synchronously inside `SQLTrackerStore.save`, before its commit, in the event loop, and
wraps the store in `FailSafeTrackerStore`: a `publish` that raises loses that turn from
Rasa's own store too, and one that waits on a database stalls every conversation. So
`publish` only appends the event to a local journal file (surviving a crash of this
process) and a queue, and never raises; a writer thread records the queue in batches, one
transaction each, retrying with backoff while the lifecycle store is down. A journal left
by a process that died is replayed by the next one. Delivery is at least once.
Configured in endpoints.yml (`event_broker: type: bot.rasa.broker.LifecycleEventBroker`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import threading
import time
from asyncio import AbstractEventLoop
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from lifecycle.conversations.recorder import ConversationRecorder, Turn
from lifecycle.customers.links import IdentityLinks
from lifecycle.settings import load_settings
from lifecycle.storage.database import Database, unavailable

logger = logging.getLogger(__name__)
IGNORED_ACTIONS = {"action_listen", "action_session_start"}
BATCH = 500
MAX_BACKOFF_SECONDS = 5.0
ROTATE_SECONDS = 2.0


def conversation_tag(sender_id: str) -> str:
    """A log-safe name for a conversation (its secret must not reach log files)."""
    return "#" + hashlib.sha256(sender_id.encode()).hexdigest()[:10]


def _time(event: dict[str, Any]) -> datetime:
    stamp = event.get("timestamp")
    return datetime.fromtimestamp(stamp, timezone.utc) if stamp else datetime.now(timezone.utc)


class EventRecorder:
    """Turns Rasa's event dicts into the store's turns; kept apart from Rasa's class to be testable."""

    def __init__(self, conversations: ConversationRecorder) -> None:
        self.conversations = conversations
        self._last_action: dict[str, str] = {}  # sender -> action that produced the next bot messages

    def turn(self, event: dict[str, Any]) -> Turn | None:
        kind, sender = event.get("event"), event.get("sender_id")
        if not sender:
            return None
        at = _time(event)
        if kind == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            if str(intent.get("name") or "").startswith("EXTERNAL_"):
                # The web app's trigger (a cart reminder, a playbook's greeting), not something the shopper
                # typed: kept as what set the reply off, never shown or counted as the shopper's message.
                return Turn("trigger", sender, at, action=intent.get("name"))
            raw = event.get("metadata")
            metadata: dict[str, Any] = raw if isinstance(raw, dict) else {}
            return Turn("user", sender, at, text=event.get("text"), intent=intent.get("name"),
                        confidence=intent.get("confidence"), identity=metadata.get("identity"),
                        channel=event.get("input_channel"), payload=metadata or None)
        if kind == "action":
            name = event.get("name") or ""
            if not name or name in IGNORED_ACTIONS:
                return None
            self._last_action[sender] = name
            return Turn("action", sender, at, action=name, confidence=event.get("confidence"))
        if kind == "bot":
            data = {key: value for key, value in (event.get("data") or {}).items() if value}
            said = ((data.get("custom") or {}).get("data") or {}) if isinstance(data.get("custom"), dict) else {}
            if said.get("type") == "agent":  # a person's message, posted by the console (bot/web/console/live.py)
                return Turn("agent", sender, at, text=said.get("text"), payload={"agent": said.get("agent")})
            action = (event.get("metadata") or {}).get("utter_action") or self._last_action.get(sender)
            return Turn("bot", sender, at, text=event.get("text"), action=action, payload=data or None)
        return None

    def record_batch(self, events: list[dict[str, Any]], replayed: bool = False) -> None:
        turns = [turn for event in events if (turn := self.turn(event)) is not None]
        if turns:
            self.conversations.record_turns(turns, skip_recorded=replayed)

    def record(self, event: dict[str, Any]) -> None:
        self.record_batch([event])


class Journal:
    """This process's not-yet-recorded events, one JSON line each, in short segments.

    A segment is closed after ROTATE_SECONDS and deleted as soon as its events are recorded, so
    under steady traffic no message, identity token or sender id stays on disk more than a few
    seconds after the store has it (one file emptied only when nothing was pending grew without
    bound and kept forgotten people's messages).
    """

    def __init__(self, folder: Path, rotate_seconds: float = ROTATE_SECONDS) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.rotate_seconds = rotate_seconds
        self._lock = threading.Lock()
        self._pending: dict[int, int] = {}  # segment -> events appended and not yet recorded
        self._segment = 0
        self._opened = time.monotonic()
        self._file = self._open(0)

    def _path(self, segment: int) -> Path:
        return self.folder / f"broker-{os.getpid()}-{segment}.jsonl"

    @property
    def path(self) -> Path:
        return self._path(self._segment)

    def _open(self, segment: int) -> IO[str]:
        self._pending[segment] = 0
        return self._path(segment).open("a", encoding="utf-8", buffering=1)

    def append(self, event: dict[str, Any]) -> int:
        """Write the event; returns its segment, which `recorded` is told about."""
        line = json.dumps(event, ensure_ascii=False, default=str)
        with self._lock:
            if self._pending[self._segment] and time.monotonic() - self._opened > self.rotate_seconds:
                self._file.close()
                self._segment += 1
                self._opened = time.monotonic()
                self._file = self._open(self._segment)
            self._file.write(line + "\n")
            self._pending[self._segment] += 1
            return self._segment

    def recorded(self, counts: dict[int, int]) -> None:
        with self._lock:
            for segment, count in counts.items():
                self._pending[segment] -= count
                if self._pending[segment] > 0:
                    continue
                if segment == self._segment:
                    self._file.truncate(0)
                else:
                    del self._pending[segment]
                    self._path(segment).unlink(missing_ok=True)

    @property
    def empty(self) -> bool:
        """Every event appended has been recorded and its file emptied (the lock waits for that)."""
        with self._lock:
            return not any(self._pending.values())

    def orphans(self) -> list[Path]:
        """Journals of broker processes that are gone: their events may never have been recorded."""
        found = []
        for path in self.folder.glob("broker-*.jsonl"):
            pid = path.stem.removeprefix("broker-").split("-")[0]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                found.append(path)
        return found

    def close(self) -> None:
        with self._lock:
            self._file.close()
            if not any(self._pending.values()):
                for segment in self._pending:
                    self._path(segment).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LifecycleEventBroker(EventBroker):
    def __init__(self, recorder: EventRecorder, journal_dir: Path) -> None:
        self.recorder = recorder
        self.journal = Journal(journal_dir)
        self._queue: queue.SimpleQueue[tuple[int, dict[str, Any]] | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write_loop, name="lifecycle-writer", daemon=True)
        self._writer.start()

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: AbstractEventLoop | None = None
    ) -> LifecycleEventBroker:
        settings = load_settings()
        database = Database.from_url(settings.database_url)
        recorder = EventRecorder(ConversationRecorder(database, IdentityLinks(settings.secret_key)))
        return cls(recorder, settings.var_dir / "outbox")

    def publish(self, event: dict[str, Any]) -> None:
        try:
            self._queue.put((self.journal.append(event), event))
        except Exception:  # never raise into Rasa's tracker store: it would drop the turn there too
            logger.exception("could not queue %s event for conversation %s", event.get("event"),
                             conversation_tag(str(event.get("sender_id"))))

    def _write_loop(self) -> None:
        for orphan in self.journal.orphans():
            self._deliver(_read_journal(orphan), replayed=True)
            orphan.unlink(missing_ok=True)
            logger.info("replayed the events %s left behind", orphan.name)
        while True:
            first = self._queue.get()
            batch = [first]
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = None in batch
            entries = [entry for entry in batch if entry is not None]
            if entries:
                self._deliver([event for _, event in entries], Counter(segment for segment, _ in entries))
            if stop:
                return

    def _deliver(self, events: list[dict[str, Any]], segments: dict[int, int] | None = None,
                 replayed: bool = False) -> None:
        delay, failing_since = 0.1, None
        while True:
            try:
                self.recorder.record_batch(events, replayed)
                break
            except Exception as error:
                if not unavailable(error):  # a row the store refuses: record the others, log that one
                    self._one_by_one(events, replayed)
                    break
                if failing_since is None:  # the store is down or locked: keep the batch and try again
                    failing_since = time.monotonic()
                    logger.warning("lifecycle store unavailable (%s); %d event(s) kept, retrying",
                                   type(error).__name__, len(events))
                time.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)
        if failing_since is not None:
            logger.info("lifecycle store back after %.1f s; events recorded", time.monotonic() - failing_since)
        if segments:
            self.journal.recorded(dict(segments))

    def _one_by_one(self, events: list[dict[str, Any]], replayed: bool = False) -> None:
        for event in events:
            try:
                self.recorder.record_batch([event], replayed)
            except Exception:
                logger.exception("dropped a %s event for conversation %s that the store refuses",
                                 event.get("event"), conversation_tag(str(event.get("sender_id"))))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every published event is recorded (for shutdown and tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.journal.empty and self._queue.empty():
                return True
            time.sleep(0.02)
        return False

    async def close(self) -> None:
        self.flush()
        self._queue.put(None)
        self._writer.join(timeout=5)
        self.journal.close()
        self.recorder.conversations.db.dispose()


def _read_journal(path: Path) -> list[dict[str, Any]]:
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:  # a line cut short by the crash
            continue
    return events
