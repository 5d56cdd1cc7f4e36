"""The metric formulas reproduce the worked examples in docs/metrics.md, and the SQL computes them from events."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from lifecycle.commerce import metrics
from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.shop.facts import Shop
from lifecycle.storage.database import Database
from lifecycle.storage.models import MarketingSpend

START = datetime(2026, 10, 1, tzinfo=timezone.utc)
END = datetime(2026, 11, 1, tzinfo=timezone.utc)


def test_worked_examples_from_docs_metrics_md() -> None:
    assert metrics.clv(Decimal(12), Decimal(50), Decimal(8)) == Decimal(4800)
    assert metrics.cac(Decimal(100000), 5000) == Decimal(20)
    assert metrics.cost_per_impression(Decimal(1000), 20000 - 2000 - 8000) == Decimal("0.10")
    assert metrics.conversion_rate(100, 2000) == Decimal("0.05")
    assert metrics.aov(Decimal(300000), 5000) == Decimal(60)
    assert metrics.engagement_rate(50, 1000) == Decimal(5)
    assert metrics.transaction_frequency(30, 20) == Decimal("1.5")
    assert metrics.cart_abandonment_rate(41, 100) == Decimal("0.41")


def test_no_orders_gives_no_ratio_rather_than_a_crash() -> None:
    assert metrics.aov(Decimal(0), 0) is None
    assert metrics.cac(Decimal(100), 0) is None


def ev(kind: str, n: int, visitor: str, at: datetime, **fields) -> dict:  # type: ignore[no-untyped-def]
    return {"type": kind, "event_id": f"{kind}-{visitor}-{n}", "visitor_id": visitor, "ts": at.isoformat(), **fields}


def test_metrics_from_a_month_of_events(database: Database, shop: Shop, store: ConversationRecorder) -> None:
    day = START + timedelta(days=3)
    events = [
        ev("page_view", 1, "a", day), ev("page_view", 1, "b", day), ev("page_view", 1, "c", day),
        ev("page_view", 1, "d", day),
        ev("cart_updated", 1, "a", day, items=[{"sku": "CAM-200", "qty": 1}]),
        ev("order_placed", 1, "a", day + timedelta(hours=1), order_id="o1", items=[{"sku": "CAM-200", "qty": 1}],
           total_eur="129.00"),
        ev("cart_updated", 1, "b", day, items=[{"sku": "HS-100", "qty": 2}]),  # abandoned
        ev("order_placed", 1, "c", day, order_id="o2", items=[{"sku": "LT-100", "qty": 1}], total_eur="59.00"),
        ev("order_placed", 2, "c", day + timedelta(days=10), order_id="o3", items=[{"sku": "LT-100", "qty": 1}],
           total_eur="72.00"),
        ev("product_view", 1, "d", day, sku="CAM-100"),
    ]
    Commerce(database).apply(parse_events(events), shop, now=END)
    with database.session() as session:
        session.add(MarketingSpend(period_start=START, period_end=END, amount_cents=10000, impressions=400))
    with database.session() as session:
        result = metrics.compute(session, START, END, Decimal(3), 30, now=END + timedelta(days=1))
    assert result.orders == 3 and result.revenue_eur == Decimal("260.00")
    assert result.aov_eur is not None and result.aov_eur.quantize(Decimal("0.01")) == Decimal("86.67")
    assert result.transaction_frequency == Decimal("1.5")  # 3 orders by 2 customers
    assert result.conversion_rate == Decimal("0.5")  # a and c ordered, of a, b, c, d
    assert result.cart_abandonment_rate == Decimal("0.5")  # a's cart ordered, b's not
    assert result.new_customers == 2 and result.cac_eur == Decimal(50)
    assert result.cost_per_impression_eur == Decimal("0.25")
    assert result.engagement_rate == Decimal(25)  # d viewed a product; 4 customers
    per_year = Decimal("1.5") * 365 / 31
    assert result.clv_eur == per_year * (Decimal("260") / 3) * 3
    assert result.customers_per_stage == {"awareness": 1, "engagement": 1, "conversion": 1, "retention": 1,
                                          "advocacy": 0}
