"""After the sale (issue 23): the shop's order events, and proving an order in the chat without ever
telling one person about another's order."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lifecycle.commerce.events import EventRejected
from lifecycle.commerce.orders import OrderDesk, Proof
from lifecycle.shop.facts import Shop
from lifecycle.storage.database import Database
from lifecycle.storage.models import Order, WebhookMessage
from lifecycle.webhooks import Outbox
from tests.lifecycle.test_commerce import T0, apply, ev, order

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def placed(database: Database, shop: Shop) -> None:
    apply(database, shop, order("v-giulia", "DW-1", "129.00", email="Giulia.Rossi@example.it", postcode="20121"),
          order("v-sam", "DW-2", "129.00", email="sam@example.com", postcode="EC1A 1BB"))


def test_shipping_cancelling_returns_and_refunds_are_recorded_per_order(database: Database, shop: Shop) -> None:
    placed(database, shop)
    apply(database, shop, ev("order_shipped", "v-giulia", T0 + timedelta(days=1), order_id="DW-1", carrier="BRT",
                             tracking_number="BRT00123456789", tracking_url="https://track.example/BRT00123456789",
                             expected_delivery="2026-06-04"),
          ev("order_cancelled", "v-sam", T0 + timedelta(hours=2), order_id="DW-2", reason="changed my mind"),
          ev("return_authorised", "v-giulia", T0 + timedelta(days=5), order_id="DW-1",
             items=[{"sku": "CAM-200", "qty": 1}], label_url="https://labels.example/1"),
          ev("refund_issued", "v-giulia", T0 + timedelta(days=9), order_id="DW-1", amount_eur="129.00"))
    desk = OrderDesk(database)
    giulia = desk.of_visitor("v-giulia")[0]
    assert (giulia.status, giulia.carrier, giulia.expected_delivery, giulia.returns, giulia.refunded_cents) == \
        ("shipped", "BRT", date(2026, 6, 4), 1, 12900)
    assert desk.of_visitor("v-sam")[0].status == "cancelled"
    with database.session() as session:
        assert session.execute(select(Order.email).where(Order.order_ref == "DW-1")).scalar_one() == \
            "giulia.rossi@example.it"


@pytest.mark.parametrize(("event", "fields", "message"), [
    ("order_cancelled", {"order_id": "DW-1"}, "after shipping it is a return"),
    ("refund_issued", {"order_id": "DW-1", "amount_eur": "200.00"}, "exceed its total"),
    ("return_authorised", {"order_id": "DW-1", "items": [{"sku": "CAM-100", "qty": 1}]}, "has no 1 x 'CAM-100'"),
])
def test_impossible_order_events_are_refused_with_the_reason(database: Database, shop: Shop, event: str,
                                                              fields: dict, message: str) -> None:
    placed(database, shop)
    apply(database, shop, ev("order_shipped", "v-giulia", order_id="DW-1", carrier="BRT", tracking_number="BRT1234"))
    with pytest.raises(EventRejected, match=message):
        apply(database, shop, ev(event, "v-giulia", n=7, **fields))


def test_another_visitors_order_event_is_refused(database: Database, shop: Shop) -> None:
    placed(database, shop)
    with pytest.raises(EventRejected, match="no order 'DW-1' of this visitor"):
        apply(database, shop, ev("order_shipped", "v-sam", order_id="DW-1", carrier="BRT", tracking_number="BRT1234"))


def test_an_order_is_proved_by_its_number_and_email_or_postcode(database: Database, shop: Shop) -> None:
    placed(database, shop)
    desk = OrderDesk(database)
    assert desk.prove("chat-1", "DW-1", " giulia.rossi@EXAMPLE.it ")[0] is Proof.FOUND
    assert desk.prove("chat-2", "DW-2", "ec1a-1bb")[1].ref == "DW-2"  # type: ignore[union-attr]
    # A wrong proof and a number that does not exist answer alike: nothing tells which one it was.
    assert desk.prove("chat-3", "DW-1", "sam@example.com") == (Proof.NO_MATCH, None)
    assert desk.prove("chat-3", "DW-999", "sam@example.com") == (Proof.NO_MATCH, None)
    assert desk.prove("chat-3", "DW-1", "") == (Proof.NO_MATCH, None)


def test_guesses_are_throttled_per_conversation_and_per_proof(database: Database, shop: Shop) -> None:
    placed(database, shop)
    desk = OrderDesk(database, max_misses=3)
    for n in range(3):
        assert desk.prove("walker", f"DW-{100 + n}", f"guess{n}@example.com", now=T0)[0] is Proof.NO_MATCH
    assert desk.prove("walker", "DW-1", "giulia.rossi@example.it", now=T0)[0] is Proof.THROTTLED  # even a right one
    for n in range(3):  # one address tried against many order numbers, from fresh conversations
        desk.prove(f"fresh-{n}", f"DW-{200 + n}", "victim@example.com", now=T0)
    assert desk.prove("fresh-9", "DW-2", "victim@example.com", now=T0)[0] is Proof.THROTTLED
    assert desk.prove("walker", "DW-1", "giulia.rossi@example.it", now=T0 + timedelta(hours=2))[0] is Proof.FOUND


def test_a_request_from_the_chat_goes_to_the_shop_and_its_answer_back_to_that_chat_once(
        database: Database, shop: Shop) -> None:
    placed(database, shop)
    outbox = Outbox(database, "https://shop.example/hooks", SECRET)
    desk = OrderDesk(database, outbox=outbox)
    assert desk.request("dw-2", "cancel", "chat-sam", [("CAM-200", 1)], now=T0)
    assert not desk.request("DW-2", "cancel", "chat-sam", [("CAM-200", 1)], now=T0)  # already waiting: not twice
    with database.session() as session:
        [(kind, body)] = session.execute(select(WebhookMessage.event_type, WebhookMessage.body)).all()
    assert (kind, json.loads(body)["data"]["order_id"], json.loads(body)["data"]["items"]) == \
        ("order.cancel_requested", "DW-2", [{"sku": "CAM-200", "qty": 1}])
    assert desk.claim_news(now=T0) == []  # the shop has not answered yet
    apply(database, shop, ev("order_cancelled", "v-sam", T0 + timedelta(hours=1), order_id="DW-2"))
    [news] = desk.claim_news(now=T0 + timedelta(hours=1))
    assert (news.sender_id, news.order_ref, news.kind) == ("chat-sam", "DW-2", "cancel")
    assert desk.claim_news() == []  # claimed once: a second web app finds nothing
    desk.news_not_told(news.request_id)  # Rasa was down: the next pass tells it
    assert [n.order_ref for n in desk.claim_news()] == ["DW-2"]


def test_a_request_is_only_cancel_or_return(database: Database, shop: Shop) -> None:
    placed(database, shop)
    with pytest.raises(ValueError, match="'cancel' or 'return'"):
        OrderDesk(database).request("DW-1", "exchange", "chat", [("CAM-200", 1)])


def test_the_return_window_counts_from_delivery(database: Database, shop: Shop) -> None:
    placed(database, shop)
    assert OrderDesk(database).find("DW-1").return_until(30) is None  # type: ignore[union-attr]
    apply(database, shop, ev("order_shipped", "v-giulia", T0, order_id="DW-1", carrier="BRT", tracking_number="BRT001"),
          ev("order_delivered", "v-giulia", T0 + timedelta(days=2), order_id="DW-1"))
    view = OrderDesk(database).find("DW-1")
    assert view is not None and not view.cancellable
    assert view.return_until(30) == (T0 + timedelta(days=32)).date()
