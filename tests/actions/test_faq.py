from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import (
    ActionAboutShop,
    ActionContact,
    ActionExpress,
    ActionGuestCheckout,
    ActionLoyalty,
    ActionPayment,
    ActionReturns,
    ActionShipping,
)
from actions.services import Services
from tests.conftest import TrackerFactory, texts


async def ask(action, dispatcher, tracker_for, text, intent, **kwargs):  # type: ignore[no-untyped-def]
    events = await action.run(dispatcher, tracker_for(text, intent, **kwargs), {})
    return texts(dispatcher)[-1], events


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("how much is shipping to Poland?", ["Poland", "€5.90", "2-4 business days", "€99.00", "€13.90"]),
        ("delivery to Sweden", ["Sweden", "€6.90", "3-5 business days"]),
        ("shipping to Romania", ["Romania", "€6.90", "3-5 business days"]),
        ("do you ship to Germany?", ["Germany", "other EU", "€9.90", "4-7 business days"]),
        ("shipping to Italy", ["Italy", "€4.90", "2-3 business days", "Express: €12.90, 1 business day"]),
        ("can you deliver to Switzerland?", ["don't ship to Switzerland", "only deliver within the EU"]),
    ],
)
async def test_shipping_by_country(services: Services, dispatcher: CollectingDispatcher,
                                   tracker_for: TrackerFactory, question: str, facts: list) -> None:
    reply, events = await ask(ActionShipping(), dispatcher, tracker_for, question, "ask_shipping")
    for fact in facts:
        assert fact in reply


async def test_shipping_without_country_lists_every_rate_and_remembers_country_later(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    reply, events = await ask(ActionShipping(), dispatcher, tracker_for, "how much is shipping?", "ask_shipping")
    assert "Italy €4.90" in reply and "other EU countries €9.90" in reply and "outside the EU" in reply
    assert events == [{"event": "slot", "timestamp": None, "name": "topic", "value": "action_shipping"}]
    reply, events = await ask(ActionShipping(), dispatcher, tracker_for, "what about shipping?", "ask_shipping",
                              slots={"country": "PL"})
    assert "€5.90" in reply


async def test_payment_by_country_and_no_cash_on_delivery(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    reply, events = await ask(ActionPayment(), dispatcher, tracker_for, "how can I pay in Poland?", "ask_payment")
    assert "BLIK" in reply and "Klarna pay in 30 days" in reply and "PayPal" in reply
    assert "Swish" not in reply and "Cash on delivery is not offered" in reply
    assert events == [{"event": "slot", "timestamp": None, "name": "country", "value": "PL"},
                      {"event": "slot", "timestamp": None, "name": "topic", "value": "action_payment"}]
    reply, _ = await ask(ActionPayment(), dispatcher, tracker_for, "payment options in Romania", "ask_payment")
    assert "plus" not in reply and "Visa" in reply
    reply, _ = await ask(ActionPayment(), dispatcher, tracker_for, "how can I pay?", "ask_payment")
    assert "Sweden: Swish and Klarna pay in 30 days" in reply and "Italy: Satispay" in reply


async def test_returns(services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    reply, _ = await ask(ActionReturns(), dispatcher, tracker_for, "return policy?", "ask_returns")
    assert "30 days" in reply and "free in Italy and Poland" in reply and "€4.90" in reply and "14 days" in reply
    reply, _ = await ask(ActionReturns(), dispatcher, tracker_for, "returns from Sweden", "ask_returns")
    assert "From Sweden the return label costs €4.90" in reply
    reply, _ = await ask(ActionReturns(), dispatcher, tracker_for, "returns from Poland", "ask_returns")
    assert "free in Poland" in reply


async def test_other_policies(services: Services, dispatcher: CollectingDispatcher,
                              tracker_for: TrackerFactory) -> None:
    reply, _ = await ask(ActionGuestCheckout(), dispatcher, tracker_for, "guest checkout?", "ask_guest_checkout")
    assert "no account needed" in reply and "order tracking" in reply
    reply, _ = await ask(ActionContact(), dispatcher, tracker_for, "how do I reach you", "ask_contact")
    assert "Monday to Friday, 09:00-18:00 CET" in reply and "support@deskworks.example" in reply
    assert "+39 02 5550 0199" in reply
    reply, _ = await ask(ActionLoyalty(), dispatcher, tracker_for, "loyalty?", "ask_loyalty")
    assert "100 welcome points" in reply and "100 points = 5 EUR voucher" in reply and "up to 4 members" in reply
    reply, _ = await ask(ActionExpress(), dispatcher, tracker_for, "express to Sweden?", "ask_express")
    assert "no express shipping to Sweden" in reply and "standard shipping: €6.90, 3-5 business days" in reply
    reply, _ = await ask(ActionExpress(), dispatcher, tracker_for, "express?", "ask_express")
    assert "Poland (€13.90, 1-2 business days)" in reply
    reply, _ = await ask(ActionAboutShop(), dispatcher, tracker_for, "what do you sell", "what_do_you_sell")
    assert "DeskWorks" in reply and "webcams" in reply and "(catalog.csv)" not in reply


async def test_answers_follow_an_edit_of_shop_yml(services: Services, dispatcher: CollectingDispatcher,
                                                  tracker_for: TrackerFactory, shop_dir: Path) -> None:
    policies = shop_dir / "shop.yml"
    policies.write_text(policies.read_text().replace("PL: {price_eur: 5.90", "PL: {price_eur: 3.50"))
    reply, _ = await ask(ActionShipping(), dispatcher, tracker_for, "shipping to Poland", "ask_shipping")
    assert "€3.50" in reply


async def test_questions_engage_the_customer(services: Services, dispatcher: CollectingDispatcher,
                                             tracker_for: TrackerFactory) -> None:
    await ask(ActionShipping(), dispatcher, tracker_for, "shipping to Poland", "ask_shipping",
              visitor="shop-visitor-7")
    customer = services.recorder.customer("shop-visitor-7")
    assert customer is not None and customer.stage == "engagement"
