"""How much one client may chat, and what a chat request must look like, before Rasa sees it.

Both of Rasa's public channels (REST and socket.io) take messages from anyone on the internet;
each message costs a turn (NLU, policies, actions) and rows in two stores. So every message is
counted per conversation and per client address in a one-minute window
(`SHOPMATE_CHAT_PER_CONVERSATION`, `SHOPMATE_CHAT_PER_ADDRESS`), and one over a limit is answered
with a sentence the widget shows instead of being processed. A REST body that is not the
documented object is answered 400 with what is wrong (Rasa's own channel answered 500).
"""

from __future__ import annotations

import re
from typing import Any

from bot.guards import CallThrottle
from lifecycle.settings import Settings

TOO_FAST = "You're sending messages faster than I can read them: please wait a minute and try again."
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SENDER = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")
REST_SHAPE = ('send a JSON object: {"sender": "<conversation id>", "message": "<text>", '
              '"metadata": {...} (optional)}')


class ChatLimits:
    """One Rasa process's counts (several processes each count their own: a client's share is a
    small multiple of the limit, which still bounds what it can cost)."""

    def __init__(self, per_conversation: int, per_address: int, trust_forwarded: bool = False) -> None:
        self.throttle = CallThrottle(per_address=per_address, per_user=per_conversation, window_seconds=60)
        self.trust_forwarded = trust_forwarded

    @classmethod
    def from_settings(cls, settings: Settings) -> ChatLimits:
        return cls(settings.chat_per_conversation, settings.chat_per_address, settings.behind_proxy)

    def address(self, peer: str | None, forwarded_for: str | None) -> str:
        """The client's address: the peer's, or behind our own nginx (which sets the header to the address
        it saw, never appending a client's) the header's."""
        if self.trust_forwarded and forwarded_for:
            return forwarded_for.split(",")[-1].strip()[:64]
        return (peer or "?")[:64]

    def wait(self, address: str, conversation: str) -> float:
        """0 when the message may go to Rasa (and it is counted); else the seconds to wait."""
        return self.throttle.take(address, conversation)


def rest_body_problem(body: Any) -> str | None:
    """What is wrong with a REST chat body, for a 400; None when Rasa may read it."""
    if not isinstance(body, dict):
        return f"the body is not a JSON object: {REST_SHAPE}"
    if not isinstance(body.get("sender"), str) or not SENDER.match(body["sender"]):
        return f"'sender' must be 1-128 letters, digits or _.:@- : {REST_SHAPE}"
    if not isinstance(body.get("message"), str):
        return f"'message' must be a string: {REST_SHAPE}"
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return f"'metadata' must be an object when given: {REST_SHAPE}"
    if body.get("input_channel") is not None:
        return "'input_channel' is set by the server, not by the client"
    return None


def socket_message_problem(data: Any) -> str | None:
    """The same for a socket.io `user_uttered` event's data."""
    if not isinstance(data, dict):
        return "a message must be an object with 'message' and 'session_id'"
    if not isinstance(data.get("message"), str) or not isinstance(data.get("session_id"), str):
        return "'message' and 'session_id' must be strings"
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return "'metadata' must be an object when given"
    return None
