"""Which of the products just shown a shopper points at: "the first one", "il secondo", "the cheaper
of the two", "and the duo?". The words are the language files' ordinals and comparatives; the
products are the ones the conversation listed or compared last."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lifecycle.shop.catalog import tokens
from lifecycle.shop.facts import Product
from lifecycle.shop.language import fold
from lifecycle.understanding.lexicon import lexicon


def pick_from(text: str, shown: Sequence[Product]) -> list[Product]:
    """The products of `shown` the text points at; empty when it points at none of them."""
    if len(shown) < 2:
        return []
    words = lexicon()
    folded = fold(text)
    ordinal = re.search(r"(?<![a-z0-9])#?(\d)(?:st|nd|rd|th)?\b(?! ?[a-z]{2,})", folded)
    for word, place in sorted(words.ordinals.items(), key=lambda item: -len(item[0])):
        if re.search(r"(?<![a-z0-9])" + re.escape(word), folded):
            index = place - 1 if place > 0 else place
            return [shown[index]] if -len(shown) <= index < len(shown) else []
    if ordinal and re.search(r"(?:number|nr|n\.?|#)\s*" + ordinal.group(1), folded):
        index = int(ordinal.group(1)) - 1
        return [shown[index]] if index < len(shown) else []
    if words.has("cheaper", folded):
        return [min(shown, key=lambda p: p.price_eur)]
    if words.has("dearer", folded):
        return [max(shown, key=lambda p: p.price_eur)]
    return []


def by_model_word(text: str, products: Sequence[Product]) -> list[Product]:
    """"and the duo?" after a Calla was discussed: a word of one product's name that no other
    product's name has, in a follow-up too short to name the brand."""
    words = lexicon()
    folded = fold(text)
    if not words.has("follow_up", folded[:12]) or len(tokens(folded)) > 5:
        return []
    counts: dict[str, int] = {}
    for product in products:
        for word in set(tokens(product.name)):
            counts[word] = counts.get(word, 0) + 1
    said = set(tokens(folded)) - words.common
    return [p for p in products if any(counts[w] == 1 and len(w) >= 3 and w in said for w in tokens(p.name))][:1]
