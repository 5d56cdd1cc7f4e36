"""Rasa event broker that writes every conversation turn into the lifecycle store.

Rasa publishes each new tracker event here after the turn is saved, including turns
answered by a plain response that never reach the action server, so no turn is
missed. Configured in endpoints.yml (`event_broker: type: bot.broker.LifecycleEventBroker`).
"""

from __future__ import annotations

import hashlib
import logging
from asyncio import AbstractEventLoop
from datetime import datetime, timezone
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.settings import load_settings
from lifecycle.storage.database import Database

logger = logging.getLogger(__name__)
IGNORED_ACTIONS = {"action_listen", "action_session_start"}


def conversation_tag(sender_id: str) -> str:
    """A log-safe name for a conversation (its secret must not reach log files)."""
    return "#" + hashlib.sha256(sender_id.encode()).hexdigest()[:10]


def _time(event: dict[str, Any]) -> datetime:
    stamp = event.get("timestamp")
    return datetime.fromtimestamp(stamp, timezone.utc) if stamp else datetime.now(timezone.utc)


class EventRecorder:
    """Turns Rasa's event dicts into store calls; kept apart from Rasa's class to be testable."""

    def __init__(self, conversations: ConversationRecorder) -> None:
        self.conversations = conversations
        self._last_action: dict[str, str] = {}  # sender -> action that produced the next bot messages

    def record(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        sender = event.get("sender_id")
        if not sender:
            return
        at = _time(event)
        if kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            metadata = event.get("metadata") or {}
            self.conversations.record_user_message(
                sender, event.get("text"), intent.get("name"), intent.get("confidence"), at,
                identity=metadata.get("identity") if isinstance(metadata, dict) else None,
                channel=event.get("input_channel"), metadata=metadata if isinstance(metadata, dict) else None)
        elif kind == "action":
            name = event.get("name") or ""
            if name and name not in IGNORED_ACTIONS:
                self._last_action[sender] = name
                self.conversations.record_action(sender, name, at, event.get("confidence"))
        elif kind == "bot":
            data = {key: value for key, value in (event.get("data") or {}).items() if value}
            action = (event.get("metadata") or {}).get("utter_action") or self._last_action.get(sender)
            self.conversations.record_bot_message(sender, event.get("text"), action, data or None, at)


class LifecycleEventBroker(EventBroker):
    def __init__(self, recorder: EventRecorder) -> None:
        self.recorder = recorder

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: AbstractEventLoop | None = None
    ) -> LifecycleEventBroker:
        settings = load_settings()
        database = Database.from_url(settings.database_url)
        return cls(EventRecorder(ConversationRecorder(database, IdentityLinks(settings.secret_key))))

    def publish(self, event: dict[str, Any]) -> None:
        try:
            self.recorder.record(event)
        except Exception:  # a store outage must not break the shopper's conversation
            # The sender id is the conversation's secret: logged as a short hash, never as is.
            logger.exception("could not record %s event for conversation %s", event.get("event"),
                             conversation_tag(str(event.get("sender_id"))))

    async def close(self) -> None:
        self.recorder.conversations.db.dispose()
