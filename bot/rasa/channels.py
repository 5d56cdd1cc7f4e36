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

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import rasa.core.channels.socketio as rasa_socketio
import socketio
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.rasa import speedups as rasa_speedups
from bot.rasa.broker import conversation_tag
from bot.rasa.chat_limits import (
    MESSAGE_ID,
    REST_SHAPE,
    SENDER,
    TOO_FAST,
    ChatLimits,
    rest_body_problem,
    socket_message_problem,
)
from bot.rasa.tracker import ShopTrackerStore
from lifecycle.customers.links import MAX_TOKEN_LENGTH
from lifecycle.heap import give_back
from lifecycle.settings import load_settings

rasa_speedups.apply()  # Rasa imports this module at start (credentials.yml): the place to apply it once
logger = logging.getLogger(__name__)
MAX_TEXT = 2000
KEPT_METADATA = {"identity": MAX_TOKEN_LENGTH, "language": 35, "page": 300, "message_id": 64}
INTERNAL_PREFIX = "EXTERNAL_"  # the web app's triggers (trigger_intent with Rasa's token), never a shopper's
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


def unwrapped(store: Any) -> Any:
    """The store inside Rasa's wrappers (AwaitableTrackerStore around FailSafeTrackerStore around ours)."""
    while (inner := getattr(store, "_tracker_store", None)) is not None:
        store = inner
    return store


def _store() -> Any:
    from sanic import Sanic

    return unwrapped(Sanic.get_app().ctx.agent.tracker_store)


async def _tracker(sender_id: str) -> Any:
    """Rasa's tracker of this conversation as its store holds it, or None (no app or store to ask)."""
    try:
        return await _store().retrieve(sender_id)
    except Exception:
        logger.exception("could not read conversation %s", conversation_tag(sender_id))
        return None


async def _maybe_recorded(sender_id: str, message_id: str) -> bool:
    """False only when the store says for sure that this message was never recorded."""
    try:
        store = _store()
        return not isinstance(store, ShopTrackerStore) or await store.has_user_message(sender_id, message_id)
    except Exception:
        logger.exception("could not look up a message of conversation %s", conversation_tag(sender_id))
        return True  # then the whole conversation is read, as before


async def _paused(sender_id: str) -> bool:
    """Whether Rasa's tracker says a person has taken this conversation over (ConversationPaused)."""
    tracker = await _tracker(sender_id)
    return bool(tracker is not None and tracker.is_paused())


class _Recorded:
    """The conversation as Rasa's store held it when the message arrived, read at most once: a
    widget's button click asks twice (was it sent before? was the button offered?)."""

    def __init__(self, sender_id: str) -> None:
        self.sender_id = sender_id
        self._events: list[Any] | None = None

    async def events(self) -> list[Any]:
        if self._events is None:
            tracker = await _tracker(self.sender_id)
            self._events = list(tracker.events) if tracker is not None else []
        return self._events


def offered_payloads(events: Iterable[Any]) -> set[str]:
    """The button payloads the assistant itself offered in this conversation's events."""
    offered: set[str] = set()
    for event in events:
        if isinstance(event, BotUttered):
            for key in ("buttons", "quick_replies"):
                offered.update(str(b.get("payload")) for b in (event.data or {}).get(key) or []
                               if isinstance(b, dict) and b.get("payload"))
    return offered


def _internal(payload: str) -> bool:
    return payload.lstrip("/").strip().startswith(INTERNAL_PREFIX)


async def as_typed(message: UserMessage, recorded: _Recorded) -> None:
    """A shopper's `/intent{...}` is a command only if it is a button the assistant offered here.

    Rasa reads any text starting with "/" as an intent with entities, so a typed
    `/EXTERNAL_playbook{"playbook": "welcome_back_offer"}` would run the web app's trigger (a code,
    an NPS question) and skip every rule the store applies. Anything else is read as plain text.
    """
    text = (message.text or "").strip()
    if not text.startswith("/"):
        return
    if not _internal(text) and text in offered_payloads(await recorded.events()):
        return
    logger.info("a typed command that was not offered in conversation %s is read as text",
                conversation_tag(str(message.sender_id)))
    message.text = text.lstrip("/").strip() or "?"


async def replayed(message: UserMessage, recorded: _Recorded) -> bool:
    """A message the widget sends again (its Rasa process died before the answer reached it) is
    answered once: if Rasa already recorded it, the answers it gave are sent again instead."""
    message_id = (message.metadata or {}).pop("message_id", None)
    if not isinstance(message_id, str) or not MESSAGE_ID.match(message_id):
        return False
    message.message_id = message_id
    if not await _maybe_recorded(str(message.sender_id), message_id):
        return False
    events = await recorded.events()
    start = next((i for i, e in enumerate(events) if isinstance(e, UserUttered) and e.message_id == message_id),
                 None)
    if start is None:
        return False
    for event in events[start + 1:]:
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            await message.output_channel.send_response(str(message.sender_id), {"text": event.text,
                                                                                **(event.data or {})})
    logger.info("a repeated message in conversation %s was answered from the record",
                conversation_tag(str(message.sender_id)))
    return True


def guarded(on_new_message: Handler) -> Handler:
    async def handle(message: UserMessage) -> Any:
        refused = problem(message)
        if refused is not None:
            logger.info("refused a message on %s: %s", message.input_channel, refused)
            await message.output_channel.send_text_message(str(message.sender_id)[:128], refused)
            return None
        message.metadata = clean_metadata(message.metadata)
        recorded = _Recorded(str(message.sender_id))
        if await replayed(message, recorded):
            return None
        await as_typed(message, recorded)
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


def _limits() -> ChatLimits:
    global _LIMITS
    if _LIMITS is None:
        _LIMITS = ChatLimits.from_settings(load_settings())
    return _LIMITS


_LIMITS: ChatLimits | None = None


class ShopRestInput(RestInput):
    def blueprint(self, on_new_message: Handler) -> Blueprint:
        blueprint = super().blueprint(guarded(on_new_message))

        @blueprint.listener("after_server_start")
        async def trimmed(*_: Any) -> None:  # Rasa loads the model before this: its parsing leftovers go back
            give_back()

        @blueprint.middleware("request")
        async def checked(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            try:
                body = request.json
            except Exception:  # Sanic's parse error: say what to send instead of a 500
                body = None
            refused = rest_body_problem(body) if body is not None else f"the body is not a JSON object: {REST_SHAPE}"
            if refused is not None:
                return response.json({"error": refused}, status=400)
            limits = _limits()
            address = limits.address(request.ip, request.headers.get("x-forwarded-for"))
            wait = limits.wait(address, body["sender"][:128])
            if wait > 0:
                return response.json([{"recipient_id": body["sender"][:128], "text": TOO_FAST}], status=429,
                                     headers={"Retry-After": str(int(wait) + 1)})
            # Behind our nginx a message whose process died is sent to another one with the same request
            # id: the id lets that process answer it from the record instead of a second time.
            request_id = request.headers.get("x-request-id") or ""
            if limits.trust_forwarded and MESSAGE_ID.match(request_id):
                body["metadata"] = {**(body.get("metadata") or {}), "message_id": request_id}
            return None

        return blueprint


class ShopAsyncServer(socketio.AsyncServer):
    """Rasa's socket.io server, limited: each `user_uttered` is checked and counted before Rasa's
    handler sees it (the client's address is known here, not in the handler)."""

    user_message_evt = "user_uttered"
    bot_message_evt = "bot_uttered"

    async def _trigger_event(self, event: str, namespace: str, *args: Any) -> Any:
        if event == self.user_message_evt and args:
            sid, data = args[0], (args[1] if len(args) > 1 else None)
            refused = socket_message_problem(data)
            if refused is None and isinstance(data, dict):
                limits = _limits()
                request = (self.get_environ(sid, namespace) or {}).get("sanic.request")
                address = limits.address(getattr(request, "ip", None),
                                         request.headers.get("x-forwarded-for") if request is not None else None)
                if limits.wait(address, data["session_id"][:128]) > 0:
                    refused = TOO_FAST
            if refused is not None:
                await self.emit(self.bot_message_evt, {"text": refused}, room=sid, namespace=namespace)
                return None
        return await super()._trigger_event(event, namespace, *args)


def shop_or_same_origin(shop_origins: tuple[str, ...]) -> Callable[[str | None, dict[str, Any]], bool]:
    """Browsers on the shop's pages, or on the chat server's own origin (what a non-browser client,
    such as python-socketio over WebSocket, sends as its Origin); never another site's page."""

    def allowed(origin: str | None, environ: dict[str, Any]) -> bool:
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin is not None and (origin in shop_origins or origin == own)

    return allowed


class ShopSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, accepting browsers from the shop's origins only, and with
    `redis_url` in credentials one socket.io server across processes.

    Rasa 3.6 builds its `AsyncServer(async_mode="sanic", cors_allowed_origins=[])` itself: no
    origin check (any site's page could chat as its visitor) and no client manager, so a message
    pushed by `trigger_intent` on one Rasa process (a cart reminder) never reaches a widget
    connected to another. python-socketio's documented answers are `cors_allowed_origins` and
    `AsyncRedisManager` (every emit goes through Redis to the process holding the shopper's socket).
    """

    redis_url: str | None = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ShopSocketIOInput:
        channel = super().from_credentials(credentials)
        channel.redis_url = (credentials or {}).get("redis_url") or None
        return channel

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        options: dict[str, Any] = {"cors_allowed_origins": shop_or_same_origin(load_settings().shop_origins)}
        if self.redis_url:
            options["client_manager"] = socketio.AsyncRedisManager(self.redis_url)
        ShopAsyncServer.user_message_evt, ShopAsyncServer.bot_message_evt = self.user_message_evt, self.bot_message_evt

        def server(*args: Any, **kwargs: Any) -> ShopAsyncServer:
            return ShopAsyncServer(*args, **{**kwargs, **options})

        # Rasa constructs the server inside blueprint(); that one construction gets ours.
        original = rasa_socketio.AsyncServer
        rasa_socketio.AsyncServer = server
        try:
            return super().blueprint(guarded(on_new_message))
        finally:
            rasa_socketio.AsyncServer = original
