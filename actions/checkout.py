"""Checkout help from the shopper's own cart, cart reminders, and loyalty points.

The cart is the one the shop reported through /api/events for this visitor (the
widget's session id), so "what will shipping cost for my cart?" is answered with the
real total.
"""

from __future__ import annotations

import re
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text, visitor_id
from actions.services import Services
from actions.wording import days, eur, listing
from lifecycle.commerce.shoppers import CartView
from lifecycle.shop.facts import Shop
from lifecycle.shop.geo import country_name
from lifecycle.shop.policies import free_shipping_gap, shipping_cost, shipping_for, ships_free

STOP_BUTTON = {"title": "Stop cart reminders", "payload": "/stop_reminders"}


def cart_lines(cart: CartView, shop: Shop) -> str:
    names = [f"{shop.by_sku[i['sku']].name if i['sku'] in shop.by_sku else i['sku']} x{i['qty']}"
             for i in cart.items]
    return listing(names)


def shipping_sentence(shop: Shop, total: Decimal, country: str | None) -> str:
    threshold = shop.policies.shipping.free_from_eur
    quote = shipping_for(shop, country) if country else None
    if country and quote is not None and (not quote.shipped or quote.standard is None):
        return f"We don't ship to {country_name(country)}: only within the EU."
    if ships_free(shop, total):
        return f"Standard shipping is free for this cart (free from {eur(threshold)})."
    gap = f"add {eur(free_shipping_gap(shop, total))} more and it ships free"
    if country and quote is not None and quote.standard is not None:
        cost = shipping_cost(shop, country, total)
        return (f"Standard shipping to {country_name(country)} costs {eur(cost or quote.standard.price_eur)} "
                f"({days(quote.standard.days)}); {gap}.")
    prices = [rate.price_eur for rate in shop.policies.shipping.standard.values()]
    return f"Standard shipping costs {eur(min(prices))} to {eur(max(prices))} in the EU; {gap}."


class ActionCartReminder(ShopAction):
    """Run by the web app's scheduler through Rasa's trigger_intent when a cart is abandoned."""

    action_name = "action_cart_reminder"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        reminder = svc.shoppers.reminder(visitor_id(tracker, svc))
        if reminder is None:  # the cart was ordered or emptied meanwhile: say nothing
            return []
        shop = svc.shop
        cart = CartView(reminder.items, reminder.total_eur)
        payment = shop.policies.payment
        text = (f"You left {cart_lines(cart, shop)} in your cart ({eur(cart.total_eur)} in total). "
                f"{shipping_sentence(shop, cart.total_eur, tracker.get_slot('country'))} "
                f"You can pay with {listing(payment.everywhere)}")
        text += ", and check out as a guest: no account needed." if shop.policies.checkout.guest_checkout else "."
        offer = shop.policies.cart_recovery.offer
        if reminder.offer_code and offer:
            text += (f" Use code {reminder.offer_code} within {offer.valid_hours} hours for {offer.percent_off:g}% "
                     "off.")
        dispatcher.utter_message(text=text, buttons=[STOP_BUTTON])
        return []


def cart_shipping_note(svc: Services, tracker: Tracker, country: str | None) -> str | None:
    """For a shopper with a cart: what shipping costs for it, or how much more ships it free."""
    cart = svc.shoppers.cart(visitor_id(tracker, svc))
    if cart is None:
        return None
    return f"Your cart comes to {eur(cart.total_eur)}: " + shipping_sentence(svc.shop, cart.total_eur, country)


_GROUP = re.compile(r"\b(students?|teachers?|nurses?|military|veterans?|seniors?|pensioners?|educat\w+|nhs|"
                    r"employees?|staff|bulk|volume|compan(?:y|ies)|business(?:es)?|black friday|birthday|newsletter|"
                    r"first[- ]orders?|first purchases?|welcome)\b", re.IGNORECASE)
_SINGULAR = {"students": "student", "teachers": "teacher", "nurses": "nurse", "veterans": "veteran",
             "seniors": "senior", "pensioners": "pensioner", "employees": "employee", "companies": "company",
             "company": "company", "businesses": "business", "first orders": "first-order",
             "first order": "first-order", "first-order": "first-order", "first purchase": "first-purchase",
             "first purchases": "first-purchase"}
_CART_AMOUNT = re.compile(r"(?:€|eur\s*)(\d+(?:[.,]\d{1,2})?)|(\d+(?:[.,]\d{1,2})?)\s*(?:€|eur(?:os?)?\b)",
                          re.IGNORECASE)


def discounts_offered(shop: Shop) -> str:
    """What the shop's data does offer, for an answer to a discount it doesn't."""
    offer = shop.policies.cart_recovery.offer
    loyalty = shop.policies.loyalty
    parts = [f"loyalty points ({loyalty.points_per_eur} per euro, {loyalty.redeem})"]
    if offer:
        parts.insert(0, f"a {offer.percent_off:g}% code on carts of {eur(offer.min_cart_eur)} or more, sent when "
                        "a cart is left behind")
    return "What we do have: " + listing(parts) + "."


class ActionDiscountCode(ShopAction):
    action_name = "action_discount_code"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        text = user_text(tracker)
        offer = svc.shop.policies.cart_recovery.offer
        if group := _GROUP.search(text):  # a discount the shop's data does not hold: say so plainly
            kind = group.group(1).lower()
            kind = _SINGULAR.get(kind, kind)
            dispatcher.utter_message(
                text=f"No: our shop has no {kind} discount. {discounts_offered(svc.shop)} "
                     "If you'd like to ask a person, say \"talk to a human\".")
            return []
        if (amount := _CART_AMOUNT.search(text)) and offer:
            total = Decimal((amount.group(1) or amount.group(2)).replace(",", "."))
            if total < offer.min_cart_eur:
                dispatcher.utter_message(text=f"The {offer.percent_off:g}% code needs a cart of at least "
                                              f"{eur(offer.min_cart_eur)}; on {eur(total)} it doesn't apply.")
            else:
                saving = (total * offer.percent_off / 100).quantize(Decimal("0.01"))
                dispatcher.utter_message(text=f"On a {eur(total)} cart the {offer.percent_off:g}% code saves "
                                              f"{eur(saving)}: you'd pay {eur(total - saving)}.")
            return []
        check = svc.shoppers.check_code(visitor_id(tracker, svc), svc.shop, svc.now())
        reasons = {
            "no_offer": "I don't have a discount code for you at the moment. " + discounts_offered(svc.shop),
            "no_cart": "You have no cart with us yet, so there is no code to apply. " + discounts_offered(svc.shop),
            "below_minimum": f"{check.code} needs a cart of at least {eur(offer.min_cart_eur) if offer else ''}; "
                             f"yours is {eur(check.cart_total_eur or Decimal(0))}.",
            "already_used": f"{check.code} can be used once per customer, and you've already used it.",
            "expired": f"{check.code} was valid for {offer.valid_hours if offer else ''} hours after we sent it, "
                       "and that time has passed.",
        }
        if check.works and offer and check.cart_total_eur is not None and check.saving_eur is not None:
            text = (f"Yes: {check.code} gives {offer.percent_off:g}% off your {eur(check.cart_total_eur)} cart, "
                    f"saving {eur(check.saving_eur)}. Enter it at checkout.")
        else:
            text = reasons[check.reason]
        dispatcher.utter_message(text=text)
        return []


class ActionStopReminders(ShopAction):
    action_name = "action_stop_reminders"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        svc.shoppers.stop_reminders(visitor_id(tracker, svc), svc.now())
        dispatcher.utter_message(text="Done: I won't send you cart reminders any more.")
        return []


class ActionLoyaltyPoints(ShopAction):
    action_name = "action_loyalty_points"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        from actions.faq import loyalty_arithmetic  # faq imports this module for the cart note

        if worked := loyalty_arithmetic(user_text(tracker), svc.shop):
            dispatcher.utter_message(text=worked)
            return []
        rules = svc.shop.policies.loyalty
        standing = svc.shoppers.points(visitor_id(tracker, svc), svc.shop)
        if standing is None or standing.points <= 0:
            dispatcher.utter_message(text=f"You have no points yet. Join the loyalty programme for "
                                          f"{rules.welcome_points} welcome points; you earn {rules.points_per_eur} "
                                          f"point per euro spent ({rules.redeem}).")
            return []
        family = f" (pooled over your family account of {standing.family_members})" \
            if standing.family_members > 1 else ""
        text = f"You have {standing.points} points{family}."
        if standing.vouchers:
            text += (f" That's enough for {standing.vouchers} voucher(s) worth {eur(standing.voucher_eur)} in all "
                     f"({rules.redeem}).")
        else:
            text += f" {standing.points_to_next_voucher} more and you can redeem a voucher ({rules.redeem})."
        dispatcher.utter_message(text=text)
        return []
