"""A support team's year at volume, written straight into a lifecycle store for bench.console.

100,000 conversations and 1,000,000 messages by default, over the last twelve months, in the five
languages, with the project's own NLU examples as the shoppers' words (so a search finds real
sentences), hand-offs (a few hundred still open), feedback with themes, carts, orders and shop
events. Rows go in by Core inserts in batches: the ORM would take an hour for this.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from lifecycle.demo.phrases import Phrases
from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.language import LANGUAGES
from lifecycle.storage.database import Database
from lifecycle.storage.models import (
    Cart,
    Conversation,
    Customer,
    Feedback,
    FeedbackTheme,
    Handoff,
    Interaction,
    Order,
    ShopEvent,
)

BATCH = 20_000
YEAR = 365 * 86400
STAGES = ["awareness"] * 4 + ["engagement"] * 3 + ["conversion"] * 2 + ["retention", "advocacy"]
THEMES = ["shipping", "price", "product_quality", "support", "returns", "checkout"]
REPLIES = {"en": "Here is what I found.", "it": "Ecco cosa ho trovato.", "sv": "Här är vad jag hittade.",
           "pl": "Oto co znalazłem.", "ro": "Iată ce am găsit."}


def _flush(connection: Connection, table: Any, rows: list[dict[str, Any]], force: bool = False) -> None:
    if rows and (force or len(rows) >= BATCH):
        connection.execute(insert(table), rows)
        rows.clear()


def generate(database: Database, conversations: int, messages: int, now: datetime,
             progress: Callable[[str], None] = print, seed: int = 11) -> None:
    rng = random.Random(seed)
    phrases = Phrases.load(PROJECT_ROOT / "data" / "nlu", PROJECT_ROOT / "data" / "voc")
    intents = {lang: sorted(phrases.questions[lang]) for lang in LANGUAGES}
    customers = max(1, conversations * 6 // 10)
    per_conversation = max(2, messages // conversations)
    start = now - timedelta(seconds=YEAR)
    started = time.perf_counter()
    with database.engine.begin() as connection:
        people = []
        for i in range(1, customers + 1):
            seen = start + timedelta(seconds=rng.randrange(YEAR))
            people.append({"id": i, "visitor_id": f"bench-v{i}", "stage": rng.choice(STAGES), "stage_since": seen,
                           "created_at": seen, "last_seen_at": seen, "reminders_opt_out": False,
                           "language": rng.choice(LANGUAGES)})
            _flush(connection, Customer, people)
        _flush(connection, Customer, people, force=True)
        chats: list[dict[str, Any]] = []
        turns: list[dict[str, Any]] = []
        handoffs: list[dict[str, Any]] = []
        feedback: list[dict[str, Any]] = []
        themes: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        carts: list[dict[str, Any]] = []
        orders: list[dict[str, Any]] = []
        for c in range(1, conversations + 1):
            customer = rng.randrange(1, customers + 1)
            language = rng.choice(LANGUAGES)
            at = start + timedelta(seconds=rng.randrange(YEAR - 3600))
            for n in range(per_conversation):
                moment = at + timedelta(seconds=20 * n)
                if n % 2 == 0:
                    intent = rng.choice(intents[language])
                    turns.append({"conversation_id": c, "kind": "user", "text": rng.choice(
                        phrases.questions[language][intent]), "intent": intent, "confidence": 0.9, "action": None,
                                  "at": moment})
                else:
                    turns.append({"conversation_id": c, "kind": "bot", "text": REPLIES[language], "intent": None,
                                  "confidence": None, "action": "action_answer", "at": moment})
            last = at + timedelta(seconds=20 * per_conversation)
            chats.append({"id": c, "sender_id": f"bench-s{c}", "customer_id": customer, "channel": "socketio",
                          "language": language, "started_at": at, "last_event_at": last})
            if rng.random() < 0.03:
                recent = now - last < timedelta(days=2)
                status = rng.choice(["waiting", "live", "open"]) if recent else rng.choice(
                    ["returned", "closed", "done", "unclaimed", "done"])
                handoffs.append({"conversation_id": c, "reason": "requested", "within_hours": True,
                                 "summary": f"Asked: {turns[-per_conversation]['text']}", "status": status,
                                 "requested_at": last, "agent": "bench-agent" if status == "live" else None})
            if rng.random() < 0.15:
                kind = rng.choice(["csat", "csat", "nps", "text"])
                feedback.append({"id": len(feedback) + c, "customer_id": customer, "conversation_id": c, "kind": kind,
                                 "rating": rng.randrange(1, 6) if kind == "csat" else (
                                     rng.randrange(0, 11) if kind == "nps" else None),
                                 "text": rng.choice(phrases.feedback[language].get("negative", ["ok"]))
                                 if kind == "text" else None, "language": language,
                                 "sentiment": rng.uniform(-1, 1) if kind == "text" else None,
                                 "stage": rng.choice(STAGES), "created_at": last})
                if kind == "text":
                    themes.append({"feedback_id": feedback[-1]["id"], "theme": rng.choice(THEMES), "position": 0,
                                   "sentiment": feedback[-1]["sentiment"]})
            for _ in range(2):
                events.append({"event_id": f"bench-e{c}-{len(events)}", "type": rng.choice(
                    ["page_view", "product_view"]), "customer_id": customer, "ts": at, "payload": None})
            if rng.random() < 0.12:
                ordered = rng.random() < 0.6
                carts.append({"customer_id": customer, "status": "ordered" if ordered else "open", "items": [],
                              "total_cents": rng.randrange(2990, 60000), "created_at": at, "updated_at": last})
                if ordered:
                    orders.append({"order_ref": f"bench-o{c}", "customer_id": customer, "items": [],
                                   "total_cents": carts[-1]["total_cents"], "placed_at": last})
            _flush(connection, Conversation, chats)
            if len(chats) == 0:
                _flush(connection, Interaction, turns, force=True)
            if c % 10_000 == 0:
                progress(f"  {c:,} conversations, {c * per_conversation:,} messages "
                         f"({time.perf_counter() - started:.0f} s)")
        _flush(connection, Conversation, chats, force=True)
        _flush(connection, Interaction, turns, force=True)
        for table, rows in ((Handoff, handoffs), (Feedback, feedback), (FeedbackTheme, themes), (ShopEvent, events),
                            (Cart, carts), (Order, orders)):
            for i in range(0, len(rows), BATCH):
                connection.execute(insert(table), rows[i:i + BATCH])
    with database.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    progress(f"generated {conversations:,} conversations and {conversations * per_conversation:,} messages in "
             f"{time.perf_counter() - started:.0f} s")


def bench_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
