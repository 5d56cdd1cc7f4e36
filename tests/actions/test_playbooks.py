"""The playbooks' messages, worded from the store's facts in the shopper's language."""

from __future__ import annotations

from datetime import timedelta

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import update

from actions.playbooks import ActionPlaybook
from actions.services import Services
from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.storage.models import ProductView
from tests.conftest import LINKS, OFFICE_HOURS, SENDER, VISITOR, TrackerFactory, texts


def asked(tracker_for: TrackerFactory, playbook: str, language: str = "en"):  # type: ignore[no-untyped-def]
    """What the web app's trigger_intent looks like to the action: no text, the facts as entities."""
    return tracker_for("", "EXTERNAL_playbook", slots={"language": None},
                       entities=[{"entity": "playbook", "value": playbook},
                                 {"entity": "page_language", "value": language}])


async def test_welcome_back_names_the_products_and_what_changed_in_italian(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    services.recorder.record_user_message(SENDER, "quanto costa la lumo pro?", "ask_product_price", 0.9,
                                          OFFICE_HOURS - timedelta(days=2), identity=LINKS.sign(VISITOR, SENDER))
    services.recorder.record_product_views(SENDER, ["CAM-200", "LT-100"], "price",
                                           at=OFFICE_HOURS - timedelta(days=2))
    with services.recorder.db.session() as session:  # then: dearer, and the light was sold out
        session.execute(update(ProductView).where(ProductView.sku == "CAM-200").values(price_cents=14900))
        session.execute(update(ProductView).where(ProductView.sku == "LT-100").values(stock=0))
    events = await ActionPlaybook().run(dispatcher, asked(tracker_for, "welcome_back", "it-IT"), {})
    (text,) = texts(dispatcher)
    assert text.startswith("Bentornato! L'ultima volta hai guardato Glow Key Light e Lumo Pro 4K Webcam.")
    assert "Il Lumo Pro 4K Webcam ora costa 129,00\u00a0€ (prima 149,00\u00a0€)." in text
    assert "Il Glow Key Light è di nuovo disponibile." in text
    assert {"event": "slot", "name": "language", "value": "it", "timestamp": None} in events


async def test_the_order_follow_up_names_the_product_and_asks_nps_once(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    services.recorder.record_user_message(SENDER, "hi", "greet", 0.9, OFFICE_HOURS - timedelta(days=5),
                                          identity=LINKS.sign(VISITOR, SENDER))
    at = (OFFICE_HOURS - timedelta(days=4)).isoformat()
    Commerce(services.recorder.db).apply(parse_events([
        {"type": "order_placed", "event_id": "o", "visitor_id": VISITOR, "order_id": "A-1", "ts": at,
         "items": [{"sku": "HS-200", "qty": 1}], "total_eur": "89.00"},
        {"type": "order_delivered", "event_id": "d", "visitor_id": VISITOR, "order_id": "A-1", "ts": at}]),
        services.shop)
    events = await ActionPlaybook().run(dispatcher, asked(tracker_for, "order_follow_up"), {})
    assert texts(dispatcher)[0].startswith("Your Calla Wireless ANC Headset should have arrived: how is it")
    assert [b["title"] for b in dispatcher.messages[1]["buttons"]] == [str(n) for n in range(11)]
    assert {"event": "slot", "name": "rating_scale", "value": "nps", "timestamp": None} in events
    again = CollectingDispatcher()
    await ActionPlaybook().run(again, asked(tracker_for, "order_follow_up"), {})
    assert len(again.messages) == 1  # the NPS question is asked once per order


async def test_the_introduction_in_polish_and_an_unknown_playbook_says_nothing(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionPlaybook().run(dispatcher, asked(tracker_for, "first_visit", "pl"), {})
    assert texts(dispatcher)[0].startswith("Cześć, witaj w DeskWorks! Sprzedajemy")
    quiet = CollectingDispatcher()
    await ActionPlaybook().run(quiet, asked(tracker_for, "no_such_playbook"), {})
    assert quiet.messages == []


async def test_the_review_request_offers_the_referral_points(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    services.recorder.record_user_message(SENDER, "hi", "greet", 0.9, identity=LINKS.sign(VISITOR, SENDER))
    Commerce(services.recorder.db).apply(parse_events([
        {"type": "order_placed", "event_id": "o", "visitor_id": VISITOR, "order_id": "R-1",
         "items": [{"sku": "LT-100", "qty": 1}], "total_eur": "59.00"}]), services.shop)
    await ActionPlaybook().run(dispatcher, asked(tracker_for, "review_request"), {})
    points = services.shop.policies.loyalty.referral_points_each
    assert texts(dispatcher) == [
        "Thank you for the great rating! Would you write a review of your Glow Key Light? It helps other shoppers "
        f"choose. And if a friend might like DeskWorks, invite them: you both get {points} loyalty points when they "
        "place their first order."]
