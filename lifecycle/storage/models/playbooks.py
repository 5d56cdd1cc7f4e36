"""What the playbooks did: one row per customer each time a playbook found them eligible, sent or held out.

Held-out rows are the baseline: the same trigger, no message. Results compare orders after the
two kinds of row (lifecycle.playbooks.results)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String

from lifecycle.storage.models.base import Base, UtcDateTime


class PlaybookSend(Base):
    __tablename__ = "playbook_sends"
    id = Column(Integer, primary_key=True)
    playbook = Column(String(40), nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False)
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="SET NULL"))
    at = Column(UtcDateTime, nullable=False)
    held_out = Column(Boolean, nullable=False)
    status = Column(String(16), nullable=False)  # sent, held_out, failed (the message could not be delivered)
    offer_code = Column(String(32))
    channel = Column(String(16))  # chat, email or chat+email: what reached them (None: held out, or not yet)
    __table_args__ = (Index("ix_playbook_sends_customer", "customer_id", "playbook", "at"),
                      Index("ix_playbook_sends_playbook_at", "playbook", "at"))
