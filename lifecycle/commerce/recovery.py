"""Abandoned-cart recovery: which carts get a reminder, with which offer, and what came of it.

A cart with items, untouched for `cart_recovery.idle_minutes`, without checkout or order,
is abandoned. Claiming it inserts its one CartRecovery row (unique per cart), so two web
app instances can never remind the same cart twice. The offer code is decided at claim
time from shop.yml's rules (minimum cart, once per customer) and stored on the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from lifecycle.customers import playbooks
from lifecycle.shop.facts import Shop
from lifecycle.storage.models import Cart, CartRecovery, Conversation, Customer, Order, PlaybookSend
from lifecycle.values import to_eur

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Claim:
    recovery_id: int
    cart_id: int
    visitor_id: str
    offer_code: str | None
    conversation: str | None  # the visitor's latest chat (its secret), where the reminder is said


def _newest(column: Any, customer_id: int) -> Select:
    return select(column).where(Conversation.customer_id == customer_id).order_by(
        Conversation.last_event_at.desc(), Conversation.id.desc()).limit(1)


def latest_conversation(session: Session, customer_id: int) -> str | None:
    """The chat a message to this customer goes to: the one they wrote in last."""
    return session.execute(_newest(Conversation.sender_id, customer_id)).scalar()


def latest_conversation_id(session: Session, customer_id: int) -> int | None:
    """The same chat, by its id (what the playbook rules read)."""
    return session.execute(_newest(Conversation.id, customer_id)).scalar()


def offer_allowed(session: Session, shop: Shop, customer_id: int, total_cents: int) -> bool:
    offer = shop.policies.cart_recovery.offer
    if offer is None or to_eur(total_cents) < offer.min_cart_eur:
        return False
    if not offer.once_per_customer:
        return True
    offered = session.execute(select(CartRecovery.id).where(
        CartRecovery.customer_id == customer_id, CartRecovery.offer_code == offer.code)).first()
    return offered is None and not code_used(session, customer_id, offer.code)


def code_used(session: Session, customer_id: int, code: str) -> bool:
    """Has the customer already paid an order with this code?"""
    return session.execute(select(Order.id).where(Order.customer_id == customer_id,
                                                  Order.discount_code == code)).first() is not None


def claim_abandoned(session: Session, shop: Shop, now: datetime) -> list[Claim]:
    """Create the reminder rows for newly abandoned carts, and pick up failed ones to retry."""
    policy = shop.policies.cart_recovery
    if policy.reminders_per_cart < 1:
        return []
    cutoff = now - timedelta(minutes=policy.idle_minutes)
    opted_in = Customer.reminders_opt_out.is_(False) if policy.respects_opt_out else True
    carts = session.execute(
        select(Cart, Customer).join(Customer, Customer.id == Cart.customer_id)
        .where(Cart.status == "open", Cart.total_cents > 0, Cart.updated_at <= cutoff, opted_in,
               ~exists().where(CartRecovery.cart_id == Cart.id))
        .order_by(Cart.updated_at)).all()
    # The reminder is the cart_recovery playbook's message: its holdout and per-customer cap apply.
    playbook = next((p for p in shop.playbooks.playbooks if p.message == "cart_reminder"), None)
    if playbook is not None and not playbook.enabled:
        return []
    claims: list[Claim] = []
    for cart, customer in carts:
        decision = None
        if playbook is not None:
            chat = latest_conversation_id(session, customer.id)
            if playbooks.capped(session, customer, playbook, now):
                session.add(CartRecovery(cart_id=cart.id, customer_id=customer.id, status="capped", created_at=now))
                continue
            decision = playbooks.record(session, shop.playbooks, playbook, customer, chat, now, channel=None)
            if decision.held_out:
                session.add(CartRecovery(cart_id=cart.id, customer_id=customer.id, status="held_out", created_at=now))
                continue
        code = policy.offer.code if policy.offer and offer_allowed(session, shop, customer.id, cart.total_cents) \
            else None
        recovery = CartRecovery(cart_id=cart.id, customer_id=customer.id, offer_code=code, created_at=now,
                                playbook_send_id=decision.id if decision is not None else None)
        session.add(recovery)
        session.flush()
        claims.append(Claim(recovery.id, cart.id, customer.visitor_id, code,
                            latest_conversation(session, customer.id)))
    retry = session.execute(
        select(CartRecovery, Customer.visitor_id).join(Customer, Customer.id == CartRecovery.customer_id)
        .join(Cart, Cart.id == CartRecovery.cart_id)
        .where(CartRecovery.status == "failed", CartRecovery.attempts < MAX_ATTEMPTS, Cart.status == "open",
               opted_in)).all()
    claims.extend(Claim(r.id, r.cart_id, visitor, r.offer_code, latest_conversation(session, r.customer_id))
                  for r, visitor in retry)
    return claims


def mark_sent(session: Session, recovery_id: int, at: datetime) -> None:
    """Said in the chat."""
    recovery = session.get(CartRecovery, recovery_id)
    recovery.status, recovery.sent_at, recovery.error, recovery.channel = "sent", at, None, "chat"
    recovery.attempts += 1
    reached(session, recovery, "chat")


def reached(session: Session, recovery: CartRecovery, channel: str) -> None:
    """The playbook's decision learns the channel that reached the customer (its results are per channel)."""
    send = session.get(PlaybookSend, recovery.playbook_send_id) if recovery.playbook_send_id else None
    if send is not None:
        send.channel = "chat+email" if channel == "email" and send.channel == "chat" else channel


def mark_failed(session: Session, recovery_id: int, error: str) -> None:
    recovery = session.get(CartRecovery, recovery_id)
    recovery.status, recovery.error = "failed", error[:300]
    recovery.attempts += 1


def attribute_order(session: Session, customer_id: int, order: Order, window_days: int) -> CartRecovery | None:
    """An order within the attribution window after a sent reminder recovers that cart."""
    recovery = session.execute(
        select(CartRecovery).where(
            CartRecovery.customer_id == customer_id, CartRecovery.status == "sent",
            CartRecovery.recovered_order_id.is_(None), CartRecovery.sent_at <= order.placed_at,
            CartRecovery.sent_at >= order.placed_at - timedelta(days=window_days))
        .order_by(CartRecovery.sent_at.desc())).scalars().first()
    if recovery is not None:
        recovery.recovered_order_id = order.id
        recovery.recovered_cents = order.total_cents
    return recovery


@dataclass(frozen=True)
class Reminder:
    """What the reminder message says about one cart."""

    items: list[dict[str, Any]]  # {"sku", "qty", "price_cents"}
    total_cents: int
    offer_code: str | None

    @property
    def total_eur(self) -> Decimal:
        return to_eur(self.total_cents)


def reminder_for(session: Session, visitor_id: str) -> Reminder | None:
    row = session.execute(
        select(CartRecovery, Cart).join(Cart, Cart.id == CartRecovery.cart_id)
        .join(Customer, Customer.id == CartRecovery.customer_id)
        .where(Customer.visitor_id == visitor_id, Cart.status == "open", CartRecovery.status.in_(("pending", "sent",
                                                                                                  "failed")))
        .order_by(CartRecovery.id.desc())).first()
    if row is None:
        return None
    recovery, cart = row
    return Reminder(list(cart.items), cart.total_cents, recovery.offer_code)


def claim_nps_requests(session: Session, now: datetime, max_age_days: int = 7) -> list[tuple[int, str]]:
    """Orders whose customer chatted and has not yet been asked for NPS, claimed so only one process asks.

    Returns (order id, conversation secret): the question goes to the customer's latest chat.
    """
    rows = session.execute(
        select(Order.id, Order.customer_id)
        .where(Order.nps_requested_at.is_(None), Order.placed_at >= now - timedelta(days=max_age_days),
               Order.placed_at <= now)).all()
    claimed = []
    for order_id, customer_id in rows:
        conversation = latest_conversation(session, customer_id)
        if conversation is None:  # never chatted: there is nowhere to ask
            continue
        result = session.execute(update(Order).where(Order.id == order_id, Order.nps_requested_at.is_(None))
                                 .values(nps_requested_at=now))
        if result.rowcount == 1:
            claimed.append((order_id, conversation))
    return claimed
