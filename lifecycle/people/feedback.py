"""Recording Voice-of-the-Customer feedback: CSAT and NPS ratings, free text with its analysis."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lifecycle.customers import stages
from lifecycle.customers.identity import customer_for
from lifecycle.people.voc.analyser import FeedbackAnalyser
from lifecycle.storage.database import Database
from lifecycle.storage.models import Conversation, Feedback, FeedbackTheme
from lifecycle.webhooks.outbox import Outbox

SCALES = {"csat": (1, 5), "nps": (0, 10)}


class RatingOutOfRange(ValueError):
    """A rating outside its scale; the message says the scale."""


def check_rating(kind: str, rating: int) -> None:
    low, high = SCALES[kind]
    if not low <= rating <= high:
        raise RatingOutOfRange(f"a {kind.upper()} rating goes from {low} to {high}; {rating} is outside it")


class FeedbackStore:
    def __init__(self, database: Database, voc_dir: Path, analyser: FeedbackAnalyser | None = None,
                 outbox: Outbox | None = None) -> None:
        self.db = database
        self.voc_dir = voc_dir
        self._analyser = analyser
        self.outbox = outbox  # feedback goes to the shop as a webhook when it has an endpoint

    @property
    def analyser(self) -> FeedbackAnalyser:
        if self._analyser is None:  # training the models takes seconds: only when text arrives
            self._analyser = FeedbackAnalyser(self.voc_dir)
        return self._analyser

    def _add(self, sender_id: str, visitor_id: str, at: datetime | None, themes: dict[str, float | None] | None = None,
             **fields: Any) -> Feedback:
        at = at or datetime.now(timezone.utc)
        with self.db.session() as session:
            customer = customer_for(session, visitor_id, at)
            conversation = session.execute(select(Conversation).where(Conversation.sender_id == sender_id)
                                           ).scalar_one_or_none()
            feedback = Feedback(customer_id=customer.id, conversation_id=conversation.id if conversation else None,
                                stage=customer.stage, created_at=at,
                                theme_rows=[FeedbackTheme(theme=theme, position=n, sentiment=sentiment)
                                            for n, (theme, sentiment) in enumerate((themes or {}).items())], **fields)
            session.add(feedback)
            stages.on_feedback(session, customer, at)
            if self.outbox is not None:
                session.flush()
                self.outbox.add(session, "feedback.received", {
                    "feedback_id": feedback.id, "visitor_id": visitor_id, "kind": feedback.kind,
                    "rating": feedback.rating, "text": feedback.text, "language": feedback.language,
                    "sentiment": feedback.sentiment, "themes": list((themes or {}).keys()), "created_at": at}, at,
                    customer_id=customer.id)
        return feedback

    def rating(self, sender_id: str, visitor_id: str, kind: str, rating: int, at: datetime | None = None) -> Feedback:
        check_rating(kind, rating)
        return self._add(sender_id, visitor_id, at, kind=kind, rating=rating)

    def text(self, sender_id: str, visitor_id: str, text: str, language_hint: str | None = None,
             at: datetime | None = None) -> Feedback:
        analysis = self.analyser.analyse(text, language_hint)
        return self._add(sender_id, visitor_id, at, kind="text", text=text, language=analysis.language,
                         themes={theme: analysis.theme_sentiments.get(theme) for theme in analysis.themes},
                         sentiment=analysis.sentiment, polarity=analysis.polarity, confident=analysis.confident)
