"""Warm hand-off to a person: the store keeps a summary for the agent, the shopper hears when."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text, visitor_id
from actions.mail import checked_or_named, send_cart
from actions.services import Services
from lifecycle.conversations.summary import FALLBACK_INTENTS
from lifecycle.shop.speech import Voice
from lifecycle.understanding.addresses import find_address


def _leave_email(voice: Voice) -> str:
    return voice.say("You can also leave your e-mail address here, and a colleague will write to you.")


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
        dispatcher.utter_message(text=_leave_email(voice))
        return [SlotSet("handoff_requested", True)]


class ActionLeaveEmail(ShopAction):
    """An address typed in the chat becomes a ticket; a mistyped one is named so the shopper can fix it."""

    action_name = "action_leave_email"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        if tracker.get_slot("email_for") == "cart":  # the address asked for to send the cart to (actions/mail.py)
            return send_cart(dispatcher, tracker, svc, voice)
        candidate = find_address(user_text(tracker))
        if candidate is None:  # the classifier's guess without an address in the text
            dispatcher.utter_message(text=_leave_email(voice))
            return []
        if (address := checked_or_named(dispatcher, voice, candidate)) is None:
            return []
        support = svc.shop.policies.support
        now = svc.now()
        svc.recorder.leave_email(tracker.sender_id, address, support.agent_hours.is_open(now),
                                 visitor_id(tracker, svc), now)
        dispatcher.utter_message(text=voice.say(
            "Thank you: a colleague will write to {address} about this chat. They work {hours}.",
            address=address, hours=voice.shop(support.human_agents)))
        return [SlotSet("handoff_requested", True)]
