"""Webhooks to the shop waiting in a durable outbox: written in the same transaction as what they
report, delivered (and retried) by the web app's timer until the shop's endpoint takes them."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text

from lifecycle.storage.models.base import Base, UtcDateTime


class WebhookMessage(Base):
    __tablename__ = "webhook_messages"
    id = Column(Integer, primary_key=True)
    webhook_id = Column(String(64), nullable=False, unique=True)  # the receiver deduplicates by it
    event_type = Column(String(40), nullable=False)
    # whom it is about: forgetting a person deletes their webhooks not yet sent, and the copies kept
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    body = Column(Text, nullable=False)  # the JSON sent, byte for byte the same on every attempt
    created_at = Column(UtcDateTime, nullable=False)
    next_attempt_at = Column(UtcDateTime)  # None once delivered or given up
    attempts = Column(Integer, nullable=False, default=0)
    delivered_at = Column(UtcDateTime)
    gave_up_at = Column(UtcDateTime)
    last_status = Column(Integer)  # the HTTP status of the last attempt, None when it did not connect
    last_error = Column(String(300))
    __table_args__ = (Index("ix_webhook_messages_due", "next_attempt_at"),)
