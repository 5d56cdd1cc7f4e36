"""What customers say about each theme, week by week: the Insights page's sentiment figures.

Only texts the model was sure of are averaged; the unsure ones are counted apart, so a marketer
sees how much of the picture is missing instead of a number quietly pulled towards zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lifecycle.storage.models import Feedback
from lifecycle.values import week_of


def theme_sentiment_over_time(rows: list[Feedback]) -> dict[str, dict[date, float]]:
    """Average sentiment (-1..1) per theme per week, over the texts the model was sure of."""
    sums: dict[str, dict[date, list[float]]] = {}
    for feedback in rows:
        if feedback.kind != "text" or feedback.confident is False:
            continue
        for row in feedback.theme_rows:
            if row.sentiment is not None:
                sums.setdefault(row.theme, {}).setdefault(week_of(feedback.created_at), []).append(row.sentiment)
    return {theme: {week: round(sum(values) / len(values), 3) for week, values in sorted(weeks.items())}
            for theme, weeks in sums.items()}


def unsure_per_week(rows: list[Feedback]) -> dict[date, int]:
    """Written feedback the model could not judge with confidence, per week."""
    counts: dict[date, int] = {}
    for feedback in rows:
        if feedback.kind == "text" and feedback.confident is False:
            week = week_of(feedback.created_at)
            counts[week] = counts.get(week, 0) + 1
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class Complaint:
    theme: str
    sentiment: float
    text: str
    at: datetime
    language: str | None


def most_negative(rows: list[Feedback], per_theme: int = 3) -> dict[str, list[Complaint]]:
    """The most negative texts about each theme (confident ones, newest first among equals)."""
    found: dict[str, list[Complaint]] = {}
    for feedback in rows:
        if feedback.kind != "text" or feedback.confident is False or not feedback.text:
            continue
        for row in feedback.theme_rows:
            if row.sentiment is not None and row.sentiment < 0:
                found.setdefault(row.theme, []).append(
                    Complaint(row.theme, row.sentiment, feedback.text, feedback.created_at, feedback.language))
    return {theme: sorted(items, key=lambda c: (c.sentiment, -c.at.timestamp()))[:per_theme]
            for theme, items in found.items()}
