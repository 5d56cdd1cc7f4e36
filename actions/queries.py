"""Words for what the query engine computed: aggregates over a category, capacity checks, points,
a spec line, the quickest delivery. The numbers come from `lifecycle.understanding.engine`; this
module only says them in the shopper's language."""

from __future__ import annotations

from actions.attributes import missing_sentence, products_word
from lifecycle.shop.attributes import BY_KEY
from lifecycle.shop.facts import Product, Shop
from lifecycle.shop.speech import Voice
from lifecycle.understanding import engine
from lifecycle.understanding.query import Measure


def aggregate_text(voice: Voice, totals: engine.Totals) -> str:
    noun = products_word(voice, totals.cheapest.category)
    if totals.kind == "count":
        return voice.say_n("We have {count} {products}: {names}.", "We have {count} {products}: {names}.",
                           totals.count, products=noun, names=voice.listing([p.name for p in totals.products]))
    if totals.kind == "sum":
        items = voice.listing([f"{p.name} ({voice.eur(p.price_eur)})" for p in totals.products])
        return voice.say("Our {products} together cost {total}: {items}.", products=noun,
                         total=voice.eur(totals.total), items=items)
    if totals.kind == "average":
        return voice.say("The average price of our {products} is {average} (from {low} to {high}).", products=noun,
                         average=voice.eur(totals.average), low=voice.eur(totals.cheapest.price_eur),
                         high=voice.eur(totals.dearest.price_eur))
    if totals.kind == "range":
        return voice.say("Our {products} cost from {low} (the {cheapest}) to {high} (the {dearest}).", products=noun,
                         low=voice.eur(totals.cheapest.price_eur), cheapest=totals.cheapest.name,
                         high=voice.eur(totals.dearest.price_eur), dearest=totals.dearest.name)
    return voice.say("The {dear} costs {gap} more than the {cheap} ({dear_price} vs {cheap_price}).",
                     dear=totals.dearest.name, gap=voice.eur(totals.spread), cheap=totals.cheapest.name,
                     dear_price=voice.eur(totals.dearest.price_eur), cheap_price=voice.eur(totals.cheapest.price_eur))


def capacity_sentence(voice: Voice, product: Product, people: int) -> str:
    check = engine.capacity(product, people)
    if check.fits is None or product.max_people is None:
        return missing_sentence(voice, product, BY_KEY["max_people"])
    if check.fits:
        return voice.say_n("Yes: the {name} is made for rooms of up to {count} person, so {people} is fine.",
                           "Yes: the {name} is made for rooms of up to {count} people, so {people} is fine.",
                           product.max_people, name=product.name, people=people)
    return voice.say_n("No: the {name} is made for rooms of up to {count} person, fewer than {people}.",
                       "No: the {name} is made for rooms of up to {count} people, fewer than {people}.",
                       product.max_people, name=product.name, people=people)


def points_sentence(voice: Voice, shop: Shop, products: list[Product], quantity: int) -> str:
    paid, earned = engine.points(shop, products, quantity)
    names = voice.listing([p.name for p in products]) if quantity == 1 else f"{quantity} × {products[0].name}"
    return voice.say_n("Buying the {names} ({price}) earns {count} loyalty point.",
                       "Buying the {names} ({price}) earns {count} loyalty points.", earned, names=names,
                       price=voice.eur(paid))


def spec_sentence(voice: Voice, product: Product, marks: tuple[str, ...]) -> str | None:
    line = engine.spec_line(product, marks)
    if line is None:
        return None
    return voice.say("Specs of the {name} ({sku}): {specs}.", name=product.name, sku=product.sku,
                     specs=voice.shop(line))


def quickest_sentence(voice: Voice, shop: Shop, country: str) -> str:
    quickest = engine.quickest(shop, country)
    if not quickest.shipped or quickest.rate is None:
        return voice.say("Sorry, we don't ship to {country}: we only deliver within the EU.",
                         country=voice.country(country))
    if quickest.express:
        return voice.say("Our quickest to {country} is express shipping: {price}, {days}.",
                         country=voice.country(country), price=voice.eur(quickest.rate.price_eur),
                         days=voice.days(quickest.rate.days))
    return voice.say("We have no express shipping to {country}; the quickest is standard shipping: {price}, {days}.",
                     country=voice.country(country), price=voice.eur(quickest.rate.price_eur),
                     days=voice.days(quickest.rate.days))


def measure_words(voice: Voice, measure: Measure, label: str, value: str) -> str:
    if measure.at_least:
        return voice.say("with {attribute} of at least {value}", attribute=label, value=value)
    return voice.say("with {attribute} of at most {value}", attribute=label, value=value)
