"""Benchmark: /api/metrics' computation over 1,000,000 shop events on SQLite.

Generates a year of synthetic traffic (visitors, page and product views, carts, orders,
reminders) straight into a fresh SQLite store, then times `lifecycle.metrics.compute`
for a 30-day window and for the whole year. Ratios are printed against a baseline
measured in the same run (a plain COUNT over the same window), because this machine's
speed varies; the goal is a metrics call under 1 s.

    .venv/bin/python -m bench.metrics_bench [--events 1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select

from lifecycle.commerce import metrics
from lifecycle.storage.database import Database, migrate
from lifecycle.storage.models import Cart, CartRecovery, Customer, Order, ShopEvent

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
TYPES = ["page_view"] * 6 + ["product_view"] * 3 + ["cart_updated"]


def generate(database: Database, events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    customers = max(1, events // 10)
    year = 365 * 86400
    with database.engine.begin() as connection:
        connection.execute(insert(Customer), [
            {"id": i, "visitor_id": f"v{i}", "stage": rng.choice(["awareness", "engagement", "conversion"]),
             "stage_since": START, "created_at": START + timedelta(seconds=rng.randrange(year)),
             "last_seen_at": START, "reminders_opt_out": False} for i in range(1, customers + 1)])
        batch: list[dict] = []
        carts: list[dict] = []
        orders: list[dict] = []
        for n in range(events):
            customer = rng.randrange(1, customers + 1)
            ts = START + timedelta(seconds=rng.randrange(year))
            kind = rng.choice(TYPES)
            batch.append({"event_id": f"e{n}", "type": kind, "customer_id": customer, "ts": ts, "payload": None})
            if kind == "cart_updated":
                ordered = rng.random() < 0.59  # 41% of carts are abandoned (docs/lifecycle.md)
                carts.append({"id": len(carts) + 1, "customer_id": customer, "status": "ordered" if ordered else "open",
                              "items": "[]", "total_cents": rng.randrange(2990, 60000), "created_at": ts,
                              "updated_at": ts})
                if ordered:
                    orders.append({"order_ref": f"o{len(orders)}", "customer_id": customer, "cart_id": len(carts),
                                   "items": json.dumps([]), "total_cents": carts[-1]["total_cents"],
                                   "placed_at": ts + timedelta(minutes=20)})
            if len(batch) == 50_000:
                connection.execute(insert(ShopEvent), batch)
                batch.clear()
        if batch:
            connection.execute(insert(ShopEvent), batch)
        connection.execute(insert(Cart), carts)
        connection.execute(insert(Order), orders)
        reminded = [c for c in carts if c["status"] == "open"][: len(carts) // 10]
        connection.execute(insert(CartRecovery), [
            {"cart_id": c["id"], "customer_id": c["customer_id"], "status": "sent", "attempts": 1,
             "created_at": c["updated_at"], "sent_at": c["updated_at"] + timedelta(minutes=31)} for c in reminded])


def timed(function, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def measure(database: Database, label: str, start: datetime, end: datetime, now: datetime) -> None:
    with database.session() as session:
        baseline = timed(lambda: session.execute(select(func.count()).select_from(ShopEvent).where(
            ShopEvent.ts >= start, ShopEvent.ts < end)).scalar_one())
        result = timed(lambda: metrics.compute(session, start, end, Decimal(3), 30, now))
        values = metrics.compute(session, start, end, Decimal(3), 30, now)
    print(f"{label:>8}: metrics {result * 1000:7.1f} ms | baseline COUNT {baseline * 1000:6.1f} ms | "
          f"ratio {result / baseline:5.1f}x | goal 1000 ms: {'met' if result <= 1 else 'MISSED'} | "
          f"orders {values.orders:,}, abandonment {float(values.cart_abandonment_rate or 0):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="keep the generated store here and reuse it on later runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.db"
        reuse = path.exists()
        database = Database.from_url(f"sqlite:///{path}")
        migrate(database.engine)
        if not reuse:
            started = time.perf_counter()
            generate(database, args.events)
            print(f"generated {args.events:,} events in {time.perf_counter() - started:.1f} s")
        with database.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
        now = START + timedelta(days=366)
        for label, start, end in [("30 days", START + timedelta(days=150), START + timedelta(days=180)),
                                  ("365 days", START, START + timedelta(days=365))]:
            measure(database, label, start, end, now)
        database.dispose()


if __name__ == "__main__":
    main()
