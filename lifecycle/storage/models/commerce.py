"""Tables for what happens in the shop: its events, carts and their reminders, orders,
referrals, marketing spend and the loyalty ledger. Money is integer cents."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, UniqueConstraint

from lifecycle.storage.models.base import Base, Json, UtcDateTime
from lifecycle.values import utcnow


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
    payload = Column(Json)  # the event's own fields, as posted
    __table_args__ = (Index("ix_shop_events_ts_type", "ts", "type"),
                      Index("ix_shop_events_customer_ts", "customer_id", "ts", "type"))  # covers the metrics EXISTS


class Cart(Base):
    """One shopping cart from its first item to its end (ordered or emptied); history is kept."""

    __tablename__ = "carts"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(12), nullable=False, default="open")  # open, checkout, ordered, emptied
    items = Column(Json, nullable=False)  # [{"sku", "qty", "price_cents"}]
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
    status = Column(String(12), nullable=False, default="pending")  # pending, sent, failed; held_out, capped
    offer_code = Column(String(32))
    attempts = Column(Integer, nullable=False, default=0)
    error = Column(String(300))
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    sent_at = Column(UtcDateTime)
    recovered_order_id = Column(Integer, ForeignKey("orders.id", ondelete="SET NULL"))
    recovered_cents = Column(Integer)
    channel = Column(String(8))  # chat or email: where the reminder reached them (results per channel)
    email_due_at = Column(UtcDateTime)  # chat_then_email: the e-mail goes then if they have not come back
    emailed_at = Column(UtcDateTime)
    playbook_send_id = Column(Integer, ForeignKey("playbook_sends.id", ondelete="SET NULL"))  # its decision


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    order_ref = Column(String(64), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False)
    cart_id = Column(Integer, ForeignKey("carts.id", ondelete="SET NULL"))
    items = Column(Json, nullable=False)  # [{"sku", "qty", "price_cents"}]
    total_cents = Column(Integer, nullable=False)
    discount_code = Column(String(32))
    placed_at = Column(UtcDateTime, nullable=False)
    nps_requested_at = Column(UtcDateTime)  # when the chat asked this order's customer for NPS
    delivered_at = Column(UtcDateTime)  # the shop's order_delivered event
    # After the sale (issue 23). email and postcode are personal data: a shopper proves the order with one.
    email = Column(String(254))
    postcode = Column(String(16))
    shipped_at = Column(UtcDateTime)
    carrier = Column(String(40))
    tracking_number = Column(String(64))
    tracking_url = Column(String(2000))
    expected_delivery = Column(Date)
    cancelled_at = Column(UtcDateTime)
    cancel_reason = Column(String(300))
    returns = Column(Json)  # [{"items": [{"sku", "qty"}], "label_url", "at"}]
    refunded_cents = Column(Integer, nullable=False, default=0)
    refunded_at = Column(UtcDateTime)
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


class OrderProofAttempt(Base):
    """A try at proving an order in the chat (order number + e-mail or postcode), for throttling
    guesses per conversation and per proof. Both keys are hashes: a guessed address is not kept."""

    __tablename__ = "order_proof_attempts"
    id = Column(Integer, primary_key=True)
    conversation_key = Column(String(64), nullable=False)
    proof_key = Column(String(64), nullable=False)
    ok = Column(Boolean, nullable=False)
    at = Column(UtcDateTime, nullable=False)
    __table_args__ = (Index("ix_order_proofs_conversation", "conversation_key", "at"),
                      Index("ix_order_proofs_proof", "proof_key", "at"))


class OrderRequest(Base):
    """A cancellation or return the shopper asked for in the chat, sent to the shop as a webhook.

    When the shop answers (`order_cancelled`, `return_authorised`) the request is answered, and
    the web app's timer tells the conversation that asked (`told_at`, claimed once)."""

    __tablename__ = "order_requests"
    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(16), nullable=False)  # cancel | return
    sender_id = Column(String(128), nullable=False)  # the conversation that asked, where the answer is said
    items = Column(Json, nullable=False)  # [{"sku", "qty"}]: the whole order for a cancellation
    requested_at = Column(UtcDateTime, nullable=False)
    answered_at = Column(UtcDateTime)
    told_at = Column(UtcDateTime)
    __table_args__ = (Index("ix_order_requests_news", "answered_at", "told_at"),)
