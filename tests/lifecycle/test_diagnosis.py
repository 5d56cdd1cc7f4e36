"""Insights' per-stage diagnosis flags a stage where the store's own numbers show its known problem."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from lifecycle.commerce import metrics
from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.people.diagnosis import diagnose
from lifecycle.shop.facts import Shop
from lifecycle.storage.database import Database
from tests.conftest import LINKS

T0 = datetime(2026, 9, 1, tzinfo=timezone.utc)
END = T0 + timedelta(days=30)


def test_each_stage_is_measured_and_flagged_on_its_threshold(store: ConversationRecorder, database: Database,
                                                              shop: Shop) -> None:
    for n in range(4):  # four shoppers ask in the chat; only the first looks at a product
        chat = f"diagnosis-chat-{n}-0123456789"
        store.record_user_message(chat, "do you ship to italy?", "ask_shipping", 0.9, T0 + timedelta(days=1),
                                  identity=LINKS.sign(f"d{n}", chat))
    store.record_product_views("diagnosis-chat-0-0123456789", ["CAM-100"], "price", at=T0 + timedelta(days=1))
    batch = []
    for n in range(4):  # four carts, one ordered: 75% abandoned
        at = (T0 + timedelta(days=2)).isoformat()
        batch.append({"type": "cart_updated", "event_id": f"c{n}", "visitor_id": f"d{n}", "ts": at,
                      "items": [{"sku": "CAM-100", "qty": 1}]})
    batch.append({"type": "order_placed", "event_id": "o", "visitor_id": "d0", "order_id": "D-1",
                  "ts": (T0 + timedelta(days=2)).isoformat(), "items": [{"sku": "CAM-100", "qty": 1}],
                  "total_eur": "49.00"})
    Commerce(database).apply(parse_events(batch), shop)
    with database.reading() as session:
        found = {f.stage: f for f in diagnose(session, shop, metrics.for_shop(session, shop, T0, END, END))}
    assert (found["awareness"].value, found["awareness"].problem) == ("4", False)
    assert (found["engagement"].value, found["engagement"].detail, found["engagement"].problem) == ("75.0%", "3 of 4",
                                                                                                   True)
    assert (found["conversion"].value, found["conversion"].problem) == ("75.0%", True)
    assert (found["retention"].value, found["retention"].detail, found["retention"].problem) == ("0.0%", "0 of 1",
                                                                                                 True)
    assert (found["advocacy"].value, found["advocacy"].problem) == ("0.0", True)
    assert "reason to refer" in found["advocacy"].advice
    with database.reading() as session:  # the next month: nobody new at all
        month = metrics.for_shop(session, shop, END, END + timedelta(days=30), END + timedelta(days=30))
        later = {f.stage: f for f in diagnose(session, shop, month)}
    assert (later["awareness"].value, later["awareness"].problem) == ("0", True)
