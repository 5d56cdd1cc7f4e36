"""What the store knows about one shopper, for the chat: cart, reminders, code, points.

The actions ask these questions by visitor id; the answers are plain data, worded by
the actions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from lifecycle import loyalty, recovery
from lifecycle.commerce import open_cart
from lifecycle.db import Database
from lifecycle.models import CartRecovery, Customer
from lifecycle.shop import Shop
from lifecycle.store import customer_for


@dataclass(frozen=True)
class CartView:
    items: list[dict]  # {"sku", "qty", "price_cents"}
    total_eur: Decimal


@dataclass(frozen=True)
class CodeCheck:
    code: str | None
    works: bool
    reason: str  # why not, in the shop's terms: below_minimum, already_used, expired, no_offer, no_cart
    cart_total_eur: Decimal | None = None
    saving_eur: Decimal | None = None


class Shoppers:
    def __init__(self, database: Database) -> None:
        self.db = database

    def _customer(self, session, visitor_id: str) -> Customer | None:  # type: ignore[no-untyped-def]
        return session.execute(select(Customer).where(Customer.visitor_id == visitor_id)).scalar_one_or_none()

    def cart(self, visitor_id: str) -> CartView | None:
        with self.db.session() as session:
            customer = self._customer(session, visitor_id)
            if customer is None:
                return None
            cart = open_cart(session, customer)
            if cart is None or not cart.total_cents:
                return None
            return CartView(json.loads(cart.items), Decimal(cart.total_cents) / 100)

    def reminder(self, visitor_id: str) -> recovery.Reminder | None:
        with self.db.session() as session:
            return recovery.reminder_for(session, visitor_id)

    def stop_reminders(self, visitor_id: str, at: datetime) -> None:
        with self.db.session() as session:
            customer_for(session, visitor_id, at).reminders_opt_out = True

    def check_code(self, visitor_id: str, shop: Shop, now: datetime) -> CodeCheck:
        offer = shop.policies.cart_recovery.offer
        if offer is None:
            return CodeCheck(None, False, "no_offer")
        cart = self.cart(visitor_id)
        if cart is None:
            return CodeCheck(offer.code, False, "no_cart")
        if cart.total_eur < offer.min_cart_eur:
            return CodeCheck(offer.code, False, "below_minimum", cart.total_eur)
        with self.db.session() as session:
            customer = self._customer(session, visitor_id)
            if offer.once_per_customer and recovery.code_used(session, customer.id, offer.code):
                return CodeCheck(offer.code, False, "already_used", cart.total_eur)
            sent = session.execute(select(CartRecovery.sent_at).where(
                CartRecovery.customer_id == customer.id, CartRecovery.offer_code == offer.code,
                CartRecovery.sent_at.is_not(None)).order_by(CartRecovery.sent_at)).scalars().first()
        if sent is None:
            return CodeCheck(offer.code, False, "no_offer", cart.total_eur)
        if now > sent + timedelta(hours=offer.valid_hours):
            return CodeCheck(offer.code, False, "expired", cart.total_eur)
        saving = (cart.total_eur * offer.percent_off / 100).quantize(Decimal("0.01"))
        return CodeCheck(offer.code, True, "ok", cart.total_eur, saving)

    def points(self, visitor_id: str, shop: Shop) -> loyalty.Standing | None:
        with self.db.session() as session:
            customer = self._customer(session, visitor_id)
            return None if customer is None else loyalty.standing(session, customer, shop.policies.loyalty)
