"""The playbooks' messages (data/shop/playbooks.yml decides who gets which, and when).

The web app has recorded the decision and asks Rasa for `EXTERNAL_playbook` with the playbook's
id; this action words its message in the shopper's language from the store's facts. A message
whose facts have gone (the viewed products left the catalog) says nothing rather than something
wrong.
"""

from __future__ import annotations

from datetime import timedelta

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, entity, visitor_id
from actions.faq import what_we_sell
from actions.feedback import scale_buttons
from actions.services import Services
from lifecycle.shop.facts import Shop
from lifecycle.shop.playbooks import Playbook
from lifecycle.shop.speech import Voice


def _names(shop: Shop, skus: list[str]) -> list[str]:
    return [shop.name_of(sku) for sku in skus if shop.product_of(sku) is not None]


class ActionPlaybook(ShopAction):
    action_name = "action_playbook"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        playbook = svc.shop.playbooks.get(str(entity(tracker, "playbook") or ""))
        if playbook is None:
            return []
        say = getattr(self, f"_{playbook.message}", None)
        return say(dispatcher, tracker, svc, voice, playbook) if say else []

    def _introduction(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice,
                      playbook: Playbook) -> Events:
        sells, categories = what_we_sell(voice, svc.shop)
        dispatcher.utter_message(text=voice.say(
            "Hi, welcome to {shop}! We sell {sells}: {categories}. Ask me about any product, shipping to your "
            "country or returns.", shop=svc.shop.policies.shop.name, sells=sells, categories=categories))
        return []

    def _welcome_back(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice,
                      playbook: Playbook) -> Events:
        since = svc.now() - timedelta(days=playbook.trigger.max_days)
        viewed = [v for v in svc.playbooks.viewed(visitor_id(tracker, svc), since) if v.sku in svc.shop.by_sku]
        if not viewed:
            return []
        parts = [voice.say("Welcome back! Last time you looked at {products}.",
                           products=voice.listing(svc.shop.by_sku[v.sku].name for v in viewed))]
        for view in viewed:
            product = svc.shop.by_sku[view.sku]
            if view.price_then_eur is not None and product.price_eur < view.price_then_eur:
                parts.append(voice.say("The {product} is now {price} (it was {before}).", product=product.name,
                                       price=voice.eur(product.price_eur), before=voice.eur(view.price_then_eur)))
            if view.stock_then == 0 and product.in_stock:
                parts.append(voice.say("The {product} is back in stock.", product=product.name))
        parts.append(voice.say("Can I help you choose?"))
        dispatcher.utter_message(text=" ".join(parts))
        return []

    def _order_follow_up(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice,
                         playbook: Playbook) -> Events:
        follow = svc.playbooks.follow_up(visitor_id(tracker, svc), svc.now())
        names = _names(svc.shop, follow.skus) if follow else []
        if follow is None or not names:
            return []
        dispatcher.utter_message(text=voice.say(
            "Your {products} should have arrived: how is it working out? If anything isn't right, tell me here.",
            products=voice.listing(names)))
        if not follow.ask_nps:
            return []
        dispatcher.utter_message(text=voice.say(
            "How likely are you to recommend {shop} to a friend, from 0 (not at all) to 10 (extremely)?",
            shop=svc.shop.policies.shop.name), buttons=scale_buttons("nps"))
        return [SlotSet("rating_scale", "nps")]

    def _welcome_offer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice,
                       playbook: Playbook) -> Events:
        offer = playbook.offer
        if offer is None:
            return []
        dispatcher.utter_message(text=voice.say(
            "Good to see you again! Here's {percent}% off your next order with code {code}, valid for {hours} hours.",
            percent=voice.number(offer.percent_off), code=offer.code, hours=offer.valid_hours))
        return []

    def _review_request(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice,
                        playbook: Playbook) -> Events:
        names = _names(svc.shop, svc.playbooks.bought(visitor_id(tracker, svc)))[:1]
        if not names:
            return []
        dispatcher.utter_message(text=voice.say(
            "Thank you for the great rating! Would you write a review of your {product}? It helps other shoppers "
            "choose. And if a friend might like {shop}, invite them: you both get {points} loyalty points when they "
            "place their first order.", product=names[0], shop=svc.shop.policies.shop.name,
            points=svc.shop.policies.loyalty.referral_points_each))
        return []
