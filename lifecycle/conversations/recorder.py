"""Recording the conversation and its domain events in the lifecycle store.

Rasa's event broker calls the `record_*_message` methods for every turn (so turns
answered by a plain response are not missed); the custom actions call the domain
methods (product views, comparisons, questions, hand-offs). Both may be first to
see a new visitor, in different processes, so customers and conversations are
created with get-or-create that survives a concurrent insert.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.conversations.history import widget_history
from lifecycle.conversations.summary import summarise
from lifecycle.customers import stages
from lifecycle.customers.identity import customer_for, find_customer, get_or_create
from lifecycle.customers.links import IdentityLinks, is_anonymous
from lifecycle.shop.facts import Product
from lifecycle.shop.language import language_of
from lifecycle.storage.database import Database
from lifecycle.storage.models import (
    Comparison,
    ComparisonItem,
    Conversation,
    Customer,
    Handoff,
    HandoffStatus,
    Interaction,
    ProductRecord,
    ProductView,
)
from lifecycle.values import to_cents, utcnow
from lifecycle.webhooks.outbox import Outbox

TICKET_WINDOW = timedelta(days=1)  # an address left later is a new request, not an answer to an old one


@dataclass(frozen=True)
class Turn:
    """One event of a conversation as the store keeps it: a user message, a bot reply or an action."""

    kind: str  # user, bot, action, agent (a person in a live chat), trigger (the web app's external intent)
    sender_id: str
    at: datetime
    text: str | None = None
    intent: str | None = None
    confidence: float | None = None
    action: str | None = None
    payload: dict[str, Any] | None = None  # metadata of a user message, buttons and custom data of a reply
    identity: object = None  # the signed link a user message carried
    channel: str | None = None


class ConversationRecorder:
    """The service behind the event broker and the actions; each call is one transaction."""

    def __init__(self, database: Database, links: IdentityLinks, outbox: Outbox | None = None) -> None:
        self.db = database
        self.links = links
        self.outbox = outbox  # hand-offs and tickets go to the shop as webhooks when it has an endpoint

    # -- who is writing ------------------------------------------------------------

    def visitor_for(self, sender_id: str, token: object = None) -> str:
        """The one rule for "who is this shopper" (see `lifecycle.customers.links`)."""
        with self.db.reading() as session:
            return self._who(session, sender_id, token)

    def _who(self, session: Session, sender_id: str, token: object) -> str:
        verified = self.links.verify(sender_id, token) if token else None
        if verified:
            return verified
        linked = session.execute(select(Customer.visitor_id).join(Conversation, Conversation.customer_id == Customer.id)
                                 .where(Conversation.sender_id == sender_id)).scalar_one_or_none()
        return str(linked) if linked else self.links.anonymous(sender_id)

    # -- people and conversations -------------------------------------------------

    def _conversation(
        self, session: Session, sender_id: str, visitor_id: str | None, at: datetime, channel: str | None = None
    ) -> Conversation:
        existing = session.execute(select(Conversation).where(Conversation.sender_id == sender_id)).scalar_one_or_none()
        if existing is not None:
            existing.last_event_at = max(existing.last_event_at, at)
            if channel and not existing.channel:
                existing.channel = channel
            if visitor_id and not is_anonymous(visitor_id):
                owner = self._owner(session, existing)
                if is_anonymous(owner.visitor_id):  # the shopper's link arrived: the conversation is theirs
                    existing.customer_id = customer_for(session, visitor_id, at).id
            return existing
        # Never the sender id: it is the conversation's secret, and visitor ids are shown in the console.
        customer = customer_for(session, visitor_id or self.links.anonymous(sender_id), at)
        conversation, _ = get_or_create(
            session, Conversation, Conversation.sender_id == sender_id,
            lambda: Conversation(sender_id=sender_id, customer_id=customer.id, channel=channel, started_at=at,
                                 last_event_at=at),
        )
        return conversation

    # -- every turn (from the event broker) ----------------------------------------

    def record_turns(self, turns: Sequence[Turn], skip_recorded: bool = False) -> None:
        """Several turns in one transaction (the event broker's writer sends batches).

        `skip_recorded`: the turns may have been recorded already (a journal replayed after its
        process died between recording it and clearing it); one already stored for its conversation,
        kind and time (Rasa's event timestamp, to the microsecond) is not stored again.
        """
        with self.db.session() as session:
            known: dict[str, Conversation] = {}  # a turn is 3-4 events of one conversation: look it up once
            for turn in turns:
                if skip_recorded and self._recorded(session, turn):
                    continue
                self._record(session, turn, known)

    @staticmethod
    def _recorded(session: Session, turn: Turn) -> bool:
        return session.execute(select(Interaction.id).join(Conversation).where(
            Conversation.sender_id == turn.sender_id, Interaction.kind == turn.kind, Interaction.at == turn.at
        ).limit(1)).first() is not None

    def _record(self, session: Session, turn: Turn, known: dict[str, Conversation]) -> None:
        if turn.kind == "user":
            visitor = self._who(session, turn.sender_id, turn.identity)
            conversation = known[turn.sender_id] = self._conversation(session, turn.sender_id, visitor, turn.at,
                                                                      turn.channel)
            metadata = turn.payload or {}
            if metadata.get("language") and not conversation.language:  # the page's, until the assistant decides
                conversation.language = language_of(str(metadata["language"]))
            kept = {key: value for key, value in metadata.items() if key != "identity"}  # a credential
            session.add(Interaction(conversation_id=conversation.id, kind="user", text=turn.text, intent=turn.intent,
                                    confidence=turn.confidence, payload=kept or None, at=turn.at))
        else:
            conversation = known.get(turn.sender_id) or self._conversation(session, turn.sender_id, None, turn.at)
            known[turn.sender_id] = conversation
            conversation.last_event_at = max(conversation.last_event_at, turn.at)
            session.add(Interaction(conversation_id=conversation.id, kind=turn.kind, text=turn.text,
                                    action=turn.action, confidence=turn.confidence, payload=turn.payload or None,
                                    at=turn.at))

    def record_user_message(
        self, sender_id: str, text: str | None, intent: str | None, confidence: float | None,
        at: datetime | None = None, identity: object = None, channel: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.record_turns([Turn("user", sender_id, at or utcnow(), text=text, intent=intent, confidence=confidence,
                                identity=identity, channel=channel, payload=metadata)])

    def record_bot_message(
        self, sender_id: str, text: str | None, action: str | None, payload: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> None:
        self.record_turns([Turn("bot", sender_id, at or utcnow(), text=text, action=action, payload=payload)])

    def record_action(self, sender_id: str, action: str, at: datetime | None = None,
                      confidence: float | None = None) -> None:
        self.record_turns([Turn("action", sender_id, at or utcnow(), action=action, confidence=confidence)])

    # -- domain events (from the custom actions) ----------------------------------

    def record_language(self, sender_id: str, language: str, visitor_id: str | None = None,
                        at: datetime | None = None) -> None:
        """The language the assistant now answers in, for the conversation and its customer."""
        if language_of(language) is None:
            raise ValueError(f"unknown language {language!r}")
        at = at or utcnow()
        with self.db.session() as session:
            conversation = self._conversation(session, sender_id, visitor_id, at)
            conversation.language = language
            self._owner(session, conversation).language = language

    def record_question(self, sender_id: str, topic: str, visitor_id: str | None = None,
                        at: datetime | None = None) -> None:
        at = at or utcnow()
        with self.db.session() as session:
            conversation = self._conversation(session, sender_id, visitor_id, at)
            stages.on_engagement(session, self._owner(session, conversation), f"asked about {topic}", at)

    def record_product_views(self, sender_id: str, skus: Sequence[str], question: str,
                             visitor_id: str | None = None, at: datetime | None = None) -> None:
        at = at or utcnow()
        with self.db.session() as session:
            conversation = self._conversation(session, sender_id, visitor_id, at)
            known = {row.sku: row for row in session.execute(
                select(ProductRecord).where(ProductRecord.sku.in_(list(skus)))).scalars()}
            session.add_all(ProductView(conversation_id=conversation.id, sku=sku, question=question, at=at,
                                        price_cents=known[sku].price_cents if sku in known else None,
                                        stock=known[sku].stock if sku in known else None)
                            for sku in skus)
            stages.on_engagement(session, self._owner(session, conversation),
                                 f"asked the {question} of {', '.join(skus)}", at)

    def record_comparison(self, sender_id: str, skus: Sequence[str], visitor_id: str | None = None,
                          at: datetime | None = None) -> None:
        at = at or utcnow()
        with self.db.session() as session:
            conversation = self._conversation(session, sender_id, visitor_id, at)
            session.add(Comparison(conversation_id=conversation.id, at=at,
                                   items=[ComparisonItem(position=n, sku=sku) for n, sku in enumerate(skus)]))
            stages.on_engagement(session, self._owner(session, conversation), f"compared {', '.join(skus)}", at)

    def request_handoff(self, sender_id: str, reason: str, within_hours: bool,
                        visitor_id: str | None = None, live: bool = False, at: datetime | None = None) -> Handoff:
        """A request for a person; `live` puts it in the console's live queue (an agent is online)."""
        at = at or utcnow()
        with self.db.session() as session:
            conversation = self._conversation(session, sender_id, visitor_id, at)
            handoff = Handoff(conversation_id=conversation.id, reason=reason, within_hours=within_hours,
                              summary=summarise(session, conversation), requested_at=at,
                              status=HandoffStatus.WAITING if live else HandoffStatus.OPEN)
            session.add(handoff)
            self._webhook(session, "handoff.requested", handoff, conversation, at)
        return handoff

    def _webhook(self, session: Session, kind: str, handoff: Handoff, conversation: Conversation,
                 at: datetime) -> None:
        if self.outbox is None:
            return
        session.flush()
        visitor = session.execute(select(Customer.visitor_id).where(Customer.id == conversation.customer_id)
                                  ).scalar_one()
        self.outbox.add(session, kind, {
            "handoff_id": handoff.id, "conversation_id": conversation.id, "visitor_id": visitor,
            "reason": handoff.reason, "within_hours": handoff.within_hours, "summary": handoff.summary,
            "contact_email": handoff.contact_email, "requested_at": handoff.requested_at}, at,
            customer_id=conversation.customer_id)

    def leave_email(self, sender_id: str, address: str, within_hours: bool, visitor_id: str | None = None,
                    at: datetime | None = None) -> Handoff:
        """The shopper's address for a reply: it turns this chat's latest unanswered request for a
        person (or a new one) into a ticket in the console's queue.

        `address` must already be checked (`lifecycle.people.contact.checked_address`).
        """
        at = at or utcnow()
        with self.db.session() as session:
            conversation = self._conversation(session, sender_id, visitor_id, at)
            handoff = session.execute(
                select(Handoff).where(Handoff.conversation_id == conversation.id,
                                      Handoff.status.in_((HandoffStatus.OPEN, HandoffStatus.UNCLAIMED)),
                                      Handoff.requested_at >= at - TICKET_WINDOW)
                .order_by(Handoff.requested_at.desc(), Handoff.id.desc())).scalars().first()
            if handoff is None:
                handoff = Handoff(conversation_id=conversation.id, reason="email", within_hours=within_hours,
                                  summary=summarise(session, conversation), requested_at=at)
                session.add(handoff)
            handoff.contact_email, handoff.status = address, HandoffStatus.OPEN
            session.flush()
            self._webhook(session, "ticket.created", handoff, conversation, at)
        return handoff

    # -- catalog and reading back ---------------------------------------------------

    def sync_catalog(self, products: Iterable[Product]) -> int:
        """Upsert the catalog (idempotent: run at every start)."""
        count = 0
        with self.db.session() as session:
            for product in products:
                session.merge(ProductRecord(
                    sku=product.sku, name=product.name, category=product.category,
                    price_cents=to_cents(product.price_eur),
                    stock=product.stock, rating=product.rating, reviews=product.reviews,
                    warranty_years=product.warranty_years, specs="; ".join(product.specs)))
                count += 1
        return count

    def customer(self, visitor_id: str) -> Customer | None:
        with self.db.reading() as session:
            return find_customer(session, visitor_id)

    def history(self, sender_id: str) -> list[dict[str, Any]]:
        """The conversation as the widget redraws it after a reload."""
        with self.db.reading() as session:
            return widget_history(session, sender_id)

    def interactions(self, sender_id: str) -> list[Interaction]:
        with self.db.reading() as session:
            return list(session.execute(
                select(Interaction).join(Conversation).where(Conversation.sender_id == sender_id)
                .order_by(Interaction.at, Interaction.id)).scalars())

    @staticmethod
    def _owner(session: Session, conversation: Conversation) -> Customer:
        customer: Customer = session.get(Customer, conversation.customer_id)
        return customer
