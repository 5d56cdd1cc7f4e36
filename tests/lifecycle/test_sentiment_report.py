"""Sentiment per theme per week, from stored feedback: sure texts averaged, unsure ones counted apart."""

from __future__ import annotations

from datetime import datetime, timezone

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.people import sentiment_report
from lifecycle.people.feedback import FeedbackStore
from lifecycle.people.reporting import FeedbackFilter, Reports
from lifecycle.storage.models import Feedback, FeedbackTheme
from tests.conftest import VOC_DIR, analyser

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def test_mixed_feedback_counts_for_and_against_its_themes(store: ConversationRecorder) -> None:
    feedback = FeedbackStore(store.db, VOC_DIR, analyser())
    feedback.text("c-1", "v-1", "Fast delivery but the microphone is bad.", "en", at=MONDAY)
    feedback.text("c-2", "v-2", "The parcel arrived late and the box was crushed.", "en", at=MONDAY)
    rows = [f for f, _ in Reports(store.db).feedback(FeedbackFilter())]
    by_theme = sentiment_report.theme_sentiment_over_time(rows)
    week = MONDAY.date()
    shipping = [row.sentiment for f in rows for row in f.theme_rows if row.theme == "shipping"]
    assert by_theme["shipping"][week] == round(sum(shipping) / len(shipping), 3)
    assert by_theme["product quality"][week] < 0
    worst = sentiment_report.most_negative(rows)
    assert worst["shipping"][0].text == "The parcel arrived late and the box was crushed."
    assert [c.text for c in worst["product quality"]] == ["Fast delivery but the microphone is bad."]


def test_unsure_texts_are_counted_apart_and_not_averaged() -> None:
    def text(sentiment: float, confident: bool) -> Feedback:
        return Feedback(kind="text", text="...", confident=confident, created_at=MONDAY, stage="engagement",
                        theme_rows=[FeedbackTheme(theme="price", position=0, sentiment=sentiment)])

    rows = [text(-0.8, True), text(0.9, False), text(0.2, False)]
    assert sentiment_report.unsure_per_week(rows) == {MONDAY.date(): 2}
    assert sentiment_report.theme_sentiment_over_time(rows) == {"price": {MONDAY.date(): -0.8}}
