"""Sentences for one product's attribute or feature ("how heavy is it?", "does it have HDMI?").

The figures come from the catalog's typed attributes (lifecycle.shop.attributes); a
value the catalog does not hold is said to be missing, never guessed from a neighbour.
"""

from __future__ import annotations

from actions.wording import eur, listing
from lifecycle.shop.attributes import Attribute
from lifecycle.shop.facts import Product

POWER = {"USB": "powered over USB", "battery": "runs on its built-in battery", "mains": "mains powered"}


def attribute_sentence(product: Product, attribute: Attribute) -> str:
    name = product.name
    value = attribute.value(product)
    if value is None or value == ():
        return missing_sentence(product, attribute)
    key = attribute.key
    if key == "weight_g":
        return f"The {name} weighs {value} g."
    if key == "battery_hours":
        return f"The {name} runs up to {value} hours on a charge."
    if key == "lumen":
        return f"The {name} gives up to {value} lumen."
    if key == "field_of_view_deg":
        return f"The {name} has a {value}-degree field of view."
    if key == "max_people":
        return f"The {name} is made for rooms of up to {value} people."
    if key == "video":
        return f"The {name} films video in {value}."
    if key == "connectivity":
        return f"The {name} connects with {listing(list(product.connectivity))}."
    if key == "power":
        battery = f" ({product.battery_hours} hours per charge)" if product.battery_hours else ""
        return f"The {name} is {POWER.get(str(value), str(value))}{battery}."
    if key == "price_eur":
        return f"The {name} costs {eur(product.price_eur)}."
    if key == "rating":
        return f"Shoppers rate the {name} {product.rating}/5 from {product.reviews} reviews."
    if key == "warranty_years":
        return f"The {name} comes with a {product.warranty_years}-year warranty."
    return f"The {name}: {attribute.label} {value}."


def missing_sentence(product: Product, attribute: Attribute) -> str:
    name = product.name
    if attribute.key == "battery_hours" and product.power:
        return f"The {name} has no battery: it is {POWER.get(product.power, product.power)}."
    if attribute.key == "connectivity":
        return f"The {name} has no cable connection listed in our catalog; its specs: {'; '.join(product.specs)}."
    return (f"Our catalog gives no {attribute.label} for the {name} ({product.category}), so I can't tell you "
            f"that. What it lists: {'; '.join(product.specs)}.")


def feature_sentence(product: Product, asked: frozenset[str], found: str | None) -> str:
    wanted = " ".join(sorted(asked, key=len)) if asked != {"wireless"} else "wireless"
    if found:
        return f"Yes: the {product.name} has {found}."
    if asked == {"wireless"}:
        return f"No: the {product.name} is not wireless; it connects with {listing(list(product.connectivity))}."
    features = listing([*product.features, *product.connectivity])
    return f"No: the {product.name} has no {wanted}. What it has: {features}."


def unknown_sentence(product: Product) -> str:
    return (f"Our catalog doesn't say that about the {product.name}, and I won't guess. What it lists: "
            f"{'; '.join(product.specs)}. A colleague can check for you: just ask for a person.")
