"""Warm hand-off to a person: the store keeps a summary for the agent, the shopper hears when."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, visitor_id
from actions.services import Services
from lifecycle.conversations.summary import FALLBACK_INTENTS
from lifecycle.shop.speech import Voice


def _after_fallback(tracker: Tracker) -> bool:
    """Was the shopper's previous message one the bot could not handle?"""
    user_turns = [e for e in tracker.events if e.get("event") == "user"]
    if len(user_turns) < 2:
        return False
    previous = (user_turns[-2].get("parse_data") or {}).get("intent") or {}
    return previous.get("name") in FALLBACK_INTENTS


class ActionHandoff(ShopAction):
    action_name = "action_handoff"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        support = svc.shop.policies.support
        now = svc.now()
        open_now = support.agent_hours.is_open(now)
        online = bool(svc.accounts and open_now and svc.accounts.agents_online(now))
        reason = "after_fallback" if _after_fallback(tracker) else "requested"
        svc.recorder.request_handoff(tracker.sender_id, reason, open_now, visitor_id(tracker, svc), live=online)
        hours = voice.shop(support.human_agents)
        if online:  # a person takes this chat over: the assistant stays silent until they hand it back
            dispatcher.utter_message(text=voice.say(
                "A colleague will join this chat in a moment. They'll read a summary of our chat first, so you "
                "won't have to repeat yourself."))
            return [SlotSet("handoff_requested", True), ConversationPaused()]
        if open_now:  # within hours, but nobody is at the console: no promise of "a colleague now"
            text = voice.say("Our colleagues are all busy right now. I've saved a summary of our chat for them: "
                             "e-mail {email} and they'll reply, or call {phone}.", email=support.email,
                             phone=support.phone)
        else:
            text = voice.say("Our agents work {hours}, so nobody is online right now. I've saved a summary of our "
                             "chat for them: e-mail {email} and they'll reply when they're back, or call {phone} "
                             "during those hours.", hours=hours, email=support.email, phone=support.phone)
        dispatcher.utter_message(text=text)
        return [SlotSet("handoff_requested", True)]
