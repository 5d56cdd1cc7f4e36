"""Recording Voice-of-the-Customer feedback: CSAT and NPS ratings, free text with its analysis."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.customers import stages
from lifecycle.customers.identity import customer_for
from lifecycle.heap import give_back
from lifecycle.storage.database import Database
from lifecycle.storage.models import Conversation, Customer, Feedback, FeedbackTheme
from lifecycle.webhooks.outbox import Outbox

if TYPE_CHECKING:  # imported where used: the analyser brings spaCy (~80 MB), which only the web app needs
    from lifecycle.people.voc.analyser import FeedbackAnalyser

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
            from lifecycle.people.voc.analyser import FeedbackAnalyser

            self._analyser = FeedbackAnalyser(self.voc_dir)
            give_back()  # the lemma tables read while building are freed, not kept (lifecycle.heap)
        return self._analyser

    def _add(self, sender_id: str, visitor_id: str, at: datetime | None, themes: dict[str, float | None] | None = None,
             **fields: Any) -> Feedback:
        at = at or datetime.now(timezone.utc)
        with self.db.session() as session:
            customer = customer_for(session, visitor_id, at)
            conversation = session.execute(select(Conversation).where(Conversation.sender_id == sender_id)
                                           ).scalar_one_or_none()
            feedback = Feedback(customer_id=customer.id, conversation_id=conversation.id if conversation else None,
                                stage=customer.stage, created_at=at, **fields)
            _set_themes(feedback, themes or {})
            session.add(feedback)
            stages.on_feedback(session, customer, at)
            if fields.get("kind") != "text" or fields.get("polarity") is not None:
                self._tell_shop(session, feedback, visitor_id)
        return feedback

    def _tell_shop(self, session: Session, feedback: Feedback, visitor_id: str) -> None:
        """The `feedback.received` webhook, once the feedback is complete (a text once analysed)."""
        if self.outbox is None:
            return
        session.flush()
        self.outbox.add(session, "feedback.received", {
            "feedback_id": feedback.id, "visitor_id": visitor_id, "kind": feedback.kind,
            "rating": feedback.rating, "text": feedback.text, "language": feedback.language,
            "sentiment": feedback.sentiment, "themes": feedback.themes, "created_at": feedback.created_at},
            feedback.created_at, customer_id=feedback.customer_id)

    def rating(self, sender_id: str, visitor_id: str, kind: str, rating: int, at: datetime | None = None) -> Feedback:
        check_rating(kind, rating)
        return self._add(sender_id, visitor_id, at, kind=kind, rating=rating)

    def text(self, sender_id: str, visitor_id: str, text: str, language_hint: str | None = None,
             at: datetime | None = None, analyse_now: bool = True) -> Feedback:
        """Stores a free text. With `analyse_now=False` (the chat) it waits for `analyse_waiting`, so
        the shopper's turn and the action server never carry the analyser's models (~140 MB)."""
        if not analyse_now:
            return self._add(sender_id, visitor_id, at, kind="text", text=text, language=language_hint)
        analysis = self.analyser.analyse(text, language_hint)
        return self._add(sender_id, visitor_id, at, kind="text", text=text, language=analysis.language,
                         themes={theme: analysis.theme_sentiments.get(theme) for theme in analysis.themes},
                         sentiment=analysis.sentiment, polarity=analysis.polarity, confident=analysis.confident)

    def analyse_waiting(self, limit: int = 100) -> int:
        """Analyses texts stored without their analysis, oldest first; how many it did."""
        with self.db.session() as session:
            waiting = session.execute(select(Feedback).where(Feedback.kind == "text", Feedback.polarity.is_(None))
                                      .order_by(Feedback.id).limit(limit)).scalars().all()
            for feedback in waiting:
                analysis = self.analyser.analyse(feedback.text or "", feedback.language)
                feedback.language, feedback.sentiment = analysis.language, analysis.sentiment
                feedback.polarity, feedback.confident = analysis.polarity, analysis.confident
                _set_themes(feedback, {theme: analysis.theme_sentiments.get(theme) for theme in analysis.themes})
                visitor = session.get(Customer, feedback.customer_id)
                self._tell_shop(session, feedback, visitor.visitor_id if visitor else "")
        return len(waiting)


def _set_themes(feedback: Feedback, themes: dict[str, float | None]) -> None:
    feedback.theme_rows = [FeedbackTheme(theme=theme, position=n, sentiment=sentiment)
                           for n, (theme, sentiment) in enumerate(themes.items())]
