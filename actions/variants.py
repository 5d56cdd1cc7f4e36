"""Sentences for a product's sizes, colours and sales ("do you have it in M?", "is it on sale?").

Which variant is asked about is `lifecycle.understanding.variants`; the figures are the catalog's
variants, so an answer names what is in stock instead of guessing."""

from __future__ import annotations

from decimal import Decimal

from lifecycle.shop.facts import Product, Variant
from lifecycle.shop.speech import Voice
from lifecycle.understanding.variants import VariantQuestion, label, matching, variant_question


def _price(voice: Voice, variant: Variant) -> str:
    if variant.on_sale and variant.compare_at_eur is not None:
        return voice.say("{price} (was {before})", price=voice.eur(variant.price_eur),
                         before=voice.eur(variant.compare_at_eur))
    return voice.eur(variant.price_eur)


def sale_sentence(voice: Voice, product: Product) -> str:
    if product.on_sale and product.compare_at_eur is not None:
        return voice.say("Yes: the {name} is on sale from {price} (was {before}).", name=product.name,
                         price=voice.eur(product.price_eur), before=voice.eur(product.compare_at_eur))
    return voice.say("No, the {name} is not on sale: it costs {price}.", name=product.name,
                     price=voice.eur(product.price_eur))


def product_card(voice: Voice, product: Product, text: str = "") -> dict[str, object]:
    """What the widget shows under an answer about one product: image, name, price (and the price
    before a sale), a link to its page and "add to cart", which the shop's page receives. When the
    message chose one variant ("the tee in L red"), the card is that variant: its SKU goes in the cart."""
    chosen = variant_question(text, product).chosen if text and product.variants else {}
    found = matching(product, chosen) if chosen else []
    if len(found) == 1:
        only = found[0]
        return _card(voice, product, only.sku, f"{product.name} ({label(only)})", only.price_eur, only.compare_at_eur,
                     only.in_stock, only.image or product.image, ranged=False)
    return _card(voice, product, product.sku, product.name, product.price_eur, product.compare_at_eur,
                 product.in_stock, product.image, ranged=len({v.price_eur for v in product.variants}) > 1)


def _card(voice: Voice, product: Product, sku: str, name: str, price_eur: Decimal, compare_at: Decimal | None,
          in_stock: bool, image: str | None, ranged: bool) -> dict[str, object]:
    price = voice.eur(price_eur)
    return {"type": "product", "sku": sku, "name": name, "image": image, "url": product.url,
            "price": voice.say("from {price}", price=price) if ranged else price,
            "price_eur": str(price_eur), "in_stock": in_stock,
            "was": voice.eur(compare_at) if compare_at is not None and compare_at > price_eur else None,
            "labels": {"was": voice.say("was"), "add": voice.say("Add to cart"), "open": voice.say("Product page")}}


def _range(voice: Voice, product: Product) -> str:
    names = list(dict.fromkeys(name for v in product.variants for name in v.options))
    return "; ".join(f"{voice.shop(name)} " + ", ".join(dict.fromkeys(v.options[name] for v in product.variants
                                                                       if name in v.options)) for name in names)


def _chosen(voice: Voice, product: Product, question: VariantQuestion) -> str:
    wanted = " / ".join(question.chosen.values())
    found = matching(product, question.chosen)
    available = [v for v in found if v.in_stock]
    if len(available) == 1 and (only := available[0]).stock is not None:
        return voice.say("Yes: the {name} in {variant} is in stock ({count} available), {price}.", name=product.name,
                         variant=label(only), count=only.stock, price=_price(voice, only))
    if available:
        return voice.say("Yes: the {name} in {variant} is in stock: {variants}.", name=product.name, variant=wanted,
                         variants=voice.listing(f"{label(v)} {_price(voice, v)}" for v in available))
    left = [label(v) for v in product.variants if v.in_stock]
    if not left:
        return voice.say("Sorry, the {name} is out of stock in every option right now.", name=product.name)
    return voice.say("The {name} in {variant} is out of stock; in stock: {variants}.", name=product.name,
                     variant=wanted, variants=voice.listing(left))


def variant_sentence(voice: Voice, text: str, product: Product) -> str | None:
    """The answer when the message asks about a size, colour or sale of `product`, else None."""
    question = variant_question(text, product)
    if not question.asked:
        return None
    if question.unknown:
        return voice.say("We don't have the {name} in that. It comes in: {options}.", name=product.name,
                         options=_range(voice, product))
    if question.chosen:
        return _chosen(voice, product, question)
    if question.listing:
        name = question.listing
        every = dict.fromkeys(v.options[name] for v in product.variants if name in v.options)  # the shop's order
        stocked = {v.options[name] for v in product.variants if v.in_stock and name in v.options}
        values = [value for value in every if value in stocked]
        if not values:
            return voice.say("Sorry, the {name} is out of stock in every option right now.", name=product.name)
        return voice.say("In stock for the {name}: {values}.", name=product.name, values=voice.listing(values))
    return sale_sentence(voice, product)
