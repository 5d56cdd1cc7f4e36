"""Rasa's REST and socket.io channels with the limits a public chat needs (credentials.yml).

Every message is checked before Rasa parses or stores it: the sender id is 1-128 safe
characters (the widget's is a 32-character secret; a short one an API client picks stays an
anonymous conversation, since links and history need a secret), the text is at most
MAX_TEXT characters, and only the metadata the
widget sends (identity, language, page) is kept, each short. A message over a limit is
answered with what to do instead and costs no more than a normal turn: a 100 KB message
used to take 47 s to answer and stalled every other shopper meanwhile. The channels keep
Rasa's names ("rest", "socketio"), so URLs and `output_channel=latest` are unchanged.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import rasa.core.channels.socketio as rasa_socketio
import socketio
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot import rasa_speedups
from lifecycle.customers.links import MAX_TOKEN_LENGTH

rasa_speedups.apply()  # Rasa imports this module at start (credentials.yml): the place to apply it once
logger = logging.getLogger(__name__)
MAX_TEXT = 2000
SENDER = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")
KEPT_METADATA = {"identity": MAX_TOKEN_LENGTH, "language": 35, "page": 300}
TOO_LONG = (f"Sorry, that message is too long for me: please keep it under {MAX_TEXT} characters, "
            "or ask one question at a time.")
BAD_SENDER = "This chat has no valid session id (1-128 letters, digits or _.:@-); please reload the page."
NO_ANSWER = ("Sorry, I can't answer that right now: part of me is not responding. Please try again in a minute, "
             "or ask for a person.")

Handler = Callable[[UserMessage], Awaitable[Any]]


def clean_metadata(metadata: object) -> dict[str, str]:
    """Only the widget's keys, as short strings; anything else a client sends is dropped."""
    if not isinstance(metadata, dict):
        return {}
    return {key: value for key, limit in KEPT_METADATA.items()
            if isinstance(value := metadata.get(key), str) and len(value) <= limit}


def problem(message: UserMessage) -> str | None:
    """What is wrong with a message, in words for the shopper; None when it may go to Rasa."""
    if not isinstance(message.sender_id, str) or not SENDER.match(message.sender_id):
        return BAD_SENDER
    if message.text is not None and len(message.text) > MAX_TEXT:
        return TOO_LONG
    return None


class _Watched:
    """The message's output channel, counting what the assistant sends through it."""

    def __init__(self, inner: OutputChannel) -> None:
        self._inner = inner
        self.sent = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self._inner.send_response(recipient_id, message)


async def _paused(sender_id: str) -> bool:
    """Whether Rasa's tracker says a person has taken this conversation over (ConversationPaused)."""
    try:
        from sanic import Sanic

        agent = Sanic.get_app().ctx.agent
        tracker = await agent.tracker_store.retrieve(sender_id)
    except Exception:  # no app or store to ask: treat as not paused, so the shopper gets an answer
        logger.exception("could not tell whether conversation is paused")
        return False
    return bool(tracker is not None and tracker.is_paused())


def guarded(on_new_message: Handler) -> Handler:
    async def handle(message: UserMessage) -> Any:
        refused = problem(message)
        if refused is not None:
            logger.info("refused a message on %s: %s", message.input_channel, refused)
            await message.output_channel.send_text_message(str(message.sender_id)[:128], refused)
            return None
        message.metadata = clean_metadata(message.metadata)
        inner = message.output_channel
        watched = message.output_channel = _Watched(inner)
        try:
            result = await on_new_message(message)
        finally:
            message.output_channel = inner
        if watched.sent == 0 and not await _paused(str(message.sender_id)):
            # Rasa logs a failed custom action (action server down or erroring) and answers nothing:
            # the shopper must not be left waiting in silence. A paused conversation is silent on
            # purpose: a person is handling it (live hand-off) and reads the message in the console.
            logger.warning("no answer to a message on %s (a custom action failed?): sent an apology",
                           message.input_channel)
            await inner.send_text_message(message.sender_id, NO_ANSWER)
        return result

    return handle


class ShopRestInput(RestInput):
    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(guarded(on_new_message))


class ShopSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel; with `redis_url` in credentials, one socket.io server across processes.

    Rasa 3.6 builds its `AsyncServer(async_mode="sanic")` without a client manager, so a message
    pushed by `trigger_intent` on one Rasa process (a cart reminder) never reaches a widget
    connected to another. python-socketio's documented answer is `AsyncRedisManager`: every
    emit goes through Redis to the process that holds the shopper's socket.
    """

    redis_url: str | None = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ShopSocketIOInput:
        channel = super().from_credentials(credentials)
        channel.redis_url = (credentials or {}).get("redis_url") or None
        return channel

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        if not self.redis_url:
            return super().blueprint(guarded(on_new_message))
        # Rasa constructs the server inside blueprint(); give that one construction the manager.
        original = rasa_socketio.AsyncServer
        manager = socketio.AsyncRedisManager(self.redis_url)
        rasa_socketio.AsyncServer = functools.partial(original, client_manager=manager)
        try:
            return super().blueprint(guarded(on_new_message))
        finally:
            rasa_socketio.AsyncServer = original
