"""The durable queue of mail: written in the transaction that decided it, sent by the web app's timer.

Like the webhook outbox (lifecycle.webhooks.outbox): each message is claimed before it is sent,
so two senders never send one at once; a temporary failure (no connection, a 4xx) is retried with
backoff through SMTP outages and restarts; a 5xx is a hard bounce, which gives the message up and
stops all mail to the address. A message whose address was unsubscribed or bounced after it was
queued is given up, not sent.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.mail import consent
from lifecycle.mail.message import mime
from lifecycle.storage import pages, retries
from lifecycle.storage.database import Database
from lifecycle.storage.models import EmailConsent, MailMessage
from lifecycle.values import utcnow

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
BACKOFF = (timedelta(seconds=10), timedelta(hours=2))
LEASE = timedelta(minutes=2)


class SendFailed(Exception):
    """The mail server refused the message; `permanent` for a 5xx (a hard bounce)."""

    def __init__(self, detail: str, permanent: bool) -> None:
        super().__init__(detail)
        self.permanent = permanent


# Sends one message; raises SendFailed, or OSError when the server cannot be reached.
Send = Callable[[EmailMessage], None]


@dataclass(frozen=True)
class Draft:
    kind: str
    to_address: str
    language: str
    subject: str
    text_body: str
    html_body: str
    unsubscribe_url: str | None = None
    playbook: str | None = None


def backoff(attempts: int) -> timedelta:
    return retries.backoff(attempts, *BACKOFF)


def new_message_id(domain: str) -> str:
    return f"<{uuid.uuid4().hex}@{domain}>"


class MailQueue:
    def __init__(self, database: Database, sender: str, domain: str) -> None:
        self.database = database
        self.sender = sender  # the From header, e.g. "DeskWorks <hello@deskworks.example>"
        self.domain = domain  # Message-ID's right-hand side

    def add(self, session: Session, customer_id: int | None, draft: Draft, at: datetime | None = None) -> MailMessage:
        """Queue a mail inside the caller's transaction."""
        at = at or utcnow()
        row = MailMessage(message_id=new_message_id(self.domain), customer_id=customer_id, kind=draft.kind,
                          playbook=draft.playbook, to_address=draft.to_address.lower(), language=draft.language,
                          subject=draft.subject, text_body=draft.text_body, html_body=draft.html_body,
                          unsubscribe_url=draft.unsubscribe_url, created_at=at, next_attempt_at=at, attempts=0)
        session.add(row)
        return row

    def send_due(self, send: Send, now: datetime | None = None, limit: int = 50) -> int:
        """Send what is due; returns how many the server accepted in this pass."""
        now = now or utcnow()
        with self.database.reading() as session:
            due = retries.due(session, MailMessage, now, limit)
        sent = 0
        for row_id, was_due in due:
            with self.database.session() as session:  # claim it: only one sender moves its time on
                mail = retries.claim(session, MailMessage, row_id, was_due, now + LEASE)
                if mail is None:
                    continue
                if not self._still_wanted(session, mail):
                    mail.failed_at, mail.next_attempt_at = now, None
                    mail.last_error = "the address was unsubscribed or bounced before it was sent"
                    continue
                message = mime(mail, self.sender)
            error, permanent = None, False
            try:
                send(message)
            except SendFailed as failure:
                error, permanent = str(failure)[:300], failure.permanent
            except OSError as failure:
                error = f"{type(failure).__name__}: {failure}"[:300]
            with self.database.session() as session:
                mail = session.get(MailMessage, row_id)
                if mail is None:  # forgotten meanwhile
                    continue
                mail.attempts += 1
                mail.last_error = error
                if error is None:
                    mail.sent_at, mail.next_attempt_at = now, None
                    sent += 1
                elif permanent or mail.attempts >= MAX_ATTEMPTS:
                    mail.failed_at, mail.next_attempt_at = now, None
                    if permanent:
                        consent.bounced(session, mail.to_address, now)
                    logger.warning("mail %s (%s) given up after %d attempts: %s", row_id, mail.kind, mail.attempts,
                                   error)
                else:
                    mail.next_attempt_at = now + backoff(mail.attempts)
        return sent

    @staticmethod
    def _still_wanted(session: Session, mail: MailMessage) -> bool:
        rows = session.execute(select(EmailConsent).where(EmailConsent.email == mail.to_address.lower(),
                                                          EmailConsent.customer_id == mail.customer_id)).scalars().all()
        return any(row.unsubscribed_at is None and row.bounced_at is None for row in rows)

    def one(self, mail_id: int) -> MailMessage | None:
        with self.database.reading() as session:
            mail = session.get(MailMessage, mail_id)
            if mail is not None:
                session.expunge(mail)
            return mail

    def sent(self, after: str = "") -> pages.Page[MailMessage]:
        """The newest mail, a page from the cursor, for the console (detached rows)."""
        with self.database.reading() as session:
            rows = session.execute(pages.paged(select(MailMessage), (pages.Order(MailMessage.id, True),),
                                               after)).scalars().all()
            session.expunge_all()
            return pages.page_of(rows, lambda r: (r.id,))
