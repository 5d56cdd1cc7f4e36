from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.people.live import LiveChats
from lifecycle.shop.hours import AgentHours
from lifecycle.storage.database import Database
from lifecycle.storage.models import (
    Comparison,
    Conversation,
    Customer,
    Handoff,
    ProductRecord,
    ProductView,
    StageTransition,
)
from tests.conftest import LINKS

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
C = {name: f"{name}-conversation-secret" for name in ("s1", "s2", "s3", "s4", "session-a", "session-b")}


def test_every_turn_is_stored_in_order(store: ConversationRecorder) -> None:
    store.record_user_message(C["s1"], "hi", "greet", 0.98, T0, identity=LINKS.sign("v1", C["s1"]), channel="rest")
    store.record_action(C["s1"], "action_greet", T0 + timedelta(seconds=1), 1.0)
    store.record_bot_message(C["s1"], "Hi! I'm the DeskWorks assistant", "action_greet", None,
                             T0 + timedelta(seconds=1))
    rows = store.interactions(C["s1"])
    assert [(r.kind, r.text, r.intent, r.action) for r in rows] == [
        ("user", "hi", "greet", None),
        ("action", None, None, "action_greet"),
        ("bot", "Hi! I'm the DeskWorks assistant", None, "action_greet"),
    ]
    assert rows[0].confidence == 0.98
    assert rows[0].at == T0


def test_first_contact_is_awareness_then_questions_engage(store: ConversationRecorder, database: Database) -> None:
    store.record_user_message(C["s2"], "hello", "greet", 0.9, T0, identity=LINKS.sign("v2", C["s2"]))
    assert getattr(store.customer("v2"), "stage", None) == "awareness"
    store.record_product_views(C["s2"], ["CAM-200"], "price")
    store.record_comparison(C["s2"], ["CAM-100", "CAM-200"])
    with database.session() as session:
        transitions = session.execute(select(StageTransition).order_by(StageTransition.id)).scalars().all()
        assert [(t.from_stage, t.to_stage) for t in transitions] == [(None, "awareness"), ("awareness", "engagement")]
        assert transitions[1].reason == "asked the price of CAM-200"
        assert session.execute(select(func.count()).select_from(ProductView)).scalar_one() == 1
        assert session.execute(select(Comparison)).scalar_one().skus == ["CAM-100", "CAM-200"]
    assert getattr(store.customer("v2"), "stage", None) == "engagement"


def test_conversation_belongs_to_the_visitor_not_the_session(store: ConversationRecorder, database: Database) -> None:
    store.record_user_message(C["session-a"], "hi", "greet", 0.9, T0,
                              identity=LINKS.sign("same-visitor", C["session-a"]))
    store.record_user_message(C["session-b"], "hi again", "greet", 0.9, T0,
                              identity=LINKS.sign("same-visitor", C["session-b"]))
    with database.session() as session:
        assert session.execute(select(func.count()).select_from(Customer)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(Conversation)).scalar_one() == 2


def test_action_server_may_see_a_visitor_before_the_broker(store: ConversationRecorder) -> None:
    store.record_product_views(C["s3"], ["HS-200"], "stock", visitor_id="v3")
    store.record_user_message(C["s3"], "is the calla wireless in stock?", "ask_product_stock", 0.97, T0,
                              identity=LINKS.sign("v3", C["s3"]))
    assert getattr(store.customer("v3"), "stage", None) == "engagement"
    assert len(store.interactions(C["s3"])) == 1


def test_handoff_summary_tells_the_agent_what_happened(store: ConversationRecorder, database: Database) -> None:
    store.record_user_message(C["s4"], "how much is the lumo pro?", "ask_product_price", 0.99, T0,
                              identity=LINKS.sign("v4", C["s4"]))
    store.record_product_views(C["s4"], ["CAM-200"], "price")
    store.record_user_message(C["s4"], "compare it with the lumo hd", "compare_products", 0.95,
                              T0 + timedelta(minutes=1))
    store.record_comparison(C["s4"], ["CAM-200", "CAM-100"])
    handoff = store.request_handoff(C["s4"], "requested", within_hours=True)
    assert "how much is the lumo pro? | compare it with the lumo hd" in handoff.summary
    assert "Products discussed: Lumo Pro 4K Webcam, Lumo HD Webcam" in handoff.summary
    assert "Lifecycle stage: engagement" in handoff.summary
    with database.session() as session:
        assert session.execute(select(Handoff.status)).scalar_one() == "open"


def test_an_address_reopens_the_request_nobody_claimed_as_a_ticket(store: ConversationRecorder,
                                                                   database: Database) -> None:
    store.record_user_message(C["s4"], "a person please", "request_human", 0.99, T0)
    asked = store.request_handoff(C["s4"], "requested", within_hours=True, live=True, at=T0)
    LiveChats(database).expire_waiting(T0 + timedelta(minutes=5), T0 + timedelta(minutes=5))
    ticket = store.leave_email(C["s4"], "ann@example.com", within_hours=True, at=T0 + timedelta(minutes=6))
    assert ticket.id == asked.id
    later = store.leave_email(C["s4"], "ann@example.org", within_hours=False, at=T0 + timedelta(days=2))
    assert later.id != asked.id and later.reason == "email"  # two days on, it is a new request
    with database.session() as session:
        assert session.execute(select(Handoff.contact_email, Handoff.status).order_by(Handoff.id)).all() == [
            ("ann@example.com", "open"), ("ann@example.org", "open")]


def test_catalog_sync_is_idempotent(store: ConversationRecorder, database: Database, shop) -> None:  # type: ignore[no-untyped-def]
    store.sync_catalog(shop.products)
    with database.session() as session:
        assert session.execute(select(func.count()).select_from(ProductRecord)).scalar_one() == 11


def test_agent_hours_in_shop_time_zone() -> None:
    hours = AgentHours.parse("Monday to Friday, 09:00-18:00 CET")
    assert hours.is_open(datetime(2026, 11, 25, 8, 30, tzinfo=timezone.utc))  # 09:30 in Rome
    assert not hours.is_open(datetime(2026, 11, 25, 17, 30, tzinfo=timezone.utc))  # 18:30 in Rome
    assert not hours.is_open(datetime(2026, 11, 29, 10, 0, tzinfo=timezone.utc))  # Sunday
    assert hours.is_open(datetime(2026, 7, 1, 15, 30, tzinfo=timezone.utc))  # 17:30 CEST in summer


def test_sqlite_store_runs_in_wal_mode(database: Database) -> None:
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_forged_or_foreign_link_is_an_anonymous_visitor(store: ConversationRecorder) -> None:
    """Whoever writes in a conversation is only the visitor a valid link for *that* conversation names."""
    store.record_user_message(C["s1"], "hi", "greet", 0.9, T0, identity=LINKS.sign("victim", C["s1"]))
    assert store.visitor_for(C["s2"], LINKS.sign("victim", C["s1"])) != "victim"  # a token from another chat
    forged = LINKS.sign("victim", C["s2"])[:-2] + "xx"
    assert store.visitor_for(C["s2"], forged).startswith("anon-")
    assert store.visitor_for(C["s2"], "victim").startswith("anon-")  # a bare visitor id is never believed
    other_key = IdentityLinks("another-shop-key-0123456789")
    assert store.visitor_for(C["s2"], other_key.sign("victim", C["s2"])).startswith("anon-")
    # a later message without a token stays with the visitor the conversation is linked to
    assert store.visitor_for(C["s1"], None) == "victim"


def test_an_anonymous_conversation_joins_its_visitor_when_the_link_arrives(store: ConversationRecorder) -> None:
    store.record_user_message(C["s3"], "hi", "greet", 0.9, T0)
    anonymous = store.visitor_for(C["s3"])
    assert anonymous.startswith("anon-") and C["s3"] not in anonymous
    store.record_user_message(C["s3"], "my cart?", "ask_cart", 0.9, T0, identity=LINKS.sign("v9", C["s3"]))
    assert store.visitor_for(C["s3"]) == "v9"
