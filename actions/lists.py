"""Lists and filters over the whole catalog ("what speakerphones do you have?", "webcams under 60
euros with autofocus"), shown with a button per product; "the first one" then resolves against it."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import Events, ShopAction, user_text, visitor_id
from actions.services import Services
from actions.wording import eur, listing
from lifecycle.shop.facts import Product
from lifecycle.shop.selection import Selection, parse_selection, select

MAX_LISTED = 8


def product_buttons(products: list[Product]) -> list[dict[str, str]]:
    return [{"title": p.name, "payload": f'/product_info{{"sku":"{p.sku}"}}'} for p in products]


def list_line(product: Product, selection: Selection) -> str:
    extra = ""
    if selection.ranked_by:
        attribute, _ = selection.ranked_by
        if attribute.key not in {"price_eur", "rating"}:
            unit = {"weight_g": " g", "battery_hours": " hours", "lumen": " lumen", "field_of_view_deg": "°",
                    "max_people": " people", "warranty_years": " years"}.get(attribute.key, "")
            extra = f", {attribute.label} {attribute.value(product)}{unit}"
    stock = "" if product.in_stock else ", out of stock"
    return f"{product.name} ({eur(product.price_eur)}, rated {product.rating}/5{extra}{stock})"


class ActionProductList(ShopAction):
    action_name = "action_product_list"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services) -> Events:
        selection = parse_selection(user_text(tracker), svc.shop)
        found = select(svc.shop, selection)
        what = selection.describe(svc.shop)
        if not found:
            relaxed = select(svc.shop, Selection(category=selection.category))
            text = f"We have no {what}."
            if relaxed and relaxed != found and selection != Selection(category=selection.category):
                text += f" All our {Selection(category=selection.category).describe(svc.shop)}: " \
                        f"{listing([list_line(p, selection) for p in relaxed])}."
            dispatcher.utter_message(text=text, buttons=product_buttons(relaxed[:MAX_LISTED]))
            return [SlotSet("products", [p.sku for p in relaxed[:MAX_LISTED]])]
        shown = found[:MAX_LISTED]
        lines = "\n".join(f"{n}. {list_line(p, selection)}" for n, p in enumerate(shown, start=1))
        if selection.ranked_by:
            text = f"Ranked for you, {what}:\n{lines}"
        else:
            text = f"We have {len(found)} {what}:\n{lines}" if len(found) > 1 else f"One of our {what}:\n{lines}"
        dispatcher.utter_message(text=text, buttons=product_buttons(shown))
        skus = [p.sku for p in shown]
        svc.recorder.record_product_views(tracker.sender_id, skus, "list", visitor_id(tracker, svc))
        return [SlotSet("products", skus), SlotSet("topic", None)]
