"""Product facts and side-by-side comparisons, resolved from the shopper's words.

Products are found in the message text (partial or misspelt names, SKUs); a
follow-up such as "is it in stock?" uses the products discussed last (`products`
slot). When a name fits several products the bot asks which one; when none fits it
says so: it never states a fact about a guessed product.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.arithmetic import arithmetic
from actions.attributes import (
    attribute_sentence,
    described_or_unknown,
    feature_sentence,
    rating_text,
    specs_text,
    unknown_sentence,
    warranty_sentence,
    warranty_text,
)
from actions.base import Events, ShopAction, intent_of, user_text, visitor_id
from actions.faq import FAQ_ACTIONS
from actions.lists import ActionProductList
from actions.queries import capacity_sentence, points_sentence, spec_sentence
from actions.services import Services
from actions.variants import product_card, variant_sentence
from lifecycle.shop.attributes import attribute_of
from lifecycle.shop.catalog import ProductMatch
from lifecycle.shop.facts import Product
from lifecycle.shop.language import fold
from lifecycle.shop.speech import Voice
from lifecycle.understanding import Query, understand
from lifecycle.understanding.attributes import (
    asked_features,
    catalog_name,
    find_attribute,
    find_comparative,
    has_feature,
    without_names,
)
from lifecycle.understanding.lexicon import lexicon
from lifecycle.understanding.places import find_country
from lifecycle.understanding.pointing import by_model_word, pick_from
from lifecycle.understanding.selection import Selection, parse_selection

MAX_COMPARED = 3

QUESTIONS = {
    "ask_product_price": "price",
    "ask_product_stock": "stock",
    "ask_product_specs": "specs",
    "ask_product_rating": "rating",
    "ask_warranty": "warranty",
}


def resolve(tracker: Tracker, svc: Services) -> ProductMatch:
    """Products named in the message (or by a button's `sku` entity), else the one of those listed or
    compared last that the shopper points at ("the first one", "the cheaper of the two"), else all of them."""
    match = svc.catalog.find(user_text(tracker))
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "sku" and (product := svc.catalog.get(str(entity.get("value")))):
            match.add(product)
    if not match.products and not match.ambiguous:
        shown = [product for sku in tracker.get_slot("products") or [] if (product := svc.catalog.get(sku))]
        for product in by_model_word(user_text(tracker), svc.shop.products) or pick_from(user_text(tracker), shown) \
                or shown:
            match.add(product)
    return match


def stock_line(voice: Voice, product: Product) -> str:
    if product.in_stock and product.stock is not None:
        return voice.say("in stock ({count} available)", count=product.stock)
    return voice.say("in stock") if product.in_stock else voice.say("out of stock right now")


def fact(voice: Voice, product: Product, question: str) -> str:
    name, sku = product.name, product.sku
    if question == "price":
        return voice.say("The {name} ({sku}) costs {price}; it is {stock}.", name=name, sku=sku,
                         price=voice.eur(product.price_eur), stock=stock_line(voice, product))
    if question == "stock":
        if product.in_stock and product.stock is not None:
            return voice.say("Yes, the {name} is in stock: {count} available.", name=name, count=product.stock)
        if product.in_stock:
            return voice.say("Yes, the {name} is in stock.", name=name)
        return voice.say("Sorry, the {name} is out of stock right now.", name=name)
    if question == "specs":
        return voice.say("Specs of the {name} ({sku}): {specs}.", name=name, sku=sku, specs=specs_text(voice, product))
    if question == "rating":
        return voice.say("Shoppers rate the {name} {rating}.", name=name, rating=rating_text(voice, product))
    if question == "warranty":
        return warranty_sentence(voice, product)
    return voice.say("The {name} ({sku}, {category}) costs {price}, is {stock}, is rated {rating}; warranty: "
                     "{warranty}. Specs: {specs}.", name=name, sku=sku,
                     category=voice.shop(product.category), price=voice.eur(product.price_eur),
                     stock=stock_line(voice, product), rating=rating_text(voice, product),
                     warranty=warranty_text(voice, product.warranty_years), specs=specs_text(voice, product))


def _about_products(selection: Selection) -> bool:
    return bool(selection.category or selection.features or selection.video or selection.having)


def ask_which(dispatcher: CollectingDispatcher, voice: Voice, candidates: list[Product], intent: str) -> None:
    dispatcher.utter_message(
        text=voice.say("We have several of those: {names}. Which one do you mean?",
                       names=voice.listing([p.name for p in candidates], "or")),
        buttons=[{"title": p.name, "payload": f'/{intent}{{"sku":"{p.sku}"}}'} for p in candidates],
    )


def not_found(dispatcher: CollectingDispatcher, svc: Services, voice: Voice) -> None:
    dispatcher.utter_message(text=voice.say(
        "I couldn't find that product in our catalog, so I can't give you facts about it. Which of our products do "
        "you mean? For example {names}.", names=voice.listing([p.name for p in svc.shop.products[:4]])))


def _follows_up(text: str) -> bool:
    """"and the Echo Mini?", "e la duo?", "same question for the lumo hd"."""
    return lexicon().opens_with("follow_up", fold(text))


class ActionProductFacts(ShopAction):
    """Product facts: any attribute, yes/no features, follow-ups that keep the question, arithmetic."""

    action_name = "action_product_facts"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        intent = intent_of(tracker) or "product_info"
        question = QUESTIONS.get(intent, "info")
        text = user_text(tracker)
        match = resolve(tracker, svc)
        if not match.products and match.ambiguous and (find_attribute(text, svc.shop)
                                                       or asked_features(text, svc.shop)):
            match.products = match.ambiguous[0][:4]  # "how heavy are the Calla headsets?": each of them
        if not match.products:
            topic = tracker.get_slot("topic")
            if match.ambiguous:
                ask_which(dispatcher, voice, match.ambiguous[0], intent)
            elif find_country(text) and topic in FAQ_ACTIONS:  # "what about Poland?" after a shipping question
                return [FollowupAction(topic)]
            elif find_country(text) and "shipping" in understand(text, svc.catalog).topics:  # no product yet
                return [FollowupAction("action_shipping")]
            elif question == "warranty":
                general_warranty(dispatcher, tracker, svc, voice)
            elif _about_products(parse_selection(text, svc.shop)):  # "any 4k cameras in stock?": a list question
                return [FollowupAction(ActionProductList.action_name)]
            else:
                not_found(dispatcher, svc, voice)
            return []
        products = match.products
        asked_slot, lines = self._lines(voice, text, question, intent, products, tracker, svc)
        for n, line in enumerate(lines, start=1):
            last_of_one = n == len(lines) and len(products) == 1  # the product's card under its answer
            dispatcher.utter_message(text=line, **({"json_message": {"data": product_card(voice, products[0], text)}}
                                                   if last_of_one else {}))
        kind, _, what = (asked_slot or "").partition(":")
        recorded = what if kind in {"question", "attribute"} else (kind or question)  # price, weight_g, feature
        svc.recorder.record_product_views(tracker.sender_id, [p.sku for p in products], recorded,
                                          visitor_id(tracker, svc))
        return [SlotSet("products", [p.sku for p in products]), SlotSet("asked", asked_slot),
                SlotSet("topic", None)]

    @staticmethod
    def _lines(voice: Voice, text: str, question: str, intent: str, products: list[Product], tracker: Tracker,
               svc: Services) -> tuple[str | None, list[str]]:
        # Only the names the shopper wrote are taken out: "does it have ANC?" of the Calla Wireless ANC asks.
        rest = without_names(text, tuple(p.name for p in svc.catalog.find(text).products))
        query = understand(text, svc.catalog)
        if len(products) == 1 and (line := variant_sentence(voice, text, products[0])):
            return "variant", [line]  # "do you have it in M?", "is it on sale?"
        if query.points:
            return None, [points_sentence(voice, svc.shop, products, query.quantity)]
        if query.people and not query.cost:  # "is the echo mini good for 6 people?"
            return "attribute:max_people", [capacity_sentence(voice, p, query.people) for p in products]
        if (worked := arithmetic(voice, query, text, products, svc)) is not None:
            return None, [worked]
        asked = asked_features(rest, svc.shop)
        if (several := _each_fact(voice, query, products, svc, asked)) is not None:
            return several
        attribute = find_attribute(rest, svc.shop) or next(
            (column for f in query.facets if (column := attribute_of(svc.shop, f))), None)
        if question == "info" and query.facets and query.facets[0] in QUESTIONS.values():
            question = query.facets[0]  # "drogie to glow key light": the price
        previous = tracker.get_slot("asked") or ""
        if not asked and not attribute and _follows_up(text) and previous:  # "and the Echo Mini?"
            kind, _, value = previous.partition(":")
            asked = frozenset(value.split(",")) if kind == "feature" else frozenset()
            attribute = attribute_of(svc.shop, value) if kind == "attribute" else None
        either = attribute is not None and lexicon().has("or", fold(rest))  # "usb or mains?"
        if asked and (lexicon().clause_opens_with("yes_no", fold(rest)) or not attribute) and not either:
            open_question = lexicon().clause_opens_with("open_question", fold(rest))
            # "what colour is it?" asks for a value: a feature it lacks is something we don't know
            return "feature:" + ",".join(sorted(asked)), [
                feature_sentence(voice, p, asked, found, catalog_name(svc.shop, asked))
                if (found := has_feature(p, asked, svc.shop)) or not open_question
                else described_or_unknown(voice, rest, p) for p in products]
        if attribute:
            return "attribute:" + attribute.key, [
                described_or_unknown(voice, rest, p, attribute_sentence(voice, p, attribute))
                if attribute.value(p) in (None, ()) else attribute_sentence(voice, p, attribute) for p in products]
        known = bool(set(query.facets) & {"price", "stock", "warranty", "rating"}) or query.difference or \
            "shipping" in query.topics
        yes_no = lexicon().clause_opens_with("yes_no", fold(rest))
        if intent in {"product_info", "ask_product_specs"} and yes_no and not known:
            return None, [described_or_unknown(voice, rest, p) for p in products]  # "is it waterproof?"
        if _follows_up(text) and previous.startswith("question:") and question == "info":
            question = previous.partition(":")[2]
        return "question:" + question, [fact(voice, product, question) for product in products]


def _each_fact(voice: Voice, query: Query, products: list[Product], svc: Services,
               features: frozenset[str]) -> tuple[str | None, list[str]] | None:
    """A line for each fact asked ("price of the echo room and how many people is it for"), or None
    when the message asks one ordinary fact, which the usual path answers."""
    described = svc.shop.vocabulary.attributes
    # "got an HDMI port?": the feature's yes or no says it; the connections line would repeat it.
    asked = [facet for facet in query.facets
             if not (features and facet in described and not described[facet].filter)]
    specs = [facet for facet in asked if facet.startswith("spec:")]
    if len(asked) + bool(features) < 2 and not specs:
        return None
    lines: list[str] = []
    marks = {topic: words.marks for topic, words in svc.shop.vocabulary.specs.items()}
    for product in products:
        for facet in asked:
            if facet.startswith("spec:"):
                line = spec_sentence(voice, product, marks[facet[5:]])
                lines.append(line or unknown_sentence(voice, product))
            elif column := attribute_of(svc.shop, facet):
                lines.append(attribute_sentence(voice, product, column))
            elif facet in {"price", "stock", "warranty", "rating"}:
                if facet == "price" and specs:
                    continue  # "how much zoom": a spec asked, not the price
                lines.append(fact(voice, product, facet))
        if features:
            found = has_feature(product, features, svc.shop)
            lines.append(feature_sentence(voice, product, features, found, catalog_name(svc.shop, features)))
    slot = "question:" + asked[0] if asked and asked[0] in QUESTIONS.values() else None
    return slot, lines


def general_warranty(dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> None:
    shop = svc.shop
    default = shop.policies.warranty.default_years
    longer = [f"{p.name} ({warranty_text(voice, p.warranty_years)})"
              for p in shop.products if (p.warranty_years or 0) > default]
    text = voice.say("Every product comes with a warranty of {warranty}.", warranty=warranty_text(voice, default))
    if longer:
        text = text[:-1] + voice.say("; some have longer: {longer}.", longer=voice.listing(longer))
    dispatcher.utter_message(text=text + " " + voice.say("Ask me about a product for its exact warranty."))
    svc.recorder.record_question(tracker.sender_id, "warranty", visitor_id(tracker, svc))


def comparison_payload(voice: Voice, products: list[Product]) -> dict[str, Any]:
    """The table the widget draws: one column per product, one row per fact."""
    return {
        "type": "comparison",
        "products": [{"sku": p.sku, "name": p.name} for p in products],
        "rows": [
            {"label": voice.say("Price"), "values": [voice.eur(p.price_eur) for p in products]},
            {"label": voice.say("Rating"), "values": [rating_text(voice, p) for p in products]},
            {"label": voice.say("Stock"), "values": [stock_line(voice, p) for p in products]},
            {"label": voice.say("Warranty"), "values": [warranty_text(voice, p.warranty_years) for p in products]},
            {"label": voice.say("Key specs"), "values": [specs_text(voice, p, 4) for p in products]},
        ],
    }


class ActionCompare(ShopAction):
    action_name = "action_compare"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        match = svc.catalog.find(user_text(tracker))
        if len(match.products) == 1:  # "compare it with the lumo hd": add what was discussed before
            for sku in tracker.get_slot("products") or []:
                if (product := svc.catalog.get(sku)) and product not in match.products:
                    match.products.insert(0, product)
        if match.ambiguous and len(match.products) < 2:
            ask_which(dispatcher, voice, match.ambiguous[0], "product_info")
            return []
        if len(match.products) < 2:
            dispatcher.utter_message(text=voice.say(
                "Which products should I compare? Name two or three, for example \"compare the Lumo HD and the "
                "Lumo Pro\"."))
            return []
        products = match.products[:MAX_COMPARED]
        asked = user_text(tracker)
        query = understand(asked, svc.catalog)
        if len(products) == 2 and (query.difference or find_comparative(asked, svc.shop)) \
                and (worked := arithmetic(voice, query, asked, products, svc)):
            dispatcher.utter_message(text=worked)
            return [SlotSet("products", [p.sku for p in products])]
        lines = [voice.say("{name}: {price}, rated {rating}, {stock}, warranty {warranty}; {specs}.", name=p.name,
                           price=voice.eur(p.price_eur), rating=rating_text(voice, p), stock=stock_line(voice, p),
                           warranty=warranty_text(voice, p.warranty_years), specs=specs_text(voice, p, 4))
                 for p in products]
        cheapest = min(products, key=lambda p: p.price_eur)
        best = max(products, key=lambda p: (p.rating, p.reviews))
        text = voice.say("Side by side:") + "\n" + "\n".join(lines) + "\n" + voice.say(
            "Cheapest: {cheapest}. Best rated: {best}.", cheapest=cheapest.name, best=best.name)
        if len(match.products) > MAX_COMPARED:
            text += " " + voice.say("(I compare up to {count} products at a time.)", count=MAX_COMPARED)
        # Rasa's socketio channel emits a custom message's `data` as the event body, so the
        # table goes under "data"; REST clients read it from `custom.data`.
        dispatcher.utter_message(text=text, json_message={"data": comparison_payload(voice, products)})
        svc.recorder.record_comparison(tracker.sender_id, [p.sku for p in products], visitor_id(tracker, svc))
        return [SlotSet("products", [p.sku for p in products])]
