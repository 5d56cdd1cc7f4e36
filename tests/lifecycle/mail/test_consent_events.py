"""Consent to e-mail arrives with the shop's own events, with its time and source."""

from __future__ import annotations

from sqlalchemy import select

from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.mail import consent
from lifecycle.shop.facts import Shop
from lifecycle.storage.database import Database
from lifecycle.storage.models import Customer, EmailConsent


def usable(database: Database, visitor: str) -> str | None:
    with database.reading() as session:
        customer = session.execute(select(Customer).where(Customer.visitor_id == visitor)).scalar_one()
        return consent.usable_address(session, customer.id)


def test_a_signup_or_an_order_with_consent_makes_the_address_usable_and_one_without_does_not(
        database: Database, shop: Shop) -> None:
    Commerce(database).apply(parse_events([
        {"type": "newsletter_signup", "event_id": "n-1", "visitor_id": "ann", "email": "Ann@Example.com"},
        {"type": "newsletter_signup", "event_id": "n-2", "visitor_id": "bob", "email": "bob@example.com",
         "marketing_consent": False},
        {"type": "order_placed", "event_id": "o-1", "visitor_id": "cy", "order_id": "O-1", "email": "cy@example.com",
         "items": [{"sku": "CAM-100", "qty": 1}], "total_eur": "49.90", "marketing_consent": True},
        {"type": "order_placed", "event_id": "o-2", "visitor_id": "di", "order_id": "O-2", "email": "di@example.com",
         "items": [{"sku": "CAM-100", "qty": 1}], "total_eur": "49.90"},
    ]), shop)
    assert usable(database, "ann") == "ann@example.com"
    assert usable(database, "cy") == "cy@example.com"
    assert usable(database, "bob") is None and usable(database, "di") is None  # no consent, no mail
    with database.reading() as session:
        rows = session.execute(select(EmailConsent.email, EmailConsent.source).order_by(EmailConsent.id)).all()
    assert [tuple(r) for r in rows] == [("ann@example.com", "newsletter_signup"), ("cy@example.com", "order_placed")]
