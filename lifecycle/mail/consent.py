"""Which address a customer may be mailed at, and why.

An address is usable only with consent recorded with its time and source: the shop's
(`newsletter_signup` or `order_placed` with `marketing_consent: true`, confirmed at once, the shop
having asked) or the chat's (double opt-in: usable once the confirmation link is followed). An
unconfirmed address gets one confirmation mail, never a second; an unsubscribe or a hard bounce
ends all mail to it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.storage.models import EmailConsent

SHOP_SOURCES = ("newsletter_signup", "order_placed")


def _row(session: Session, customer_id: int, email: str) -> EmailConsent | None:
    return session.execute(select(EmailConsent).where(EmailConsent.customer_id == customer_id,
                                                      EmailConsent.email == email.lower())).scalar_one_or_none()


def record(session: Session, customer_id: int, email: str, source: str, at: datetime) -> EmailConsent:
    """A new consent; given again after an unsubscribe it counts again (the shopper asked anew)."""
    confirmed = at if source in SHOP_SOURCES else None
    row = _row(session, customer_id, email)
    if row is None:
        row = EmailConsent(customer_id=customer_id, email=email.lower(), source=source, consented_at=at,
                           confirmed_at=confirmed)
        session.add(row)
        return row
    if row.unsubscribed_at is not None:
        row.unsubscribed_at, row.consented_at, row.source = None, at, source
    if row.confirmed_at is None and confirmed is not None:
        row.confirmed_at = confirmed
    return row


def usable_address(session: Session, customer_id: int) -> str | None:
    """The address to mail this customer at: confirmed, never unsubscribed or bounced; the newest."""
    return session.execute(select(EmailConsent.email).where(
        EmailConsent.customer_id == customer_id, EmailConsent.confirmed_at.is_not(None),
        EmailConsent.unsubscribed_at.is_(None), EmailConsent.bounced_at.is_(None))
        .order_by(EmailConsent.confirmed_at.desc(), EmailConsent.id.desc())).scalars().first()


def awaiting_confirmation(session: Session, customer_id: int) -> str | None:
    """The address whose confirmation link went out and was not followed yet (the newest)."""
    return session.execute(select(EmailConsent.email).where(
        EmailConsent.customer_id == customer_id, EmailConsent.confirmed_at.is_(None),
        EmailConsent.confirmation_sent_at.is_not(None), EmailConsent.unsubscribed_at.is_(None),
        EmailConsent.bounced_at.is_(None)).order_by(EmailConsent.confirmation_sent_at.desc())).scalars().first()


def unsubscribe(session: Session, customer_id: int, email: str, at: datetime) -> bool:
    """True when this ended mail to the address (False: unknown, or already unsubscribed)."""
    row = _row(session, customer_id, email)
    if row is None or row.unsubscribed_at is not None:
        return False
    row.unsubscribed_at = at
    return True


def bounced(session: Session, email: str, at: datetime) -> None:
    """A hard bounce stops mail to the address, for every customer who gave it."""
    for row in session.execute(select(EmailConsent).where(EmailConsent.email == email.lower(),
                                                          EmailConsent.bounced_at.is_(None))).scalars():
        row.bounced_at = at
