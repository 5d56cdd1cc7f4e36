"""Each playbook fires for its trigger and not otherwise, within its cap, after no opt-out, never
while a person has the chat; the holdout is a fixed share; results and uplift add up."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from lifecycle.commerce import recovery
from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.playbooks import held_out
from lifecycle.people.feedback import FeedbackStore
from lifecycle.people.playbook_results import uplift
from lifecycle.people.playbooks import Playbooks
from lifecycle.shop.facts import Shop
from lifecycle.shop.loader import ShopDataError, load_playbooks, load_shop
from lifecycle.storage.database import Database
from lifecycle.storage.models import CartRecovery, Customer, PlaybookSend
from tests.conftest import LINKS, VOC_DIR, analyser

T0 = datetime(2026, 10, 5, 10, 0, tzinfo=timezone.utc)
CHAT_A, CHAT_B = "chat-a-0123456789abcdef", "chat-b-0123456789abcdef"


def events(database: Database, shop: Shop, *batch: dict) -> None:
    Commerce(database).apply(parse_events(list(batch)), shop)


def said(store: ConversationRecorder, chat: str, visitor: str, at: datetime) -> None:
    store.record_user_message(chat, "hello", "greet", 0.9, at, identity=LINKS.sign(visitor, chat))


def arrive(database: Database, shop: Shop, chat: str, visitor: str, at: datetime) -> str | None:
    decision = Playbooks(database).on_arrival(shop, chat, visitor, at)
    return None if decision is None else ("held out: " if decision.held_out else "") + decision.playbook


def order(visitor: str, ref: str, at: datetime, sku: str = "CAM-200", total: str = "129.00") -> dict:
    return {"type": "order_placed", "event_id": f"o-{ref}", "visitor_id": visitor, "order_id": ref,
            "ts": at.isoformat(), "items": [{"sku": sku, "qty": 1}], "total_eur": total}


def test_a_first_visit_gets_the_introduction_once(database: Database, shop: Shop) -> None:
    assert arrive(database, shop, CHAT_A, "new", T0) == "first_visit"
    assert arrive(database, shop, CHAT_A, "new", T0 + timedelta(minutes=5)) is None  # cap: once
    # A visitor the shop saw three days ago (a page view) who only now loads the widget: not a first visit.
    events(database, shop, {"type": "page_view", "event_id": "pv", "visitor_id": "seen",
                            "ts": (T0 - timedelta(days=3)).isoformat()})
    assert arrive(database, shop, CHAT_B, "seen", T0) is None


def test_welcome_back_names_what_was_viewed_on_a_later_visit_only(store: ConversationRecorder, database: Database,
                                                                  shop: Shop) -> None:
    said(store, CHAT_A, "v", T0)
    store.record_product_views(CHAT_A, ["CAM-200"], "price", at=T0)
    assert arrive(database, shop, CHAT_A, "v", T0 + timedelta(minutes=10)) is None  # the same visit
    assert arrive(database, shop, CHAT_B, "v", T0 + timedelta(minutes=10)) == "welcome_back"  # another device
    assert arrive(database, shop, CHAT_A, "v", T0 + timedelta(days=2)) is None  # cap: once a week
    assert arrive(database, shop, CHAT_A, "v", T0 + timedelta(days=8)) == "welcome_back"
    viewed = Playbooks(database).viewed("v", T0 - timedelta(days=1))
    assert [(v.sku, str(v.price_then_eur), v.stock_then) for v in viewed] == [("CAM-200", "129.00", 40)]
    assert arrive(database, shop, CHAT_A, "v", T0 + timedelta(days=40)) is None  # viewed too long ago


def test_browsing_the_shop_just_now_is_the_same_visit(store: ConversationRecorder, database: Database,
                                                        shop: Shop) -> None:
    said(store, CHAT_A, "b", T0)
    store.record_product_views(CHAT_A, ["CAM-200"], "price", at=T0)
    events(database, shop, {"type": "product_view", "event_id": "pv-b", "visitor_id": "b", "sku": "LT-100",
                            "ts": (T0 + timedelta(days=1)).isoformat()})
    assert arrive(database, shop, CHAT_B, "b", T0 + timedelta(days=1, minutes=5)) is None  # browsing, this visit
    assert arrive(database, shop, CHAT_B, "b", T0 + timedelta(days=1, hours=2)) == "welcome_back"


def test_welcome_back_stops_once_they_ordered_and_respects_the_opt_out(store: ConversationRecorder,
                                                                        database: Database, shop: Shop) -> None:
    for visitor, chat in (("buyer", CHAT_A), ("quiet", CHAT_B)):
        said(store, chat, visitor, T0)
        store.record_product_views(chat, ["LT-100"], "price", at=T0)
    events(database, shop, order("buyer", "B-1", T0 + timedelta(hours=1), "LT-100", "59.00"))
    with database.session() as session:
        session.execute(select(Customer).where(Customer.visitor_id == "quiet")).scalar_one().reminders_opt_out = True
    assert arrive(database, shop, CHAT_A, "buyer", T0 + timedelta(days=1)) is None
    assert arrive(database, shop, CHAT_B, "quiet", T0 + timedelta(days=1)) is None


def test_order_follow_up_waits_for_delivery_and_asks_nps_once(store: ConversationRecorder, database: Database,
                                                               shop: Shop) -> None:
    said(store, CHAT_A, "b", T0)
    events(database, shop, order("b", "F-1", T0))
    assert arrive(database, shop, CHAT_A, "b", T0 + timedelta(days=3)) is None  # not delivered yet
    events(database, shop, {"type": "order_delivered", "event_id": "d-1", "visitor_id": "b", "order_id": "F-1",
                            "ts": (T0 + timedelta(days=3)).isoformat()})
    assert arrive(database, shop, CHAT_A, "b", T0 + timedelta(days=3, hours=2)) is None  # min_days: 1
    assert arrive(database, shop, CHAT_A, "b", T0 + timedelta(days=5)) == "order_follow_up"
    follow = Playbooks(database).follow_up("b", T0 + timedelta(days=5))
    assert follow is not None and follow.skus == ["CAM-200"] and follow.ask_nps
    assert not Playbooks(database).follow_up("b", T0 + timedelta(days=5)).ask_nps  # type: ignore[union-attr]


def test_order_delivered_must_name_the_visitors_own_order(database: Database, shop: Shop) -> None:
    events(database, shop, order("owner", "X-1", T0))
    with pytest.raises(ValueError, match="no order 'X-1' of this visitor"):
        events(database, shop, {"type": "order_delivered", "event_id": "d-x", "visitor_id": "other",
                                "order_id": "X-1", "ts": T0.isoformat()})


def test_a_quiet_customer_gets_the_welcome_back_offer_once(store: ConversationRecorder, database: Database,
                                                           shop: Shop) -> None:
    said(store, CHAT_A, "q", T0)
    events(database, shop, order("q", "Q-1", T0), order("q", "Q-2", T0 + timedelta(days=1)))
    Commerce(database).claim_due_work(shop, T0 + timedelta(days=70))  # 60 quiet days: flagged
    decision = Playbooks(database).on_arrival(shop, CHAT_A, "q", T0 + timedelta(days=71))
    assert decision is not None and decision.playbook == "welcome_back_offer" and decision.offer_code == "WELCOMEBACK10"
    assert arrive(database, shop, CHAT_A, "q", T0 + timedelta(days=200)) is None  # offered once per customer


def test_a_promoter_is_asked_for_a_review_a_detractor_is_not(store: ConversationRecorder, database: Database,
                                                             shop: Shop) -> None:
    feedback = FeedbackStore(database, VOC_DIR, analyser())
    for visitor, chat, score in (("fan", CHAT_A, 9), ("critic", CHAT_B, 6)):
        said(store, chat, visitor, T0)
        events(database, shop, order(visitor, f"P-{visitor}", T0))
        feedback.rating(chat, visitor, "nps", score, T0 + timedelta(hours=1))
    assert arrive(database, shop, CHAT_A, "fan", T0 + timedelta(days=1)) == "review_request"
    assert arrive(database, shop, CHAT_B, "critic", T0 + timedelta(days=1)) is None
    assert Playbooks(database).bought("fan") == ["CAM-200"]


def test_nothing_is_said_while_a_person_has_the_chat(store: ConversationRecorder, database: Database,
                                                     shop: Shop) -> None:
    said(store, CHAT_A, "w", T0)
    store.request_handoff(CHAT_A, "requested", within_hours=True, live=True, at=T0)
    assert arrive(database, shop, CHAT_A, "w", T0 + timedelta(minutes=1)) is None


def test_the_holdout_is_a_fixed_share_per_playbook(database: Database, shop_dir: Path) -> None:
    playbooks = shop_dir / "playbooks.yml"
    playbooks.write_text(playbooks.read_text().replace("holdout_percent: 0", "holdout_percent: 20"))
    shop = load_shop(shop_dir)
    outcomes = [arrive(database, shop, f"chat-{n:04d}-0123456789abcdef", f"visitor-{n}", T0) for n in range(300)]
    held = sum(o == "held out: first_visit" for o in outcomes)
    assert sum(o == "first_visit" for o in outcomes) + held == 300
    assert 40 <= held <= 80  # 20% of 300, give or take chance
    assert all((o == "held out: first_visit") == held_out("first_visit", f"visitor-{n}", 20)
               for n, o in enumerate(outcomes))
    assert held_out("first_visit", "visitor-1", 20) == held_out("first_visit", "visitor-1", 20)
    with database.session() as session:  # held out: recorded, capped like a send, no conversation made
        rows = session.execute(select(PlaybookSend.held_out, PlaybookSend.conversation_id)).all()
        assert sum(h for h, _ in rows) == held and all(c is None for h, c in rows if h)


def test_a_held_out_cart_gets_no_reminder_and_is_counted(database: Database, shop_dir: Path) -> None:
    playbooks = shop_dir / "playbooks.yml"
    playbooks.write_text(playbooks.read_text().replace("holdout_percent: 0", "holdout_percent: 10"))
    shop = load_shop(shop_dir)
    visitors = ["idle", "small"]  # "idle" falls in cart_recovery's 10%, "small" does not
    assert [held_out("cart_recovery", v, 10) for v in visitors] == [True, False]
    events(database, shop, *[{"type": "cart_updated", "event_id": f"c-{v}", "visitor_id": v, "ts": T0.isoformat(),
                              "items": [{"sku": "CAM-200", "qty": 1}]} for v in visitors])
    with database.session() as session:
        claims = recovery.claim_abandoned(session, shop, T0 + timedelta(hours=1))
    assert [c.visitor_id for c in claims] == ["small"]
    with database.session() as session:
        assert sorted(session.execute(select(CartRecovery.status)).scalars()) == ["held_out", "pending"]
        assert sorted(session.execute(select(PlaybookSend.status)).scalars()) == ["held_out", "sent"]
    with database.session() as session:  # claimed once: the held-out cart is not found again
        assert recovery.claim_abandoned(session, shop, T0 + timedelta(hours=2)) == []


def test_results_count_conversions_after_each_decision_and_the_uplift_interval(database: Database,
                                                                               shop: Shop) -> None:
    with database.session() as session:
        for n in range(40):
            customer = Customer(visitor_id=f"r-{n}", created_at=T0, stage_since=T0, last_seen_at=T0)
            session.add(customer)
            session.flush()
            session.add(PlaybookSend(playbook="welcome_back", customer_id=customer.id, at=T0, held_out=n >= 30,
                                     status="held_out" if n >= 30 else "sent"))
    buyers = [f"r-{n}" for n in range(12)] + ["r-30"]  # 12 of 30 sent, 1 of 10 held out
    events(database, shop, *[order(v, f"R-{v}", T0 + timedelta(days=2)) for v in buyers],
           order("r-13", "R-late", T0 + timedelta(days=9)))  # after the 7-day window: not counted
    row = next(r for r in Playbooks(database).results(shop, T0 - timedelta(days=1), T0 + timedelta(days=1))
               if r.playbook == "welcome_back")
    assert (row.sent, row.held_out, row.converted, row.converted_held_out) == (30, 10, 12, 1)
    assert str(row.revenue_eur) == "1548.00" and (row.rate, row.rate_held_out) == (40.0, 10.0)
    margin = 1.96 * math.sqrt(0.4 * 0.6 / 30 + 0.1 * 0.9 / 10)
    assert (row.uplift, row.low, row.high) == (30.0, round(100 * (0.3 - margin), 1), round(100 * (0.3 + margin), 1))
    assert row.significant
    assert uplift(3, 10, 0, 0) == (None, None, None)
    assert uplift(6, 12, 1, 1) == (-50.0, None, None)  # one held out: a difference, no interval
    assert uplift(1, 40, 1, 40) == (0.0, -6.8, 6.8)


@pytest.mark.parametrize("change, message", [
    ("event: first_visit, max_days: 1}", "line 23: field 'playbooks.0.trigger.event'"),
    ("message: introduction ", "line 22: field 'playbooks.0.message': unknown message 'introductio'"),
    ("max_days: 1}", "min_days must be less than max_days"),
])
def test_a_mistake_in_playbooks_yml_names_the_line(shop_dir: Path, change: str, message: str) -> None:
    path = shop_dir / "playbooks.yml"
    text = path.read_text()
    broken = {"event: first_visit, max_days: 1}": "event: first_visits, max_days: 1}",
              "message: introduction ": "message: introductio ",
              "max_days: 1}": "min_days: 2, max_days: 1}"}[change]
    path.write_text(text.replace(change, broken, 1))
    with pytest.raises(ShopDataError, match=message.replace("(", r"\(")):
        load_playbooks(path)


def test_an_email_channel_on_a_message_without_an_email_names_the_line(shop_dir: Path) -> None:
    path = shop_dir / "playbooks.yml"
    path.write_text(path.read_text().replace("    respects_opt_out: false", "    respects_opt_out: false\n"
                                                                           "    channel: email", 1))
    with pytest.raises(ShopDataError, match="line 2.: .*'introduction' message has no e-mail yet"):
        load_playbooks(path)


def test_a_playbook_that_mails_has_its_results_per_channel_against_one_holdout(database: Database,
                                                                                shop: Shop) -> None:
    from lifecycle.people.playbook_results import results
    from lifecycle.storage.models import Order

    start = datetime(2026, 6, 1, tzinfo=timezone.utc)
    reached = {"chat": 4, "email": 3, "chat+email": 2, None: 5}  # None: held out
    with database.session() as session:
        number = 0
        for channel, count in reached.items():
            for _ in range(count):
                number += 1
                customer = Customer(visitor_id=f"pc-{number}", stage="engagement", stage_since=start,
                                    created_at=start, last_seen_at=start)
                session.add(customer)
                session.flush()
                session.add(PlaybookSend(playbook="cart_recovery", customer_id=customer.id, at=start,
                                         held_out=channel is None, status="held_out" if channel is None else "sent",
                                         channel=channel))
                if channel == "email" or (channel is None and number % 5 == 0):  # every mailed one ordered
                    session.add(Order(order_ref=f"PC-{number}", customer_id=customer.id, items=[], total_cents=5000,
                                      placed_at=start + timedelta(days=1)))
    with database.reading() as session:
        rows = [r for r in results(session, shop.playbooks, start, start + timedelta(days=7))
                if r.playbook == "cart_recovery"]
    assert [(r.channel, r.sent, r.converted, r.held_out) for r in rows] == [
        (None, 9, 3, 5), ("chat", 4, 0, 5), ("chat+email", 2, 0, 5), ("email", 3, 3, 5)]
    by_email = rows[3]
    assert by_email.rate == 100.0 and by_email.rate_held_out == 20.0 and by_email.uplift == 80.0
    assert str(by_email.revenue_eur) == "150.00"
