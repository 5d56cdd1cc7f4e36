"""Voice of the Customer in the chat: CSAT after help or a hand-off, NPS after an order, free text any time."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text, visitor_id
from actions.services import Services
from lifecycle.people.feedback import SCALES, RatingOutOfRange
from lifecycle.shop.speech import Voice
from lifecycle.understanding.amounts import whole_number


def scale_buttons(kind: str) -> list[dict]:
    low, high = SCALES[kind]
    return [{"title": str(n), "payload": f'/rate{{"rating":"{n}"}}'} for n in range(low, high + 1)]


class ActionAskCsat(ShopAction):
    """Once per conversation, after the shopper thanks the bot or is handed to a person."""

    action_name = "action_ask_csat"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        if tracker.get_slot("csat_asked"):
            return []
        dispatcher.utter_message(text=voice.say("How would you rate this chat, from 1 (poor) to 5 (great)?"),
                                 buttons=scale_buttons("csat"))
        return [SlotSet("csat_asked", True), SlotSet("rating_scale", "csat")]


class ActionAskNps(ShopAction):
    """Run by the web app through trigger_intent after an order."""

    action_name = "action_ask_nps"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        dispatcher.utter_message(text=voice.say(
            "Thanks for your order! How likely are you to recommend {shop} to a friend, from 0 (not at all) to 10 "
            "(extremely)?", shop=svc.shop.policies.shop.name), buttons=scale_buttons("nps"))
        return [SlotSet("rating_scale", "nps")]


class ActionRecordRating(ShopAction):
    action_name = "action_record_rating"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        kind = tracker.get_slot("rating_scale") or "csat"
        value = next((e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
                      if e.get("entity") == "rating"), None)
        if value is None:
            value = whole_number(user_text(tracker))
        try:
            rating = int(str(value))
        except (TypeError, ValueError):
            low, high = SCALES[kind]
            dispatcher.utter_message(text=voice.say("Please give a number from {low} to {high}.", low=low, high=high),
                                     buttons=scale_buttons(kind))
            return []
        try:
            svc.feedback.rating(tracker.sender_id, visitor_id(tracker, svc), kind, rating)
        except RatingOutOfRange:
            low, high = SCALES[kind]
            dispatcher.utter_message(text=voice.say("Sorry, that rating must be from {low} to {high}. Please pick one "
                                                    "of these.", low=low, high=high), buttons=scale_buttons(kind))
            return []
        thanks = voice.say("Thank you for rating us!") if rating >= (4 if kind == "csat" else 9) else voice.say(
            "Thank you. I'm sorry we fell short; tell me what went wrong if you like (\"I want to leave feedback\").")
        dispatcher.utter_message(text=thanks)
        return [SlotSet("rating_scale", None)]


class ActionSaveFeedback(ShopAction):
    """Stores the text the feedback form collected; the web app's timer finds its themes and sentiment
    (`FeedbackStore.analyse_waiting`), so neither this turn nor the action server carries the analyser."""

    action_name = "action_save_feedback"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        text = (tracker.get_slot("feedback_text") or "").strip()
        if text:
            svc.feedback.text(tracker.sender_id, visitor_id(tracker, svc), text, voice.language, analyse_now=False)
            dispatcher.utter_message(text=voice.say("Thank you, I've passed your feedback on to the team."))
        return [SlotSet("feedback_text", None)]
