"""Loyalty arithmetic in words: what a number of points is worth, what an order earns."""

from __future__ import annotations

from lifecycle.shop.facts import Shop
from lifecycle.shop.speech import Voice
from lifecycle.understanding.amounts import money_named, points_named


def loyalty_arithmetic(text: str, shop: Shop, voice: Voice) -> str | None:
    """"How many points is a 75 euro order?", "what is 300 points worth?": worked out from shop.yml."""
    rules = shop.policies.loyalty
    redeem = voice.shop(rules.redeem)
    if (count := points_named(text)) is not None:
        vouchers, worth = rules.vouchers_for(count)
        if vouchers == 0:
            return voice.say("{points} points are not enough for a voucher yet: you need {needed} ({redeem}).",
                             points=count, needed=rules.redeem_points, redeem=redeem)
        rest = count - vouchers * rules.redeem_points
        text = voice.say_n("{points} points get you {count} voucher worth {worth} in all",
                           "{points} points get you {count} vouchers worth {worth} in all", vouchers,
                           points=count, worth=voice.eur(worth))
        if rest:
            text += voice.say(", with {rest} points left over", rest=rest)
        return text + f" ({redeem})."
    if (total := money_named(text, with_purchase_words=True)) is not None:
        return voice.say("A {total} order earns {points} points ({per_eur} point per whole euro spent); {redeem}.",
                         total=voice.eur(total), points=rules.points_for(total), per_eur=rules.points_per_eur,
                         redeem=redeem)
    return None
