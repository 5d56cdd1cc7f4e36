"""What every Shopmate action shares: the services, the visitor and the user's words."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import Services, services
from lifecycle.shop.language import fold
from lifecycle.shop.speech import Voice
from lifecycle.understanding.addresses import without_addresses
from lifecycle.understanding.attributes import without_names
from lifecycle.understanding.language import conversation_language
from lifecycle.understanding.lexicon import lexicon
from lifecycle.understanding.places import without_countries

# Forms a question about something else ends (Rasa's default keeps the form and asks again).
ENDED_BY_ANOTHER_QUESTION = ("order_form",)

# What an action returns to Rasa: the events it adds to the conversation.
Events = list[dict[str, Any]] | None


def visitor_id(tracker: Tracker, svc: Services) -> str:
    """Who is writing: the visitor a signed link in the message names, else the one this
    conversation is already linked to, else its anonymous visitor (the rule lives in
    `ConversationRecorder.visitor_for`). A visitor id sent unsigned is never believed."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    token = metadata.get("identity") if isinstance(metadata, dict) else None
    return svc.recorder.visitor_for(tracker.sender_id, token)


def user_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def entity(tracker: Tracker, name: str) -> object:
    """The latest message's entity `name` (the web app's external intents carry their facts so)."""
    return next((e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
                 if e.get("entity") == name), None)


def intent_of(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def shopper_language(tracker: Tracker, svc: Services) -> str:
    """The language to answer in: the page's, the conversation's so far, or the one the shopper
    switched to (`lifecycle.shop.language`). Product and country names say nothing about the
    shopper's language, so they are taken out before lingua reads the text."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    # A typed message carries the page's language tag in its metadata; a message the web app asked
    # for (a playbook's greeting) carries it as an entity.
    page = (metadata.get("language") if isinstance(metadata, dict) else None) or entity(tracker, "page_language")
    text = user_text(tracker)
    text = without_countries(without_names(without_addresses(text),
                                           tuple(p.name for p in svc.catalog.find(text).products))) if text else ""
    return conversation_language(text, str(page) if page else None, tracker.get_slot("language"),
                                 lexicon().language_of(fold(text)))


class ShopAction(Action):
    """Base for actions that answer from the shop's data; subclasses implement `answer`.

    Each turn is answered in the shopper's language: `run` decides it once, hands the action a
    `Voice` for it, and records a change of language for the conversation and its customer."""

    action_name = ""
    asks_for_form = False  # the form's own questions (action_ask_<slot>) run inside it

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        svc = services()
        language = shopper_language(tracker, svc)
        events = self.answer(dispatcher, tracker, svc, svc.voice(language)) or []
        if tracker.active_loop_name in ENDED_BY_ANOTHER_QUESTION and not self.asks_for_form:
            # The shopper asked something else instead of giving the order number: answering it ends
            # the form, which would otherwise ask again after every answer. Asking again restarts it.
            events = [*events, ActiveLoop(None), SlotSet("requested_slot", None)]
        if language != tracker.get_slot("language"):
            svc.recorder.record_language(tracker.sender_id, language, visitor_id(tracker, svc))
            events = [SlotSet("language", language), *events]
        return events

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice
    ) -> list[dict[str, Any]] | None:
        raise NotImplementedError
