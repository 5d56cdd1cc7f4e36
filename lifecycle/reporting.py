"""What support and marketing read: conversations with filters, transcripts, hand-offs,
feedback, and the series behind the consoles' plots. Read-only queries; no web here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from lifecycle.models import Comparison, Conversation, Customer, Handoff, Interaction, ProductRecord, ProductView
from lifecycle.people import ConversationReview, Feedback

FALLBACK_INTENTS = ("nlu_fallback", "out_of_scope")
PAGE = 50


@dataclass
class ConversationFilter:
    q: str = ""
    start: date | None = None
    end: date | None = None
    stage: str = ""
    intent: str = ""
    language: str = ""
    fallback: bool = False
    handoff: bool = False
    low_csat: bool = False
    unreviewed: bool = False
    page: int = 1


@dataclass
class ConversationRow:
    id: int
    sender_id: str
    visitor_id: str
    stage: str
    language: str | None
    started_at: datetime
    last_event_at: datetime
    messages: int
    handoff: bool
    fallback: bool
    reviewed: bool
    tags: str


def _day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def conversations(session: Session, filters: ConversationFilter) -> tuple[list[ConversationRow], int]:
    """Newest first; returns one page and the total matching."""
    user_turn = and_(Interaction.conversation_id == Conversation.id, Interaction.kind == "user")
    conditions = []
    if filters.q.strip():
        conditions.append(exists().where(Interaction.conversation_id == Conversation.id,
                                         Interaction.text.ilike(_like(filters.q.strip()), escape="\\")))
    if filters.start:
        conditions.append(Conversation.last_event_at >= _day(filters.start))
    if filters.end:
        conditions.append(Conversation.started_at < _day(filters.end + timedelta(days=1)))
    if filters.stage:
        conditions.append(Customer.stage == filters.stage)
    if filters.language:
        conditions.append(Conversation.language == filters.language)
    if filters.intent:
        conditions.append(exists().where(user_turn, Interaction.intent == filters.intent))
    if filters.fallback:
        conditions.append(exists().where(user_turn, Interaction.intent.in_(FALLBACK_INTENTS)))
    if filters.handoff:
        conditions.append(exists().where(Handoff.conversation_id == Conversation.id))
    if filters.low_csat:
        conditions.append(exists().where(Feedback.conversation_id == Conversation.id, Feedback.kind == "csat",
                                         Feedback.rating <= 2))
    if filters.unreviewed:
        reviewed = (select(ConversationReview.conversation_id)
                    .where(ConversationReview.conversation_id == Conversation.id, ConversationReview.reviewed.is_(True))
                    .correlate_except(ConversationReview))  # the listing also joins reviews
        conditions.append(~reviewed.exists())
    base = select(Conversation.id).join(Customer, Customer.id == Conversation.customer_id).where(*conditions)
    total = session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    messages = select(func.count()).select_from(Interaction).where(user_turn).correlate(Conversation).scalar_subquery()
    had_handoff = exists().where(Handoff.conversation_id == Conversation.id)
    had_fallback = exists().where(user_turn, Interaction.intent.in_(FALLBACK_INTENTS))
    rows = session.execute(
        select(Conversation, Customer.visitor_id, Customer.stage, messages, had_handoff, had_fallback,
               ConversationReview.reviewed, ConversationReview.tags)
        .join(Customer, Customer.id == Conversation.customer_id)
        .outerjoin(ConversationReview, ConversationReview.conversation_id == Conversation.id)
        .where(*conditions).order_by(Conversation.last_event_at.desc())
        .limit(PAGE).offset((max(filters.page, 1) - 1) * PAGE)).all()
    return [ConversationRow(c.id, c.sender_id, visitor, stage, c.language, c.started_at, c.last_event_at, count,
                            bool(handoff), bool(fallback), bool(reviewed), tags or "")
            for c, visitor, stage, count, handoff, fallback, reviewed, tags in rows], total


@dataclass
class Transcript:
    conversation: Conversation
    customer: Customer
    turns: list[Interaction]
    products: list[str]
    handoffs: list[Handoff]
    feedback: list[Feedback]
    review: ConversationReview | None
    payloads: dict[int, dict] = field(default_factory=dict)


def transcript(session: Session, conversation_id: int) -> Transcript | None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    turns = list(session.execute(select(Interaction).where(Interaction.conversation_id == conversation_id)
                                 .order_by(Interaction.at, Interaction.id)).scalars())
    viewed = session.execute(select(ProductRecord.name).join(ProductView, ProductView.sku == ProductRecord.sku)
                             .where(ProductView.conversation_id == conversation_id)).scalars()
    names = {p.sku: p.name for p in session.execute(select(ProductRecord)).scalars()}
    compared = [names.get(sku, sku) for skus in session.execute(
        select(Comparison.skus).where(Comparison.conversation_id == conversation_id)).scalars()
        for sku in skus.split(",")]
    payloads = {}
    for turn in turns:
        if turn.payload:
            try:
                payloads[turn.id] = json.loads(turn.payload)
            except ValueError:
                payloads[turn.id] = {}
    return Transcript(
        conversation, session.get(Customer, conversation.customer_id), turns, list(dict.fromkeys([*viewed, *compared])),
        list(session.execute(select(Handoff).where(Handoff.conversation_id == conversation_id)).scalars()),
        list(session.execute(select(Feedback).where(Feedback.conversation_id == conversation_id)).scalars()),
        session.get(ConversationReview, conversation_id), payloads)


def mark_review(session: Session, conversation_id: int, reviewed: bool, tags: str, by: str, at: datetime) -> None:
    review = session.get(ConversationReview, conversation_id) or ConversationReview(conversation_id=conversation_id)
    clean = ",".join(dict.fromkeys(t.strip().lower() for t in tags.split(",") if t.strip()))
    review.reviewed, review.tags = reviewed, clean[:300]
    review.reviewed_by, review.reviewed_at = (by, at) if reviewed else (None, None)
    session.add(review)


def open_handoffs(session: Session) -> list[tuple[Handoff, Conversation]]:
    return list(session.execute(select(Handoff, Conversation).join(Conversation)
                                .where(Handoff.status == "open").order_by(Handoff.requested_at)).all())


def close_handoff(session: Session, handoff_id: int) -> None:
    handoff = session.get(Handoff, handoff_id)
    if handoff is not None:
        handoff.status = "done"


@dataclass
class FeedbackFilter:
    kind: str = ""
    theme: str = ""
    stage: str = ""
    start: date | None = None
    end: date | None = None


def feedback(session: Session, filters: FeedbackFilter, limit: int | None = 500) -> list[tuple[Feedback, str]]:
    conditions = []
    if filters.kind:
        conditions.append(Feedback.kind == filters.kind)
    if filters.theme:
        conditions.append(or_(Feedback.themes == filters.theme, Feedback.themes.like(f"{filters.theme},%"),
                              Feedback.themes.like(f"%,{filters.theme}"), Feedback.themes.like(f"%,{filters.theme},%")))
    if filters.stage:
        conditions.append(Feedback.stage == filters.stage)
    if filters.start:
        conditions.append(Feedback.created_at >= _day(filters.start))
    if filters.end:
        conditions.append(Feedback.created_at < _day(filters.end + timedelta(days=1)))
    query = (select(Feedback, Customer.visitor_id).join(Customer, Customer.id == Feedback.customer_id)
             .where(*conditions).order_by(Feedback.created_at.desc()))
    return list(session.execute(query.limit(limit) if limit else query).all())


def themes_over_time(rows: list[Feedback]) -> dict[str, dict[date, int]]:
    series: dict[str, dict[date, int]] = {}
    for f in rows:
        week = f.created_at.date() - timedelta(days=f.created_at.weekday())
        for theme in filter(None, (f.themes or "").split(",")):
            series.setdefault(theme, {}).setdefault(week, 0)
            series[theme][week] += 1
    return series


def score_over_time(rows: list[Feedback], kind: str) -> dict[date, float]:
    """Weekly CSAT average, or weekly NPS (% promoters 9-10 minus % detractors 0-6)."""
    buckets: dict[date, list[int]] = {}
    for f in rows:
        if f.kind == kind and f.rating is not None:
            buckets.setdefault(f.created_at.date() - timedelta(days=f.created_at.weekday()), []).append(f.rating)
    if kind == "csat":
        return {week: sum(r) / len(r) for week, r in sorted(buckets.items())}
    return {week: 100 * (sum(x >= 9 for x in r) - sum(x <= 6 for x in r)) / len(r)
            for week, r in sorted(buckets.items())}
