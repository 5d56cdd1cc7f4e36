"""Lists and filters over the whole catalog ("what speakerphones do you have?", "webcams under 60
euros with autofocus"), shown with a button per product; "the first one" then resolves against it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.attributes import figure, label, products_word
from actions.base import Events, ShopAction, user_text, visitor_id
from actions.queries import aggregate_text, measure_words
from actions.services import Services
from lifecycle.shop.attributes import Attribute, attribute_of
from lifecycle.shop.facts import Product, Shop
from lifecycle.shop.speech import Voice
from lifecycle.understanding import Measure, Query, engine, understand
from lifecycle.understanding.selection import Selection, parse_selection, select

MAX_LISTED = 8


def product_buttons(products: list[Product]) -> list[dict[str, str]]:
    return [{"title": p.name, "payload": f'/product_info{{"sku":"{p.sku}"}}'} for p in products]


def describe(voice: Voice, selection: Selection, shop: Shop, measures: tuple[Measure, ...] = ()) -> str:
    """The selection in words, for the answer ("webcams under €60.00 with autofocus")."""
    noun = products_word(voice, selection.category)
    parts = [voice.say("wireless {products}", products=noun) if "wireless" in selection.features else noun]
    if features := selection.features - {"wireless"}:
        parts.append(voice.say("with {features}", features=" ".join(sorted(features, key=len))))
    if selection.having and not (selection.ranked_by and selection.ranked_by[0] == selection.having):
        parts.append(voice.say("with a battery") if selection.having.key == "battery_hours"
                     else voice.say("with a {attribute}", attribute=label(voice, selection.having)))
    if selection.video:
        parts.append(voice.say("with {video} video", video=selection.video))
    for condition in measures:
        attribute = attribute_of(shop, condition.attribute)
        name = label(voice, attribute) if attribute else condition.attribute
        parts.append(measure_words(voice, condition, name, measure(voice, condition.attribute, float(condition.value),
                                                                   attribute.unit if attribute else "")))
    if selection.min_price is not None:
        parts.append(voice.say("from {price}", price=voice.eur(selection.min_price)))
    if selection.max_price is not None:
        parts.append(voice.say("up to {price}", price=voice.eur(selection.max_price)))
    if selection.min_people:
        parts.append(voice.say("for {people}+ people", people=selection.min_people))
    if selection.in_stock_only:
        parts.append(voice.say("in stock"))
    if selection.out_of_stock_only:
        parts.append(voice.say("out of stock right now"))
    return " ".join(parts)


def measure(voice: Voice, key: str, value: float, unit: str = "") -> str:
    """A figure with its unit, in the plural form its number needs ("1 dzień", "5 dni")."""
    if key == "weight_g":
        return f"{voice.number(value)} g"
    if key == "field_of_view_deg":
        return f"{voice.number(value)}°"
    count = int(value)
    if key == "battery_hours":
        return voice.say_n("{count} hour", "{count} hours", count)
    if key == "lumen":
        return f"{voice.number(count)} lm"
    if key == "max_people":
        return voice.say_n("{count} person", "{count} people", count)
    if key == "warranty_years":
        return voice.say_n("{count} year", "{count} years", count)
    return figure(voice, value, unit)


def ranked_value(voice: Voice, product: Product, attribute: Attribute) -> str:
    value = attribute.value(product)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return measure(voice, attribute.key, float(value), attribute.unit)
    return str(value)


def list_line(voice: Voice, product: Product, selection: Selection) -> str:
    extra = ""
    if selection.ranked_by:
        attribute, _ = selection.ranked_by
        if attribute.key not in {"price_eur", "rating"}:
            extra = f", {label(voice, attribute)} {ranked_value(voice, product, attribute)}"
    stock = ", " + voice.say("out of stock") if not product.in_stock else ""
    if product.rating is None:
        return voice.say("{name} ({price}{extra}{stock})", name=product.name, price=voice.eur(product.price_eur),
                         extra=extra, stock=stock)
    return voice.say("{name} ({price}, rated {rating}/5{extra}{stock})", name=product.name,
                     price=voice.eur(product.price_eur), rating=voice.number(product.rating), extra=extra, stock=stock)


def measured(selection: Selection, query: Query) -> Selection:
    """A number that is a measure ("over 20 hours") is no price and no group size as well."""
    numbers = {m.value for m in query.measures}
    if not numbers:
        return selection
    return replace(selection,
                   min_price=None if selection.min_price in numbers else selection.min_price,
                   max_price=None if selection.max_price in numbers else selection.max_price,
                   min_people=None if selection.min_people in numbers else selection.min_people)


class ActionProductList(ShopAction):
    action_name = "action_product_list"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        text = user_text(tracker)
        query = understand(text, svc.catalog)
        if query.aggregate and query.category and (totals := engine.aggregate(svc.shop, query.category,
                                                                                query.aggregate)):
            dispatcher.utter_message(text=aggregate_text(voice, totals),
                                     buttons=product_buttons(list(totals.products[:MAX_LISTED])))
            skus = [p.sku for p in totals.products[:MAX_LISTED]]
            svc.recorder.record_product_views(tracker.sender_id, skus, "list", visitor_id(tracker, svc))
            return [SlotSet("products", skus), SlotSet("topic", None)]
        selection = measured(parse_selection(text, svc.shop), query)
        found = [p for p in select(svc.shop, selection) if all(engine.meets(p, m) for m in query.measures)]
        what = describe(voice, selection, svc.shop, query.measures)
        if not found:
            relaxed = select(svc.shop, Selection(category=selection.category))
            text = voice.say("We have no {what}.", what=what)
            if relaxed and relaxed != found and selection != Selection(category=selection.category):
                text += " " + voice.say("All our {what}: {products}.",
                                        what=describe(voice, Selection(category=selection.category), svc.shop),
                                        products=voice.listing([list_line(voice, p, selection) for p in relaxed]))
            dispatcher.utter_message(text=text, buttons=product_buttons(relaxed[:MAX_LISTED]))
            return [SlotSet("products", [p.sku for p in relaxed[:MAX_LISTED]])]
        shown = found[:MAX_LISTED]
        lines = "\n".join(f"{n}. {list_line(voice, p, selection)}" for n, p in enumerate(shown, start=1))
        if selection.ranked_by:
            text = voice.say("Ranked for you, {what}:", what=what) + "\n" + lines
        elif len(found) > 1:
            text = voice.say("Our {what} ({count}):", what=what, count=len(found)) + "\n" + lines
        else:
            text = voice.say("One of our {what}:", what=what) + "\n" + lines
        dispatcher.utter_message(text=text, buttons=product_buttons(shown))
        skus = [p.sku for p in shown]
        svc.recorder.record_product_views(tracker.sender_id, skus, "list", visitor_id(tracker, svc))
        return [SlotSet("products", skus), SlotSet("topic", None)]
