"""Orders after the sale, for the chat: a shopper's own orders, and proving an order by its number.

Nobody learns about another person's order. A conversation linked to the visitor by the signed
identity sees that visitor's orders (`of_visitor`). Anyone else gives the order number and the
e-mail address or postcode on it (`prove`); both must match, a miss never says whether the order
number exists, and misses are throttled per conversation and per proof tried (`MAX_MISSES` in
`WINDOW`), so order numbers cannot be walked. Attempts are stored as hashes, in the lifecycle
store, so every process counts the same guesses and a guessed address is not kept.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from lifecycle.storage.database import Database
from lifecycle.storage.models import Customer, Order, OrderProofAttempt
from lifecycle.values import utcnow

MAX_MISSES = 5
WINDOW = timedelta(hours=1)


class Proof(enum.Enum):
    FOUND = "found"
    NO_MATCH = "no_match"  # a wrong number or a wrong proof: the same answer for both
    THROTTLED = "throttled"


@dataclass(frozen=True)
class OrderView:
    ref: str
    placed_at: datetime
    items: tuple[tuple[str, int], ...]  # (sku, qty)
    total_cents: int
    shipped_at: datetime | None
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    expected_delivery: date | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    refunded_cents: int
    refunded_at: datetime | None
    returns: int

    @property
    def status(self) -> str:
        """placed, shipped, delivered or cancelled: what the shop last reported."""
        if self.cancelled_at is not None:
            return "cancelled"
        if self.delivered_at is not None:
            return "delivered"
        return "shipped" if self.shipped_at is not None else "placed"


def _view(order: Order) -> OrderView:
    return OrderView(order.order_ref, order.placed_at, tuple((i["sku"], int(i["qty"])) for i in order.items),
                     order.total_cents, order.shipped_at, order.carrier, order.tracking_number, order.tracking_url,
                     order.expected_delivery, order.delivered_at, order.cancelled_at, order.refunded_cents or 0,
                     order.refunded_at, len(order.returns or []))


def normal_proof(text: str) -> str:
    """An e-mail address in lower case, or a postcode without spaces and dashes ("EC1A 1BB" = "ec1a1bb")."""
    text = text.strip().lower()
    return text if "@" in text else re.sub(r"[\s-]+", "", text)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class OrderDesk:
    def __init__(self, database: Database, max_misses: int = MAX_MISSES, window: timedelta = WINDOW) -> None:
        self.database = database
        self.max_misses = max_misses
        self.window = window

    def of_visitor(self, visitor_id: str) -> list[OrderView]:
        """The visitor's orders, newest first (for a conversation the signed identity links to them)."""
        with self.database.reading() as session:
            rows = session.execute(select(Order).join(Customer, Customer.id == Order.customer_id)
                                   .where(Customer.visitor_id == visitor_id)
                                   .order_by(Order.placed_at.desc())).scalars().all()
            return [_view(order) for order in rows]

    def prove(self, conversation: str, order_ref: str, proof: str,
              now: datetime | None = None) -> tuple[Proof, OrderView | None]:
        """The order, when its number and the e-mail or postcode on it match; a miss tells nothing."""
        now = now or utcnow()
        conversation_key, proof_key = _key(f"conversation:{conversation}"), _key(f"proof:{normal_proof(proof)}")
        with self.database.session() as session:
            since = now - self.window
            misses = [session.execute(select(func.count()).select_from(OrderProofAttempt).where(
                column == key, OrderProofAttempt.ok.is_(False), OrderProofAttempt.at >= since)).scalar_one()
                for column, key in ((OrderProofAttempt.conversation_key, conversation_key),
                                    (OrderProofAttempt.proof_key, proof_key))]
            if max(misses) >= self.max_misses:
                return Proof.THROTTLED, None
            order = session.execute(select(Order).where(Order.order_ref == order_ref.strip())).scalars().first()
            given = normal_proof(proof)
            known = {normal_proof(value) for value in (order.email, order.postcode) if value} if order else set()
            ok = bool(given) and given in known
            session.add(OrderProofAttempt(conversation_key=conversation_key, proof_key=proof_key, ok=ok, at=now))
            if not ok or order is None:
                return Proof.NO_MATCH, None
            return Proof.FOUND, _view(order)
