"""Shop policy answers (shipping, returns, payment, checkout, support, loyalty), from shop.yml.

Where a country matters, it is taken from the message or, failing that, from the
country the shopper named earlier in the conversation (the `country` slot).
"""

from __future__ import annotations

import re
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text, visitor_id
from actions.checkout import cart_shipping_note
from actions.services import Services
from actions.wording import days, eur, listing
from lifecycle.shop.advice import find_category
from lifecycle.shop.facts import Shop
from lifecycle.shop.geo import country_name, find_country
from lifecycle.shop.policies import express_countries, local_payment_methods, return_label_price, shipping_for


def _country(tracker: Tracker) -> str | None:
    return find_country(user_text(tracker)) or tracker.get_slot("country")


def _remember(tracker: Tracker, country: str | None) -> Events:
    return [SlotSet("country", country)] if country and country != tracker.get_slot("country") else []


def _place(code: str) -> str:
    return country_name(code)


class FaqAction(ShopAction):
    topic = ""
    about_cart = False  # add what it means for the shopper's own cart

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        svc.recorder.record_question(tracker.sender_id, self.topic, visitor_id(tracker, svc))
        country = _country(tracker)
        text = self.reply(svc.shop, country)
        if self.about_cart and (note := cart_shipping_note(svc, tracker, country)):
            text += " " + note
        dispatcher.utter_message(text=text)
        return [*(_remember(tracker, country) or []), SlotSet("topic", self.action_name)]

    def reply(self, shop: Shop, country: str | None) -> str:
        raise NotImplementedError


class ActionShipping(FaqAction):
    action_name = "action_shipping"
    topic = "shipping"
    about_cart = True

    def reply(self, shop: Shop, country: str | None) -> str:
        shipping = shop.policies.shipping
        free = f"Orders of {eur(shipping.free_from_eur)} or more ship free (standard shipping)."
        if country is None:
            rates = [
                f"{'other EU countries' if zone == 'other_EU' else _place(zone)} {eur(rate.price_eur)} "
                f"({days(rate.days)})"
                for zone, rate in shipping.standard.items()
            ]
            return (f"Standard shipping: {listing(rates)}. {free} We don't ship outside the EU. "
                    "Tell me your country for the exact price.")
        quote = shipping_for(shop, country)
        if not quote.shipped or quote.standard is None:
            return f"Sorry, we don't ship to {_place(country)}: we only deliver within the EU."
        zone = " (our rate for other EU countries)" if quote.zone == "other_EU" else ""
        text = (f"Standard shipping to {_place(country)}{zone} costs {eur(quote.standard.price_eur)} and takes "
                f"{days(quote.standard.days)}. {free}")
        if quote.express:
            text += f" Express: {eur(quote.express.price_eur)}, {days(quote.express.days)}."
        return text


class ActionFreeShipping(FaqAction):
    action_name = "action_free_shipping"
    topic = "free shipping"
    about_cart = True

    def reply(self, shop: Shop, country: str | None) -> str:
        threshold = eur(shop.policies.shipping.free_from_eur)
        return (f"Standard shipping is free for orders of {threshold} or more, anywhere we deliver in the EU. "
                "Express shipping is always charged.")


class ActionExpress(FaqAction):
    action_name = "action_express"
    topic = "express shipping"

    def reply(self, shop: Shop, country: str | None) -> str:
        express = shop.policies.shipping.express
        offers = [f"{_place(code)} ({eur(rate.price_eur)}, {days(rate.days)})" for code, rate in express.items()]
        text = f"Express shipping is available to {listing(offers)}; it is never free."
        if country and country not in express_countries(shop):
            text = f"Express shipping isn't available to {_place(country)}. " + text
        return text


class ActionReturns(FaqAction):
    action_name = "action_returns"
    topic = "returns"

    def reply(self, shop: Shop, country: str | None) -> str:
        returns = shop.policies.returns
        free_in = listing([_place(code) for code in returns.free_label_in])
        if country:
            price = return_label_price(shop, country)
            label = (f"The return label is free in {_place(country)}." if not price
                     else f"From {_place(country)} the return label costs {eur(price)}.")
        else:
            label = f"The return label is free in {free_in}; elsewhere it costs {eur(returns.label_price_eur)}."
        return (f"You can return a product within {returns.window_days} days of delivery ({returns.condition}). "
                f"{label} We refund you within {returns.refund_within_days} days after the return arrives.")


class ActionPayment(FaqAction):
    action_name = "action_payment"
    topic = "payment"

    def reply(self, shop: Shop, country: str | None) -> str:
        payment = shop.policies.payment
        everywhere = listing(payment.everywhere)
        cod = "" if payment.cash_on_delivery_offered else " Cash on delivery is not offered."
        if country:
            local = local_payment_methods(shop, country)
            extra = f", plus {listing(local)}" if local else ""
            return f"In {_place(country)} you can pay with {everywhere}{extra}.{cod}"
        local_text = "; ".join(f"{_place(code)}: {listing(methods)}"
                               for code, methods in payment.by_country.items() if methods)
        return f"Everywhere we deliver you can pay with {everywhere}. Local options: {local_text}.{cod}"


class ActionGuestCheckout(FaqAction):
    action_name = "action_guest_checkout"
    topic = "guest checkout"

    def reply(self, shop: Shop, country: str | None) -> str:
        checkout = shop.policies.checkout
        gives = listing(checkout.account_gives)
        if checkout.guest_checkout:
            return (f"Yes, you can check out as a guest: no account needed. An account is optional and gives you "
                    f"{gives}.")
        return f"You need an account to check out; it gives you {gives}."


class ActionContact(FaqAction):
    action_name = "action_contact"
    topic = "support contact"

    def reply(self, shop: Shop, country: str | None) -> str:
        support = shop.policies.support
        return (f"I'm here {support.chat}. Our human agents work {support.human_agents}. "
                f"You can e-mail {support.email} or call {support.phone}.")


class ActionLoyalty(FaqAction):
    action_name = "action_loyalty"
    topic = "loyalty programme"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        worked = loyalty_arithmetic(user_text(tracker), svc.shop) or _points_for_shown(tracker, svc)
        if worked:
            svc.recorder.record_question(tracker.sender_id, self.topic, visitor_id(tracker, svc))
            dispatcher.utter_message(text=worked)
            return [SlotSet("topic", self.action_name)]
        return super().answer(dispatcher, tracker, svc)

    def reply(self, shop: Shop, country: str | None) -> str:
        loyalty = shop.policies.loyalty
        return (
            f"Our loyalty programme gives you {loyalty.points_per_eur} point per euro spent, "
            f"{loyalty.welcome_points} welcome points for joining and {loyalty.profile_points} for completing your "
            f"profile. Invite a friend and you both get {loyalty.referral_points_each} points when they make their "
            f"first purchase; 3 purchases in one calendar month earn {loyalty.three_purchases_month_bonus} bonus "
            f"points. Redeem: {loyalty.redeem}. A family account pools points for up to "
            f"{loyalty.family_account_members_max} members."
        )


_POINTS = re.compile(r"(\d[\d,.]*)\s*(?:loyalty\s+)?(?:points|pts|point)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"(?:€|eur\s*)(\d+(?:[.,]\d{1,2})?)|(\d+(?:[.,]\d{1,2})?)\s*(?:€|eur(?:os?)?\b|bucks)"
                     r"|(\d+(?:[.,]\d{1,2})?)\s*(?:order|purchase|basket|cart|spend)"
                     r"|(?:spend|spending|order of|purchase of|buy for)\s*(\d+(?:[.,]\d{1,2})?)", re.IGNORECASE)


def loyalty_arithmetic(text: str, shop: Shop) -> str | None:
    """"How many points is a 75 euro order?", "what is 300 points worth?": worked out from shop.yml."""
    rules = shop.policies.loyalty
    if points := _POINTS.search(text):
        count = int(points.group(1).replace(",", "").replace(".", ""))
        vouchers, worth = rules.vouchers_for(count)
        if vouchers == 0:
            return (f"{count} points are not enough for a voucher yet: you need {rules.redeem_points} "
                    f"({rules.redeem}).")
        rest = count - vouchers * rules.redeem_points
        left = f", with {rest} points left over" if rest else ""
        return (f"{count} points get you {vouchers} voucher(s) worth {eur(worth)} in all{left} "
                f"({rules.redeem}).")
    if amount := _AMOUNT.search(text):
        total = Decimal(next(group for group in amount.groups() if group).replace(",", "."))
        earned = rules.points_for(total)
        return (f"A {eur(total)} order earns {earned} points ({rules.points_per_eur} point per whole euro "
                f"spent); {rules.redeem}.")
    return None


_DO_YOU_SELL = re.compile(r"\b(?:sell|have|carry|stock|offer)\s+(?:any\s+|some\s+)?([a-z][a-z -]{2,40}?)\s*\??\s*$",
                          re.IGNORECASE)
_GENERIC_ASK = re.compile(r"^(?:you|here|there|online|for sale|products?|things?|stuff|items?|in (?:your )?shop)$")


_THAT = re.compile(r"\b(?:it|that|this|them|those)\b", re.IGNORECASE)


def _points_for_shown(tracker: Tracker, svc: Services) -> str | None:
    """"How many points is that worth?" right after a product: the points its price earns."""
    if not _THAT.search(user_text(tracker)):
        return None
    products = [product for sku in tracker.get_slot("products") or [] if (product := svc.catalog.get(sku))]
    if len(products) != 1:
        return None
    product, rules = products[0], svc.shop.policies.loyalty
    return (f"The {product.name} ({eur(product.price_eur)}) earns {rules.points_for(product.price_eur)} points "
            f"({rules.points_per_eur} point per whole euro; {rules.redeem}).")


class ActionAboutShop(FaqAction):
    action_name = "action_about_shop"
    topic = "the shop"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        asked = _DO_YOU_SELL.search(user_text(tracker))
        thing = asked.group(1).strip().lower() if asked else ""
        if thing and not _GENERIC_ASK.match(thing) and find_category(thing) is None:  # "do you sell printers?"
            dispatcher.utter_message(text=f"No, we don't sell {thing}. " + self.reply(svc.shop, None))
            return [SlotSet("topic", self.action_name)]
        return super().answer(dispatcher, tracker, svc)

    def reply(self, shop: Shop, country: str | None) -> str:
        info = shop.policies.shop
        categories = listing([category + "s" if not category.endswith("ing") else category
                              for category in shop.categories])
        sells = re.sub(r"\s*\(.*?\)", "", info.sells)
        return (f"I'm the {info.name} shopping assistant, a bot. {info.name} sells {sells}: {categories}. "
                "I can answer questions about products, shipping, returns "
                "and payment, compare products, or put you in touch with a person.")


class ActionGreet(FaqAction):
    action_name = "action_greet"
    topic = ""

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        name = svc.shop.policies.shop.name
        dispatcher.utter_message(text=f"Hi! I'm the {name} shopping assistant. Ask me about our products, "
                                      "shipping, returns or payment, or let me compare products for you.")
        return []


FAQ_ACTIONS: dict[str, type[FaqAction]] = {cls.action_name: cls for cls in FaqAction.__subclasses__()
                                           if cls.action_name and cls.topic}
