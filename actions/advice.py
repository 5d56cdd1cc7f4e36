"""Recommendations by need and superlatives ("cheapest webcam"), with the reason for each pick."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text, visitor_id
from actions.lists import list_line, product_buttons
from actions.services import Services
from actions.wording import eur, listing
from lifecycle.shop.advice import SUPERLATIVES, find_category, find_superlative, parse_need, recommend, superlative
from lifecycle.shop.selection import Selection, parse_selection, select


class ActionRecommend(ShopAction):
    action_name = "action_recommend"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        need = parse_need(user_text(tracker))
        if need.is_empty:
            dispatcher.utter_message(
                text=(f"Happy to help you choose. What are you looking for: {listing(svc.shop.categories, 'or')}? "
                      "Tell me your budget, how many people will use it, and whether the room is noisy or you "
                      "want it wireless."))
            return []
        advice = recommend(svc.shop, need)
        if not advice.picks:
            text = "I found nothing in our catalog that meets all of that."
            if advice.out_of_stock_matches:
                text += f" The {listing([p.name for p in advice.out_of_stock_matches], 'and')} would fit but " \
                        "is out of stock right now."
            dispatcher.utter_message(text=text + " Could you relax one of the requirements, such as the budget?")
            return []
        lines = [f"{n}. {pick.product.name} ({eur(pick.product.price_eur)}): {'; '.join(pick.reasons)}"
                 for n, pick in enumerate(advice.picks, start=1)]
        text = "Here's what I'd suggest:\n" + "\n".join(lines)
        if advice.out_of_stock_matches:
            names = listing([p.name for p in advice.out_of_stock_matches])
            text += f"\n({names} would also fit but is out of stock right now.)"
        dispatcher.utter_message(text=text)
        skus = [pick.product.sku for pick in advice.picks]
        svc.recorder.record_product_views(tracker.sender_id, skus, "recommendation", visitor_id(tracker, svc))
        return [SlotSet("products", skus)]


class ActionSuperlative(ShopAction):
    action_name = "action_superlative"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        text = user_text(tracker)
        selection = parse_selection(text, svc.shop)
        filtered = selection.features or selection.having or selection.video or selection.max_price is not None
        if selection.ranked_by and (selection.ranked_by[0].key not in {"price_eur", "rating"} or filtered):
            # "the lightest headset", "the cheapest thing with bluetooth": ranked within the filters
            return ranked(dispatcher, tracker, svc, selection)
        key = find_superlative(text) or "best_rated"
        category = find_category(text)
        product = superlative(svc.shop, key, category)
        what = category or "product"
        if product is None:
            dispatcher.utter_message(text=f"I have no {what} in stock to compare on that.")
            return []
        label, _ = SUPERLATIVES[key]
        dispatcher.utter_message(
            text=(f"The {what} with {label} is the {product.name} ({eur(product.price_eur)}, rated "
                  f"{product.rating}/5 from {product.reviews} reviews; {'; '.join(product.specs[:2])})."))
        svc.recorder.record_product_views(tracker.sender_id, [product.sku], "superlative", visitor_id(tracker, svc))
        return [SlotSet("products", [product.sku])]


def ranked(dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services, selection: Selection) -> Events:
    assert selection.ranked_by is not None
    attribute, highest = selection.ranked_by
    found = select(svc.shop, selection)
    what = selection.describe(svc.shop) if selection.features else selection.category or "product"
    if not found:
        dispatcher.utter_message(text=f"We have no {what} with a {attribute.label} to rank.")
        return []
    best = found[0]
    direction = "highest" if highest else "lowest"
    others = listing([list_line(p, selection) for p in found[1:4]])
    text = f"Among our {what}, the {direction} {attribute.label}: {list_line(best, selection)}." \
        if selection.features else \
        f"The {what} with the {direction} {attribute.label}: {list_line(best, selection)}."
    if others:
        text += f" Then: {others}."
    dispatcher.utter_message(text=text, buttons=product_buttons(found[:4]))
    svc.recorder.record_product_views(tracker.sender_id, [best.sku], "superlative", visitor_id(tracker, svc))
    return [SlotSet("products", [p.sku for p in found[:4]])]
