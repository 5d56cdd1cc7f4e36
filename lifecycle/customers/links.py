"""The signed link between a visitor and a conversation.

Two ids, never confused:
- the *visitor id* is the shop's name for a person: it appears in the shop's events, the
  console and exports, and may be shared;
- the *conversation secret* is Rasa's sender id and the socket.io room: 128 random bits made
  in the shopper's browser and only ever there. Knowing it is being in the conversation.

The shop (the web app for the demo shop, or a shop's own backend through /api/identity)
signs "this visitor writes in this conversation" with the settings' secret key. The token
carries a hash of the conversation, never the secret itself, so it is useless in another
conversation. Anything unsigned, forged, expired or made for another conversation gives an
anonymous visitor of that conversation alone: no cart, points or history of anyone.
Pure functions of the key: no database here (the recorder stores the link).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass

CONVERSATION = re.compile(r"^[A-Za-z0-9_-]{16,128}$")  # the widget makes 32 hex characters
CONVERSATION_RULE = "conversation must be the widget's secret: 16-128 letters, digits, _ or -"
VISITOR = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")
ANONYMOUS_PREFIX = "anon-"
TOKEN_DAYS = 30
MAX_TOKEN_LENGTH = 512


class LinkRefused(ValueError):
    """A link cannot be signed as asked; the message says which id is wrong."""


@dataclass(frozen=True)
class Shopper:
    visitor_id: str
    verified: bool  # False: an anonymous visitor of this conversation alone


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class IdentityLinks:
    def __init__(self, secret_key: str, max_age_seconds: int = TOKEN_DAYS * 86400) -> None:
        if len(secret_key) < 16:
            raise ValueError("the identity key must have 16+ characters (SHOPMATE_SECRET_KEY)")
        self._key = secret_key.encode()
        self.max_age_seconds = max_age_seconds

    def _mac(self, *parts: str) -> str:
        return _b64(hmac.new(self._key, "|".join(parts).encode(), hashlib.sha256).digest())

    def _conversation_hash(self, conversation: str) -> str:
        return self._mac("conversation", conversation)[:22]

    def sign(self, visitor_id: str, conversation: str, now: float | None = None) -> str:
        if not VISITOR.match(visitor_id) or visitor_id.startswith(ANONYMOUS_PREFIX):
            raise LinkRefused("visitor_id must be 1-128 letters, digits or _.:@- (and not start with 'anon-')")
        if not CONVERSATION.match(conversation):
            raise LinkRefused(CONVERSATION_RULE)
        issued = str(int(now if now is not None else time.time()))
        body = ".".join((_b64(visitor_id.encode()), self._conversation_hash(conversation), issued))
        return f"v1.{body}.{self._mac('link', body)}"

    def anonymous(self, conversation: str) -> str:
        """A stable visitor id for an unlinked conversation that does not reveal its secret."""
        return ANONYMOUS_PREFIX + self._mac("anonymous", conversation)[:24]

    def verify(self, conversation: str, token: object, now: float | None = None) -> str | None:
        """The visitor the token links to this conversation, or None."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            return None
        parts = token.split(".")
        if len(parts) != 5 or parts[0] != "v1":
            return None
        _, visitor_b64, conversation_hash, issued, mac = parts
        body = ".".join((visitor_b64, conversation_hash, issued))
        if not hmac.compare_digest(mac, self._mac("link", body)):
            return None
        if not hmac.compare_digest(conversation_hash, self._conversation_hash(conversation)):
            return None
        if not issued.isdigit() or (now if now is not None else time.time()) - int(issued) > self.max_age_seconds:
            return None
        try:
            visitor = _unb64(visitor_b64).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        return visitor if VISITOR.match(visitor) else None

    def visitor_cookie(self, visitor_id: str) -> str:
        """The value of a shop's visitor cookie: the id and its MAC, so a browser cannot pick another."""
        return f"{visitor_id}.{self._mac('visitor-cookie', visitor_id)}"

    def visitor_from_cookie(self, value: str) -> str | None:
        visitor, _, mac = value.partition(".")
        if visitor and mac and hmac.compare_digest(mac, self._mac("visitor-cookie", visitor)):
            return visitor
        return None

    def shopper(self, conversation: str, token: object) -> Shopper:
        visitor = self.verify(conversation, token)
        return Shopper(visitor, True) if visitor else Shopper(self.anonymous(conversation), False)


def is_anonymous(visitor_id: str) -> bool:
    return visitor_id.startswith(ANONYMOUS_PREFIX)
