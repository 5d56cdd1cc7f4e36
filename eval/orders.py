"""`make eval-orders`: "where is my order?" and its kin, against the running stack, in five languages.

    .venv/bin/python -m eval.orders                 # against `make run`
    .venv/bin/python -m eval.orders --target http://127.0.0.1:5005 --shop http://127.0.0.1:8000 --show-misses

Posts the held-out set's orders to the shop events API with their dates relative to now (a second
run against the same store repeats the event ids, which the API ignores, so the dates stay those of
the first run), then chats each conversation over REST, each in a new anonymous conversation. A
turn passes when every `expect` string is in the reply and no `none` string is.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import requests
import yaml

from eval.run import check, reply
from lifecycle.settings import load_settings

HELDOUT = Path(__file__).resolve().parent / "orders" / "heldout.yml"


def order_events(order: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """The shop's events for one held-out order: placed, then shipped, delivered and refunded as it says."""
    ref, visitor = order["order_id"], f"eval-{order['order_id']}"
    placed = now - timedelta(days=order["days_ago"])

    def event(kind: str, at: datetime, **fields: Any) -> dict[str, Any]:
        return {"type": kind, "event_id": f"eval-{ref}-{kind}", "visitor_id": visitor, "ts": at.isoformat(),
                **fields}

    events = [event("order_placed", placed, order_id=ref, items=[{"sku": order["sku"], "qty": 1}],
                    total_eur="59.00", email=order["email"], postcode=order["postcode"])]
    delivered = order.get("delivered_days_ago")
    if shipped := order.get("shipped"):
        events.append(event("order_shipped", placed + timedelta(hours=20), order_id=ref, carrier=shipped["carrier"],
                            tracking_number=shipped["tracking_number"],
                            expected_delivery=(now + timedelta(days=shipped["expected_in_days"])).date().isoformat()))
    elif delivered is not None:
        events.append(event("order_shipped", placed + timedelta(hours=20), order_id=ref, carrier="GLS",
                            tracking_number=f"GLS{ref[-5:]}0001"))
    if delivered is not None:
        events.append(event("order_delivered", now - timedelta(days=delivered), order_id=ref))
    if refund := order.get("refund_eur"):
        events.append(event("refund_issued", now - timedelta(days=1), order_id=ref, amount_eur=refund))
    return events


def post_orders(target: str, api_key: str, orders: list[dict[str, Any]]) -> None:
    now = datetime.now(timezone.utc)
    events = [e for order in orders for e in order_events(order, now)]
    response = requests.post(f"{target}/api/events", json=events, timeout=30,
                             headers={"Authorization": f"Bearer {api_key}"})
    if response.status_code != 200:
        sys.exit(f"the shop events API refused the held-out orders ({response.status_code}): {response.text}")


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default=f"http://127.0.0.1:{settings.ports.rasa}", help="Rasa's REST channel")
    parser.add_argument("--shop", default=f"http://127.0.0.1:{settings.ports.web}", help="the web app (events API)")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    post_orders(args.shop, settings.api_key, data["orders"])
    passed: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for conversation in data["conversations"]:
        sender = "eval-orders-" + secrets.token_hex(8)
        lang = conversation["lang"]
        for turn in conversation["turns"]:
            answer = reply(args.target, sender, turn["say"])
            total[lang] += 1
            if check(answer, turn):
                passed[lang] += 1
            elif args.show_misses:
                print(f"MISS [{lang}] {turn['say']!r}\n     -> {answer!r}")
    for lang in total:
        print(f"{lang}: {passed[lang]}/{total[lang]} turns")
    print(f"overall: {sum(passed.values())}/{sum(total.values())} turns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
