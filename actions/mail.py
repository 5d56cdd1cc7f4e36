"""The cart by e-mail, asked for in the chat: "email me my cart", "send my cart to ann@example.com".

The address is the shopper's consent, with the chat as its source (lifecycle.mail.consent): a new
one gets a single confirmation link first (double opt-in), a confirmed one gets the cart at once.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text, visitor_id
from actions.services import Services
from lifecycle.people.contact import AddressInvalid, checked_address
from lifecycle.shop.speech import Voice
from lifecycle.understanding.addresses import find_address


def checked_or_named(dispatcher: CollectingDispatcher, voice: Voice, candidate: str) -> str | None:
    """The typed address, checked; None after telling the shopper what looks wrong (the hand-off uses it too)."""
    try:
        return checked_address(candidate)
    except AddressInvalid:
        dispatcher.utter_message(text=voice.say(
            "\"{address}\" doesn't look like a complete e-mail address. Could you check it? It should look "
            "like name@example.com.", address=candidate[:80]))
        return None


def send_cart(dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
    """Also the answer to an address typed after "Which e-mail address should I send your cart to?"."""
    if svc.mailings is None:
        dispatcher.utter_message(text=voice.say("Sorry, I can't send e-mail from this chat."))
        return [SlotSet("email_for", None)]
    candidate = find_address(user_text(tracker))
    address = None
    if candidate is not None and (address := checked_or_named(dispatcher, voice, candidate)) is None:
        return [SlotSet("email_for", "cart")]
    result = svc.mailings.cart_by_email(svc.shop, visitor_id(tracker, svc), address, svc.now())
    texts = {
        "no_cart": voice.say("Your cart is empty, so there is nothing to send yet."),
        "ask": voice.say("Which e-mail address should I send your cart to? I'll send a link to confirm it first."),
        "sent": voice.say("Done: your cart is on its way to {address}.", address=result.address),
        "confirm_sent": voice.say("I've sent a link to {address}: open it to confirm the address, and your cart "
                                  "follows by e-mail.", address=result.address),
        "confirm_pending": voice.say("I've already sent a confirmation link to {address}: open it, and your cart "
                                     "follows by e-mail.", address=result.address),
        "bounced": voice.say("Mail to {address} came back undelivered, so I can't send it there. Is there another "
                             "address?", address=result.address),
    }
    dispatcher.utter_message(text=texts[result.outcome])
    return [SlotSet("email_for", "cart" if result.outcome in ("ask", "bounced") else None)]


class ActionSendByEmail(ShopAction):
    action_name = "action_send_by_email"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        return send_cart(dispatcher, tracker, svc, voice)
