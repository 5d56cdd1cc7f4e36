"""Signed links in a mail: unsubscribe, confirm an address, open the cart again.

Each names a row by its id (no address in a URL, where logs and proxies keep it) and carries an
HMAC of its purpose and id under the shop's secret key, so nobody can unsubscribe or confirm
another person's address by changing a number. Unsubscribe links never expire (RFC 8058: a mail
read months later must still work); confirmation links last CONFIRM_DAYS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

PURPOSES = ("unsubscribe", "confirm", "cart", "nps")
CONFIRM_DAYS = 7
MAX_TOKEN = 120


class BadLink(ValueError):
    """A link that was changed, cut short, or has expired."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class MailLinks:
    def __init__(self, secret_key: str) -> None:
        if len(secret_key) < 16:
            raise ValueError("the mail links' key must have 16+ characters (SHOPMATE_SECRET_KEY)")
        self._key = secret_key.encode()

    def _mac(self, purpose: str, body: str) -> str:
        return _b64(hmac.new(self._key, f"mail|{purpose}|{body}".encode(), hashlib.sha256).digest())[:32]

    def token(self, purpose: str, row_id: int, now: float | None = None) -> str:
        if purpose not in PURPOSES:
            raise ValueError(f"unknown link purpose {purpose!r}")
        issued = int(now if now is not None else time.time())
        body = f"{row_id}.{issued}"
        return f"{body}.{self._mac(purpose, body)}"

    def read(self, purpose: str, token: object, now: float | None = None) -> int:
        """The row id a token names; BadLink for anything else."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN or token.count(".") != 2:
            raise BadLink("this link is not complete: open it from the e-mail again")
        row, issued, mac = token.split(".")
        expected = self._mac(purpose, f"{row}.{issued}")
        if not (row.isdigit() and issued.isdigit()) or not hmac.compare_digest(mac, expected):
            raise BadLink("this link is not complete: open it from the e-mail again")
        if purpose == "confirm" and (now if now is not None else time.time()) - int(issued) > CONFIRM_DAYS * 86400:
            raise BadLink("this confirmation link has expired: ask for a new one in the chat")
        return int(row)
