"""Sentences for one product's attribute or feature ("how heavy is it?", "does it have HDMI?").

The figures come from the catalog's typed attributes (lifecycle.shop.attributes); a
value the catalog does not hold is said to be missing, never guessed from a neighbour.
"""

from __future__ import annotations

from actions.wording import eur, listing
from lifecycle.shop.attributes import Attribute
from lifecycle.shop.facts import Product

POWER = {"USB": "powered over USB", "battery": "battery powered", "mains": "mains powered"}


SENTENCES = {  # one sentence per attribute; {name} and {value} are filled from the catalog
    "weight_g": "The {name} weighs {value} g.",
    "battery_hours": "The {name} runs up to {value} hours on a charge.",
    "lumen": "The {name} gives up to {value} lumen.",
    "field_of_view_deg": "The {name} has a {value}-degree field of view.",
    "max_people": "The {name} is made for rooms of up to {value} people.",
    "video": "The {name} films video in {value}.",
    "connectivity": "The {name} connects with {value}.",
    "power": "The {name} is {value}.",
    "price_eur": "The {name} costs {value}.",
    "rating": "Shoppers rate the {name} {value}.",
    "warranty_years": "The {name} comes with a {value}-year warranty.",
}


def _shown(product: Product, key: str, value: object) -> str:
    if key == "connectivity":
        return listing(list(product.connectivity))
    if key == "power":
        battery = f" ({product.battery_hours} hours per charge)" if product.battery_hours else ""
        return POWER.get(str(value), str(value)) + battery
    if key == "price_eur":
        return eur(product.price_eur)
    if key == "rating":
        return f"{product.rating}/5 from {product.reviews} reviews"
    return str(value)


def attribute_sentence(product: Product, attribute: Attribute) -> str:
    value = attribute.value(product)
    if value is None or value == ():
        return missing_sentence(product, attribute)
    template = SENTENCES.get(attribute.key, "The {name}: " + attribute.label + " {value}.")
    return template.format(name=product.name, value=_shown(product, attribute.key, value))


def missing_sentence(product: Product, attribute: Attribute) -> str:
    name = product.name
    if attribute.key == "battery_hours" and product.power:
        return f"The {name} has no battery: it is {POWER.get(product.power, product.power)}."
    if attribute.key == "connectivity":
        return f"The {name} has no cable connection listed in our catalog; its specs: {'; '.join(product.specs)}."
    return (f"Our catalog gives no {attribute.label} for the {name} ({product.category}), so I can't tell you "
            f"that. What it lists: {'; '.join(product.specs)}.")


def feature_sentence(product: Product, asked: frozenset[str], found: str | None, named: str = "") -> str:
    """`named`: how the catalog writes the feature elsewhere ("Microsoft Teams certified"), for a "no"."""
    wanted = " ".join(sorted(asked, key=len)) if asked != {"wireless"} else "wireless"
    if found:
        return f"Yes: the {product.name} has {found}."
    if asked == {"wireless"}:
        return f"No: the {product.name} is not wireless; it connects with {listing(list(product.connectivity))}."
    features = listing([*product.features, *product.connectivity])
    return f"No: the {product.name} has no {named or wanted}. What it has: {features}."


def unknown_sentence(product: Product) -> str:
    return (f"Our catalog doesn't say that about the {product.name}, and I won't guess. What it lists: "
            f"{'; '.join(product.specs)}. A colleague can check for you: just ask for a person.")
