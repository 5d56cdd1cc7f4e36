"""FAQ entries written in the console: every save is a new version, so who changed what, when, is kept."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Text

from lifecycle.storage.models.base import Base, UtcDateTime


class FaqVersion(Base):
    __tablename__ = "faq_versions"
    id = Column(Integer, primary_key=True)  # rising: the highest id is the knowledge's current version
    entry_id = Column(String(64), nullable=False)
    body = Column(Text, nullable=False)  # the entry as JSON (lifecycle.knowledge.entries.FaqEntry)
    deleted = Column(Boolean, nullable=False, default=False)
    author = Column(String(64), nullable=False)
    at = Column(UtcDateTime, nullable=False)
    __table_args__ = (Index("ix_faq_versions_entry", "entry_id", "id"),)
