"""Tables for the people's views: console users and sessions, feedback, transcript reviews."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from lifecycle.storage.models.base import Base, UtcDateTime
from lifecycle.values import utcnow

ROLES = ("support", "marketing", "admin")


class ConsoleUser(Base):
    __tablename__ = "console_users"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)  # argon2id
    role = Column(String(16), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    display_name = Column(String(40))  # what shoppers see in a live chat; the login name stays private
    presence = Column(String(8), nullable=False, default="online")  # online or away: away takes no live chats


class CannedReply(Base):
    """A saved answer an agent inserts by typing `/` and its shortcut; one row per language."""

    __tablename__ = "canned_replies"
    id = Column(Integer, primary_key=True)
    shortcut = Column(String(40), nullable=False)
    language = Column(String(8), nullable=False)
    text = Column(Text, nullable=False)
    updated_by = Column(String(64))
    updated_at = Column(UtcDateTime, nullable=False, default=utcnow)
    __table_args__ = (UniqueConstraint("shortcut", "language", name="uq_canned_replies_shortcut_language"),)


class ConsoleSession(Base):
    """A login; only a hash of the cookie's token is stored, so a leaked table logs nobody in."""

    __tablename__ = "console_sessions"
    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("console_users.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    expires_at = Column(UtcDateTime, nullable=False)
    seen_at = Column(UtcDateTime)  # the last console request: an agent seen lately is available for live chats


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
    sentiment = Column(Float)  # -1..1 for the whole text (the clause after the last "but" decides)
    polarity = Column(String(8))  # positive, negative or neutral
    confident = Column(Boolean)  # False: the model was unsure; charted apart, not averaged in
    stage = Column(String(16), nullable=False)  # the customer's stage when they gave it
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    theme_rows = relationship("FeedbackTheme", order_by="FeedbackTheme.position", cascade="all, delete-orphan",
                              lazy="selectin")
    __table_args__ = (Index("ix_feedback_kind_created", "kind", "created_at"),
                      Index("ix_feedback_created", "created_at"))

    @property
    def themes(self) -> list[str]:
        return [row.theme for row in self.theme_rows]


class FeedbackTheme(Base):
    """A theme found in a feedback text; a row each, so 'all feedback about shipping' is an indexed join."""

    __tablename__ = "feedback_themes"
    feedback_id = Column(Integer, ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True)
    theme = Column(String(40), primary_key=True)
    position = Column(Integer, nullable=False, default=0)  # the order the analyser listed them
    sentiment = Column(Float)  # -1..1: what the text says about this theme ("fast delivery but ..." is +1 here)
    __table_args__ = (Index("ix_feedback_themes_theme", "theme"),)


class ConversationReview(Base):
    """Support's mark on a transcript: reviewed or not, by whom."""

    __tablename__ = "conversation_reviews"
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True)
    reviewed = Column(Boolean, nullable=False, default=False)
    reviewed_by = Column(String(64))
    reviewed_at = Column(UtcDateTime)


class ConversationTag(Base):
    """A free tag support put on a transcript (lower case, one row per tag)."""

    __tablename__ = "conversation_tags"
    conversation_id = Column(Integer, ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True)
    tag = Column(String(40), primary_key=True)
    __table_args__ = (Index("ix_conversation_tags_tag", "tag"),)
