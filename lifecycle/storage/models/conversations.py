"""Tables for people and what they said: customers and their stage moves, conversations,
every turn, and the domain events the actions add (product views, comparisons, hand-offs).

One customer per shop visitor id; a conversation per Rasa sender id.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import relationship
from sqlalchemy.sql import false

from lifecycle.storage.models.base import Base, Json, UtcDateTime
from lifecycle.values import utcnow


class Customer(Base):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    visitor_id = Column(String(128), nullable=False, unique=True)
    stage = Column(String(16), nullable=False, default="awareness")
    stage_since = Column(UtcDateTime, nullable=False, default=utcnow)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UtcDateTime, nullable=False, default=utcnow, index=True)
    customer_ref = Column(String(128), index=True)  # the shop's own customer id, once known
    reminders_opt_out = Column(Boolean, nullable=False, default=False, server_default=false())
    reengage_flagged_at = Column(UtcDateTime)  # set when a retained customer has gone quiet
    first_name = Column(String(40))  # from the shop's events (order, newsletter): personal data
    language = Column(String(8))  # the language of their latest conversation: en, it, sv, pl or ro
    family_id = Column(Integer, ForeignKey("families.id", ondelete="SET NULL", name="fk_customers_family_id_families"),
                       index=True)
    transitions = relationship("StageTransition", order_by="StageTransition.id", back_populates="customer")


class StageTransition(Base):
    __tablename__ = "stage_transitions"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True)
    from_stage = Column(String(16))
    to_stage = Column(String(16), nullable=False)
    reason = Column(String(200), nullable=False)
    at = Column(UtcDateTime, nullable=False, default=utcnow)
    customer = relationship("Customer", back_populates="transitions")


class Conversation(Base):
    __tablename__ = "conversations"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(128), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True)
    channel = Column(String(32))
    language = Column(String(8))  # the page's language, then the language the assistant answers in
    started_at = Column(UtcDateTime, nullable=False, default=utcnow)
    last_event_at = Column(UtcDateTime, nullable=False, default=utcnow, index=True)
    assignee = Column(String(64), index=True)  # the console user who owns it: one owner at a time


class ConversationEvent(Base):
    """A line of the conversation's timeline for support: assigned, unassigned, claimed, handed back, closed."""

    __tablename__ = "conversation_events"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(UtcDateTime, nullable=False, default=utcnow)
    actor = Column(String(64), nullable=False)  # the console user who did it
    kind = Column(String(16), nullable=False)
    detail = Column(String(200), nullable=False, default="")  # e.g. the new assignee


class Interaction(Base):
    """One user message, bot reply or executed action (kind: user, bot, action)."""

    __tablename__ = "interactions"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False)
    kind = Column(String(8), nullable=False)
    text = Column(Text)
    intent = Column(String(64))
    confidence = Column(Float)
    action = Column(String(64))
    payload = Column(Json)  # buttons and custom payloads of bot replies, metadata of user turns
    at = Column(UtcDateTime, nullable=False, default=utcnow)
    # By time for the Insights series; message text is searched through the full-text index the
    # migration 0016 keeps (SQLite FTS5 table, PostgreSQL tsvector column), see storage/search.py.
    __table_args__ = (Index("ix_interactions_conversation_at", "conversation_id", "at"),
                      Index("ix_interactions_at_kind", "at", "kind"))


class ProductRecord(Base):
    """The catalog as last loaded, so views and comparisons can be reported by name and price."""

    __tablename__ = "products"
    sku = Column(String(100), primary_key=True)
    name = Column(String(300), nullable=False)
    category = Column(String(120), nullable=False)
    price_cents = Column(Integer, nullable=False)
    stock = Column(Integer)  # empty: the shop's feed gives availability, not a count
    rating = Column(Float)  # empty: no reviews yet
    reviews = Column(Integer, nullable=False)
    warranty_years = Column(Integer)  # empty: the shop's default (shop.yml)
    specs = Column(Text, nullable=False)


class ProductView(Base):
    """A product fact the shopper asked for in the chat (the shop's own page views are ShopEvents)."""

    __tablename__ = "product_views"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True)
    sku = Column(String(100), ForeignKey("products.sku"), nullable=False, index=True)
    question = Column(String(32), nullable=False)  # what was asked: price, stock, specs, rating, warranty, info
    at = Column(UtcDateTime, nullable=False, default=utcnow)
    price_cents = Column(Integer)  # the price and stock when asked, so "welcome back" can say what changed
    stock = Column(Integer)


class Comparison(Base):
    __tablename__ = "comparisons"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(UtcDateTime, nullable=False, default=utcnow)
    items = relationship("ComparisonItem", order_by="ComparisonItem.position", cascade="all, delete-orphan")

    @property
    def skus(self) -> list[str]:
        return [item.sku for item in self.items]


class ComparisonItem(Base):
    """One product of a comparison, in the order shown; a row each so reports can join on the SKU."""

    __tablename__ = "comparison_items"
    comparison_id = Column(Integer, ForeignKey("comparisons.id", ondelete="CASCADE"), primary_key=True)
    position = Column(Integer, primary_key=True)
    sku = Column(String(100), nullable=False, index=True)


class HandoffStatus:
    """A hand-off's status values, named once for every service that reads or moves them."""

    OPEN, WAITING, LIVE, RETURNED, CLOSED, DONE, UNCLAIMED = (
        "open", "waiting", "live", "returned", "closed", "done", "unclaimed")
    WITH_A_PERSON = (WAITING, LIVE)  # a person has (or is about to have) the chat


class Handoff(Base):
    __tablename__ = "handoffs"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True)
    reason = Column(String(32), nullable=False)  # requested, after_fallback
    summary = Column(Text, nullable=False)
    within_hours = Column(Boolean, nullable=False)
    # open: a summary for later (no agent was online); waiting: in the live queue; live: an agent
    # claimed it; returned: handed back to the assistant; closed; done: an "open" one dealt with;
    # unclaimed: nobody took it in time (an e-mail address left afterwards reopens it as a ticket).
    status = Column(String(16), nullable=False, default=HandoffStatus.OPEN)
    requested_at = Column(UtcDateTime, nullable=False, default=utcnow)
    agent = Column(String(64))  # the console user who claimed it
    claimed_at = Column(UtcDateTime)
    first_reply_at = Column(UtcDateTime)  # the agent's first message: hand-off time is this minus requested_at
    ended_at = Column(UtcDateTime)
    contact_email = Column(String(254))  # left by the shopper for a reply: the hand-off is then a ticket
    __table_args__ = (Index("ix_handoffs_status_requested", "status", "requested_at"),)
