"""Shop policy answers (shipping, returns, payment, checkout, support, loyalty), from shop.yml.

Where a country matters, it is taken from the message or, failing that, from the
country the shopper named earlier in the conversation (the `country` slot).
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text, visitor_id
from actions.checkout import cart_shipping_note
from actions.loyalty import loyalty_arithmetic
from actions.queries import quickest_sentence
from actions.services import Services
from lifecycle.shop.facts import Shop
from lifecycle.shop.language import fold
from lifecycle.shop.policies import (
    OTHER_EU,
    local_payment_methods,
    return_label_price,
    shipping_for,
)
from lifecycle.shop.speech import Voice
from lifecycle.shop.translations import category_plural, without_brackets
from lifecycle.understanding import understand
from lifecycle.understanding.lexicon import lexicon
from lifecycle.understanding.offer import unsold_thing
from lifecycle.understanding.places import find_country


def _country(tracker: Tracker) -> str | None:
    return find_country(user_text(tracker)) or tracker.get_slot("country")


def _remember(tracker: Tracker, country: str | None) -> Events:
    return [SlotSet("country", country)] if country and country != tracker.get_slot("country") else []


class FaqAction(ShopAction):
    topic = ""
    about_cart = False  # add what it means for the shopper's own cart

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        svc.recorder.record_question(tracker.sender_id, self.topic, visitor_id(tracker, svc))
        country = _country(tracker)
        text = self.reply(voice, svc.shop, country)
        if self.about_cart and (note := cart_shipping_note(svc, tracker, voice, country)):
            text += " " + note
        for topic in understand(user_text(tracker), svc.catalog).topics:  # "can I pay with BLIK and what's shipping?"
            other = ANSWERED_WITH.get(topic)
            if other and other is not type(self) and type(self) in ANSWERED_WITH.values():
                text += " " + other().reply(voice, svc.shop, country)
        dispatcher.utter_message(text=text)
        return [*(_remember(tracker, country) or []), SlotSet("topic", self.action_name)]

    def reply(self, voice: Voice, shop: Shop, country: str | None) -> str:
        raise NotImplementedError


class ActionShipping(FaqAction):
    action_name = "action_shipping"
    topic = "shipping"
    about_cart = True

    def reply(self, voice: Voice, shop: Shop, country: str | None) -> str:
        shipping = shop.policies.shipping
        free = voice.say("Orders of {threshold} or more ship free (standard shipping).",
                         threshold=voice.eur(shipping.free_from_eur))
        if country is None:
            rates = [voice.say("{zone} {price} ({days})",
                               zone=voice.say("other EU countries") if zone == OTHER_EU else voice.country(zone),
                               price=voice.eur(rate.price_eur), days=voice.days(rate.days))
                     for zone, rate in shipping.standard.items()]
            return voice.say("Standard shipping: {rates}. {free} We don't ship outside the EU. Tell me your "
                             "country for the exact price.", rates=voice.listing(rates), free=free)
        quote = shipping_for(shop, country)
        if not quote.shipped or quote.standard is None:
            return voice.say("Sorry, we don't ship to {country}: we only deliver within the EU.",
                             country=voice.country(country))
        if quote.zone == OTHER_EU:
            text = voice.say("Standard shipping to {country} (our rate for other EU countries) costs {price} and "
                             "takes {days}.", country=voice.country(country),
                             price=voice.eur(quote.standard.price_eur), days=voice.days(quote.standard.days))
        else:
            text = voice.say("Standard shipping to {country} costs {price} and takes {days}.",
                             country=voice.country(country), price=voice.eur(quote.standard.price_eur),
                             days=voice.days(quote.standard.days))
        text += " " + free
        if quote.express:
            text += " " + voice.say("Express: {price}, {days}.", price=voice.eur(quote.express.price_eur),
                                    days=voice.days(quote.express.days))
        return text


class ActionFreeShipping(FaqAction):
    action_name = "action_free_shipping"
    topic = "free shipping"
    about_cart = True

    def reply(self, voice: Voice, shop: Shop, country: str | None) -> str:
        return voice.say("Standard shipping is free for orders of {threshold} or more, anywhere we deliver in the "
                         "EU. Express shipping is always charged.",
                         threshold=voice.eur(shop.policies.shipping.free_from_eur))


class ActionExpress(FaqAction):
    action_name = "action_express"
    topic = "express shipping"

    def reply(self, voice: Voice, shop: Shop, country: str | None) -> str:
        express = shop.policies.shipping.express
        offers = [voice.say("{country} ({price}, {days})", country=voice.country(code),
                            price=voice.eur(rate.price_eur), days=voice.days(rate.days))
                  for code, rate in express.items()]
        if country:  # "next day to Sweden?": the quickest there is, express or not
            return quickest_sentence(voice, shop, country)
        return voice.say("Express shipping is available to {offers}; it is never free.", offers=voice.listing(offers))


def label_sentence(voice: Voice, shop: Shop, country: str | None) -> str:
    """Who pays the return label: for the shopper's country when it is known, else the whole rule."""
    returns = shop.policies.returns
    if country:
        price = return_label_price(shop, country)
        return (voice.say("The return label is free in {country}.", country=voice.country(country)) if not price
                else voice.say("From {country} the return label costs {price}.", country=voice.country(country),
                               price=voice.eur(price)))
    return voice.say("The return label is free in {countries}; elsewhere it costs {price}.",
                     countries=voice.listing(voice.country(code) for code in returns.free_label_in),
                     price=voice.eur(returns.label_price_eur))


class ActionReturns(FaqAction):
    action_name = "action_returns"
    topic = "returns"

    def reply(self, voice: Voice, shop: Shop, country: str | None) -> str:
        returns = shop.policies.returns
        label = label_sentence(voice, shop, country)
        return voice.say("You can return a product within {window} days of delivery ({condition}). {label} We refund "
                         "you within {refund} days after the return arrives.", window=returns.window_days,
                         condition=voice.shop(returns.condition), label=label, refund=returns.refund_within_days)


class ActionPayment(FaqAction):
    action_name = "action_payment"
    topic = "payment"

    def reply(self, voice: Voice, shop: Shop, country: str | None) -> str:
        payment = shop.policies.payment
        everywhere = voice.listing(voice.shop(method) for method in payment.everywhere)
        cod = "" if payment.cash_on_delivery_offered else " " + voice.say("Cash on delivery is not offered.")
        if country:
            local = [voice.shop(method) for method in local_payment_methods(shop, country)]
            if local:
                return voice.say("In {country} you can pay with {methods}, plus {local}.",
                                 country=voice.country(country), methods=everywhere,
                                 local=voice.listing(local)) + cod
            return voice.say("In {country} you can pay with {methods}.", country=voice.country(country),
                             methods=everywhere) + cod
        local_text = "; ".join(f"{voice.country(code)}: {voice.listing(voice.shop(m) for m in methods)}"
                               for code, methods in payment.by_country.items() if methods)
        return voice.say("Everywhere we deliver you can pay with {methods}. Local options: {local}.",
                         methods=everywhere, local=local_text) + cod


class ActionGuestCheckout(FaqAction):
    action_name = "action_guest_checkout"
    topic = "guest checkout"

    def reply(self, voice: Voice, shop: Shop, country: str | None) -> str:
        checkout = shop.policies.checkout
        gives = voice.listing(voice.shop(item) for item in checkout.account_gives)
        if checkout.guest_checkout:
            return voice.say("Yes, you can check out as a guest: no account needed. An account is optional and gives "
                             "you {gives}.", gives=gives)
        return voice.say("You need an account to check out; it gives you {gives}.", gives=gives)


class ActionContact(FaqAction):
    action_name = "action_contact"
    topic = "support contact"

    def reply(self, voice: Voice, shop: Shop, country: str | None) -> str:
        support = shop.policies.support
        return voice.say("I'm here {chat}. Our human agents work {hours}. You can e-mail {email} or call {phone}.",
                         chat=voice.shop(support.chat), hours=voice.shop(support.human_agents), email=support.email,
                         phone=support.phone)


class ActionLoyalty(FaqAction):
    action_name = "action_loyalty"
    topic = "loyalty programme"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        worked = loyalty_arithmetic(user_text(tracker), svc.shop, voice) or _points_for_shown(tracker, svc, voice)
        if worked:
            svc.recorder.record_question(tracker.sender_id, self.topic, visitor_id(tracker, svc))
            dispatcher.utter_message(text=worked)
            return [SlotSet("topic", self.action_name)]
        return super().answer(dispatcher, tracker, svc, voice)

    def reply(self, voice: Voice, shop: Shop, country: str | None) -> str:
        loyalty = shop.policies.loyalty
        return voice.say(
            "Our loyalty programme gives you {per_eur} point per euro spent, {welcome} welcome points for joining "
            "and {profile} for completing your profile. Invite a friend and you both get {referral} points when "
            "they make their first purchase; {purchases} purchases in one calendar month earn {bonus} bonus points. "
            "Redeem: {redeem}. A family account pools points for up to {members} members.",
            per_eur=loyalty.points_per_eur, welcome=loyalty.welcome_points, profile=loyalty.profile_points,
            referral=loyalty.referral_points_each, purchases=loyalty.monthly_bonus.purchases,
            bonus=loyalty.monthly_bonus.points, redeem=voice.shop(loyalty.redeem),
            members=loyalty.family_account_members_max)


def _points_for_shown(tracker: Tracker, svc: Services, voice: Voice) -> str | None:
    """"How many points is that worth?" right after a product: the points its price earns."""
    if not lexicon().has("pointing", fold(user_text(tracker))):
        return None
    products = [product for sku in tracker.get_slot("products") or [] if (product := svc.catalog.get(sku))]
    if len(products) != 1:
        return None
    product, rules = products[0], svc.shop.policies.loyalty
    return voice.say("The {product} ({price}) earns {points} points ({per_eur} point per whole euro; {redeem}).",
                     product=product.name, price=voice.eur(product.price_eur),
                     points=rules.points_for(product.price_eur), per_eur=rules.points_per_eur,
                     redeem=voice.shop(rules.redeem))


def what_we_sell(voice: Voice, shop: Shop) -> tuple[str, str]:
    """The shop's line of business (without its bracketed details) and its categories, in the shopper's words."""
    sells = voice.shop(without_brackets(shop.policies.shop.sells))
    return sells, voice.listing(voice.shop(category_plural(category)) for category in shop.categories)


class ActionAboutShop(FaqAction):
    action_name = "action_about_shop"
    topic = "the shop"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        if thing := unsold_thing(user_text(tracker), svc.shop):  # "do you sell printers?"
            dispatcher.utter_message(text=voice.say("No, we don't sell {thing}.", thing=thing) + " " +
                                     self.reply(voice, svc.shop, None))
            return [SlotSet("topic", self.action_name)]
        return super().answer(dispatcher, tracker, svc, voice)

    def reply(self, voice: Voice, shop: Shop, country: str | None) -> str:
        info = shop.policies.shop
        sells, categories = what_we_sell(voice, shop)
        return voice.say("I'm the {shop} shopping assistant, a bot. {shop} sells {sells}: {categories}. I can answer "
                         "questions about products, shipping, returns and payment, compare products, or put you in "
                         "touch with a person.", shop=info.name, sells=sells, categories=categories)


class ActionGreet(FaqAction):
    action_name = "action_greet"
    topic = ""

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        dispatcher.utter_message(text=voice.say(
            "Hi! I'm the {shop} shopping assistant. Ask me about our products, shipping, returns or payment, or let "
            "me compare products for you.", shop=svc.shop.policies.shop.name))
        return []


# A policy topic the understanding layer finds in a message, and the answer that covers it.
ANSWERED_WITH: dict[str, type[FaqAction]] = {"shipping": ActionShipping, "payment": ActionPayment,
                                             "returns": ActionReturns}
FAQ_ACTIONS: dict[str, type[FaqAction]] = {cls.action_name: cls for cls in FaqAction.__subclasses__()
                                           if cls.action_name and cls.topic}
