"""The same shop facts in each of the five languages, in that language's words and number formats."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.advice import ActionSuperlative
from actions.chitchat import ActionCannotHelp
from actions.faq import ActionPayment, ActionReturns, ActionShipping
from actions.lists import ActionProductList
from actions.products import ActionProductFacts
from actions.services import Services
from lifecycle.storage.models import Conversation, Customer
from tests.conftest import SENDER, TrackerFactory, texts

SHIPPING_TO_POLAND = {
    "en": ("how much is shipping to Poland?", ["Poland", "€5.90", "2-4 business days", "€99.00"]),
    "it": ("quanto costa la spedizione in Polonia?", ["Polonia", "5,90\xa0€", "2-4 giorni lavorativi", "99,00\xa0€"]),
    "sv": ("vad kostar frakten till Polen?", ["Polen", "5,90\xa0€", "2-4 arbetsdagar", "99,00\xa0€"]),
    "pl": ("ile kosztuje wysyłka do Polski?", ["Polska", "5,90\xa0€", "2-4 dni robocze", "99,00\xa0€"]),
    "ro": ("cât costă livrarea în Polonia?", ["Polonia", "5,90\xa0EUR", "2-4 zile lucrătoare", "99,00\xa0EUR"]),
}


@pytest.mark.parametrize("language", list(SHIPPING_TO_POLAND))
async def test_shipping_is_answered_in_the_shoppers_language_with_its_formats(
        language: str, services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    question, facts = SHIPPING_TO_POLAND[language]
    events = await ActionShipping().run(dispatcher, tracker_for(question, "ask_shipping", slots={"language": None}),
                                        {})
    reply = texts(dispatcher)[-1]
    for fact in facts:
        assert fact in reply
    assert {"event": "slot", "timestamp": None, "name": "language", "value": language} in events


async def test_the_page_language_sets_the_language_of_a_short_message(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionReturns().run(dispatcher, tracker_for("reso?", "ask_returns", slots={"language": None},
                                                      metadata={"language": "it-IT"}), {})
    reply = texts(dispatcher)[-1]
    assert "30 giorni" in reply and "completo, con tutti gli accessori" in reply and "14 giorni" in reply


async def test_a_follow_up_keeps_the_language_and_the_question(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    """"e in Polonia?" after an Italian payment question: Polish payment methods, in Italian."""
    tracker = tracker_for("e in Polonia?", "product_info", slots={"language": "it", "topic": "action_payment"})
    events = await ActionProductFacts().run(dispatcher, tracker, {})
    assert any(e["event"] == "followup" and e["name"] == "action_payment" for e in events)
    await ActionPayment().run(dispatcher, tracker, {})  # as Rasa runs the follow-up action
    reply = texts(dispatcher)[-1]
    assert reply.startswith("In Polonia puoi pagare con") and "BLIK" in reply and "bonifico bancario" in reply


async def test_product_facts_and_specs_are_translated(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for(
        "ile kosztuje Calla Wireless ANC Headset?", "ask_product_price", slots={"language": None}), {})
    assert texts(dispatcher)[-1].startswith("Calla Wireless ANC Headset (HS-200) kosztuje 149,00\xa0€")
    await ActionProductFacts().run(dispatcher, tracker_for(
        "care sunt specificațiile Lumo Pro?", "ask_product_specs", slots={"language": "ro"}), {})
    assert "unghi de vizualizare de 90 de grade" in texts(dispatcher)[-1]


@pytest.mark.parametrize(("question", "language", "answer"), [
    ("quanto pesa il Calla Wireless ANC Headset?", "it", "Calla Wireless ANC Headset pesa 210 g."),
    ("hur mycket väger Calla Wireless ANC Headset?", "sv", "Calla Wireless ANC Headset väger 210 g."),
    ("ile waży Calla Wireless ANC Headset?", "pl", "Calla Wireless ANC Headset waży 210 g."),
    ("cat cantareste Calla Wireless ANC Headset?", "ro", "Calla Wireless ANC Headset cântărește 210 g."),
    ("quanti lumen fa la Glow Key Light?", "it", "Glow Key Light arriva fino a 2.500 lumen."),
])
async def test_an_attribute_asked_in_another_language(
        question: str, language: str, answer: str, services: Services, dispatcher: CollectingDispatcher,
        tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for(question, "ask_product_specs",
                                                           slots={"language": language}), {})
    assert texts(dispatcher)[-1] == answer


@pytest.mark.parametrize(("question", "language", "intent", "listed", "not_listed"), [
    ("webcam sotto i 60 euro", "it", "ask_product_list", ["Lumo HD Webcam (49,90\xa0€"], ["Lumo Pro"]),
    ("vilka trådlösa headset har ni?", "sv", "ask_product_list", ["Calla Wireless ANC Headset"],
     ["Calla Wired USB Headset"]),
    ("jakie kamerki macie do 100 euro?", "pl", "ask_product_list", ["Lumo HD Webcam"], ["Lumo Pro"]),
    ("care e cea mai ieftină cameră web?", "ro", "ask_superlative", ["Lumo HD Webcam"], ["Lumo Pro"]),
    ("qual è la cuffia più leggera?", "it", "ask_superlative", ["Calla"], []),
])
async def test_lists_and_superlatives_in_other_languages(
        question: str, language: str, intent: str, listed: list[str], not_listed: list[str], services: Services,
        dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    action = ActionProductList() if intent == "ask_product_list" else ActionSuperlative()
    await action.run(dispatcher, tracker_for(question, intent, slots={"language": language}), {})
    reply = texts(dispatcher)[-1]
    assert all(name in reply for name in listed) and not any(name in reply for name in not_listed), reply


async def test_a_feature_asked_in_italian_gets_a_yes_or_no(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for(
        "la Lumo Pro 4K Webcam ha l'autofocus?", "ask_product_specs", slots={"language": "it"}), {})
    assert texts(dispatcher)[-1] == "Sì: Lumo Pro 4K Webcam ha autofocus."
    await ActionProductFacts().run(dispatcher, tracker_for(
        "il Calla Wireless ANC Headset ha la cancellazione del rumore?", "ask_product_specs",
        slots={"language": "it"}), {})
    assert texts(dispatcher)[-1].startswith("Sì: Calla Wireless ANC Headset ha cancellazione attiva del rumore")


async def test_the_language_is_stored_for_the_conversation_and_its_customer(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionPayment().run(dispatcher, tracker_for("hur kan jag betala här?", "ask_payment",
                                                      slots={"language": None}), {})
    assert "Swish" in texts(dispatcher)[-1]
    with services.recorder.db.session() as session:
        conversation = session.execute(select(Conversation).where(Conversation.sender_id == SENDER)).scalar_one()
        assert conversation.language == "sv"
        assert session.get(Customer, conversation.customer_id).language == "sv"


async def test_buttons_are_in_the_shoppers_language(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionCannotHelp().run(dispatcher, tracker_for("che tempo fa domani a Roma?", "out_of_scope",
                                                         slots={"language": "it"}), {})
    message = dispatcher.messages[-1]
    assert message["text"].startswith("Mi dispiace, non posso aiutarti")
    assert [button["title"] for button in message["buttons"]] == ["Parla con una persona", "Cosa vendete?"]
