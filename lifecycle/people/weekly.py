"""The Insights page's weekly series: what shoppers ask, what the assistant could not answer,
conversion and recovered revenue, hand-off reply times, over a period the marketer chooses.

Weeks start on Monday (`values.week_of`); the first and last week are cut to the period,
so a figure never counts a day outside what the page says it shows. Conversion and
recovered revenue per week are `commerce.metrics` over each week: the same SQL, and the
same formula, as the metrics table under the charts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle.commerce import metrics
from lifecycle.conversations.summary import FALLBACK_INTENTS
from lifecycle.storage.models import Handoff, Interaction
from lifecycle.storage.weeks import monday as monday_of
from lifecycle.storage.weeks import week_number
from lifecycle.values import to_eur, week_of

NOT_QUESTIONS = ("greet", "goodbye", "thank", "rate", "leave_email", *FALLBACK_INTENTS)
TOP_INTENTS = 6
TOP_FALLBACKS = 15


@dataclass(frozen=True)
class Week:
    monday: date
    start: datetime  # within the period
    end: datetime


def weeks(start: datetime, end: datetime) -> list[Week]:
    found: list[Week] = []
    monday = week_of(start)
    while True:
        opens = datetime(monday.year, monday.month, monday.day, tzinfo=start.tzinfo)
        if opens >= end:
            return found
        found.append(Week(monday, max(opens, start), min(opens + timedelta(days=7), end)))
        monday += timedelta(days=7)


@dataclass(frozen=True)
class FallbackText:
    text: str
    count: int
    last_at: datetime


def _user_turns_per_week(session: Session, start: datetime, end: datetime,
                         *where: Any) -> list[tuple[date, str | None, int]]:
    """(Monday, intent, count) of the period's shopper messages: one grouped query, not a row per message."""
    week = week_number(Interaction.at)
    return [(monday_of(number), intent, count) for number, intent, count in session.execute(
        select(week, Interaction.intent, func.count()).where(
            Interaction.kind == "user", Interaction.at >= start, Interaction.at < end, *where)
        .group_by(week, Interaction.intent))]


def user_turns_per_week(session: Session, start: datetime, end: datetime) -> list[tuple[date, str | None, int]]:
    """The grouped counts both series below read: the Insights page asks for them once."""
    return _user_turns_per_week(session, start, end)


def questions_per_week(session: Session, start: datetime, end: datetime, top: int = TOP_INTENTS,
                       turns: list[tuple[date, str | None, int]] | None = None) -> dict[str, dict[date, int]]:
    """The period's most asked intents, each counted per week (weeks without any are 0)."""
    counts = [(day, intent, count) for day, intent, count in (
        turns if turns is not None else _user_turns_per_week(session, start, end))
        if intent and intent not in NOT_QUESTIONS and not intent.startswith("EXTERNAL_")]
    totals: Counter[str] = Counter()
    for _, intent, count in counts:
        totals[str(intent)] += count
    leaders = [intent for intent, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    series = {intent: dict.fromkeys((w.monday for w in weeks(start, end)), 0) for intent in leaders[:top]}
    for day, intent, count in counts:
        if intent in series:
            series[intent][day] += count
    return series


def fallbacks_per_week(session: Session, start: datetime, end: datetime,
                       turns: list[tuple[date, str | None, int]] | None = None) -> dict[str, dict[date, float]]:
    """Messages the assistant could not answer per week, and their share of all messages (%)."""
    counts = {w.monday: [0, 0] for w in weeks(start, end)}
    for day, intent, count in turns if turns is not None else _user_turns_per_week(session, start, end):
        counts[day][1] += count
        if intent in FALLBACK_INTENTS:
            counts[day][0] += count
    return {"not answered": {week: float(missed) for week, (missed, _) in counts.items()},
            "share of messages (%)": {week: round(100 * missed / total, 1)
                                      for week, (missed, total) in counts.items() if total}}


def fallback_texts(session: Session, start: datetime, end: datetime, top: int = TOP_FALLBACKS) -> list[FallbackText]:
    """What shoppers asked that the assistant could not answer, most frequent first: the FAQ's to-do list."""
    key = func.lower(func.trim(Interaction.text))
    rows = session.execute(
        select(key, func.count(), func.max(Interaction.at))
        .where(Interaction.kind == "user", Interaction.intent.in_(FALLBACK_INTENTS), Interaction.text.is_not(None),
               Interaction.at >= start, Interaction.at < end)
        .group_by(key).order_by(func.count().desc(), key).limit(top)).all()
    return [FallbackText(text, count, last) for text, count, last in rows]


def conversion_per_week(session: Session, start: datetime, end: datetime) -> dict[str, dict[date, Decimal]]:
    """Conversion rate (%) and recovered revenue (EUR) per week: `commerce.metrics`' definitions
    (buyers over customers who chatted or visited; recovered carts' orders), grouped by week in SQL."""
    per_week = metrics.per_week(session, start, end)
    rate: dict[date, Decimal] = {}
    recovered: dict[date, Decimal] = {}
    for week in weeks(start, end):
        buyers, interacted, cents = per_week.get(week.monday, (0, 0, 0))
        conversion = metrics.conversion_rate(buyers, interacted)
        if conversion is not None:
            rate[week.monday] = (conversion * 100).quantize(Decimal("0.1"))
        recovered[week.monday] = to_eur(cents)
    return {"conversion rate (%)": rate, "recovered revenue (EUR)": recovered}


def reply_minutes_per_week(session: Session, start: datetime, end: datetime) -> dict[date, float]:
    """Average minutes from a shopper's request to an agent's first reply, per week of the request."""
    rows = session.execute(select(Handoff.requested_at, Handoff.first_reply_at).where(
        Handoff.first_reply_at.is_not(None), Handoff.requested_at >= start, Handoff.requested_at < end)).all()
    buckets: dict[date, list[float]] = {}
    for requested, replied in rows:
        buckets.setdefault(week_of(requested), []).append((replied - requested).total_seconds() / 60)
    return {week: round(sum(v) / len(v), 1) for week, v in sorted(buckets.items())}
