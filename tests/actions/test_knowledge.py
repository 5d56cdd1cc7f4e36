"""The shop's own answers in the chat (issue 28): an entry's answer as written, a page quoted with its
link, and no answer from a near miss."""

from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import ActionShopAnswer
from actions.services import Services
from tests.conftest import TrackerFactory, texts


async def _ask(dispatcher: CollectingDispatcher, tracker_for: TrackerFactory, text: str, language: str) -> str:
    await ActionShopAnswer().run(dispatcher, tracker_for(text, "ask_shop_answer", slots={"language": language}), {})
    return texts(dispatcher)[-1]


async def test_an_entry_is_answered_in_the_shoppers_language(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    assert "3,90 EUR" in await _ask(dispatcher, tracker_for, "fate confezioni regalo?", "it")


async def test_a_page_is_quoted_with_its_title_and_link(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    reply = await _ask(dispatcher, tracker_for, "how long does a repair take?", "en")
    assert "Warranty and repairs" in reply and "7 to 10 business days" in reply
    links = [m["custom"]["data"] for m in dispatcher.messages if m.get("custom")]
    assert links and links[-1]["links"] == ["https://deskworks.example/warranty-claim"]


async def test_a_near_miss_gets_the_way_to_a_person(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    reply = await _ask(dispatcher, tracker_for, "can I pay in bitcoin?", "en")
    assert "can't help" in reply and "3.90" not in reply


async def test_a_close_question_offers_the_entry_as_did_you_mean(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    """Between the suggestion and the answer thresholds: not answered, but the entry's own question is
    offered as a button; pressing it asks that question, which the entry answers."""
    from lifecycle.knowledge.search import SUGGEST, THRESHOLD

    text = "would you wrap my present nicely for a birthday?"
    close = services.knowledge_base.search(text, "en")
    assert close is not None and SUGGEST <= close.confidence < THRESHOLD and close.id == "gift_wrap"
    reply = await _ask(dispatcher, tracker_for, text, "en")
    assert "can't help" in reply
    buttons = dispatcher.messages[-1]["buttons"]
    assert buttons[0]["payload"] == "/request_human"  # the offer of a person stays first
    assert buttons[1]["title"] == "Did you mean: do you offer gift wrapping?"
    assert "3.90 EUR" in await _ask(dispatcher, tracker_for, buttons[1]["payload"], "en")
