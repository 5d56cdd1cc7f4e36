"""The small replies that Rasa would otherwise say from domain responses, in the shopper's language."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text
from actions.services import Services
from lifecycle.shop.speech import Voice


def person_button(voice: Voice) -> dict[str, str]:
    return {"title": voice.say("Talk to a person"), "payload": "/request_human"}


class ActionGoodbye(ShopAction):
    action_name = "action_goodbye"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        dispatcher.utter_message(text=voice.say("Goodbye, and thanks for visiting! I'm here whenever you need me."))
        return []


class ActionYouAreWelcome(ShopAction):
    action_name = "action_you_are_welcome"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        dispatcher.utter_message(text=voice.say("You're welcome! Anything else I can help with?"))
        return []


class ActionCannotHelp(ShopAction):
    """Out of scope or not understood: an honest answer and the way to a person, never a guess."""

    action_name = "action_cannot_help"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        buttons = [person_button(voice), {"title": voice.say("What do you sell?"), "payload": "/what_do_you_sell"}]
        close = svc.knowledge_base.search(user_text(tracker), voice.language) if svc.knowledge is not None else None
        if close is not None and close.suggestable:  # after the person: the shop's own question, if meant
            buttons.insert(1, {"title": voice.say("Did you mean: {question}", question=close.example),
                               "payload": close.example})
        dispatcher.utter_message(
            text=voice.say("Sorry, I can't help with that: I only know about this shop, its products and orders. "
                           "Would you like to talk to a person?"), buttons=buttons)
        return []


class ActionAskFeedbackText(ShopAction):
    """The feedback form's question (Rasa calls `action_ask_<slot>` for a required slot)."""

    action_name = "action_ask_feedback_text"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        dispatcher.utter_message(text=voice.say(
            "I'd love to hear it. Tell me in your own words: what went well, what didn't?"))
        return []


class ActionDefaultFallback(ShopAction):
    """Replaces Rasa's default fallback (said when no dialogue policy is confident), which would say an
    English `utter_default`; like Rasa's, it takes the shopper's message back out of the dialogue."""

    action_name = "action_default_fallback"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        dispatcher.utter_message(
            text=voice.say("Sorry, I didn't understand that. Could you say it another way, or would you like to "
                           "talk to a person?"), buttons=[person_button(voice)])
        return [UserUtteranceReverted()]
