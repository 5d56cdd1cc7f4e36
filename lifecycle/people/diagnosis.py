"""Per-stage diagnosis for Insights: where the funnel shows the problem docs/lifecycle.md names for
each stage, measured from the store's own numbers over the chosen period.

Thresholds are shop data (playbooks.yml's `diagnosis`): what counts as "few" or "high" differs
between shops, and a marketer should be able to read why a stage is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from lifecycle.commerce import metrics
from lifecycle.shop.facts import Shop
from lifecycle.storage.models import (
    Comparison,
    Conversation,
    Customer,
    Interaction,
    Order,
    ProductView,
    Referral,
    ShopEvent,
)

MIN_PREVIOUS = 20  # new contacts in the previous period below which a change in % is not shown


@dataclass(frozen=True)
class StageFinding:
    stage: str
    measure: str
    value: str  # as shown
    detail: str
    problem: bool
    advice: str  # the articles' problem for the stage, and what helps


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def diagnose(session: Session, shop: Shop, figures: metrics.Metrics) -> list[StageFinding]:
    """The five stages over the period of `figures`, the page's metrics (cart abandonment is theirs)."""
    start, end = figures.start, figures.end
    limits = shop.playbooks.diagnosis
    before = start - (end - start)

    def new_contacts(since: datetime, until: datetime) -> int:
        return session.execute(select(func.count()).select_from(Customer).where(
            Customer.created_at >= since, Customer.created_at < until)).scalar_one()

    new, previous = new_contacts(start, end), new_contacts(before, start)
    drop = _percent(previous - new, previous) if previous >= MIN_PREVIOUS else None  # a change from 2 means nothing
    findings = [StageFinding(
        "awareness", "new contacts", str(new),
        f"previous period: {previous}" + (f" ({-drop:+.1f}%)" if drop is not None else ""),
        new == 0 or (drop is not None and drop >= limits.new_contacts_drop_percent),
        "Few people find the shop: widen reach (search, ads, social posts) and ask customers to refer friends.")]

    chatted = select(distinct(Conversation.customer_id)).join(Interaction).where(
        Interaction.kind == "user", Interaction.at >= start, Interaction.at < end)
    looked = select(distinct(Conversation.customer_id)).where(or_(
        Conversation.id.in_(select(ProductView.conversation_id).where(ProductView.at >= start, ProductView.at < end)),
        Conversation.id.in_(select(Comparison.conversation_id).where(Comparison.at >= start, Comparison.at < end))))
    browsed = select(distinct(ShopEvent.customer_id)).where(ShopEvent.type == "product_view", ShopEvent.ts >= start,
                                                            ShopEvent.ts < end)
    asking = set(session.execute(chatted).scalars())
    blind = asking - set(session.execute(looked).scalars()) - set(session.execute(browsed).scalars())
    share = _percent(len(blind), len(asking))
    findings.append(StageFinding(
        "engagement", "chatting customers who viewed or compared nothing", "–" if share is None else f"{share}%",
        f"{len(blind)} of {len(asking)}", share is not None and share >= limits.questions_without_view_percent,
        "Shoppers ask but do not get to products: poor navigation or search. Link answers to product pages and "
        "offer comparisons."))

    rate = figures.cart_abandonment_rate
    abandonment = None if rate is None else round(float(rate) * 100, 1)
    findings.append(StageFinding(
        "conversion", "cart abandonment", "–" if abandonment is None else f"{abandonment}%",
        f"recovered carts: {figures.recovered_carts}",
        abandonment is not None and abandonment >= limits.cart_abandonment_percent,
        "A complicated checkout or high shipping costs: show shipping early, offer guest checkout and more "
        "payment methods, remind abandoned carts."))

    buyers = list(session.execute(select(distinct(Order.customer_id)).where(Order.placed_at >= start,
                                                                            Order.placed_at < end)).scalars())
    repeat = session.execute(select(func.count()).select_from(
        select(Order.customer_id).where(Order.customer_id.in_(buyers), Order.placed_at < end)
        .group_by(Order.customer_id).having(func.count() >= 2).subquery())).scalar_one() if buyers else 0
    repeat_share = _percent(repeat, len(buyers))
    findings.append(StageFinding(
        "retention", "buyers who ordered more than once", "–" if repeat_share is None else f"{repeat_share}%",
        f"{repeat} of {len(buyers)}", repeat_share is not None and repeat_share < limits.repeat_buyers_below_percent,
        "No follow-up or newsletter: follow up on delivered orders, ask for feedback, invite to the newsletter."))

    referrals = session.execute(select(func.count()).select_from(Referral).where(
        Referral.created_at >= start, Referral.created_at < end)).scalar_one()
    reviews = session.execute(select(func.count()).select_from(ShopEvent).where(
        ShopEvent.type == "review_written", ShopEvent.ts >= start, ShopEvent.ts < end)).scalar_one()
    per_buyer = _percent(referrals, len(buyers))
    findings.append(StageFinding(
        "advocacy", "referrals per 100 buyers", "–" if per_buyer is None else f"{per_buyer}",
        f"{referrals} referrals, {reviews} reviews", bool(buyers) and (per_buyer or 0) < limits.referrals_below_percent,
        "Loyal customers are never given an offer or a reason to refer: ask promoters for reviews and referrals, "
        "with loyalty points."))
    return findings
