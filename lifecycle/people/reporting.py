"""What support and marketing read: conversations with filters, transcripts, hand-offs,
feedback, and the series behind the consoles' plots; plus support's review marks.

`Reports` is the service the console calls, one transaction per call; the functions
below it are its queries. No web here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, delete, exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from lifecycle.commerce import metrics
from lifecycle.conversations.summary import FALLBACK_INTENTS, products_discussed
from lifecycle.people import weekly
from lifecycle.people.diagnosis import StageFinding, diagnose
from lifecycle.people.markets import MarketRow, by_market
from lifecycle.people.playbook_results import PlaybookResult, results
from lifecycle.people.scores import average, net_promoter_score
from lifecycle.shop.facts import Shop
from lifecycle.storage import pages, search
from lifecycle.storage.database import Database
from lifecycle.storage.models import (
    Conversation,
    ConversationReview,
    ConversationTag,
    Customer,
    Feedback,
    FeedbackTheme,
    Handoff,
    Interaction,
)
from lifecycle.values import week_of

MAX_TAGS = 10
TAG_LENGTH = 40


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
    assignee: str = ""
    after: str = ""  # the page cursor (storage.pages)


@dataclass
class ConversationRow:
    id: int
    visitor_id: str
    stage: str
    language: str | None
    started_at: datetime
    last_event_at: datetime
    messages: int
    handoff: bool
    fallback: bool
    reviewed: bool
    tags: list[str]
    assignee: str | None = None


@dataclass(frozen=True)
class MessageHit:
    """A message that matched a search, with its excerpt (search.START/STOP around the hits)."""

    interaction_id: int
    conversation_id: int
    kind: str
    at: datetime
    excerpt: str
    visitor_id: str
    language: str | None


def _day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def _conditions(filters: ConversationFilter) -> list[Any]:
    user_turn = and_(Interaction.conversation_id == Conversation.id, Interaction.kind == "user")
    conditions: list[Any] = []
    if filters.start:
        conditions.append(Conversation.last_event_at >= _day(filters.start))
    if filters.end:
        conditions.append(Conversation.started_at < _day(filters.end + timedelta(days=1)))
    if filters.stage:
        conditions.append(Customer.stage == filters.stage)
    if filters.language:
        conditions.append(Conversation.language == filters.language)
    if filters.assignee:
        conditions.append(Conversation.assignee == filters.assignee)
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
    return conditions


CONVERSATION_ORDER = (pages.Order(Conversation.last_event_at, descending=True),
                      pages.Order(Conversation.id, descending=True))


def conversations(session: Session, filters: ConversationFilter) -> pages.Page[ConversationRow]:
    """Newest activity first, one page from the filter's cursor.

    Two steps: the page's ids by key first, then their details for those 50 only. In one query,
    SQLite works out every selected column of every matching row before it sorts and cuts."""
    found = pages.page_of(session.execute(pages.paged(
        select(Conversation.id, Conversation.last_event_at).join(Customer, Customer.id == Conversation.customer_id)
        .where(*_conditions(filters)), CONVERSATION_ORDER, filters.after)).all(), lambda row: (row[1], row[0]))
    ids = [row[0] for row in found.rows]
    if not ids:
        return pages.Page([], None)
    details = {c.id: (c, visitor, stage, reviewed) for c, visitor, stage, reviewed in session.execute(
        select(Conversation, Customer.visitor_id, Customer.stage, ConversationReview.reviewed)
        .join(Customer, Customer.id == Conversation.customer_id)
        .outerjoin(ConversationReview, ConversationReview.conversation_id == Conversation.id)
        .where(Conversation.id.in_(ids))).all()}
    in_page = Interaction.conversation_id.in_(ids)
    messages = dict(session.execute(select(Interaction.conversation_id, func.count()).where(
        in_page, Interaction.kind == "user").group_by(Interaction.conversation_id)).all())
    fallbacks = set(session.execute(select(Interaction.conversation_id).where(
        in_page, Interaction.kind == "user", Interaction.intent.in_(FALLBACK_INTENTS))).scalars())
    handoffs = set(session.execute(select(Handoff.conversation_id).where(Handoff.conversation_id.in_(ids))).scalars())
    tags = _tags(session, ids)
    rows = []
    for conversation_id in ids:
        c, visitor, stage, reviewed = details[conversation_id]
        rows.append(ConversationRow(c.id, visitor, stage, c.language, c.started_at, c.last_event_at,
                                    messages.get(c.id, 0), c.id in handoffs, c.id in fallbacks, bool(reviewed),
                                    tags.get(c.id, []), c.assignee))
    return pages.Page(rows, found.next)


def search_messages(session: Session, filters: ConversationFilter) -> pages.Page[MessageHit]:
    """Messages matching the filter's words, newest first, each with its highlighted excerpt; the
    other filters narrow the conversations searched. Raises search.SearchError for an empty query."""
    found = search.matching(session.get_bind().dialect.name, filters.q, filters.language)
    query = (select(Interaction.id, Interaction.conversation_id, Interaction.kind, Interaction.at, found.snippet,
                    Customer.visitor_id, Conversation.language)
             .join(Conversation, Conversation.id == Interaction.conversation_id)
             .join(Customer, Customer.id == Conversation.customer_id)
             .where(found.condition, Interaction.kind.in_(("user", "bot", "agent")), *_conditions(filters)))
    rows = session.execute(pages.paged(query, (pages.Order(Interaction.id, descending=True),), filters.after)).all()
    page = pages.page_of(rows, lambda row: (row[0],))
    return pages.Page([MessageHit(*row) for row in page.rows], page.next)


def _tags(session: Session, conversation_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for conversation_id, tag in session.execute(
            select(ConversationTag.conversation_id, ConversationTag.tag)
            .where(ConversationTag.conversation_id.in_(conversation_ids)).order_by(ConversationTag.tag)):
        found.setdefault(conversation_id, []).append(tag)
    return found


@dataclass
class Transcript:
    conversation: Conversation
    customer: Customer
    turns: list[Interaction]
    products: list[str]
    handoffs: list[Handoff]
    feedback: list[Feedback]
    review: ConversationReview | None
    tags: list[str] = field(default_factory=list)


def transcript(session: Session, conversation_id: int) -> Transcript | None:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    turns = list(session.execute(select(Interaction).where(Interaction.conversation_id == conversation_id)
                                 .order_by(Interaction.at, Interaction.id)).scalars())
    return Transcript(
        conversation, session.get(Customer, conversation.customer_id), turns,
        products_discussed(session, conversation_id),
        list(session.execute(select(Handoff).where(Handoff.conversation_id == conversation_id)).scalars()),
        list(session.execute(select(Feedback).where(Feedback.conversation_id == conversation_id)).scalars()),
        session.get(ConversationReview, conversation_id), _tags(session, [conversation_id]).get(conversation_id, []))


def clean_tags(text: str) -> list[str]:
    """Support types tags comma-separated; stored lower case, each once, within the limits."""
    tags = dict.fromkeys(t.strip().lower()[:TAG_LENGTH] for t in text.split(",") if t.strip())
    return list(tags)[:MAX_TAGS]


def mark_review(session: Session, conversation_id: int, reviewed: bool, tags: str, by: str, at: datetime) -> None:
    review = session.get(ConversationReview, conversation_id) or ConversationReview(conversation_id=conversation_id)
    review.reviewed = reviewed
    review.reviewed_by, review.reviewed_at = (by, at) if reviewed else (None, None)
    session.add(review)
    session.execute(delete(ConversationTag).where(ConversationTag.conversation_id == conversation_id))
    session.add_all(ConversationTag(conversation_id=conversation_id, tag=tag) for tag in clean_tags(tags))


@dataclass
class FeedbackFilter:
    language: str = ""
    kind: str = ""
    theme: str = ""
    stage: str = ""
    start: date | None = None
    end: date | None = None
    after: str = ""  # the page cursor (storage.pages)


FEEDBACK_ORDER = (pages.Order(Feedback.created_at, descending=True), pages.Order(Feedback.id, descending=True))


def _feedback_query(filters: FeedbackFilter) -> Select:
    conditions = []
    if filters.kind:
        conditions.append(Feedback.kind == filters.kind)
    if filters.theme:
        conditions.append(exists().where(FeedbackTheme.feedback_id == Feedback.id,
                                         FeedbackTheme.theme == filters.theme))
    if filters.stage:
        conditions.append(Feedback.stage == filters.stage)
    if filters.language:
        conditions.append(Feedback.language == filters.language)
    if filters.start:
        conditions.append(Feedback.created_at >= _day(filters.start))
    if filters.end:
        conditions.append(Feedback.created_at < _day(filters.end + timedelta(days=1)))
    return select(Feedback, Customer.visitor_id).join(Customer, Customer.id == Feedback.customer_id).where(*conditions)


def feedback(session: Session, filters: FeedbackFilter) -> list[tuple[Feedback, str]]:
    """Every matching feedback, newest first (the CSV export)."""
    query = _feedback_query(filters).order_by(*(o.column.desc() for o in FEEDBACK_ORDER))
    return [(row, visitor) for row, visitor in session.execute(query).all()]


def feedback_page(session: Session, filters: FeedbackFilter) -> pages.Page[tuple[Feedback, str]]:
    rows = session.execute(pages.paged(_feedback_query(filters), FEEDBACK_ORDER, filters.after)).all()
    found = pages.page_of(rows, lambda row: (row[0].created_at, row[0].id))
    return pages.Page([(row, visitor) for row, visitor in found.rows], found.next)


@dataclass(frozen=True)
class PersonRow:
    visitor_id: str
    stage: str
    language: str | None
    first_seen: datetime
    last_seen: datetime


PEOPLE_ORDER = (pages.Order(Customer.last_seen_at, descending=True), pages.Order(Customer.id, descending=True))


def people(session: Session, stage: str, language: str, after: str) -> pages.Page[PersonRow]:
    """The shop's customers, most recently seen first."""
    conditions = [Customer.stage == stage] if stage else []
    if language:
        conditions.append(Customer.language == language)
    rows = session.execute(pages.paged(select(Customer).where(*conditions), PEOPLE_ORDER, after)).scalars().all()
    found = pages.page_of(rows, lambda c: (c.last_seen_at, c.id))
    return pages.Page([PersonRow(c.visitor_id, c.stage, c.language, c.created_at, c.last_seen_at)
                       for c in found.rows], found.next)


def themes_over_time(rows: list[Feedback]) -> dict[str, dict[date, int]]:
    series: dict[str, dict[date, int]] = {}
    for f in rows:
        week = week_of(f.created_at)
        for theme in f.themes:
            series.setdefault(theme, {}).setdefault(week, 0)
            series[theme][week] += 1
    return series


def score_over_time(rows: list[Feedback], kind: str) -> dict[date, float]:
    """Weekly CSAT average, or weekly NPS (% promoters 9-10 minus % detractors 0-6)."""
    buckets: dict[date, list[int]] = {}
    for f in rows:
        if f.kind == kind and f.rating is not None:
            buckets.setdefault(week_of(f.created_at), []).append(f.rating)
    score = average if kind == "csat" else net_promoter_score
    return {week: score(r) for week, r in sorted(buckets.items())}


@dataclass
class Insights:
    """Everything the Insights page shows for one period [start, end)."""

    start: datetime
    end: datetime
    feedback: list[Feedback]
    metrics: metrics.Metrics
    markets: list[MarketRow]
    questions: dict[str, dict[date, int]]
    fallbacks: dict[str, dict[date, float]]
    fallback_texts: list[weekly.FallbackText]
    conversion: dict[str, dict[date, Decimal]]
    reply_minutes: dict[date, float]
    playbooks: list[PlaybookResult]
    diagnosis: list[StageFinding]


class Reports:
    """The console's service: each method one transaction; rows come back loaded and detached."""

    def __init__(self, database: Database) -> None:
        self.db = database

    def conversations(self, filters: ConversationFilter) -> pages.Page[ConversationRow]:
        with self.db.reading() as session:
            return conversations(session, filters)

    def search(self, filters: ConversationFilter) -> pages.Page[MessageHit]:
        with self.db.reading() as session:
            return search_messages(session, filters)

    def transcript(self, conversation_id: int) -> Transcript | None:
        with self.db.reading() as session:
            return transcript(session, conversation_id)

    def mark_review(self, conversation_id: int, reviewed: bool, tags: str, by: str, at: datetime) -> bool:
        """False when there is no such conversation."""
        with self.db.session() as session:
            if session.get(Conversation, conversation_id) is None:
                return False
            mark_review(session, conversation_id, reviewed, tags, by, at)
            return True

    def feedback(self, filters: FeedbackFilter) -> list[tuple[Feedback, str]]:
        with self.db.reading() as session:
            return feedback(session, filters)

    def feedback_page(self, filters: FeedbackFilter) -> pages.Page[tuple[Feedback, str]]:
        with self.db.reading() as session:
            return feedback_page(session, filters)

    def people(self, stage: str, language: str, after: str) -> pages.Page[PersonRow]:
        with self.db.reading() as session:
            return people(session, stage, language, after)

    def insights(self, shop: Shop, start: datetime, end: datetime, now: datetime) -> Insights:
        with self.db.reading() as session:
            days = FeedbackFilter(start=start.date(), end=(end - timedelta(microseconds=1)).date())
            rows = [f for f, _ in feedback(session, days) if start <= f.created_at < end]
            figures = metrics.for_shop(session, shop, start, end, now)
            turns = weekly.user_turns_per_week(session, start, end)
            return Insights(
                start, end, rows, figures, by_market(session, start, end),
                weekly.questions_per_week(session, start, end, turns=turns),
                weekly.fallbacks_per_week(session, start, end, turns=turns),
                weekly.fallback_texts(session, start, end), weekly.conversion_per_week(session, start, end),
                weekly.reply_minutes_per_week(session, start, end), results(session, shop.playbooks, start, end),
                diagnose(session, shop, figures))
