"""Tables for the people's views: console users and sessions, feedback, transcript reviews.

Kept apart from models.py (conversations and commerce) to keep each module to one
concept; both share the same declarative Base so Alembic sees one schema.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Text

from lifecycle.models import Base, UtcDateTime, utcnow

ROLES = ("support", "marketing", "admin")


class ConsoleUser(Base):
    __tablename__ = "console_users"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)  # argon2id
    role = Column(String(16), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)


class ConsoleSession(Base):
    """A login; only a hash of the cookie's token is stored, so a leaked table logs nobody in."""

    __tablename__ = "console_sessions"
    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("console_users.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    expires_at = Column(UtcDateTime, nullable=False)


class Feedback(Base):
    """Voice of the Customer: a CSAT (1-5) or NPS (0-10) rating, or free text with its analysis."""

    __tablename__ = "feedback"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="SET NULL"), index=True)
    kind = Column(String(8), nullable=False)  # csat, nps, text
    rating = Column(Integer)
    text = Column(Text)
    language = Column(String(8))
    themes = Column(String(200))  # comma-separated theme names
    sentiment = Column(Float)
    stage = Column(String(16), nullable=False)  # the customer's stage when they gave it
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    __table_args__ = (Index("ix_feedback_kind_created", "kind", "created_at"),)


class ConversationReview(Base):
    """Support's marks on a transcript: reviewed or not, and free tags."""

    __tablename__ = "conversation_reviews"
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True)
    reviewed = Column(Boolean, nullable=False, default=False)
    reviewed_by = Column(String(64))
    reviewed_at = Column(UtcDateTime)
    tags = Column(String(300), nullable=False, default="")
