"""Recommendations by need and superlatives ("cheapest webcam"), with the reason for each pick."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.attributes import label, rating_text, specs_text
from actions.base import Events, ShopAction, user_text, visitor_id
from actions.lists import describe, list_line, product_buttons, products_word
from actions.services import Services
from lifecycle.shop.facts import Product
from lifecycle.shop.speech import Voice
from lifecycle.understanding.advice import find_category, find_superlative, parse_need, recommend, superlative
from lifecycle.understanding.attributes import attribute
from lifecycle.understanding.selection import Selection, parse_selection, select


class ActionRecommend(ShopAction):
    action_name = "action_recommend"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        need = parse_need(user_text(tracker), svc.shop)
        if need.is_empty:
            dispatcher.utter_message(text=voice.say(
                "Happy to help you choose. What are you looking for: {categories}? Tell me your budget, how many "
                "people will use it, and whether the room is noisy or you want it wireless.",
                categories=voice.listing([voice.shop(c) for c in svc.shop.categories], "or")))
            return []
        advice = recommend(svc.shop, need)
        if not advice.picks:
            text = voice.say("I found nothing in our catalog that meets all of that.")
            if advice.out_of_stock_matches:
                text += " " + voice.say("The {names} would fit but is out of stock right now.",
                                        names=voice.listing([p.name for p in advice.out_of_stock_matches]))
            dispatcher.utter_message(text=text + " " + voice.say(
                "Could you relax one of the requirements, such as the budget?"))
            return []
        lines = [f"{n}. {pick.product.name} ({voice.eur(pick.product.price_eur)}): "
                 f"{'; '.join(reason(voice, pick.product, why) for why in pick.reasons)}"
                 for n, pick in enumerate(advice.picks, start=1)]
        text = voice.say("Here's what I'd suggest:") + "\n" + "\n".join(lines)
        if advice.out_of_stock_matches:
            text += "\n" + voice.say("({names} would also fit but is out of stock right now.)",
                                     names=voice.listing([p.name for p in advice.out_of_stock_matches]))
        dispatcher.utter_message(text=text)
        skus = [pick.product.sku for pick in advice.picks]
        svc.recorder.record_product_views(tracker.sender_id, skus, "recommendation", visitor_id(tracker, svc))
        return [SlotSet("products", skus)]


class ActionSuperlative(ShopAction):
    action_name = "action_superlative"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice) -> Events:
        text = user_text(tracker)
        selection = parse_selection(text, svc.shop)
        filtered = selection.features or selection.having or selection.video or selection.max_price is not None
        if selection.ranked_by and (selection.ranked_by[0].key not in {"price_eur", "rating"} or filtered):
            # "the lightest headset", "the cheapest thing with bluetooth": ranked within the filters
            return ranked(dispatcher, tracker, svc, voice, selection)
        ranking = find_superlative(text, svc.shop) or ("rating", True)
        category = find_category(text, svc.shop)
        product = superlative(svc.shop, ranking, category)
        what = products_word(voice, category)
        if product is None:
            dispatcher.utter_message(text=voice.say("I have none of our {what} in stock to compare on that.",
                                                    what=what))
            return []
        dispatcher.utter_message(text=voice.say(
            "Among our {what}, {leader}: the {name} ({price}, rated {rating}; {specs}).", what=what,
            leader=leader(voice, ranking, svc), name=product.name, price=voice.eur(product.price_eur),
            rating=rating_text(voice, product), specs=specs_text(voice, product, 2)))
        svc.recorder.record_product_views(tracker.sender_id, [product.sku], "superlative", visitor_id(tracker, svc))
        return [SlotSet("products", [product.sku])]


def leader(voice: Voice, ranking: tuple[str, bool], svc: Services) -> str:
    """What a superlative ranks by, as a phrase ("the lowest price", "the highest brightness")."""
    key, highest = ranking
    phrases = {("price_eur", False): voice.say("the lowest price"), ("price_eur", True): voice.say("the highest price"),
               ("rating", True): voice.say("the best rating"), ("reviews", True): voice.say("the most reviews")}
    if ranking in phrases:
        return phrases[ranking]
    name = label(voice, attribute(svc.shop, key))
    return voice.say("the highest {attribute}", attribute=name) if highest else \
        voice.say("the lowest {attribute}", attribute=name)


def reason(voice: Voice, product: Product, why: str) -> str:
    """A recommendation's reason (lifecycle.understanding.advice says which) in the shopper's language."""
    reasons = {
        "budget": voice.say("within your budget"), "people": voice.say("made for up to {people} people",
                                                                     people=product.max_people),
        "noisy": voice.say("handles noisy rooms"), "wireless": voice.say("wireless"),
        "rating": voice.say("rated {rating}", rating=rating_text(voice, product)),
    }
    if why.startswith("feature:"):
        return voice.shop(why.removeprefix("feature:"))
    return reasons.get(why, why)


def ranked(dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, voice: Voice,
           selection: Selection) -> Events:
    assert selection.ranked_by is not None
    attribute, highest = selection.ranked_by
    found = select(svc.shop, selection)
    what = describe(voice, selection, svc.shop) if selection.features else products_word(voice, selection.category)
    if not found:
        dispatcher.utter_message(text=voice.say("We have no {what} with a {attribute} to rank.", what=what,
                                                attribute=label(voice, attribute)))
        return []
    best = found[0]
    direction = voice.say("the highest {attribute}", attribute=label(voice, attribute)) if highest else \
        voice.say("the lowest {attribute}", attribute=label(voice, attribute))
    text = voice.say("Among our {what}, {leader}: {product}.", what=what, leader=direction,
                     product=list_line(voice, best, selection))
    if others := voice.listing([list_line(voice, p, selection) for p in found[1:4]]):
        text += " " + voice.say("Then: {others}.", others=others)
    dispatcher.utter_message(text=text, buttons=product_buttons(found[:4]))
    svc.recorder.record_product_views(tracker.sender_id, [best.sku], "superlative", visitor_id(tracker, svc))
    return [SlotSet("products", [p.sku for p in found[:4]])]
