"""After the sale in the chat: where an order is, its refund, a return or a cancellation.

`order_form` collects the order number and the e-mail address or postcode on it, unless the
conversation is linked to the visitor by the signed identity and the order is theirs, or this
conversation already proved it. `action_order` answers what the shopper asked when the form
started. Who may see an order is decided in `lifecycle.commerce.orders.OrderDesk`: a miss
never says whether the number exists, and guesses are throttled.
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.base import Events, ShopAction, entity, user_text, visitor_id
from actions.chitchat import person_button
from actions.faq import label_sentence
from actions.services import Services, services
from lifecycle.commerce.orders import OrderView, Proof
from lifecycle.customers.links import is_anonymous
from lifecycle.shop.speech import Voice
from lifecycle.understanding.orders import read_order
from lifecycle.values import to_eur

# What the shopper asked, by the intent that started the form.
KINDS = {"ask_order_status": "status", "ask_refund": "refund", "request_return": "return", "cancel_order": "cancel"}
MAX_BUTTONS = 5


def own_orders(tracker: Tracker, svc: Services) -> list[OrderView]:
    """The visitor's orders when the signed identity links this conversation to them, else none."""
    visitor = visitor_id(tracker, svc)
    return [] if is_anonymous(visitor) else svc.orders.of_visitor(visitor)


def _known(tracker: Tracker, svc: Services, number: str | None) -> OrderView | None:
    """The order `number` names, when this conversation may see it without a proof."""
    if not number:
        return None
    number = number.strip().upper()
    mine = next((order for order in own_orders(tracker, svc) if order.ref.upper() == number), None)
    if mine is None and number in {ref.upper() for ref in tracker.get_slot("order_proven") or []}:
        return svc.orders.find(number)
    return mine


def asked(tracker: Tracker) -> tuple[str, str]:
    """What the shopper asked when the form started, and the words they asked it in: the details
    given later ("DW-10425, my e-mail is ...") do not turn a cancellation into a status question,
    nor lose the product a return named ("I want to return the lamp")."""
    events = tracker.events
    for position in range(len(events) - 1, -1, -1):
        if events[position].get("event") == "active_loop" and events[position].get("name") == "order_form":
            starter = next((e for e in reversed(events[:position]) if e.get("event") == "user"), None) or {}
            intent = ((starter.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in KINDS:
                return KINDS[str(intent)], str(starter.get("text") or "")
            break
    latest = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    return KINDS.get(str(latest), "status"), user_text(tracker)


class ValidateOrderForm(FormValidationAction):
    def name(self) -> str:
        return "validate_order_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        svc = services()
        number = tracker.get_slot("order_number") or \
            read_order(user_text(tracker), svc.shop.policies.orders.number_pattern).number
        if _known(tracker, svc, number) is not None or \
                (not number and (tracker.get_slot("order_proven") or own_orders(tracker, svc))):
            return []  # the visitor's own order, or one this chat proved ("and can I cancel it?"): nothing to ask
        return domain_slots

    async def extract_order_number(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        number = read_order(user_text(tracker), services().shop.policies.orders.number_pattern).number
        return {"order_number": number} if number else {}

    async def extract_order_proof(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        mention = read_order(user_text(tracker), services().shop.policies.orders.number_pattern)
        # A bare number is a postcode only when it was asked for, or beside the order number.
        postcode = mention.postcode if mention.number or tracker.get_slot("requested_slot") == "order_proof" else None
        proof = mention.email or postcode
        return {"order_proof": proof} if proof else {}


class ActionAskOrderNumber(ShopAction):
    action_name = "action_ask_order_number"
    asks_for_form = True

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        if tracker.get_slot("order_proof"):
            dispatcher.utter_message(text=voice.say("What's the order number? It's in the order confirmation."))
        else:
            dispatcher.utter_message(text=voice.say(
                "I can look that up. What's the order number, and the e-mail address or postcode on the order?"))
        return []


class ActionAskOrderProof(ShopAction):
    action_name = "action_ask_order_proof"
    asks_for_form = True

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        dispatcher.utter_message(text=voice.say(
            "To be sure it's yours: what's the e-mail address or postcode on order {order}?",
            order=tracker.get_slot("order_number") or ""))
        return []


def _choose(dispatcher: CollectingDispatcher, voice: Voice, orders: list[OrderView], intent: str,
            svc: Services) -> None:
    buttons = [{"title": voice.say("{order} ({day}): {items}", order=order.ref,
                                   day=voice.day(order.placed_at.date(), svc.now().date()),
                                   items=_items(order, svc)),
                "payload": "/" + intent + json.dumps({"order_number": order.ref})} for order in orders[:MAX_BUTTONS]]
    dispatcher.utter_message(text=voice.say("Which order do you mean?"), buttons=buttons)


def _items(order: OrderView, svc: Services) -> str:
    return ", ".join(svc.shop.name_of(sku) + (f" x{qty}" if qty > 1 else "") for sku, qty in order.items)


class ActionOrder(ShopAction):
    """The form's submit: check the proof, then answer what was asked."""

    action_name = "action_order"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        kind, words = asked(tracker)
        number, proof = tracker.get_slot("order_number"), tracker.get_slot("order_proof")
        reset: list[EventType] = [SlotSet("order_number", None), SlotSet("order_proof", None)]
        proven = tracker.get_slot("order_proven") or []
        order = _known(tracker, svc, number or (proven[-1] if proven else None))
        if order is None and not number:
            mine = own_orders(tracker, svc)
            if len(mine) > 1:
                _choose(dispatcher, voice, mine, next(i for i, k in KINDS.items() if k == kind), svc)
                return reset
            order = mine[0] if mine else None
        if order is None and number and proof:
            result, order = svc.orders.prove(tracker.sender_id, number, proof, svc.now())
            if result is Proof.THROTTLED:
                dispatcher.utter_message(text=voice.say(
                    "That's too many tries for now, so I can't look up orders from this chat for a while. "
                    "A person can help you instead."), buttons=[person_button(voice)])
                return reset
        if order is None:
            dispatcher.utter_message(text=voice.say(
                "I couldn't find an order with that number and that e-mail address or postcode. Please check both "
                "against your order confirmation."), buttons=[person_button(voice)])
            return reset
        proven = [ref for ref in proven if ref != order.ref] + [order.ref]
        dispatcher.utter_message(**_reply(kind, order, f"{words} {user_text(tracker)}", tracker, svc, voice))
        return [*reset, SlotSet("order_proven", proven[-MAX_BUTTONS:])]


def _reply(kind: str, order: OrderView, words: str, tracker: Tracker, svc: Services, voice: Voice) -> dict[str, Any]:
    if kind == "cancel":
        return {"text": _cancel(order, tracker, svc, voice)}
    if kind == "return":
        return {"text": _return(order, words, tracker, svc, voice)}
    if kind == "refund":
        return {"text": _refund(order, svc, voice)}
    return _status(order, svc, voice)


def _status(order: OrderView, svc: Services, voice: Voice) -> dict[str, Any]:
    today, items = svc.now().date(), _items(order, svc)
    if order.status == "cancelled":
        assert order.cancelled_at is not None
        return {"text": voice.say("Order {order} ({items}) was cancelled ({day}).", order=order.ref, items=items,
                                  day=voice.day(order.cancelled_at.date(), today))}
    if order.status == "delivered":
        assert order.delivered_at is not None
        return {"text": voice.say("Order {order} ({items}) was delivered ({day}).", order=order.ref, items=items,
                                  day=voice.day(order.delivered_at.date(), today))}
    if order.status == "placed":
        return {"text": voice.say("Order {order} ({items}) has not shipped yet. Orders usually leave our warehouse "
                                  "within {days}; you'll get the tracking number as soon as it ships.",
                                  order=order.ref, items=items,
                                  days=voice.days(svc.shop.policies.orders.dispatch_days))}
    assert order.shipped_at is not None
    text = voice.say("Order {order} ({items}) is on its way with {carrier} (shipped {day}), tracking number "
                     "{tracking}.", order=order.ref, items=items, carrier=order.carrier,
                     day=voice.day(order.shipped_at.date(), today), tracking=order.tracking_number)
    if order.expected_delivery:
        text += " " + voice.say("Expected delivery: {day}.", day=voice.day(order.expected_delivery, today))
    if not order.tracking_url:
        return {"text": text}
    return {"text": text, "json_message": {"data": {"type": "links", "links": [order.tracking_url],
                                                    "label": voice.say("Track the parcel")}}}


def _cancel(order: OrderView, tracker: Tracker, svc: Services, voice: Voice) -> str:
    window = svc.shop.policies.returns.window_days
    if order.status == "cancelled":
        assert order.cancelled_at is not None
        return voice.say("Order {order} was already cancelled ({day}).", order=order.ref,
                         day=voice.day(order.cancelled_at.date(), svc.now().date()))
    if not order.cancellable:
        return voice.say("Order {order} has already shipped, so it is too late to stop it. Once it arrives you can "
                         "return it within {window} days of delivery: just tell me here.", order=order.ref,
                         window=window)
    svc.orders.request(order.ref, "cancel", tracker.sender_id, list(order.items), svc.now())
    return voice.say("I've asked the shop to cancel order {order}. I'll tell you here as soon as they confirm.",
                     order=order.ref)


def _return(order: OrderView, words: str, tracker: Tracker, svc: Services, voice: Voice) -> str:
    returns, today = svc.shop.policies.returns, svc.now().date()
    if order.status == "cancelled":
        return voice.say("Order {order} was cancelled, so there is nothing to return.", order=order.ref)
    until = order.return_until(returns.window_days)
    if until is None:
        if order.cancellable:
            return voice.say("Order {order} has not shipped yet, so you can cancel it instead of returning it: "
                             "just say \"cancel my order\".", order=order.ref)
        return voice.say("Order {order} is still on its way. Once it arrives you can return it within {window} days "
                         "of delivery.", order=order.ref, window=returns.window_days)
    if until < today:
        return voice.say("The {window}-day return window of order {order} ended on {day}. A person can still look "
                         "at it with you.", window=returns.window_days, order=order.ref, day=voice.day(until, today))
    named = {product.sku for product in svc.catalog.find(words).products}
    items = [(sku, qty) for sku, qty in order.items if (p := svc.shop.product_of(sku)) and p.sku in named] or \
        list(order.items)
    svc.orders.request(order.ref, "return", tracker.sender_id, items, svc.now())
    country = tracker.get_slot("country")
    return voice.say("You can return it until {day} ({window} days from delivery), {condition}. {label} I've sent "
                     "your return request for order {order} to the shop; I'll tell you here when it's authorised, "
                     "and we refund you within {refund} days after the return arrives.",
                     day=voice.day(until, today), window=returns.window_days,
                     condition=voice.shop(returns.condition), label=label_sentence(voice, svc.shop, country),
                     order=order.ref, refund=returns.refund_within_days)


def _refund(order: OrderView, svc: Services, voice: Voice) -> str:
    refund_days = svc.shop.policies.returns.refund_within_days
    if order.refunded_cents and order.refunded_at:
        return voice.say("We refunded {amount} for order {order} ({day}).",
                         amount=voice.eur(to_eur(order.refunded_cents)), order=order.ref,
                         day=voice.day(order.refunded_at.date(), svc.now().date()))
    if order.returns:
        return voice.say("Your return for order {order} is authorised; we refund you within {days} days after it "
                         "arrives.", order=order.ref, days=refund_days)
    return voice.say("No refund has been issued for order {order}. Refunds are paid within {days} days after a "
                     "return arrives.", order=order.ref, days=refund_days)


class ActionOrderUpdate(ShopAction):
    """The shop answered a cancellation or return asked for in this chat (the web app's timer)."""

    action_name = "action_order_update"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        number, news = entity(tracker, "order_number"), entity(tracker, "order_news")
        order = svc.orders.find(str(number)) if number else None
        if order is None:
            return []
        if news == "cancel":
            dispatcher.utter_message(text=voice.say("The shop has cancelled order {order}.", order=order.ref))
        elif order.label_url:
            dispatcher.utter_message(
                text=voice.say("Your return for order {order} is authorised. Print the label and send the parcel "
                               "back.", order=order.ref),
                json_message={"data": {"type": "links", "links": [order.label_url],
                                       "label": voice.say("Return label")}})
        else:
            dispatcher.utter_message(text=voice.say("Your return for order {order} is authorised.", order=order.ref))
        return []
