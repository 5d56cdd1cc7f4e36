"""Checkout help answered from the shopper's own cart; reminders; points."""

from datetime import timedelta

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.checkout import ActionCartReminder, ActionDiscountCode, ActionLoyaltyPoints, ActionStopReminders
from actions.faq import ActionFreeShipping, ActionShipping
from actions.services import Services
from lifecycle.commerce import recovery
from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.storage.models import Customer
from tests.conftest import OFFICE_HOURS, TrackerFactory, texts

VISITOR = "visitor-1"


def put_in_cart(services: Services, *items: tuple, minutes_ago: int = 60) -> None:
    at = OFFICE_HOURS - timedelta(minutes=minutes_ago)
    Commerce(services.recorder.db).apply(parse_events({
        "type": "cart_updated", "event_id": f"cart-{len(items)}-{minutes_ago}", "visitor_id": VISITOR,
        "ts": at.isoformat(), "items": [{"sku": sku, "qty": qty} for sku, qty in items]}), services.shop)


def remind(services: Services) -> None:
    with services.recorder.db.session() as session:
        for claim in recovery.claim_abandoned(session, services.shop, OFFICE_HOURS):
            recovery.mark_sent(session, claim.recovery_id, OFFICE_HOURS)


async def test_shipping_for_my_cart_to_poland(services: Services, dispatcher: CollectingDispatcher,
                                              tracker_for: TrackerFactory) -> None:
    put_in_cart(services, ("CAM-100", 1))
    await ActionShipping().run(dispatcher, tracker_for("what will shipping cost for my cart to Poland?",
                                                       "ask_shipping"), {})
    reply = texts(dispatcher)[0]
    assert "Your cart comes to €49.90" in reply
    assert "Standard shipping to Poland costs €5.90 (2-4 business days); add €49.10 more and it ships free" in reply


async def test_a_big_cart_is_not_promised_free_shipping_outside_the_eu(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    put_in_cart(services, ("CAM-300", 1))
    await ActionShipping().run(dispatcher, tracker_for("shipping for my cart to the USA?", "ask_shipping"), {})
    reply = texts(dispatcher)[0]
    assert "We don't ship to the United States" in reply and "free for this cart" not in reply


async def test_how_much_more_for_free_shipping(services: Services, dispatcher: CollectingDispatcher,
                                               tracker_for: TrackerFactory) -> None:
    put_in_cart(services, ("HS-100", 2))
    await ActionFreeShipping().run(dispatcher, tracker_for("how much more for free shipping?", "ask_free_shipping"),
                                   {})
    assert "add €39.20 more and it ships free" in texts(dispatcher)[0]


async def test_reminder_names_items_total_obstacles_and_code(services: Services, dispatcher: CollectingDispatcher,
                                                             tracker_for: TrackerFactory) -> None:
    put_in_cart(services, ("CAM-200", 1), ("LT-100", 2))
    remind(services)
    await ActionCartReminder().run(dispatcher, tracker_for("", "EXTERNAL_cart_reminder"), {})
    message = dispatcher.messages[0]
    assert "You left Lumo Pro 4K Webcam x1 and Glow Key Light x2 in your cart (€247.00 in total)" in message["text"]
    assert "Standard shipping is free for this cart" in message["text"]
    assert "PayPal" in message["text"] and "check out as a guest" in message["text"]
    assert "Use code COMEBACK5 within 48 hours for 5% off" in message["text"]
    assert message["buttons"][0]["payload"] == "/stop_reminders"


async def test_small_cart_reminder_has_no_code(services: Services, dispatcher: CollectingDispatcher,
                                               tracker_for: TrackerFactory) -> None:
    put_in_cart(services, ("HS-100", 1))
    remind(services)
    await ActionCartReminder().run(dispatcher, tracker_for("", "EXTERNAL_cart_reminder"), {})
    assert "COMEBACK5" not in texts(dispatcher)[0] and "€29.90" in texts(dispatcher)[0]


async def test_does_the_code_work(services: Services, dispatcher: CollectingDispatcher,
                                  tracker_for: TrackerFactory) -> None:
    put_in_cart(services, ("CAM-200", 1))
    await ActionDiscountCode().run(dispatcher, tracker_for("does the code work?", "ask_discount_code"), {})
    remind(services)
    await ActionDiscountCode().run(dispatcher, tracker_for("does the code work?", "ask_discount_code"), {})
    services.now = lambda: OFFICE_HOURS + timedelta(hours=49)
    await ActionDiscountCode().run(dispatcher, tracker_for("does the code work?", "ask_discount_code"), {})
    before, after, late = texts(dispatcher)
    assert before.startswith("I don't have a discount code for you at the moment.") and "COMEBACK5" not in before
    assert after == "Yes: COMEBACK5 gives 5% off your €129.00 cart, saving €6.45. Enter it at checkout."
    assert "48 hours after we sent it" in late


async def test_stop_reminders_is_stored(services: Services, dispatcher: CollectingDispatcher,
                                        tracker_for: TrackerFactory) -> None:
    await ActionStopReminders().run(dispatcher, tracker_for("stop reminding me", "stop_reminders"), {})
    with services.recorder.db.session() as session:
        assert session.execute(select(Customer.reminders_opt_out).where(Customer.visitor_id == VISITOR)).scalar_one()


async def test_points_balance(services: Services, dispatcher: CollectingDispatcher,
                              tracker_for: TrackerFactory) -> None:
    await ActionLoyaltyPoints().run(dispatcher, tracker_for("how many points do I have?", "ask_loyalty_points"), {})
    Commerce(services.recorder.db).apply(parse_events([
        {"type": "loyalty_joined", "event_id": "j", "visitor_id": VISITOR},
        {"type": "profile_completed", "event_id": "p", "visitor_id": VISITOR}]), services.shop)
    await ActionLoyaltyPoints().run(dispatcher, tracker_for("how many points do I have?", "ask_loyalty_points"), {})
    none_yet, some = texts(dispatcher)
    assert none_yet.startswith("You have no points yet. Join the loyalty programme for 100 welcome points")
    assert some == ("You have 150 points. That's enough for 1 voucher worth €5.00 in all "
                    "(100 points = 5 EUR voucher).")
