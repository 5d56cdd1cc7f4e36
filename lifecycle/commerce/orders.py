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

from sqlalchemy import func, select, update

from lifecycle.storage.database import Database
from lifecycle.storage.models import Customer, Order, OrderProofAttempt, OrderRequest
from lifecycle.values import utcnow
from lifecycle.webhooks import Outbox

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
    _label_url: str | None = None  # the latest authorised return's label, when the shop gave one

    @property
    def cancellable(self) -> bool:
        """Before it ships an order can be cancelled; after, it is a return."""
        return self.shipped_at is None and self.delivered_at is None and self.cancelled_at is None

    def return_until(self, window_days: int) -> date | None:
        """The last day of the return window, counted from delivery; None before delivery."""
        return (self.delivered_at + timedelta(days=window_days)).date() if self.delivered_at else None

    @property
    def label_url(self) -> str | None:
        return self._label_url

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
                     order.refunded_at, len(order.returns or []),
                     next((r.get("label_url") for r in reversed(order.returns or []) if r.get("label_url")), None))


def normal_proof(text: str) -> str:
    """An e-mail address in lower case, or a postcode without spaces and dashes ("EC1A 1BB" = "ec1a1bb")."""
    text = text.strip().lower()
    return text if "@" in text else re.sub(r"[\s-]+", "", text)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _refs(order_ref: str) -> set[str]:
    """The number as typed and as shops print it: "dw-10421" finds "DW-10421"."""
    ref = order_ref.strip()
    return {ref, ref.upper()}


@dataclass(frozen=True)
class OrderNews:
    """The shop answered a request made in the chat: say so in the conversation that asked."""

    request_id: int
    sender_id: str
    order_ref: str
    kind: str  # cancel | return


class OrderDesk:
    def __init__(self, database: Database, max_misses: int = MAX_MISSES, window: timedelta = WINDOW,
                 outbox: Outbox | None = None) -> None:
        self.database = database
        self.max_misses = max_misses
        self.window = window
        self.outbox = outbox  # cancellations and returns go to the shop as webhooks when it has an endpoint

    def of_visitor(self, visitor_id: str) -> list[OrderView]:
        """The visitor's orders, newest first (for a conversation the signed identity links to them)."""
        with self.database.reading() as session:
            rows = session.execute(select(Order).join(Customer, Customer.id == Order.customer_id)
                                   .where(Customer.visitor_id == visitor_id)
                                   .order_by(Order.placed_at.desc())).scalars().all()
            return [_view(order) for order in rows]

    def find(self, order_ref: str) -> OrderView | None:
        """An order the conversation has already proved (or the shop's timer names): never for a guess."""
        with self.database.reading() as session:
            order = session.execute(select(Order).where(Order.order_ref.in_(_refs(order_ref)))).scalars().first()
            return _view(order) if order else None

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
            order = session.execute(select(Order).where(Order.order_ref.in_(_refs(order_ref)))).scalars().first()
            given = normal_proof(proof)
            known = {normal_proof(value) for value in (order.email, order.postcode) if value} if order else set()
            ok = bool(given) and given in known
            session.add(OrderProofAttempt(conversation_key=conversation_key, proof_key=proof_key, ok=ok, at=now))
            if not ok or order is None:
                return Proof.NO_MATCH, None
            return Proof.FOUND, _view(order)

    def request(self, order_ref: str, kind: str, sender_id: str, items: list[tuple[str, int]],
                now: datetime | None = None) -> bool:
        """Ask the shop to cancel or take back (part of) an order: one request row and its webhook, in one
        transaction. False when the same request is already waiting for the shop's answer."""
        if kind not in ("cancel", "return"):
            raise ValueError(f"an order request is 'cancel' or 'return', not {kind!r}")
        now = now or utcnow()
        with self.database.session() as session:
            order = session.execute(select(Order).where(Order.order_ref.in_(_refs(order_ref)))).scalars().one()
            waiting = session.execute(select(OrderRequest.id).where(
                OrderRequest.order_id == order.id, OrderRequest.kind == kind,
                OrderRequest.answered_at.is_(None))).first()
            if waiting is not None:
                return False
            lines = [{"sku": sku, "qty": qty} for sku, qty in items]
            session.add(OrderRequest(order_id=order.id, kind=kind, sender_id=sender_id, items=lines,
                                     requested_at=now))
            if self.outbox is not None:
                visitor = session.execute(select(Customer.visitor_id).where(Customer.id == order.customer_id)
                                          ).scalar_one()
                self.outbox.add(session, f"order.{kind}_requested", {
                    "order_id": order.order_ref, "visitor_id": visitor, "items": lines, "requested_at": now},
                    now, customer_id=order.customer_id)
            return True

    def claim_news(self, now: datetime | None = None, limit: int = 50) -> list[OrderNews]:
        """Answered requests not yet said in the chat, each claimed once (a second web app skips it)."""
        now = now or utcnow()
        news = []
        with self.database.session() as session:
            rows = session.execute(select(OrderRequest.id, OrderRequest.sender_id, OrderRequest.kind, Order.order_ref)
                                   .join(Order, Order.id == OrderRequest.order_id)
                                   .where(OrderRequest.answered_at.is_not(None), OrderRequest.told_at.is_(None))
                                   .order_by(OrderRequest.answered_at).limit(limit)).all()
            for request_id, sender_id, kind, ref in rows:
                claimed = session.execute(update(OrderRequest).where(OrderRequest.id == request_id,
                                                                     OrderRequest.told_at.is_(None))
                                          .values(told_at=now))
                if claimed.rowcount:
                    news.append(OrderNews(request_id, sender_id, ref, kind))
        return news

    def news_not_told(self, request_id: int) -> None:
        """The chat could not be reached: the next pass tries again."""
        with self.database.session() as session:
            session.execute(update(OrderRequest).where(OrderRequest.id == request_id).values(told_at=None))
