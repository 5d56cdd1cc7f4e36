"""The shop's five markets side by side: each customer's market is the language they chat in.

A marketer compares Italy with Poland on the same figures as the whole shop: conversations,
orders and revenue in the period, and what the customers said (CSAT, NPS, written feedback).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle.people.scores import average, net_promoter_score
from lifecycle.shop.language import LANGUAGES
from lifecycle.storage.models import Conversation, Customer, Feedback, Order
from lifecycle.values import to_eur


@dataclass(frozen=True)
class MarketRow:
    language: str  # "" for customers whose language is not known yet
    customers: int
    conversations: int
    orders: int
    revenue_eur: Decimal
    csat: float | None  # average 1-5
    nps: float | None  # % promoters (9-10) minus % detractors (0-6)
    written_feedback: int


def by_market(session: Session, start: datetime, end: datetime) -> list[MarketRow]:
    """One row per language with activity in [start, end), in the shop's language order."""
    language = func.coalesce(Customer.language, "")
    customers = dict(session.execute(select(language, func.count()).group_by(language)).all())
    conversations = dict(session.execute(
        select(language, func.count()).select_from(Conversation).join(Customer)
        .where(Conversation.started_at >= start, Conversation.started_at < end).group_by(language)).all())
    orders = {lang: (count, cents) for lang, count, cents in session.execute(
        select(language, func.count(), func.coalesce(func.sum(Order.total_cents), 0)).select_from(Order)
        .join(Customer).where(Order.placed_at >= start, Order.placed_at < end).group_by(language)).all()}
    ratings: dict[str, dict[str, list[int]]] = {}
    written: dict[str, int] = {}
    for lang, kind, rating in session.execute(
            select(language, Feedback.kind, Feedback.rating).select_from(Feedback).join(Customer)
            .where(Feedback.created_at >= start, Feedback.created_at < end)).all():
        if kind == "text":
            written[lang] = written.get(lang, 0) + 1
        elif rating is not None:
            ratings.setdefault(lang, {}).setdefault(kind, []).append(rating)
    rows = []
    for lang in [*LANGUAGES, ""]:
        if not customers.get(lang):
            continue
        csat, nps = ratings.get(lang, {}).get("csat"), ratings.get(lang, {}).get("nps")
        count, cents = orders.get(lang, (0, 0))
        rows.append(MarketRow(
            lang, customers[lang], conversations.get(lang, 0), count, to_eur(cents),
            round(average(csat), 2) if csat else None, round(net_promoter_score(nps), 1) if nps else None,
            written.get(lang, 0)))
    return rows
