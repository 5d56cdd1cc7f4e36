"""The shop's metrics (docs/metrics.md, with worked examples), computed in SQL over a period [start, end).

Formulas, and the choices each needed:
  - AOV = revenue / orders in the period.
  - transaction frequency = orders / unique ordering customers in the period.
  - conversion rate = customers who placed an order in the period / customers who
    interacted in it (a chat message or any shop event): the interactions attributable
    to conversions are those customers' contacts with the shop.
  - cart-abandonment rate = carts started in the period that did not end in an order /
    carts started in the period, leaving out carts still open and not yet idle.
  - recovered carts and revenue = reminders whose attributed order was placed in the period.
  - CLV = purchases per customer per year x AOV x years retained; purchases per year are the
    period's transaction frequency scaled to 365 days, years retained come from shop.yml
    (lifecycle.expected_retention_years).
  - CAC = marketing spend whose period starts in this period / new customers (first order ever
    placed in the period); cost per impression = that spend / its impressions (opened e-mails).
  - engagement rate = customers who engaged in the period (chat message, product view,
    review, newsletter, referral) / all customers known at the end of the period x 100.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from lifecycle.customers.stages import STAGES
from lifecycle.shop.facts import Shop
from lifecycle.storage.models import (
    Cart,
    CartRecovery,
    Conversation,
    Customer,
    Interaction,
    MarketingSpend,
    Order,
    ShopEvent,
)
from lifecycle.storage.weeks import monday, week_number
from lifecycle.values import to_eur

ENGAGING_EVENTS = ("product_view", "review_written", "newsletter_signup", "referral")


def _ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    return Decimal(numerator) / Decimal(denominator) if denominator else None


def aov(revenue: Decimal, orders: int) -> Decimal | None:
    return _ratio(revenue, orders)


def clv(purchases_per_year: Decimal, average_order_value: Decimal, years_retained: Decimal) -> Decimal:
    return Decimal(purchases_per_year) * Decimal(average_order_value) * Decimal(years_retained)


def cac(spend: Decimal, new_customers: int) -> Decimal | None:
    return _ratio(spend, new_customers)


def cost_per_impression(cost: Decimal, impressions: int) -> Decimal | None:
    return _ratio(cost, impressions)


def conversion_rate(conversions: int, interactions: int) -> Decimal | None:
    return _ratio(conversions, interactions)


def transaction_frequency(orders: int, customers: int) -> Decimal | None:
    return _ratio(orders, customers)


def cart_abandonment_rate(not_ordered: int, started: int) -> Decimal | None:
    return _ratio(not_ordered, started)


def engagement_rate(engagements: int, followers: int) -> Decimal | None:
    rate = _ratio(engagements, followers)
    return None if rate is None else rate * 100


@dataclass
class Metrics:
    start: datetime
    end: datetime
    orders: int
    revenue_eur: Decimal
    aov_eur: Decimal | None
    transaction_frequency: Decimal | None
    conversion_rate: Decimal | None
    cart_abandonment_rate: Decimal | None
    recovered_carts: int
    recovered_revenue_eur: Decimal
    clv_eur: Decimal | None
    new_customers: int
    cac_eur: Decimal | None
    cost_per_impression_eur: Decimal | None
    engagement_rate: Decimal | None
    customers_per_stage: dict[str, int]

    def as_json(self) -> dict:
        def plain(value: object) -> object:
            if isinstance(value, Decimal):
                return float(value.quantize(Decimal("0.0001"), ROUND_HALF_UP))
            if isinstance(value, datetime):
                return value.isoformat()
            return value
        return {key: plain(value) for key, value in asdict(self).items()}


def compute(session: Session, start: datetime, end: datetime, years_retained: Decimal,
            idle_minutes: int, now: datetime) -> Metrics:
    if end <= start:
        raise ValueError("'to' must be after 'from'")
    in_period = (Order.placed_at >= start, Order.placed_at < end)
    orders, revenue_cents, buyers = session.execute(
        select(func.count(Order.id), func.coalesce(func.sum(Order.total_cents), 0),
               func.count(distinct(Order.customer_id))).where(*in_period)).one()
    revenue = to_eur(revenue_cents)
    average = aov(revenue, orders)
    frequency = transaction_frequency(orders, buyers)

    # Counted per customer with EXISTS over the (customer_id, ts) indexes: a UNION of every
    # event in the period would sort up to millions of rows for a year-long window.
    # Who chatted is one pass over the period's shopper messages (by their time index), not a probe
    # per customer: correlated, SQLite's planner walked that index once per customer.
    chatted = Customer.id.in_(_chatters(start, end))
    visited = exists().where(ShopEvent.customer_id == Customer.id, ShopEvent.ts >= start, ShopEvent.ts < end)
    engaged_in_shop = exists().where(ShopEvent.customer_id == Customer.id, ShopEvent.ts >= start,
                                     ShopEvent.ts < end, ShopEvent.type.in_(ENGAGING_EVENTS))
    interacted, engaged, followers = session.execute(select(
        func.coalesce(func.sum(case((or_(chatted, visited), 1), else_=0)), 0),
        func.coalesce(func.sum(case((or_(chatted, engaged_in_shop), 1), else_=0)), 0),
        func.count(Customer.id)).where(Customer.created_at < end)).one()

    idle_cutoff = min(end, now - timedelta(minutes=idle_minutes))
    started = (Cart.created_at >= start, Cart.created_at < end)
    settled = ~((Cart.status.in_(("open", "checkout"))) & (Cart.updated_at > idle_cutoff))
    carts, not_ordered = session.execute(
        select(func.count(Cart.id), func.coalesce(func.sum(case((Cart.status != "ordered", 1), else_=0)), 0))
        .where(*started, settled)).one()

    recovered, recovered_cents = session.execute(
        select(func.count(CartRecovery.id), func.coalesce(func.sum(CartRecovery.recovered_cents), 0))
        .join(Order, Order.id == CartRecovery.recovered_order_id).where(*in_period)).one()

    first_orders = select(Order.customer_id, func.min(Order.placed_at).label("first")).group_by(
        Order.customer_id).subquery()
    new_customers = session.execute(select(func.count()).select_from(first_orders).where(
        first_orders.c.first >= start, first_orders.c.first < end)).scalar_one()
    spend_cents, impressions = session.execute(
        select(func.coalesce(func.sum(MarketingSpend.amount_cents), 0),
               func.coalesce(func.sum(MarketingSpend.impressions), 0))
        .where(MarketingSpend.period_start >= start, MarketingSpend.period_start < end)).one()
    spend = to_eur(spend_cents)

    per_stage = dict.fromkeys(STAGES, 0)
    per_stage.update(dict(session.execute(select(Customer.stage, func.count()).group_by(Customer.stage)).all()))

    days = Decimal((end - start).total_seconds()) / 86400
    per_year = frequency * Decimal(365) / days if frequency is not None else None
    return Metrics(
        start=start, end=end, orders=orders, revenue_eur=revenue, aov_eur=average,
        transaction_frequency=frequency, conversion_rate=conversion_rate(buyers, interacted),
        cart_abandonment_rate=cart_abandonment_rate(not_ordered, carts), recovered_carts=recovered,
        recovered_revenue_eur=to_eur(recovered_cents),
        clv_eur=clv(per_year, average, years_retained) if per_year is not None and average is not None else None,
        new_customers=new_customers, cac_eur=cac(spend, new_customers),
        cost_per_impression_eur=cost_per_impression(spend, impressions),
        engagement_rate=engagement_rate(engaged, followers), customers_per_stage=per_stage,
    )


def _chatters(start: datetime, end: datetime) -> Select:
    return select(Conversation.customer_id).join(Interaction, Interaction.conversation_id == Conversation.id).where(
        Interaction.kind == "user", Interaction.at >= start, Interaction.at < end)


def per_week(session: Session, start: datetime, end: datetime) -> dict[date, tuple[int, int, int]]:
    """Monday -> (buyers, customers who chatted or visited, recovered revenue in cents) for the weeks
    of [start, end): `compute`'s conversion and recovered revenue, grouped by week in three queries."""
    week = week_number(Order.placed_at)
    buyers = dict(session.execute(select(week, func.count(distinct(Order.customer_id))).where(
        Order.placed_at >= start, Order.placed_at < end).group_by(week)).all())
    chatted = _chatters(start, end).add_columns(week_number(Interaction.at).label("week"))
    visited = select(ShopEvent.customer_id.label("customer_id"), week_number(ShopEvent.ts).label("week")).where(
        ShopEvent.ts >= start, ShopEvent.ts < end)
    both = chatted.union(visited).subquery()
    interacted = dict(session.execute(select(both.c.week, func.count()).group_by(both.c.week)).all())
    recovered = dict(session.execute(
        select(week, func.coalesce(func.sum(CartRecovery.recovered_cents), 0))
        .join(Order, Order.id == CartRecovery.recovered_order_id)
        .where(Order.placed_at >= start, Order.placed_at < end).group_by(week)).all())
    return {monday(number): (int(buyers.get(number, 0)), int(interacted.get(number, 0)),
                             int(recovered.get(number, 0)))
            for number in set(buyers) | set(interacted) | set(recovered)}


def for_shop(session: Session, shop: Shop, start: datetime, end: datetime, now: datetime) -> Metrics:
    """`compute` with the shop's own settings (years retained for CLV, when a cart counts as idle)."""
    return compute(session, start, end, shop.policies.lifecycle.expected_retention_years,
                   shop.policies.cart_recovery.idle_minutes, now)
