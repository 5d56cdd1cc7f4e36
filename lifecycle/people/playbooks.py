"""The playbooks service: what a visitor is due when their widget loads, the facts a message shows,
and each playbook's results against its holdout.

Each method is one transaction. The web app asks `on_arrival` (which records the decision, sent
or held out) and has Rasa say the message; the message's action asks for its facts here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update

from lifecycle.customers import playbooks as rules
from lifecycle.customers.identity import customer_for, find_customer, get_or_create
from lifecycle.customers.links import is_anonymous
from lifecycle.people.playbook_results import PlaybookResult, results
from lifecycle.shop.facts import Shop
from lifecycle.storage.database import Database
from lifecycle.storage.models import Conversation, Customer, Order, PlaybookSend, ProductView
from lifecycle.values import to_eur

VIEWS_SHOWN = 3


@dataclass(frozen=True)
class ViewedProduct:
    sku: str
    price_then_eur: Decimal | None
    stock_then: int | None


@dataclass(frozen=True)
class FollowUp:
    skus: list[str]  # the delivered order's products
    ask_nps: bool  # the order's NPS question was not asked yet (now it is)


class Playbooks:
    def __init__(self, database: Database) -> None:
        self.db = database

    def on_arrival(self, shop: Shop, sender_id: str, visitor_id: str, now: datetime) -> rules.Decision | None:
        """The visitor's widget loaded: the first arrival playbook due, recorded; None when nothing is.

        A message to send gets its conversation now, owned by the visitor, so the greeting Rasa
        records next is theirs (not an anonymous chat's)."""
        with self.db.session() as session:
            customer = customer_for(session, visitor_id, now)
            conversation = session.execute(select(Conversation).where(Conversation.sender_id == sender_id)
                                           ).scalar_one_or_none()
            if conversation is not None and conversation.customer_id != customer.id:
                owner = session.get(Customer, conversation.customer_id)
                if not is_anonymous(owner.visitor_id):
                    return None  # another visitor's chat: say nothing into it
                conversation.customer_id = customer.id
            decision = rules.decide(session, shop.playbooks, shop.playbooks.active("arrival"), customer,
                                    conversation.id if conversation else None,
                                    shop.policies.cart_recovery.idle_minutes, now)
            if decision is not None and not decision.held_out and conversation is None:
                conversation, _ = get_or_create(
                    session, Conversation, Conversation.sender_id == sender_id,
                    lambda: Conversation(sender_id=sender_id, customer_id=customer.id, started_at=now,
                                         last_event_at=now))
                session.execute(update(PlaybookSend).where(PlaybookSend.id == decision.send_id)
                                .values(conversation_id=conversation.id))
            return decision

    def failed(self, send_id: int) -> None:
        """Rasa could not say it: not a send (the cap does not count it; a later arrival tries again)."""
        with self.db.session() as session:
            session.execute(update(PlaybookSend).where(PlaybookSend.id == send_id).values(status="failed"))

    def viewed(self, visitor_id: str, since: datetime) -> list[ViewedProduct]:
        """The products the visitor last asked about, newest first, with the price and stock then."""
        with self.db.reading() as session:
            customer = find_customer(session, visitor_id)
            if customer is None:
                return []
            rows = session.execute(
                select(ProductView.sku, ProductView.price_cents, ProductView.stock).join(Conversation)
                .where(Conversation.customer_id == customer.id, ProductView.at >= since)
                .order_by(ProductView.at.desc(), ProductView.id.desc())).all()
        found: dict[str, ViewedProduct] = {}
        for sku, cents, stock in rows:
            if sku not in found and len(found) < VIEWS_SHOWN:
                found[sku] = ViewedProduct(sku, to_eur(cents) if cents is not None else None, stock)
        return list(found.values())

    def follow_up(self, visitor_id: str, now: datetime) -> FollowUp | None:
        """The latest delivered order; its NPS question is claimed here if the timer has not asked it."""
        with self.db.session() as session:
            customer = find_customer(session, visitor_id)
            if customer is None:
                return None
            order = session.execute(select(Order).where(Order.customer_id == customer.id,
                                                        Order.delivered_at.is_not(None))
                                    .order_by(Order.delivered_at.desc())).scalars().first()
            if order is None:
                return None
            ask = order.nps_requested_at is None
            if ask:
                order.nps_requested_at = now
            return FollowUp([item["sku"] for item in order.items], ask)

    def bought(self, visitor_id: str) -> list[str]:
        """What the customer ordered, newest first (the review request names it)."""
        with self.db.reading() as session:
            customer = find_customer(session, visitor_id)
            if customer is None:
                return []
            orders = session.execute(select(Order.items).where(Order.customer_id == customer.id)
                                     .order_by(Order.placed_at.desc())).scalars()
            return list(dict.fromkeys(item["sku"] for items in orders for item in items))

    def results(self, shop: Shop, start: datetime, end: datetime) -> list[PlaybookResult]:
        with self.db.reading() as session:
            return results(session, shop.playbooks, start, end)
