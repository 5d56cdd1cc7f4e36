"""The lifecycle store's tables.

One customer per widget visitor id; a conversation per Rasa sender id; every user
message, bot reply and action as an interaction row; the domain events the actions
add (product views, comparisons, hand-offs); and the customer's stage with every
transition, so support and marketing can see how a person moved and why.
Schema changes go through Alembic (lifecycle/migrations), never `create_all` in
production code.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.sql import false

Base = declarative_base()

STAGES = ("awareness", "engagement", "conversion", "retention", "advocacy")


class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the lifecycle store; use UTC-aware times")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """An aware UTC time; a time without offset (from a form or an import) is read as UTC."""
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


class Customer(Base):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    visitor_id = Column(String(128), nullable=False, unique=True)
    stage = Column(String(16), nullable=False, default="awareness")
    stage_since = Column(UtcDateTime, nullable=False, default=utcnow)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UtcDateTime, nullable=False, default=utcnow)
    customer_ref = Column(String(128), index=True)  # the shop's own customer id, once known
    reminders_opt_out = Column(Boolean, nullable=False, default=False, server_default=false())
    reengage_flagged_at = Column(UtcDateTime)  # set when a retained customer has gone quiet
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
    language = Column(String(8))  # the page language the widget reported
    started_at = Column(UtcDateTime, nullable=False, default=utcnow)
    last_event_at = Column(UtcDateTime, nullable=False, default=utcnow)


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
    payload = Column(Text)  # JSON: buttons and custom payloads of bot replies, metadata of user turns
    at = Column(UtcDateTime, nullable=False, default=utcnow)
    __table_args__ = (Index("ix_interactions_conversation_at", "conversation_id", "at"),)


class ProductRecord(Base):
    """The catalog as last loaded, so views and comparisons can be reported by name and price."""

    __tablename__ = "products"
    sku = Column(String(16), primary_key=True)
    name = Column(String(120), nullable=False)
    category = Column(String(40), nullable=False)
    price_cents = Column(Integer, nullable=False)  # money as integer cents: exact on every backend
    stock = Column(Integer, nullable=False)
    rating = Column(Float, nullable=False)
    reviews = Column(Integer, nullable=False)
    warranty_years = Column(Integer, nullable=False)
    specs = Column(Text, nullable=False)


class ProductView(Base):
    __tablename__ = "product_views"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True)
    sku = Column(String(16), ForeignKey("products.sku"), nullable=False, index=True)
    question = Column(String(32), nullable=False)  # what was asked: price, stock, specs, rating, warranty, info
    at = Column(UtcDateTime, nullable=False, default=utcnow)


class Comparison(Base):
    __tablename__ = "comparisons"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True)
    skus = Column(String(80), nullable=False)  # comma-separated, in the order shown
    at = Column(UtcDateTime, nullable=False, default=utcnow)


class Handoff(Base):
    __tablename__ = "handoffs"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True)
    reason = Column(String(32), nullable=False)  # requested, fallback
    summary = Column(Text, nullable=False)
    within_hours = Column(Boolean, nullable=False)
    status = Column(String(16), nullable=False, default="open")
    requested_at = Column(UtcDateTime, nullable=False, default=utcnow)


class Family(Base):
    """A family loyalty account: members pool their points."""

    __tablename__ = "families"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)


class ShopEvent(Base):
    """Every event the shop posted, once: a repeated event_id is ignored."""

    __tablename__ = "shop_events"
    id = Column(Integer, primary_key=True)
    event_id = Column(String(128), nullable=False, unique=True)
    type = Column(String(32), nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False)
    ts = Column(UtcDateTime, nullable=False)
    payload = Column(Text)
    __table_args__ = (Index("ix_shop_events_ts_type", "ts", "type"),
                      Index("ix_shop_events_customer_ts", "customer_id", "ts", "type"))  # covers the metrics EXISTS


class Cart(Base):
    """One shopping cart from its first item to its end (ordered or emptied); history is kept."""

    __tablename__ = "carts"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(12), nullable=False, default="open")  # open, checkout, ordered, emptied
    items = Column(Text, nullable=False)  # JSON [{"sku", "qty", "price_cents"}]
    total_cents = Column(Integer, nullable=False)
    created_at = Column(UtcDateTime, nullable=False)
    updated_at = Column(UtcDateTime, nullable=False)
    __table_args__ = (Index("ix_carts_status_updated", "status", "updated_at"),)


class CartRecovery(Base):
    """The one reminder a cart may get, and what came of it."""

    __tablename__ = "cart_recoveries"
    id = Column(Integer, primary_key=True)
    cart_id = Column(Integer, ForeignKey("carts.id", ondelete="CASCADE"), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(12), nullable=False, default="pending")  # pending, sent, failed
    offer_code = Column(String(32))
    attempts = Column(Integer, nullable=False, default=0)
    error = Column(String(300))
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    sent_at = Column(UtcDateTime)
    recovered_order_id = Column(Integer, ForeignKey("orders.id", ondelete="SET NULL"))
    recovered_cents = Column(Integer)


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    order_ref = Column(String(64), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False)
    cart_id = Column(Integer, ForeignKey("carts.id", ondelete="SET NULL"))
    items = Column(Text, nullable=False)
    total_cents = Column(Integer, nullable=False)
    discount_code = Column(String(32))
    placed_at = Column(UtcDateTime, nullable=False)
    nps_requested_at = Column(UtcDateTime)  # when the chat asked this order's customer for NPS
    __table_args__ = (Index("ix_orders_placed_customer", "placed_at", "customer_id", "total_cents"),
                      Index("ix_orders_customer_placed", "customer_id", "placed_at"))


class Referral(Base):
    __tablename__ = "referrals"
    id = Column(Integer, primary_key=True)
    referrer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True)
    invited_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, unique=True)
    rewarded_at = Column(UtcDateTime)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)


class MarketingSpend(Base):
    """Sales and marketing spend posted by the shop, for CAC and cost per impression."""

    __tablename__ = "marketing_spend"
    id = Column(Integer, primary_key=True)
    period_start = Column(UtcDateTime, nullable=False)
    period_end = Column(UtcDateTime, nullable=False)
    amount_cents = Column(Integer, nullable=False)
    impressions = Column(Integer, nullable=False, default=0)  # e.g. opened e-mails
    channel = Column(String(40), nullable=False, default="all")
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)


class LoyaltyEntry(Base):
    """Points earned (positive) or redeemed (negative); (customer, reason, ref) is unique so replays add nothing."""

    __tablename__ = "loyalty_entries"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True)
    points = Column(Integer, nullable=False)
    reason = Column(String(40), nullable=False)
    ref = Column(String(128), nullable=False)
    at = Column(UtcDateTime, nullable=False)
    __table_args__ = (UniqueConstraint("customer_id", "reason", "ref"),)
