"""What the web app does to every request before a route sees it: size limits, headers, throttles.

The web app faces the public internet: a body is refused before it is read when it is too
big, the console is served with headers that keep it out of frames and other origins, and
repeated failed logins from one address or for one user wait.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONSOLE_HEADERS = [
    # Scripts only from our own files (the live chat page's), fetches and server-sent events only to us.
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
                                 b"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
                                 b"frame-src 'self'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
# A mail as the shopper sees it (/console/mail/<id>/html), framed by the console's mail page: its own
# inline styles and remote images, never a script, a form or a link that runs in the console's origin.
def _mail_preview(path: str) -> bool:
    """/console/mail/<id>/html"""
    return path.startswith("/console/mail/") and path.endswith("/html") and path[14:-5].isdigit()


MAIL_PREVIEW_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; "
                                 b"sandbox; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]
EVERYWHERE = [(b"x-content-type-options", b"nosniff")]


class Guards:
    """ASGI middleware: a body limit for every request, security headers for every response."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.larger = larger or {}  # path -> its own limit (a catalog upload is bigger than a chat message)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(str(scope.get("path", "")), self.max_body_bytes)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > limit:
            await self._refuse(send, 413 if declared.isdigit() else 400, limit)
            return
        path = str(scope.get("path", ""))
        console = (MAIL_PREVIEW_HEADERS if _mail_preview(path) else
                   CONSOLE_HEADERS if path.startswith("/console") else [])
        received = 0
        too_large = False

        async def counted_receive() -> Message:
            # Chunked uploads declare no length: count while they arrive, and past the limit end
            # the stream there; whatever the app answers to the cut body is replaced by a 413.
            nonlocal received, too_large
            if too_large:
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                too_large = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return message

        replaced = False

        async def with_headers(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                if too_large:
                    replaced = True
                    await self._refuse(send, 413, limit)
                    return
                message["headers"] = [*message.get("headers", []), *EVERYWHERE, *console]
            await send(message)

        await self.app(scope, counted_receive, with_headers)

    async def _refuse(self, send: Send, status: int, limit: int) -> None:
        text = (f"the request body is over the limit of {limit} bytes" if status == 413
                else "Content-Length must be a number").encode()
        body = b'{"detail":"' + text + b'"}'
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                *EVERYWHERE]})
        await send({"type": "http.response.body", "body": body})


class LoginThrottle:
    """Failed logins per client address and per user name, in a sliding window.

    Kept in the web app's memory: one process's view. With several web app processes each
    counts its own, which still caps a guesser at a small multiple of the limit.
    """

    def __init__(self, per_address: int = 10, per_user: int = 5, window_seconds: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = {"address": per_address, "user": per_user}
        self.window = window_seconds
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.RLock()  # attempt() checks and counts under one hold

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def wait_seconds(self, address: str, username: str) -> float:
        """0 when a login may be tried now; otherwise how long until it may."""
        now = self.clock()
        with self._lock:
            waits = []
            for kind, value in (("address", address), ("user", username.strip().lower())):
                times = self._recent((kind, value), now)
                if len(times) >= self.limits[kind]:
                    waits.append(self.window - (now - times[0]))
            return max(waits, default=0.0)

    def attempt(self, address: str, username: str) -> float:
        """Check and count in one step: 0 and the attempt is counted as failed until `succeeded`;
        otherwise how long to wait. Counting after the password check let 20 guesses sent at once
        all pass the check before any of them was counted."""
        with self._lock:
            wait = self.wait_seconds(address, username)
            if wait <= 0:
                self.failed(address, username)
            return wait

    def failed(self, address: str, username: str) -> None:
        now = self.clock()
        with self._lock:
            for key in (("address", address), ("user", username.strip().lower())):
                self._recent(key, now).append(now)
            if len(self._failures) > 100_000:  # a flood of names must not grow memory without end
                self._failures = {k: v for k, v in self._failures.items() if v and now - v[-1] <= self.window}

    def succeeded(self, username: str, address: str | None = None) -> None:
        """A correct password: the user's failures are forgotten, and the attempt `attempt` counted
        against the address is taken back (an office logging in all day is not guessing)."""
        with self._lock:
            self._failures.pop(("user", username.strip().lower()), None)
            if address is not None and (times := self._failures.get(("address", address))):
                times.pop()


class Busy(Exception):
    """Every slot is taken and the queue is full: answer 429 instead of waiting."""


class HashingSlots:
    """At most `size` password hashes at once, and a short queue: argon2id holds 64 MiB per hash,
    so a flood of logins must wait or be refused, not multiply the web app's memory."""

    def __init__(self, size: int = 2, queue: int = 8) -> None:
        self.size, self.queue = size, queue
        self._waiting = 0
        self._semaphore: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._semaphore is None:  # made on first use, inside the server's event loop
            self._semaphore = asyncio.Semaphore(self.size)
        if self._waiting >= self.size + self.queue:
            raise Busy()
        self._waiting += 1
        try:
            async with self._semaphore:
                yield
        finally:
            self._waiting -= 1


class CallThrottle(LoginThrottle):
    """Every call counted (not only failures), per client address and per conversation: a page load
    calls /widget/hello once, so a client calling it hundreds of times a minute is not a shopper."""

    def take(self, address: str, conversation: str) -> float:
        """0 and the call is counted; otherwise the seconds to wait (the call is not counted)."""
        return self.attempt(address, conversation)
