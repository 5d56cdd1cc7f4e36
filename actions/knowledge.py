"""Answers from the shop's own FAQ entries and pages (lifecycle/knowledge): quoted as the shop wrote
them, with the page's link, or an honest "I can't help with that" when nothing answers."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text, visitor_id
from actions.chitchat import ActionCannotHelp
from actions.services import Services
from lifecycle.knowledge import Match
from lifecycle.shop.speech import Voice


def reply(voice: Voice, match: Match) -> str:
    """The entry's answer as written, or the page's passage in quotes under its title; a note first
    when the shop wrote it only in another language."""
    text = match.answer if match.kind == "faq" else \
        voice.say("From our page \u201c{title}\u201d: \u201c{passage}\u201d", title=match.title, passage=match.answer)
    if match.other_language:
        text = voice.say("The shop has written this answer in another language only:") + " " + text
    return text


class ActionShopAnswer(ShopAction):
    action_name = "action_shop_answer"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        match = svc.knowledge_base.search(user_text(tracker), voice.language) if svc.knowledge is not None else None
        if match is None or not match.confident:  # the entry changed since the message was read
            return ActionCannotHelp().answer(dispatcher, tracker, svc, voice)
        links = {"data": {"type": "links", "links": list(match.links[:2]), "label": voice.say("Open the page")}}
        dispatcher.utter_message(text=reply(voice, match), **({"json_message": links} if match.links else {}))
        svc.recorder.record_question(tracker.sender_id, f"{match.kind} {match.id}", visitor_id(tracker, svc))
        return []
