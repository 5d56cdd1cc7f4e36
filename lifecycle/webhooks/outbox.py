"""The durable outbox of webhooks to the shop, signed with the Standard Webhooks scheme.

A message is written in the same transaction as what it reports (`add`), so a hand-off that exists
has its webhook and a rolled-back one has none. `deliver_due` (the web app's timer) sends what is
due: `webhook-id`, `webhook-timestamp` and `webhook-signature` (HMAC-SHA256 over
id.timestamp.body, the `standardwebhooks` library) on the same body every time; a 2xx delivers
it, anything else retries with exponential backoff (`BACKOFF`), through the shop being down and
Shopmate restarting, until `MAX_ATTEMPTS`. Each message is claimed before it is sent, so two
deliverers never send one at once; the receiver deduplicates by `webhook-id` in any case.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from standardwebhooks.webhooks import Webhook

from lifecycle.storage import pages, retries
from lifecycle.storage.database import Database
from lifecycle.storage.models import WebhookMessage
from lifecycle.values import utcnow

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
BACKOFF = (timedelta(seconds=10), timedelta(hours=1))  # first retry, longest wait (doubling between)
LEASE = timedelta(seconds=60)  # a claimed message is not sent again before this, unless it failed

# (url, body, headers) -> HTTP status; raises OSError (or a subclass) when it cannot connect
Post = Callable[[str, bytes, dict[str, str]], int]


@dataclass(frozen=True)
class Delivery:
    webhook_id: str
    event_type: str
    created_at: datetime
    attempts: int
    delivered_at: datetime | None
    gave_up_at: datetime | None
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None

    @property
    def state(self) -> str:
        return "delivered" if self.delivered_at else "failed" if self.gave_up_at else "pending"


def backoff(attempts: int) -> timedelta:
    return retries.backoff(attempts, *BACKOFF)


class Outbox:
    def __init__(self, database: Database, url: str, secret: str) -> None:
        self.database = database
        self.url = url
        self.signer = Webhook(secret)  # refuses an empty or malformed secret

    @staticmethod
    def add(session: Session, event_type: str, data: dict[str, Any], at: datetime | None = None,
            customer_id: int | None = None) -> None:
        """Queue a webhook inside the caller's transaction; `customer_id`: whom it is about."""
        at = at or utcnow()
        body = json.dumps({"type": event_type, "timestamp": at.isoformat(), "data": data}, ensure_ascii=False,
                          separators=(",", ":"), default=str)
        session.add(WebhookMessage(webhook_id=f"msg_{uuid.uuid4().hex}", event_type=event_type, body=body,
                                   created_at=at, next_attempt_at=at, attempts=0, customer_id=customer_id))

    def deliver_due(self, post: Post, now: datetime | None = None, limit: int = 50) -> int:
        """Send what is due; returns how many were delivered in this pass."""
        now = now or utcnow()
        with self.database.session() as session:
            due = retries.due(session, WebhookMessage, now, limit)
        delivered = 0
        for message_id, was_due in due:
            with self.database.session() as session:  # claim it: only one deliverer moves its time on
                message = retries.claim(session, WebhookMessage, message_id, was_due, now + LEASE)
                if message is None:
                    continue
                webhook_id, body = message.webhook_id, message.body
            status, error = self._send(post, webhook_id, body, now)
            with self.database.session() as session:
                message = session.get(WebhookMessage, message_id)
                message.attempts += 1
                message.last_status, message.last_error = status, error
                if status is not None and 200 <= status < 300:
                    message.delivered_at, message.next_attempt_at = now, None
                    delivered += 1
                elif message.attempts >= MAX_ATTEMPTS:
                    message.gave_up_at, message.next_attempt_at = now, None
                    logger.error("webhook %s (%s) given up after %d attempts: %s", webhook_id, message.event_type,
                                 message.attempts, error or status)
                else:
                    message.next_attempt_at = now + backoff(message.attempts)
        return delivered

    def _send(self, post: Post, webhook_id: str, body: str, now: datetime) -> tuple[int | None, str | None]:
        timestamp = now.replace(microsecond=0)
        headers = {"content-type": "application/json", "webhook-id": webhook_id,
                   "webhook-timestamp": str(int(timestamp.timestamp())),
                   "webhook-signature": self.signer.sign(webhook_id, timestamp, body)}
        try:
            status = post(self.url, body.encode("utf-8"), headers)
        except OSError as error:  # requests' connection errors are OSErrors too
            return None, f"{type(error).__name__}: {error}"[:300]
        return status, None if 200 <= status < 300 else f"HTTP {status}"

    def deliveries(self, after: str = "") -> pages.Page[Delivery]:
        """Newest first, a page from the cursor (pages.CursorError for a broken one)."""
        with self.database.reading() as session:
            rows = session.execute(pages.paged(select(WebhookMessage), (pages.Order(WebhookMessage.id, True),),
                                               after)).scalars().all()
            found = pages.page_of(rows, lambda r: (r.id,))
            return pages.Page([Delivery(r.webhook_id, r.event_type, r.created_at, r.attempts, r.delivered_at,
                                        r.gave_up_at, r.next_attempt_at, r.last_status, r.last_error)
                               for r in found.rows], found.next)
