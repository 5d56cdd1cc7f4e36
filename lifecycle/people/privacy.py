"""What the shop holds about one person, exported or forgotten; old conversations expired.

A person is known by their visitor id. Everything about them hangs off their customer
row (stage moves, conversations and every turn, product views, comparisons, hand-offs,
feedback, carts, reminders, orders, shop events, points, referrals), so forgetting deletes
that row and the database's cascades take the rest; Rasa's own tracker rows for each of
their conversations are deleted by sender id. Exports leave out conversation secrets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from lifecycle.customers.identity import find_customer
from lifecycle.storage.database import Database, purge_deleted
from lifecycle.storage.models import (
    Cart,
    CartRecovery,
    Comparison,
    Conversation,
    ConversationReview,
    ConversationTag,
    Customer,
    EmailConsent,
    Family,
    Feedback,
    Handoff,
    Interaction,
    LoyaltyEntry,
    MailMessage,
    Order,
    OrderRequest,
    PlaybookSend,
    ProductView,
    Referral,
    ShopEvent,
    StageTransition,
    WebhookMessage,
)
from lifecycle.storage.rasa_tracker import RasaTrackerRows

# Every table with rows about one customer, and how a row points at them.
PER_CUSTOMER = (StageTransition, Conversation, Feedback, Cart, CartRecovery, Order, ShopEvent, LoyaltyEntry,
                PlaybookSend, WebhookMessage, EmailConsent, MailMessage)
PER_CONVERSATION = (Interaction, ProductView, Comparison, Handoff)


class UnknownPerson(LookupError):
    """No customer has this visitor id."""


@dataclass(frozen=True)
class Forgotten:
    visitor_id: str
    rows: dict[str, int]  # table -> rows deleted
    tracker_events: int


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _row(row: Any, *skip: str) -> dict[str, Any]:
    return {column.name: _iso(getattr(row, column.key)) for column in row.__table__.columns
            if column.name not in skip}


class PersonalData:
    def __init__(self, database: Database, tracker: RasaTrackerRows) -> None:
        self.db = database
        self.tracker = tracker

    def _customer(self, session: Session, visitor_id: str) -> Customer:
        customer = find_customer(session, visitor_id)
        if customer is None:
            raise UnknownPerson(f"no customer has visitor id {visitor_id!r}")
        return customer

    def rows_about(self, visitor_id: str) -> dict[str, int]:
        """How many rows in each table are about this person (all zero once forgotten)."""
        with self.db.reading() as session:
            customer = find_customer(session, visitor_id)
            if customer is None:
                return {}
            conversations = [c for c, in session.execute(
                select(Conversation.id).where(Conversation.customer_id == customer.id))]
            counts = {"customers": 1}
            for model in PER_CUSTOMER:
                counts[model.__tablename__] = session.execute(
                    select(func.count()).select_from(model).where(model.customer_id == customer.id)).scalar_one()
            for model in PER_CONVERSATION:
                counts[model.__tablename__] = session.execute(
                    select(func.count()).select_from(model).where(model.conversation_id.in_(conversations))
                ).scalar_one()
            counts["referrals"] = session.execute(select(func.count()).select_from(Referral).where(
                or_(Referral.referrer_id == customer.id, Referral.invited_id == customer.id))).scalar_one()
            senders = self._senders(session, customer.id)
        counts["rasa_tracker_events"] = self.tracker.count(senders)
        return counts

    @staticmethod
    def _senders(session: Session, customer_id: int) -> list[str]:
        return [sender for sender, in session.execute(
            select(Conversation.sender_id).where(Conversation.customer_id == customer_id))]

    def export(self, visitor_id: str) -> dict[str, Any]:
        with self.db.reading() as session:
            customer = self._customer(session, visitor_id)
            conversations = []
            for number, conversation in enumerate(session.execute(
                    select(Conversation).where(Conversation.customer_id == customer.id)
                    .order_by(Conversation.started_at)).scalars(), start=1):
                turns = session.execute(select(Interaction).where(Interaction.conversation_id == conversation.id)
                                        .order_by(Interaction.at, Interaction.id)).scalars()
                conversations.append({
                    "conversation": number,  # the sender id is a secret: never exported
                    **_row(conversation, "id", "sender_id", "customer_id"),
                    "turns": [_row(t, "id", "conversation_id") for t in turns],
                    "product_views": [_row(v, "id", "conversation_id") for v in session.execute(
                        select(ProductView).where(ProductView.conversation_id == conversation.id)).scalars()],
                    "comparisons": [{"at": _iso(c.at), "skus": c.skus} for c in session.execute(
                        select(Comparison).where(Comparison.conversation_id == conversation.id)).scalars()],
                    "handoffs": [_row(h, "id", "conversation_id") for h in session.execute(
                        select(Handoff).where(Handoff.conversation_id == conversation.id)).scalars()],
                    "assistant_log": self.tracker.events(conversation.sender_id),
                    "support_review": [_row(r, "conversation_id") for r in session.execute(
                        select(ConversationReview).where(ConversationReview.conversation_id == conversation.id)
                    ).scalars()],
                    "support_tags": sorted(t for t, in session.execute(
                        select(ConversationTag.tag).where(ConversationTag.conversation_id == conversation.id))),
                })
            export: dict[str, Any] = {"customer": _row(customer, "id", "family_id"), "conversations": conversations}
            for model in (StageTransition, Feedback, Cart, CartRecovery, Order, ShopEvent, LoyaltyEntry, PlaybookSend,
                          WebhookMessage, EmailConsent, MailMessage):
                rows = session.execute(select(model).where(model.customer_id == customer.id)).scalars()
                export[model.__tablename__] = [
                    {**_row(r, "id", "customer_id", "conversation_id"),
                     **({"themes": r.themes} if isinstance(r, Feedback) else {})} for r in rows]
            export["order_requests"] = [  # cancellations and returns asked for in the chat
                _row(r, "id", "order_id", "sender_id") | {"order_id": ref} for r, ref in session.execute(
                    select(OrderRequest, Order.order_ref).join(Order, Order.id == OrderRequest.order_id)
                    .where(Order.customer_id == customer.id))]
            export["referrals"] = [{"role": "referrer" if r.referrer_id == customer.id else "invited",
                                    "created_at": _iso(r.created_at), "rewarded_at": _iso(r.rewarded_at)}
                                   for r in session.execute(select(Referral).where(
                                       or_(Referral.referrer_id == customer.id, Referral.invited_id == customer.id))
                                   ).scalars()]
        return export

    def forget(self, visitor_id: str) -> Forgotten:
        """Delete everything about the person, in both stores."""
        with self.db.session() as session:
            customer = self._customer(session, visitor_id)
            senders = self._senders(session, customer.id)
        counts = self.rows_about(visitor_id)
        tracker_events = self.tracker.delete(senders)  # first: a crash in between leaves a findable customer
        with self.db.session() as session:
            family_id = session.execute(select(Customer.family_id).where(Customer.visitor_id == visitor_id)
                                        ).scalar_one_or_none()
            _scrub_mentions(session, visitor_id)
            session.execute(delete(Customer).where(Customer.visitor_id == visitor_id))  # cascades to every row above
            if family_id is not None and session.execute(select(func.count()).select_from(Customer).where(
                    Customer.family_id == family_id)).scalar_one() == 0:
                session.execute(delete(Family).where(Family.id == family_id))  # its name named them
                counts["families"] = 1
        purge_deleted(self.db.engine)
        counts.pop("rasa_tracker_events", None)
        return Forgotten(visitor_id, counts, tracker_events)

    def expire_conversations(self, before: datetime) -> int:
        """Delete conversations last active before `before` (the retention setting), in both stores."""
        with self.db.session() as session:
            old = list(session.execute(select(Conversation.id, Conversation.sender_id)
                                       .where(Conversation.last_event_at < before)).all())
        if not old:
            return 0
        self.tracker.delete([sender for _, sender in old])
        with self.db.session() as session:
            session.execute(delete(Conversation).where(Conversation.id.in_([cid for cid, _ in old])))
        purge_deleted(self.db.engine)
        return len(old)


FORGOTTEN = "(forgotten)"


def _scrub_mentions(session: Session, visitor_id: str) -> None:
    """Other customers' rows that name this person (a referrer's `invited_visitor_id`, the reason of
    the referrer's stage move "referred <id>") keep the row, for the referrer's history and metrics,
    but not the id."""
    for event in session.execute(select(ShopEvent).where(ShopEvent.type == "referral")).scalars():
        payload = dict(event.payload or {})
        if payload.get("invited_visitor_id") == visitor_id:
            payload["invited_visitor_id"] = FORGOTTEN
            event.payload = payload
    for move in session.execute(select(StageTransition).where(StageTransition.reason.contains(visitor_id,
                                                                                              autoescape=True))
                                ).scalars():
        move.reason = move.reason.replace(visitor_id, FORGOTTEN)
