"""Which carts are abandoned, who gets the code, and which orders count as recovered."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from lifecycle.commerce import recovery
from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.shop.facts import Shop
from lifecycle.storage.database import Database
from lifecycle.storage.models import CartRecovery, Customer

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=timezone.utc)


def cart(visitor: str, items: list, at: datetime = T0, n: int = 1) -> dict:
    return {"type": "cart_updated", "event_id": f"cart-{visitor}-{n}", "visitor_id": visitor, "ts": at.isoformat(),
            "items": [{"sku": sku, "qty": qty} for sku, qty in items]}


def apply(database: Database, shop: Shop, *events: dict) -> None:
    Commerce(database).apply(parse_events(list(events)), shop)


def claim(database: Database, shop: Shop, now: datetime) -> list:
    with database.session() as session:
        return recovery.claim_abandoned(session, shop, now)


def test_only_carts_idle_past_the_limit_without_checkout_are_claimed_once(database: Database, shop: Shop) -> None:
    apply(database, shop, cart("idle", [("CAM-200", 1)]), cart("fresh", [("CAM-100", 1)], T0 + timedelta(minutes=20)),
          cart("paying", [("CAM-100", 1)]),
          {"type": "checkout_started", "event_id": "k", "visitor_id": "paying", "ts": T0.isoformat()})
    claims = claim(database, shop, T0 + timedelta(minutes=31))
    assert [c.visitor_id for c in claims] == ["idle"]
    assert [c.visitor_id for c in claim(database, shop, T0 + timedelta(minutes=60))] == ["fresh"]  # idle: once
    assert claim(database, shop, T0 + timedelta(minutes=90)) == []


def test_offer_needs_the_minimum_cart_and_is_given_once_per_customer(database: Database, shop: Shop) -> None:
    apply(database, shop, cart("big", [("CAM-200", 1)]), cart("small", [("HS-100", 1)]))
    claims = {c.visitor_id: c.offer_code for c in claim(database, shop, T0 + timedelta(hours=1))}
    assert claims == {"big": "COMEBACK5", "small": None}  # 29.90 is under the 50.00 minimum
    with database.session() as session:
        for row in session.execute(select(CartRecovery)).scalars():
            recovery.mark_sent(session, row.id, T0 + timedelta(hours=1))
    apply(database, shop, {"type": "order_placed", "event_id": "o", "visitor_id": "big", "order_id": "B1",
                           "ts": (T0 + timedelta(hours=2)).isoformat(), "items": [{"sku": "CAM-200", "qty": 1}],
                           "total_eur": "122.55", "discount_code": "COMEBACK5"},
          cart("big", [("CAM-300", 1)], T0 + timedelta(hours=3), n=2))
    again = claim(database, shop, T0 + timedelta(hours=4))
    assert [(c.visitor_id, c.offer_code) for c in again] == [("big", None)]


def test_order_after_the_reminder_is_a_recovered_cart(database: Database, shop: Shop) -> None:
    apply(database, shop, cart("v", [("CAM-200", 1), ("LT-100", 1)]))
    (claimed,) = claim(database, shop, T0 + timedelta(minutes=45))
    with database.session() as session:
        recovery.mark_sent(session, claimed.recovery_id, T0 + timedelta(minutes=45))
    apply(database, shop, {"type": "order_placed", "event_id": "o", "visitor_id": "v", "order_id": "V1",
                           "ts": (T0 + timedelta(days=1)).isoformat(),
                           "items": [{"sku": "CAM-200", "qty": 1}, {"sku": "LT-100", "qty": 1}],
                           "total_eur": "188.00"})
    with database.session() as session:
        row = session.execute(select(CartRecovery)).scalar_one()
        assert row.recovered_cents == 18800 and row.recovered_order_id is not None


def test_opted_out_customers_get_no_reminder(database: Database, shop: Shop) -> None:
    apply(database, shop, cart("quiet", [("CAM-200", 1)]))
    with database.session() as session:
        session.execute(select(Customer).where(Customer.visitor_id == "quiet")).scalar_one().reminders_opt_out = True
    assert claim(database, shop, T0 + timedelta(hours=1)) == []


def test_failed_pushes_are_retried_up_to_the_limit(database: Database, shop: Shop) -> None:
    apply(database, shop, cart("v", [("CAM-200", 1)]))
    (first,) = claim(database, shop, T0 + timedelta(hours=1))
    for attempt in range(recovery.MAX_ATTEMPTS):
        with database.session() as session:
            recovery.mark_failed(session, first.recovery_id, "Rasa is down")
        retried = claim(database, shop, T0 + timedelta(hours=1, minutes=attempt + 1))
        assert len(retried) == (1 if attempt + 1 < recovery.MAX_ATTEMPTS else 0)
