"""Checkout help from the shopper's own cart, cart reminders, and loyalty points.

The cart is the one the shop reported through /api/events for this visitor (the
widget's session id), so "what will shipping cost for my cart?" is answered with the
real total.
"""

from __future__ import annotations

from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text, visitor_id
from actions.loyalty import loyalty_arithmetic
from actions.services import Services
from lifecycle.commerce.shoppers import CartView
from lifecycle.shop.facts import Shop
from lifecycle.shop.policies import free_shipping_gap, shipping_cost, shipping_for, ships_free
from lifecycle.shop.speech import Voice
from lifecycle.understanding.amounts import money_named
from lifecycle.understanding.offer import discount_group


def stop_button(voice: Voice) -> dict[str, str]:
    return {"title": voice.say("Stop cart reminders"), "payload": "/stop_reminders"}


def cart_lines(voice: Voice, cart: CartView, shop: Shop) -> str:
    return voice.listing([f"{shop.name_of(i['sku'])} x{i['qty']}"
                          for i in cart.items])


def shipping_sentence(voice: Voice, shop: Shop, total: Decimal, country: str | None) -> str:
    threshold = shop.policies.shipping.free_from_eur
    quote = shipping_for(shop, country) if country else None
    if country and quote is not None and (not quote.shipped or quote.standard is None):
        return voice.say("We don't ship to {country}: only within the EU.", country=voice.country(country))
    if ships_free(shop, total):
        return voice.say("Standard shipping is free for this cart (free from {threshold}).",
                         threshold=voice.eur(threshold))
    gap = voice.eur(free_shipping_gap(shop, total))
    if country and quote is not None and quote.standard is not None:
        cost = shipping_cost(shop, country, total)
        return voice.say("Standard shipping to {country} costs {price} ({days}); add {gap} more and it ships free.",
                         country=voice.country(country), price=voice.eur(cost or quote.standard.price_eur),
                         days=voice.days(quote.standard.days), gap=gap)
    prices = [rate.price_eur for rate in shop.policies.shipping.standard.values()]
    return voice.say("Standard shipping costs {low} to {high} in the EU; add {gap} more and it ships free.",
                     low=voice.eur(min(prices)), high=voice.eur(max(prices)), gap=gap)


class ActionCartReminder(ShopAction):
    """Run by the web app's scheduler through Rasa's trigger_intent when a cart is abandoned."""

    action_name = "action_cart_reminder"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        reminder = svc.shoppers.reminder(visitor_id(tracker, svc))
        if reminder is None:  # the cart was ordered or emptied meanwhile: say nothing
            return []
        shop = svc.shop
        cart = CartView(reminder.items, reminder.total_eur)
        methods = voice.listing(voice.shop(method) for method in shop.policies.payment.everywhere)
        text = " ".join([
            voice.say("You left {items} in your cart ({total} in total).", items=cart_lines(voice, cart, shop),
                      total=voice.eur(cart.total_eur)),
            shipping_sentence(voice, shop, cart.total_eur, tracker.get_slot("country")),
            voice.say("You can pay with {methods}, and check out as a guest: no account needed.", methods=methods)
            if shop.policies.checkout.guest_checkout else voice.say("You can pay with {methods}.", methods=methods)])
        offer = shop.policies.cart_recovery.offer
        if reminder.offer_code and offer:
            text += " " + voice.say("Use code {code} within {hours} hours for {percent}% off.",
                                    code=reminder.offer_code, hours=offer.valid_hours,
                                    percent=voice.number(offer.percent_off))
        dispatcher.utter_message(text=text, buttons=[stop_button(voice)])
        return []


def cart_shipping_note(svc: Services, tracker: Tracker, voice: Voice, country: str | None) -> str | None:
    """For a shopper with a cart: what shipping costs for it, or how much more ships it free."""
    cart = svc.shoppers.cart(visitor_id(tracker, svc))
    if cart is None:
        return None
    return voice.say("Your cart comes to {total}:", total=voice.eur(cart.total_eur)) + " " + \
        shipping_sentence(voice, svc.shop, cart.total_eur, country)


def discounts_offered(voice: Voice, shop: Shop) -> str:
    """What the shop's data does offer, for an answer to a discount it doesn't."""
    offer = shop.policies.cart_recovery.offer
    loyalty = shop.policies.loyalty
    parts = [voice.say("loyalty points ({per_eur} per euro, {redeem})", per_eur=loyalty.points_per_eur,
                       redeem=voice.shop(loyalty.redeem))]
    if offer:
        parts.insert(0, voice.say("a {percent}% code on carts of {minimum} or more, sent when a cart is left behind",
                                  percent=voice.number(offer.percent_off), minimum=voice.eur(offer.min_cart_eur)))
    return voice.say("What we do have: {offers}.", offers=voice.listing(parts))


class ActionDiscountCode(ShopAction):
    action_name = "action_discount_code"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        text = user_text(tracker)
        offer = svc.shop.policies.cart_recovery.offer
        offered = discounts_offered(voice, svc.shop)
        if kind := discount_group(text, voice.language):  # a discount the shop's data does not hold: say so
            dispatcher.utter_message(text=voice.say(
                "No: our shop has no {kind} discount. {offered} If you'd like to ask a person, say \"talk to a "
                "human\".", kind=kind, offered=offered))
            return []
        if (total := money_named(text)) is not None and offer:
            percent = voice.number(offer.percent_off)
            if total < offer.min_cart_eur:
                dispatcher.utter_message(text=voice.say(
                    "The {percent}% code needs a cart of at least {minimum}; on {total} it doesn't apply.",
                    percent=percent, minimum=voice.eur(offer.min_cart_eur), total=voice.eur(total)))
            else:
                saving = (total * offer.percent_off / 100).quantize(Decimal("0.01"))
                dispatcher.utter_message(text=voice.say(
                    "On a {total} cart the {percent}% code saves {saving}: you'd pay {pay}.", total=voice.eur(total),
                    percent=percent, saving=voice.eur(saving), pay=voice.eur(total - saving)))
            return []
        check = svc.shoppers.check_code(visitor_id(tracker, svc), svc.shop, svc.now())
        if check.works and offer and check.cart_total_eur is not None and check.saving_eur is not None:
            text = voice.say("Yes: {code} gives {percent}% off your {total} cart, saving {saving}. Enter it at "
                             "checkout.", code=check.code, percent=voice.number(offer.percent_off),
                             total=voice.eur(check.cart_total_eur), saving=voice.eur(check.saving_eur))
        elif check.reason == "no_cart":
            text = voice.say("You have no cart with us yet, so there is no code to apply.") + " " + offered
        elif check.reason == "below_minimum" and offer:
            text = voice.say("{code} needs a cart of at least {minimum}; yours is {total}.", code=check.code,
                             minimum=voice.eur(offer.min_cart_eur), total=voice.eur(check.cart_total_eur or 0))
        elif check.reason == "already_used":
            text = voice.say("{code} can be used once per customer, and you've already used it.", code=check.code)
        elif check.reason == "expired" and offer:
            text = voice.say("{code} was valid for {hours} hours after we sent it, and that time has passed.",
                             code=check.code, hours=offer.valid_hours)
        else:
            text = voice.say("I don't have a discount code for you at the moment.") + " " + offered
        dispatcher.utter_message(text=text)
        return []


class ActionStopReminders(ShopAction):
    action_name = "action_stop_reminders"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        svc.shoppers.stop_reminders(visitor_id(tracker, svc), svc.now())
        dispatcher.utter_message(text=voice.say("Done: I won't send you cart reminders any more."))
        return []


class ActionLoyaltyPoints(ShopAction):
    action_name = "action_loyalty_points"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        if worked := loyalty_arithmetic(user_text(tracker), svc.shop, voice):
            dispatcher.utter_message(text=worked)
            return []
        rules = svc.shop.policies.loyalty
        redeem = voice.shop(rules.redeem)
        standing = svc.shoppers.points(visitor_id(tracker, svc), svc.shop)
        if standing is None or standing.points <= 0:
            dispatcher.utter_message(text=voice.say(
                "You have no points yet. Join the loyalty programme for {welcome} welcome points; you earn {per_eur} "
                "point per euro spent ({redeem}).", welcome=rules.welcome_points, per_eur=rules.points_per_eur,
                redeem=redeem))
            return []
        if standing.family_members > 1:
            text = voice.say("You have {points} points (pooled over your family account of {members}).",
                             points=standing.points, members=standing.family_members)
        else:
            text = voice.say("You have {points} points.", points=standing.points)
        if standing.vouchers:
            text += " " + voice.say_n("That's enough for {count} voucher worth {worth} in all ({redeem}).",
                                      "That's enough for {count} vouchers worth {worth} in all ({redeem}).",
                                      standing.vouchers, worth=voice.eur(standing.voucher_eur), redeem=redeem)
        else:
            text += " " + voice.say("{missing} more and you can redeem a voucher ({redeem}).",
                                    missing=standing.points_to_next_voucher, redeem=redeem)
        dispatcher.utter_message(text=text)
        return []
