"""What the store knows about one shopper, for the chat: cart, reminders, code, points.

`Shoppers` is a service: each method is one transaction.

The actions ask these questions by visitor id; the answers are plain data, worded by
the actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from lifecycle.commerce import recovery
from lifecycle.commerce.apply import open_cart
from lifecycle.customers import loyalty
from lifecycle.customers.identity import customer_for, find_customer
from lifecycle.shop.facts import Shop
from lifecycle.storage.database import Database
from lifecycle.storage.models import CartRecovery
from lifecycle.values import CENT, to_eur


@dataclass(frozen=True)
class CartView:
    items: list[dict[str, Any]]  # {"sku", "qty", "price_cents"}
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

    def cart(self, visitor_id: str) -> CartView | None:
        with self.db.reading() as session:
            customer = find_customer(session, visitor_id)
            if customer is None:
                return None
            cart = open_cart(session, customer)
            if cart is None or not cart.total_cents:
                return None
            return CartView(list(cart.items), to_eur(cart.total_cents))

    def reminder(self, visitor_id: str) -> recovery.Reminder | None:
        with self.db.reading() as session:
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
        with self.db.reading() as session:
            customer = find_customer(session, visitor_id)
            if customer is None:
                return CodeCheck(offer.code, False, "no_cart")
            if offer.once_per_customer and recovery.code_used(session, customer.id, offer.code):
                return CodeCheck(offer.code, False, "already_used", cart.total_eur)
            sent = session.execute(select(CartRecovery.sent_at).where(
                CartRecovery.customer_id == customer.id, CartRecovery.offer_code == offer.code,
                CartRecovery.sent_at.is_not(None)).order_by(CartRecovery.sent_at)).scalars().first()
        if sent is None:
            return CodeCheck(offer.code, False, "no_offer", cart.total_eur)
        if now > sent + timedelta(hours=offer.valid_hours):
            return CodeCheck(offer.code, False, "expired", cart.total_eur)
        saving = (cart.total_eur * offer.percent_off / 100).quantize(CENT)
        return CodeCheck(offer.code, True, "ok", cart.total_eur, saving)

    def points(self, visitor_id: str, shop: Shop) -> loyalty.Standing | None:
        with self.db.reading() as session:
            customer = find_customer(session, visitor_id)
            return None if customer is None else loyalty.standing(session, customer, shop.policies.loyalty)
