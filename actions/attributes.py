"""Sentences for one product's attribute or feature ("how heavy is it?", "does it have HDMI?").

The figures come from the catalog's typed attributes (lifecycle.shop.attributes); a
value the catalog does not hold is said to be missing, never guessed from a neighbour.
"""

from __future__ import annotations

from decimal import Decimal

from lifecycle.shop.attributes import Attribute
from lifecycle.shop.facts import Product
from lifecycle.shop.speech import Voice
from lifecycle.shop.translations import category_plural
from lifecycle.understanding.description import described


def products_word(voice: Voice, category: str | None) -> str:
    """What a list is of: the category's plural ("webcams", "kamerki internetowe"), else "products"."""
    return voice.shop(category_plural(category)) if category else voice.say("products")


def label(voice: Voice, attribute: Attribute) -> str:
    """The attribute's name in the shopper's language ("weight", "peso", "vikt")."""
    labels = {"weight_g": voice.say("weight"), "battery_hours": voice.say("battery life"),
              "lumen": voice.say("brightness"), "field_of_view_deg": voice.say("field of view"),
              "max_people": voice.say("room size"), "video": voice.say("video"),
              "connectivity": voice.say("connections"), "power": voice.say("power"),
              "price_eur": voice.say("price"), "rating": voice.say("rating"), "warranty_years": voice.say("warranty")}
    return labels.get(attribute.key) or voice.shop(attribute.label)


def power_text(voice: Voice, power: str) -> str:
    return {"USB": voice.say("powered over USB"), "battery": voice.say("battery powered"),
            "mains": voice.say("mains powered")}.get(power, power)


def specs_text(voice: Voice, product: Product, limit: int | None = None) -> str:
    """The specs line; a catalog with none (most exports) gives the description instead, as written."""
    if not product.specs:
        return product.description[:300] or product.category
    return "; ".join(voice.shop(spec) for spec in product.specs[:limit])


def rating_text(voice: Voice, product: Product) -> str:
    if product.rating is None:
        return voice.say("no reviews yet")
    return voice.say_n("{rating}/5 from {count} review", "{rating}/5 from {count} reviews", product.reviews,
                       rating=voice.number(product.rating))


def warranty_text(voice: Voice, years: int | None) -> str:
    """`years` is never None once loaded: the loader gives a product without one the shop's default."""
    return voice.say_n("{count} year", "{count} years", years or 0)


def warranty_sentence(voice: Voice, product: Product) -> str:
    return voice.say_n("The {name} comes with a {count}-year warranty.",
                       "The {name} comes with a {count}-year warranty.", product.warranty_years or 0,
                       name=product.name)


def attribute_sentence(voice: Voice, product: Product, attribute: Attribute) -> str:
    value = attribute.value(product)
    if value is None or value == ():
        return missing_sentence(voice, product, attribute)
    name, key = product.name, attribute.key
    if key == "weight_g":
        return voice.say("The {name} weighs {grams} g.", name=name, grams=voice.number(product.weight_g or 0))
    if key == "battery_hours":
        return voice.say_n("The {name} runs up to {count} hour on a charge.",
                           "The {name} runs up to {count} hours on a charge.", product.battery_hours or 0, name=name)
    if key == "lumen":
        return voice.say("The {name} gives up to {lumen} lumen.", name=name, lumen=voice.number(product.lumen or 0))
    if key == "field_of_view_deg":
        return voice.say("The {name} has a {degrees}-degree field of view.", name=name, degrees=value)
    if key == "max_people":
        return voice.say_n("The {name} is made for rooms of up to {count} person.",
                           "The {name} is made for rooms of up to {count} people.", product.max_people or 0, name=name)
    if key == "video":
        return voice.say("The {name} films video in {video}.", name=name, video=voice.shop(str(value)))
    if key == "connectivity":
        return voice.say("The {name} connects with {links}.", name=name, links=voice.listing(product.connectivity))
    if key == "power":
        battery = " " + voice.say_n("({count} hour per charge)", "({count} hours per charge)",
                                    product.battery_hours) if product.battery_hours else ""
        return voice.say("The {name} is {power}.", name=name, power=power_text(voice, str(value)) + battery)
    if key == "price_eur":
        return voice.say("The {name} costs {price}.", name=name, price=voice.eur(product.price_eur))
    if key == "rating":
        return voice.say("Shoppers rate the {name} {rating}.", name=name, rating=rating_text(voice, product))
    if key == "warranty_years":
        return warranty_sentence(voice, product)
    shown = figure(voice, value, attribute.unit) if isinstance(value, Decimal) else voice.shop(str(value))
    return voice.say("The {name}'s {attribute}: {value}.", name=name, attribute=label(voice, attribute), value=shown)


def figure(voice: Voice, value: Decimal | float, unit: str) -> str:
    """A number of one of the shop's own columns with its unit ("1.8 m", "1,8 m")."""
    number = voice.number(int(value) if float(value).is_integer() else float(value))
    return f"{number} {unit}".strip()


def missing_sentence(voice: Voice, product: Product, attribute: Attribute) -> str:
    name = product.name
    if attribute.key == "battery_hours" and product.power:
        return voice.say("The {name} has no battery: it is {power}.", name=name,
                         power=power_text(voice, product.power))
    if attribute.key == "connectivity":
        return voice.say("The {name} has no cable connection listed in our catalog; its specs: {specs}.",
                         name=name, specs=specs_text(voice, product))
    return voice.say("Our catalog gives no {attribute} for the {name} ({category}), so I can't tell you that. What "
                     "it lists: {specs}.", attribute=label(voice, attribute), name=name,
                     category=voice.shop(product.category), specs=specs_text(voice, product))


def feature_sentence(voice: Voice, product: Product, asked: frozenset[str], found: str | None,
                     named: str = "") -> str:
    """`named`: how the catalog writes the feature elsewhere ("Microsoft Teams certified"), for a "no"."""
    wanted = " ".join(sorted(asked, key=len)) if asked != {"wireless"} else "wireless"
    if found:
        return voice.say("Yes: the {name} has {feature}.", name=product.name, feature=voice.shop(found))
    if asked == {"wireless"}:
        return voice.say("No: the {name} is not wireless; it connects with {links}.", name=product.name,
                         links=voice.listing(product.connectivity))
    features = voice.listing([*(voice.shop(f) for f in product.features), *product.connectivity])
    return voice.say("No: the {name} has no {feature}. What it has: {features}.", name=product.name,
                     feature=voice.shop(named) if named else wanted, features=features)


def described_or_unknown(voice: Voice, text: str, product: Product, otherwise: str | None = None) -> str:
    """The description's own sentence when it answers, quoted; else `otherwise`, or that the catalog
    doesn't say."""
    if quote := described(text, product):
        return voice.say("The {name}'s product page says: \u201c{quote}\u201d", name=product.name, quote=quote)
    return otherwise if otherwise is not None else unknown_sentence(voice, product)


def unknown_sentence(voice: Voice, product: Product) -> str:
    return voice.say("Our catalog doesn't say that about the {name}, and I won't guess. What it lists: {specs}. A "
                     "colleague can check for you: just ask for a person.", name=product.name,
                     specs=specs_text(voice, product))
