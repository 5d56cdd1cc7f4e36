"""E-mail to shoppers (issue 24): the consent that makes an address usable, and the durable queue
of messages the web app's timer sends through SMTP. Both are personal data: exported and forgotten
with the customer."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint

from lifecycle.storage.models.base import Base, UtcDateTime


class EmailConsent(Base):
    """One address a customer agreed to get mail at, with when and where they agreed."""

    __tablename__ = "email_consents"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True)
    email = Column(String(254), nullable=False)
    source = Column(String(32), nullable=False)  # newsletter_signup, order_placed, chat
    consented_at = Column(UtcDateTime, nullable=False)
    confirmed_at = Column(UtcDateTime)  # the shop's consent is confirmed at once; the chat's by its link
    confirmation_sent_at = Column(UtcDateTime)  # an unconfirmed address is mailed this once, never again
    unsubscribed_at = Column(UtcDateTime)
    bounced_at = Column(UtcDateTime)  # a hard bounce (5xx): no more mail
    __table_args__ = (UniqueConstraint("customer_id", "email", name="uq_email_consents_customer_email"),)


class MailMessage(Base):
    """A rendered e-mail, queued in the transaction that decided it; sent at most once (its Message-ID)."""

    __tablename__ = "mail_messages"
    id = Column(Integer, primary_key=True)
    message_id = Column(String(200), nullable=False, unique=True)  # the Message-ID header
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    kind = Column(String(32), nullable=False)  # cart_reminder, confirm_address, ...
    playbook = Column(String(40))  # the playbook it serves, for results per channel
    to_address = Column(String(254), nullable=False)
    language = Column(String(8), nullable=False)
    subject = Column(String(300), nullable=False)
    text_body = Column(Text, nullable=False)
    html_body = Column(Text, nullable=False)
    unsubscribe_url = Column(String(500))  # List-Unsubscribe; None for a confirmation request
    created_at = Column(UtcDateTime, nullable=False)
    next_attempt_at = Column(UtcDateTime)  # None once sent or given up
    attempts = Column(Integer, nullable=False, default=0)
    sent_at = Column(UtcDateTime)
    failed_at = Column(UtcDateTime)  # given up: a hard bounce, too many tries, or the address withdrawn
    last_error = Column(String(300))
    __table_args__ = (Index("ix_mail_messages_due", "next_attempt_at"),)
