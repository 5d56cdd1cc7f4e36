"""After the sale in the chat (issue 23): what the shopper is told about an order, and who may be told."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.faq import ActionShipping
from actions.orders import ActionOrder, ActionOrderUpdate, ValidateOrderForm
from actions.services import Services
from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.storage.models import OrderRequest
from tests.conftest import OFFICE_HOURS, VISITOR, TrackerFactory, texts

TODAY = OFFICE_HOURS  # a Wednesday


def shop_events(services: Services, *events: dict[str, Any]) -> None:
    Commerce(services.recorder.db).apply(parse_events(list(events)), services.shop, now=OFFICE_HOURS)


def event(kind: str, visitor: str, days_ago: float, **fields: Any) -> dict[str, Any]:
    at = OFFICE_HOURS - timedelta(days=days_ago)
    return {"type": kind, "event_id": f"{kind}-{fields.get('order_id')}", "visitor_id": visitor,
            "ts": at.isoformat(), **fields}


def placed(services: Services, ref: str, visitor: str = VISITOR, days_ago: float = 3, sku: str = "CAM-200",
           email: str = "ada@example.com", postcode: str = "20121") -> None:
    shop_events(services, event("order_placed", visitor, days_ago, order_id=ref, items=[{"sku": sku, "qty": 1}],
                                total_eur="129.00", email=email, postcode=postcode))


def shipped(services: Services, ref: str, visitor: str = VISITOR, days_ago: float = 2, arrives_in: int = 2) -> None:
    shop_events(services, event("order_shipped", visitor, days_ago, order_id=ref, carrier="BRT",
                                tracking_number="BRT00123456789", tracking_url="https://track.example/BRT00123456789",
                                expected_delivery=(TODAY + timedelta(days=arrives_in)).date().isoformat()))


def delivered(services: Services, ref: str, days_ago: float, visitor: str = VISITOR) -> None:
    shipped(services, ref, visitor, days_ago=days_ago + 1)
    shop_events(services, event("order_delivered", visitor, days_ago, order_id=ref))


def asked(intent: str) -> list[dict[str, Any]]:
    """The events of a form started by a message of `intent`."""
    return [{"event": "user", "text": "...", "parse_data": {"intent": {"name": intent}}},
            {"event": "active_loop", "name": "order_form"}]


def order_reply(tracker: Tracker) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionOrder().run(dispatcher, tracker, {}))
    return dispatcher, events


def requests_of(services: Services) -> list[tuple[str, str]]:
    with services.recorder.db.session() as session:
        return [(kind, sender) for kind, sender in session.execute(select(OrderRequest.kind, OrderRequest.sender_id))]


def test_a_signed_visitor_with_several_orders_chooses_among_their_own_only(
        services: Services, tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001", days_ago=9)
    placed(services, "DW-10002", days_ago=1, sku="LT-100")
    placed(services, "DW-10003", visitor="someone-else", email="eve@example.com")
    dispatcher, _ = order_reply(tracker_for("where is my order?", "ask_order_status",
                                            events=asked("ask_order_status")))
    assert texts(dispatcher) == ["Which order do you mean?"]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ['/ask_order_status{"order_number": "DW-10002"}',
                                               '/ask_order_status{"order_number": "DW-10001"}']
    assert buttons[0]["title"] == "DW-10002 (yesterday): Glow Key Light"


def test_a_shipped_order_gives_carrier_tracking_and_the_day_it_arrives(
        services: Services, tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001")
    shipped(services, "DW-10001", arrives_in=2)
    dispatcher, events = order_reply(tracker_for("has it shipped?", "ask_order_status",
                                                 events=asked("ask_order_status")))
    [text] = texts(dispatcher)
    assert "DW-10001 (Lumo Pro 4K Webcam) is on its way with BRT (shipped Monday)" in text
    assert "tracking number BRT00123456789" in text and "Expected delivery: Friday." in text
    assert dispatcher.messages[0]["custom"]["data"]["links"] == ["https://track.example/BRT00123456789"]
    assert {"event": "slot", "name": "order_proven", "value": ["DW-10001"], "timestamp": None} in events


def test_the_answer_speaks_the_shoppers_language_and_dates(services: Services, tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001", days_ago=1)
    dispatcher, _ = order_reply(tracker_for("dov'è il mio ordine?", "ask_order_status", slots={"language": "it"},
                                            metadata={"language": "it"}, events=asked("ask_order_status")))
    [text] = texts(dispatcher)
    assert text.startswith("L'ordine DW-10001 (Lumo Pro 4K Webcam) non è ancora stato spedito")
    assert "entro 1 giorno lavorativo" in text


def test_a_wrong_proof_tells_nothing_and_guesses_are_throttled(services: Services,
                                                               tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001", visitor="giulia", email="giulia@example.it")
    shipped(services, "DW-10001", visitor="giulia")
    replies = []
    for guess in range(6):
        tracker = tracker_for("DW-10001 mallory@example.com", "ask_order_status", visitor=None,
                              slots={"order_number": "DW-10001", "order_proof": f"guess{guess}@example.com"},
                              events=asked("ask_order_status"))
        dispatcher, events = order_reply(tracker)
        replies.append(texts(dispatcher)[0])
        assert {"event": "slot", "name": "order_proof", "value": None, "timestamp": None} in events
    assert all("BRT" not in reply and "Lumo" not in reply and "shipped" not in reply for reply in replies)
    assert replies[0].startswith("I couldn't find an order with that number")
    assert replies[0] == replies[4]  # the same words for every miss
    assert replies[5].startswith("That's too many tries for now")
    # ...and the right proof from this chat is refused too, for now.
    right = tracker_for("DW-10001", "ask_order_status", visitor=None,
                        slots={"order_number": "DW-10001", "order_proof": "giulia@example.it"},
                        events=asked("ask_order_status"))
    assert texts(order_reply(right)[0])[0].startswith("That's too many tries")


def test_an_anonymous_chat_with_the_right_proof_gets_the_order(services: Services,
                                                             tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001", visitor="giulia", email="giulia@example.it", postcode="20121")
    tracker = tracker_for("dw-10001, cap 20121", "ask_order_status", visitor=None,
                          slots={"order_number": "dw-10001", "order_proof": "20121"}, events=asked("cancel_order"))
    dispatcher, _ = order_reply(tracker)
    assert texts(dispatcher) == ["I've asked the shop to cancel order DW-10001. I'll tell you here as soon as they "
                                 "confirm."]
    assert requests_of(services) == [("cancel", tracker.sender_id)]


def test_a_shipped_order_cannot_be_cancelled_and_is_sent_to_the_return_path(
        services: Services, tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001")
    shipped(services, "DW-10001")
    dispatcher, _ = order_reply(tracker_for("cancel my order", "cancel_order", events=asked("cancel_order")))
    [text] = texts(dispatcher)
    assert "already shipped, so it is too late to stop it" in text and "return it within 30 days" in text
    assert requests_of(services) == []


def test_a_return_in_the_window_states_its_last_day_and_label_rule_and_is_requested(
        services: Services, tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001", days_ago=12)
    placed(services, "DW-10002", days_ago=12, sku="LT-100")
    delivered(services, "DW-10001", days_ago=10)
    tracker = tracker_for("I want to return the webcam from DW-10001", "request_return", slots={"country": "SE"},
                          events=asked("request_return"))
    tracker.slots["order_number"] = "DW-10001"
    [text] = texts(order_reply(tracker)[0])
    assert "You can return it until 15 December (30 days from delivery)" in text
    assert "From Sweden the return label costs €4.90." in text
    assert "return request for order DW-10001" in text and "within 14 days" in text
    assert requests_of(services) == [("return", tracker.sender_id)]


def test_after_the_window_a_return_is_not_requested(services: Services, tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001", days_ago=50)
    delivered(services, "DW-10001", days_ago=45)
    [text] = texts(order_reply(tracker_for("I want to return it", "request_return",
                                           events=asked("request_return")))[0])
    assert text.startswith("The 30-day return window of order DW-10001 ended on 10 November.")
    assert requests_of(services) == []


def test_a_refund_paid_is_stated_with_amount_and_day(services: Services, tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001", days_ago=20)
    delivered(services, "DW-10001", days_ago=15)
    shop_events(services, event("refund_issued", VISITOR, 1, order_id="DW-10001", amount_eur="129.00"))
    [text] = texts(order_reply(tracker_for("was my refund paid?", "ask_refund", events=asked("ask_refund")))[0])
    assert text == "We refunded €129.00 for order DW-10001 (yesterday)."


def test_the_details_given_later_do_not_change_what_was_asked(services: Services,
                                                              tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001")
    tracker = tracker_for("DW-10001, ada@example.com", "ask_order_status", events=asked("cancel_order"))
    assert "I've asked the shop to cancel order DW-10001" in texts(order_reply(tracker)[0])[0]


def test_the_form_asks_nothing_of_a_signed_visitor_with_orders_and_everything_of_anyone_else(
        services: Services, tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001")
    form = ValidateOrderForm()
    slots = ["order_number", "order_proof"]
    mine = tracker_for("where is my order?", "ask_order_status")
    theirs = tracker_for("where is order DW-99999?", "ask_order_status")
    stranger = tracker_for("where is my order?", "ask_order_status", visitor=None)
    dispatcher = CollectingDispatcher()
    assert asyncio.run(form.required_slots(slots, dispatcher, mine, {})) == []
    assert asyncio.run(form.required_slots(slots, dispatcher, theirs, {})) == slots
    assert asyncio.run(form.required_slots(slots, dispatcher, stranger, {})) == slots


@pytest.mark.parametrize("text, requested, proof", [
    ("DW-10001, postcode EC1A 1BB", None, "EC1A 1BB"),
    ("my email is Ada@Example.com", None, "ada@example.com"),
    ("00-950", "order_proof", "00-950"),
    ("I bought 2 things in 2025", "order_number", None),  # a number is a postcode only when asked for one
])
def test_the_proof_is_read_from_what_the_shopper_wrote(services: Services, tracker_for: TrackerFactory, text: str,
                                                       requested: str | None, proof: str | None) -> None:
    tracker = tracker_for(text, "ask_order_status", visitor=None, slots={"requested_slot": requested})
    extracted = asyncio.run(ValidateOrderForm().extract_order_proof(CollectingDispatcher(), tracker, {}))
    assert extracted == ({"order_proof": proof} if proof else {})


def test_another_question_ends_the_order_form(services: Services) -> None:
    latest = {"text": "what's shipping to Italy?", "intent": {"name": "ask_shipping"}, "entities": [], "metadata": {}}
    tracker = Tracker("chat-1", {"language": "en", "requested_slot": "order_number"}, latest, [], False, None,
                      {"name": "order_form"}, "action_listen")
    events = asyncio.run(ActionShipping().run(CollectingDispatcher(), tracker, {}))
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


def test_the_shops_answer_is_told_in_the_chat(services: Services, tracker_for: TrackerFactory) -> None:
    placed(services, "DW-10001", days_ago=12)
    delivered(services, "DW-10001", days_ago=10)
    shop_events(services, event("return_authorised", VISITOR, 0, order_id="DW-10001",
                                items=[{"sku": "CAM-200", "qty": 1}], label_url="https://labels.example/DW-10001"))
    entities = [{"entity": "order_number", "value": "DW-10001"}, {"entity": "order_news", "value": "return"}]
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionOrderUpdate().run(dispatcher, tracker_for("", "EXTERNAL_order_update", entities=entities), {}))
    assert texts(dispatcher) == ["Your return for order DW-10001 is authorised. Print the label and send the parcel "
                                 "back."]
    assert dispatcher.messages[0]["custom"]["data"]["links"] == ["https://labels.example/DW-10001"]


def test_a_return_names_the_product_it_is_for_even_when_the_order_number_comes_later(
        services: Services, tracker_for: TrackerFactory) -> None:
    shop_events(services, event("order_placed", VISITOR, 12, order_id="DW-10001", total_eur="188.00",
                                items=[{"sku": "CAM-200", "qty": 1}, {"sku": "LT-100", "qty": 1}]))
    delivered(services, "DW-10001", days_ago=10)
    started = [{"event": "user", "text": "I want to return the Glow Key Light",
                "parse_data": {"intent": {"name": "request_return"}}}, {"event": "active_loop", "name": "order_form"}]
    tracker = tracker_for("DW-10001", "ask_order_status", slots={"order_number": "DW-10001"}, events=started)
    assert "return request for order DW-10001" in texts(order_reply(tracker)[0])[0]
    with services.recorder.db.session() as session:
        assert session.execute(select(OrderRequest.items)).scalar_one() == [{"sku": "LT-100", "qty": 1}]
