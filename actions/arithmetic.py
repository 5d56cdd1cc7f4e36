"""Arithmetic over the shop's facts, never from the model: price differences, "which is heavier",
quantities, and a product's total with shipping to a country."""

from __future__ import annotations

import re
from decimal import Decimal

from actions.services import Services
from actions.wording import eur, listing
from lifecycle.shop.advice import NUMBER_WORDS, spelled_number
from lifecycle.shop.attributes import Attribute, find_attribute, find_comparative, without_names
from lifecycle.shop.facts import Product
from lifecycle.shop.geo import country_name, find_country
from lifecycle.shop.policies import shipping_cost, shipping_for, ships_free

DIFFERENCE = re.compile(r"difference|\bgap\b|how much more|how much less|how much cheaper|more expensive than"
                         r"|cheaper than|price gap|save (?:by|if)", re.IGNORECASE)
COST = re.compile(r"how much|\bcost|\bprice|\btotal|\bpay\b|€|\beur", re.IGNORECASE)
WITH_SHIPPING = re.compile(r"\bship|deliver|postage|in total|all in|total|to my door|express", re.IGNORECASE)
EXPRESS = re.compile(r"express|next[- ]day|fastest", re.IGNORECASE)


def _quantity(text: str, product: Product) -> int:
    """"two lumo hd webcams", "3x the Echo Mini", "5 of the calla wired": how many of the product."""
    brand = re.escape(product.name.split()[0].lower())
    found = re.search(r"\b(\d{1,3}|" + "|".join(NUMBER_WORDS) + r")\s*(?:x\s*|pcs\s+|units? of\s+|of\s+)?(?:the\s+)?"
                      + brand, text.lower())
    if not found:
        return 1
    count = spelled_number(found.group(1))
    return count if 1 <= count <= 999 else 1


UNITS = {"weight_g": " g", "lumen": " lumen", "battery_hours": " hours", "field_of_view_deg": "°",
         "max_people": " people", "warranty_years": " years"}
COMPARED = {"weight_g": ("heavier", "lighter"), "lumen": ("brighter", "less bright"),
            "battery_hours": ("longer-lasting on a charge", "shorter-lasting on a charge"),
            "field_of_view_deg": ("wider", "narrower"), "max_people": ("made for more people", "made for fewer people"),
            "price_eur": ("more expensive", "cheaper"), "rating": ("better rated", "rated lower"),
            "warranty_years": ("covered longer", "covered shorter")}


def _value(product: Product, attribute: Attribute) -> str:
    if attribute.key == "price_eur":
        return eur(product.price_eur)
    if attribute.key == "rating":
        return f"{product.rating}/5"
    return f"{attribute.value(product)}{UNITS.get(attribute.key, '')}"


def attribute_difference(products: list[Product], attribute: Attribute) -> str:
    missing = [p for p in products if attribute.number(p) is None]
    if missing:
        names = listing([p.name for p in missing])
        return f"Our catalog gives no {attribute.label} for the {names}, so I can't work out the difference."
    low, high = sorted(products, key=lambda p: attribute.number(p) or 0.0)
    gap = (attribute.number(high) or 0.0) - (attribute.number(low) or 0.0)
    shown = f"{gap:g}{UNITS.get(attribute.key, '')}" if attribute.key != "rating" else f"{gap:.1f} stars"
    return (f"The difference in {attribute.label}: {shown}. The {high.name} has {_value(high, attribute)}, the "
            f"{low.name} {_value(low, attribute)}.")


def comparison_sentence(products: list[Product], attribute: Attribute, higher: bool) -> str:
    """"Which is heavier, X or Y?": the winner on one attribute, with both values."""
    missing = [p for p in products if attribute.number(p) is None]
    if missing:
        names = listing([p.name for p in missing])
        return f"Our catalog gives no {attribute.label} for the {names}, so I can't compare that."
    first, second = products
    if attribute.number(first) == attribute.number(second):
        return f"They're the same: {_value(first, attribute)} for both the {first.name} and the {second.name}."
    ordered = sorted(products, key=lambda p: attribute.number(p) or 0.0, reverse=higher)
    winner, other = ordered
    word = COMPARED[attribute.key][0 if higher else 1]
    return (f"The {winner.name} is {word}: {_value(winner, attribute)}, against {_value(other, attribute)} "
            f"for the {other.name}.")


def arithmetic(text: str, products: list[Product], svc: Services) -> str | None:
    """Price differences and totals with shipping, computed from the catalog and shop.yml."""
    if len(products) == 2 and DIFFERENCE.search(text):
        measured = find_attribute(without_names(text, tuple(p.name for p in products)))
        if measured is not None and measured.key not in {"price_eur", "video", "connectivity", "power"}:
            return attribute_difference(products, measured)  # "the difference in weight between X and Y"
        cheap, dear = sorted(products, key=lambda p: p.price_eur)
        gap = dear.price_eur - cheap.price_eur
        return (f"The {dear.name} costs {eur(gap)} more than the {cheap.name} ({eur(dear.price_eur)} vs "
                f"{eur(cheap.price_eur)}).")
    if len(products) == 2 and (compared := find_comparative(text)):
        return comparison_sentence(products, *compared)
    # "two units can be chained" is no order: a quantity counts only in a question about money.
    quantity = _quantity(text, products[0]) if len(products) == 1 and COST.search(text) else 1
    country = find_country(text)
    if quantity > 1 and not country:
        total = products[0].price_eur * quantity
        free = " and ships free" if ships_free(svc.shop, total) else ""
        return (f"{quantity} × {products[0].name}: {quantity} × {eur(products[0].price_eur)} = {eur(total)}"
                f"{free}.")
    if country and WITH_SHIPPING.search(text):
        subtotal = sum((p.price_eur for p in products), Decimal("0")) * quantity
        cost = shipping_cost(svc.shop, country, subtotal)
        names = listing([p.name for p in products]) if quantity == 1 else f"{quantity} × {products[0].name}"
        if cost is None:
            return (f"We don't ship to {country_name(country)}: only within the EU. The {names} costs "
                    f"{eur(subtotal)}.")
        shipping = "free standard shipping" if cost == 0 else f"{eur(cost)} standard shipping"
        if EXPRESS.search(text):  # express is never free
            express = shipping_for(svc.shop, country).express
            if express is None:
                return (f"We have no express shipping to {country_name(country)}; standard shipping for the {names} "
                        f"is {'free' if cost == 0 else eur(cost)}, {eur(subtotal + cost)} in total.")
            cost, shipping = express.price_eur, f"{eur(express.price_eur)} express shipping"
        quote = shipping_for(svc.shop, country)
        rate = quote.express if EXPRESS.search(text) and quote.express else quote.standard
        days = f" Delivery takes {rate.days} business day{'' if rate.days == '1' else 's'}." if rate else ""
        what = f"The {names}" if quantity == 1 else names
        return (f"{what} to {country_name(country)}: {eur(subtotal)} + {shipping} = "
                f"{eur(subtotal + cost)} in total.{days}")
    return None
