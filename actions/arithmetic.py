"""Arithmetic over the shop's facts, never from the model: price differences, "which is heavier",
quantities, and a product's total with shipping to a country."""

from __future__ import annotations

from decimal import Decimal

from actions.attributes import label
from actions.lists import measure, ranked_value
from actions.services import Services
from lifecycle.shop.attributes import Attribute
from lifecycle.shop.facts import Product
from lifecycle.shop.policies import shipping_cost, shipping_for, ships_free
from lifecycle.shop.speech import Voice
from lifecycle.understanding import Query
from lifecycle.understanding.attributes import find_attribute, find_comparative, without_names


def _value(voice: Voice, product: Product, attribute: Attribute) -> str:
    if attribute.key == "price_eur":
        return voice.eur(product.price_eur)
    if attribute.key == "rating":
        return f"{voice.number(product.rating)}/5" if product.rating is not None else voice.say("no reviews yet")
    return ranked_value(voice, product, attribute)


def _gap(voice: Voice, attribute: Attribute, gap: float) -> str:
    if attribute.key == "rating":
        return voice.say("{value} stars", value=voice.number(round(gap, 1)))
    return measure(voice, attribute.key, int(gap) if float(gap).is_integer() else round(gap, 1), attribute.unit)


def attribute_difference(voice: Voice, products: list[Product], attribute: Attribute) -> str:
    missing = [p for p in products if attribute.number(p) is None]
    if missing:
        return voice.say("Our catalog gives no {attribute} for the {names}, so I can't work out the difference.",
                         attribute=label(voice, attribute), names=voice.listing([p.name for p in missing]))
    low, high = sorted(products, key=lambda p: attribute.number(p) or 0.0)
    gap = (attribute.number(high) or 0.0) - (attribute.number(low) or 0.0)
    return voice.say("The difference in {attribute}: {gap}. The {high} has {high_value}, the {low} {low_value}.",
                     attribute=label(voice, attribute), gap=_gap(voice, attribute, gap), high=high.name,
                     high_value=_value(voice, high, attribute), low=low.name, low_value=_value(voice, low, attribute))


def _compared_word(voice: Voice, key: str, higher: bool) -> str:
    words = {"weight_g": (voice.say("heavier"), voice.say("lighter")),
             "lumen": (voice.say("brighter"), voice.say("less bright")),
             "battery_hours": (voice.say("longer-lasting on a charge"), voice.say("shorter-lasting on a charge")),
             "field_of_view_deg": (voice.say("wider"), voice.say("narrower")),
             "max_people": (voice.say("made for more people"), voice.say("made for fewer people")),
             "price_eur": (voice.say("more expensive"), voice.say("cheaper")),
             "rating": (voice.say("better rated"), voice.say("rated lower")),
             "warranty_years": (voice.say("covered longer"), voice.say("covered shorter"))}
    return words[key][0 if higher else 1]


def comparison_sentence(voice: Voice, products: list[Product], attribute: Attribute, higher: bool) -> str:
    """"Which is heavier, X or Y?": the winner on one attribute, with both values."""
    missing = [p for p in products if attribute.number(p) is None]
    if missing:
        return voice.say("Our catalog gives no {attribute} for the {names}, so I can't compare that.",
                         attribute=label(voice, attribute), names=voice.listing([p.name for p in missing]))
    first, second = products
    if attribute.number(first) == attribute.number(second):
        return voice.say("They're the same: {value} for both the {first} and the {second}.",
                         value=_value(voice, first, attribute), first=first.name, second=second.name)
    winner, other = sorted(products, key=lambda p: attribute.number(p) or 0.0, reverse=higher)
    return voice.say("The {winner} is {word}: {value}, against {other_value} for the {other}.", winner=winner.name,
                     word=_compared_word(voice, attribute.key, higher), value=_value(voice, winner, attribute),
                     other_value=_value(voice, other, attribute), other=other.name)


def arithmetic(voice: Voice, query: Query, text: str, products: list[Product], svc: Services) -> str | None:
    """Price differences and totals with shipping, computed from the catalog and shop.yml; `query` is
    what the caller already understood of `text`."""
    if len(products) == 2 and query.difference:
        measured = find_attribute(without_names(text, tuple(p.name for p in products)), svc.shop,
                                  standard=True)
        if measured is not None and measured.key not in {"price_eur", "video", "connectivity", "power"}:
            return attribute_difference(voice, products, measured)  # "the difference in weight between X and Y"
        if not query.cost:
            return None  # "what is the difference between X and Y": their facts side by side, not the price
        cheap, dear = sorted(products, key=lambda p: p.price_eur)
        return voice.say("The {dear} costs {gap} more than the {cheap} ({dear_price} vs {cheap_price}).",
                         dear=dear.name, gap=voice.eur(dear.price_eur - cheap.price_eur), cheap=cheap.name,
                         dear_price=voice.eur(dear.price_eur), cheap_price=voice.eur(cheap.price_eur))
    if len(products) == 2 and (compared := find_comparative(text, svc.shop)):
        return comparison_sentence(voice, products, *compared)
    # "two units can be chained" is no order: a quantity counts only in a question about money.
    quantity = query.quantity if len(products) == 1 and (query.cost or query.wants_total) else 1
    country = query.country
    if quantity > 1 and not country:
        total = products[0].price_eur * quantity
        text = voice.say("{count} × {name}: {count} × {price} = {total}", count=quantity, name=products[0].name,
                         price=voice.eur(products[0].price_eur), total=voice.eur(total))
        return text + (" " + voice.say("and ships free") if ships_free(svc.shop, total) else "") + "."
    if country and ("shipping" in query.topics or query.wants_total or query.fastest):
        return _with_shipping(voice, query.fastest, products, quantity, country, svc)
    return None


def _with_shipping(voice: Voice, fastest: bool, products: list[Product], quantity: int, country: str,
                   svc: Services) -> str:
    subtotal = sum((p.price_eur for p in products), Decimal("0")) * quantity
    names = voice.listing([p.name for p in products]) if quantity == 1 else f"{quantity} × {products[0].name}"
    place = voice.country(country)
    quote = shipping_for(svc.shop, country)
    cost = shipping_cost(svc.shop, country, subtotal)
    if cost is None or quote.standard is None:
        return voice.say("We don't ship to {country}: only within the EU. The {names} costs {subtotal}.",
                         country=place, names=names, subtotal=voice.eur(subtotal))
    rate = quote.standard
    shipping = voice.say("free standard shipping") if cost == 0 else \
        voice.say("{price} standard shipping", price=voice.eur(cost))
    if fastest:
        if quote.express is None:
            return voice.say("We have no express shipping to {country}; standard shipping for the {names} is "
                             "{shipping}, {total} in total.", country=place, names=names,
                             shipping=voice.say("free") if cost == 0 else voice.eur(cost),
                             total=voice.eur(subtotal + cost))
        rate = quote.express
        cost = Decimal("0") if ships_free(svc.shop, subtotal, "express") else quote.express.price_eur
        shipping = voice.say("{price} express shipping", price=voice.eur(cost))
    return voice.say("{names} to {country}: {subtotal} + {shipping} = {total} in total. Delivery takes {days}.",
                     names=names, country=place, subtotal=voice.eur(subtotal), shipping=shipping,
                     total=voice.eur(subtotal + cost), days=voice.days(rate.days))
