"""The playbook rules (docs/playbooks.md): is this customer eligible now, held out, capped, opted out?

Runs inside a service's transaction. A decision is written as a PlaybookSend row whether the
message goes out or the customer is held out, so caps count both and the holdout is a fixed
part of the eligible customers, not of whoever happened to arrive again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle.shop.playbooks import Playbook, PlaybookBook
from lifecycle.storage.models import (
    Cart,
    Comparison,
    Conversation,
    Customer,
    Feedback,
    Handoff,
    HandoffStatus,
    Order,
    PlaybookSend,
    ProductView,
    ShopEvent,
)

SAME_VISIT = timedelta(minutes=30)  # activity closer than this, in the same chat, is one visit


@dataclass
class Facts:
    """The latest time each trigger event happened to one customer, and where the latest view was."""

    latest: dict[str, datetime] = field(default_factory=dict)
    view_conversation: int | None = None

    def note(self, event: str, at: datetime | None) -> None:
        if at is not None and (event not in self.latest or at > self.latest[event]):
            self.latest[event] = at


def facts(session: Session, customer: Customer, idle_minutes: int, now: datetime) -> Facts:
    found = Facts()
    found.note("first_visit", customer.created_at)
    found.note("reengage_flagged", customer.reengage_flagged_at)
    chats = select(Conversation.id).where(Conversation.customer_id == customer.id)
    view = session.execute(select(ProductView.at, ProductView.conversation_id)
                           .where(ProductView.conversation_id.in_(chats))
                           .order_by(ProductView.at.desc()).limit(1)).first()
    if view is not None:
        found.note("product_view", view[0])
        found.view_conversation = view[1]
    browsed = session.execute(select(func.max(ShopEvent.ts)).where(
        ShopEvent.customer_id == customer.id, ShopEvent.type == "product_view")).scalar_one()
    if browsed is not None and (view is None or browsed > view[0]):
        found.view_conversation = None  # the latest look was on the shop's pages: no chat to tell visits apart
    found.note("product_view", browsed)
    found.note("comparison", session.execute(select(func.max(Comparison.at)).where(
        Comparison.conversation_id.in_(chats))).scalar_one())
    found.note("cart_abandoned", session.execute(select(func.max(Cart.updated_at)).where(
        Cart.customer_id == customer.id, Cart.status == "open", Cart.total_cents > 0,
        Cart.updated_at <= now - timedelta(minutes=idle_minutes))).scalar_one())
    placed, delivered = session.execute(select(func.max(Order.placed_at), func.max(Order.delivered_at)).where(
        Order.customer_id == customer.id)).one()
    found.note("order_placed", placed)
    found.note("order_delivered", delivered)
    found.note("promoter", session.execute(select(func.max(Feedback.created_at)).where(
        Feedback.customer_id == customer.id, Feedback.kind == "nps", Feedback.rating >= 9)).scalar_one())
    for ts, payload in session.execute(select(ShopEvent.ts, ShopEvent.payload).where(
            ShopEvent.customer_id == customer.id, ShopEvent.type == "review_written")):
        if (payload or {}).get("rating") == 5:
            found.note("promoter", ts)
    return found


def eligible(playbook: Playbook, customer: Customer, known: Facts, conversation_id: int | None,
             now: datetime) -> bool:
    """The trigger alone: stage, the event's age, nothing in `unless` since, a later visit if asked."""
    trigger = playbook.trigger
    at = known.latest.get(trigger.event)
    if customer.stage not in trigger.stage or at is None:
        return False
    if not timedelta(days=trigger.min_days) <= now - at <= timedelta(days=trigger.max_days):
        return False
    if any(known.latest.get(other, at) > at for other in trigger.unless):
        return False
    if trigger.returning:
        same_chat = trigger.event != "product_view" or known.view_conversation in (None, conversation_id)
        if same_chat and now - at < SAME_VISIT:
            return False
    return True


def held_out(playbook_id: str, visitor_id: str, percent: int) -> bool:
    """A fixed share of customers per playbook, the same at every decision (a hash, not a coin)."""
    digest = hashlib.sha256(f"{playbook_id}:{visitor_id}".encode()).hexdigest()
    return int(digest[:8], 16) % 100 < percent


def capped(session: Session, customer: Customer, playbook: Playbook, now: datetime) -> bool:
    since = now - timedelta(days=playbook.cap.per_days) if playbook.cap.per_days else None
    count = session.execute(select(func.count()).select_from(PlaybookSend).where(
        PlaybookSend.customer_id == customer.id, PlaybookSend.playbook == playbook.id,
        PlaybookSend.status.in_(("sent", "held_out")), *([PlaybookSend.at >= since] if since else []))).scalar_one()
    return count >= playbook.cap.times


def offer_available(session: Session, customer: Customer, playbook: Playbook) -> bool:
    offer = playbook.offer
    if offer is None or not offer.once_per_customer:
        return True
    offered = session.execute(select(PlaybookSend.id).where(
        PlaybookSend.customer_id == customer.id, PlaybookSend.offer_code == offer.code,
        PlaybookSend.status == "sent")).first()
    used = session.execute(select(Order.id).where(Order.customer_id == customer.id,
                                                  Order.discount_code == offer.code)).first()
    return offered is None and used is None


def person_has_the_chat(session: Session, conversation_id: int | None) -> bool:
    if conversation_id is None:
        return False
    with_a_person = select(Handoff.id).where(Handoff.conversation_id == conversation_id,
                                             Handoff.status.in_(HandoffStatus.WITH_A_PERSON))
    return session.execute(with_a_person).first() is not None


@dataclass(frozen=True)
class Decision:
    send_id: int
    playbook: str
    message: str
    held_out: bool
    offer_code: str | None


def decide(session: Session, book: PlaybookBook, candidates: list[Playbook], customer: Customer,
           conversation_id: int | None, idle_minutes: int, now: datetime) -> Decision | None:
    """The first candidate this customer is due, recorded as sent or held out; None if none is due.

    A held-out decision still ends the search: the customer gets nothing this time, as the
    baseline for that playbook; the next arrival may find another playbook due."""
    if person_has_the_chat(session, conversation_id):
        return None
    known = facts(session, customer, idle_minutes, now)
    for playbook in candidates:
        if playbook.respects_opt_out and customer.reminders_opt_out:
            continue
        if not eligible(playbook, customer, known, conversation_id, now) or capped(session, customer, playbook, now):
            continue
        if not offer_available(session, customer, playbook):
            continue
        row = record(session, book, playbook, customer, conversation_id, now)
        return Decision(row.id, playbook.id, playbook.message, row.held_out, row.offer_code)
    return None


def record(session: Session, book: PlaybookBook, playbook: Playbook, customer: Customer, conversation_id: int | None,
           now: datetime, channel: str | None = "chat") -> PlaybookSend:
    """The decision for a customer found due (here, or by cart recovery's own search): sent or held out."""
    out = held_out(playbook.id, customer.visitor_id, book.holdout_percent)
    row = PlaybookSend(playbook=playbook.id, customer_id=customer.id, conversation_id=conversation_id, at=now,
                       held_out=out, status="held_out" if out else "sent",
                       offer_code=playbook.offer.code if playbook.offer and not out else None,
                       channel=None if out else channel)
    session.add(row)
    session.flush()
    return row
