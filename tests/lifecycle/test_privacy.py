"""Export and forget one person across both stores; expire old conversations."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from lifecycle.commerce.events import parse_events
from lifecycle.commerce.orders import OrderDesk
from lifecycle.commerce.service import Commerce
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.people.feedback import FeedbackStore
from lifecycle.people.privacy import PersonalData, UnknownPerson
from lifecycle.shop.facts import Shop
from lifecycle.storage.models import OrderRequest
from lifecycle.storage.rasa_tracker import EVENTS, RasaTrackerRows
from tests.conftest import LINKS, VOC_DIR, analyser

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
ANA, BEN = "ana-conversation-secret", "ben-conversation-secret"


@pytest.fixture
def tracker(tmp_path: Path) -> RasaTrackerRows:
    rows = RasaTrackerRows.from_url(f"sqlite:///{tmp_path / 'tracker.db'}")
    EVENTS.metadata.create_all(rows.engine)
    return rows


def rasa_event(tracker: RasaTrackerRows, sender: str, text: str) -> None:
    with tracker.engine.begin() as connection:
        connection.execute(insert(EVENTS).values(sender_id=sender, type_name="user", timestamp=T0.timestamp(),
                                                 data=json.dumps({"event": "user", "text": text})))


def a_full_life(store: ConversationRecorder, shop: Shop, sender: str, visitor: str, friend: str) -> None:
    store.record_user_message(sender, "how much is the lumo pro?", "ask_product_price", 0.9, T0,
                              identity=LINKS.sign(visitor, sender))
    store.record_product_views(sender, ["CAM-200"], "price", visitor)
    store.record_comparison(sender, ["CAM-100", "CAM-200"], visitor)
    store.request_handoff(sender, "requested", True, visitor)
    feedback = FeedbackStore(store.db, VOC_DIR, analyser())
    feedback.rating(sender, visitor, "csat", 5, T0)
    feedback.text(sender, visitor, "fast delivery", "en", T0)
    Commerce(store.db).apply(parse_events([
        {"type": "cart_updated", "event_id": f"{visitor}-c", "visitor_id": visitor, "ts": T0.isoformat(),
         "items": [{"sku": "CAM-200", "qty": 1}]},
        {"type": "loyalty_joined", "event_id": f"{visitor}-j", "visitor_id": visitor},
        {"type": "newsletter_signup", "event_id": f"{visitor}-n", "visitor_id": visitor,
         "email": f"{visitor}@example.com"},
        {"type": "referral", "event_id": f"{visitor}-r", "visitor_id": visitor, "invited_visitor_id": friend},
        {"type": "order_placed", "event_id": f"{visitor}-o", "visitor_id": visitor, "order_id": f"{visitor}-1",
         "items": [{"sku": "CAM-200", "qty": 1}], "total_eur": "129.00"},
    ]), shop)
    OrderDesk(store.db).request(f"{visitor}-1", "return", sender, [("CAM-200", 1)])


def test_forget_leaves_no_row_about_the_person_in_either_store(store: ConversationRecorder, shop: Shop,
                                                                tracker: RasaTrackerRows) -> None:
    a_full_life(store, shop, ANA, "ana", "ana-friend")
    a_full_life(store, shop, BEN, "ben", "ben-friend")
    rasa_event(tracker, ANA, "how much is the lumo pro?")
    rasa_event(tracker, BEN, "hello")
    data = PersonalData(store.db, tracker)
    before = data.rows_about("ana")
    assert all(before[table] > 0 for table in ("conversations", "interactions", "product_views", "comparisons",
                                                "handoffs", "feedback", "carts", "orders", "shop_events",
                                                "loyalty_entries", "stage_transitions", "referrals",
                                                "email_consents", "rasa_tracker_events")), before
    ben_before = data.rows_about("ben")

    forgotten = data.forget("ana")

    assert forgotten.tracker_events == 1 and forgotten.rows["interactions"] >= 1
    assert data.rows_about("ana") == {}  # no customer row, so nothing can point at one
    assert tracker.count([ANA]) == 0
    assert data.rows_about("ben") == ben_before  # nobody else lost a row
    with store.db.session() as session:  # a return asked for in the chat went with the order
        assert session.execute(select(OrderRequest.sender_id)).scalars().all() == [BEN]
    with pytest.raises(UnknownPerson):
        data.forget("ana")


def test_export_holds_everything_about_the_person_but_no_conversation_secret(
        store: ConversationRecorder, shop: Shop, tracker: RasaTrackerRows) -> None:
    a_full_life(store, shop, ANA, "ana", "ana-friend")
    rasa_event(tracker, ANA, "how much is the lumo pro?")
    export = PersonalData(store.db, tracker).export("ana")
    text = json.dumps(export)
    assert ANA not in text
    assert export["customer"]["visitor_id"] == "ana"
    (conversation,) = export["conversations"]
    assert conversation["turns"][0]["text"] == "how much is the lumo pro?"
    assert conversation["comparisons"][0]["skus"] == ["CAM-100", "CAM-200"]
    assert conversation["assistant_log"][0]["text"] == "how much is the lumo pro?"
    assert export["orders"][0]["total_cents"] == 12900 and export["feedback"][1]["themes"] == ["shipping"]
    assert {r["role"] for r in export["referrals"]} == {"referrer"}
    assert [(r["kind"], r["order_id"]) for r in export["order_requests"]] == [("return", "ana-1")]
    assert [(c["email"], c["source"]) for c in export["email_consents"]] == [("ana@example.com", "newsletter_signup")]


def test_retention_expires_old_conversations_in_both_stores(store: ConversationRecorder, shop: Shop,
                                                             tracker: RasaTrackerRows) -> None:
    store.record_user_message(ANA, "old question", "greet", 0.9, T0 - timedelta(days=400))
    store.record_user_message(BEN, "new question", "greet", 0.9, T0)
    rasa_event(tracker, ANA, "old question")
    rasa_event(tracker, BEN, "new question")
    data = PersonalData(store.db, tracker)
    assert data.expire_conversations(T0 - timedelta(days=365)) == 1
    assert store.interactions(ANA) == [] and len(store.interactions(BEN)) == 1
    assert tracker.count([ANA]) == 0 and tracker.count([BEN]) == 1
