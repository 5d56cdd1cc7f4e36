"""Which attribute, feature or ranking a question is about: "how heavy", "does it have HDMI?", "the
lightest", "which is brighter". The words are the shop's (data/shop/vocabulary.yml) for its own
columns and features, and the language files' for the columns every catalog has (price, rating,
reviews, warranty); the values are read by `lifecycle.shop.attributes`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lifecycle.shop.attributes import Attribute, attribute_of
from lifecycle.shop.facts import WIRELESS_LINKS, Product, Shop
from lifecycle.shop.language import fold
from lifecycle.understanding.lexicon import lexicon, words_pattern
from lifecycle.understanding.vocabulary import compiled

# The columns every catalog has, and the language files' keys that ask for them, rank them highest
# first, lowest first, and compare them upwards and downwards.
STANDARD: dict[str, tuple[str | None, str | None, str | None, str | None, str | None]] = {
    "price_eur": ("price", "most_expensive", "cheapest", "dearer", "cheaper"),
    "rating": ("rating", "best_rated", None, "better_rated", None),
    "reviews": (None, "most_reviewed", None, None, None),
    "warranty_years": ("warranty", "longest_warranty", None, "longer_warranty", None),
}
_WORD = re.compile(r"[a-z][a-z-]*")


def attribute(shop: Shop, key: str) -> Attribute:
    return attribute_of(shop, key) or Attribute(key, key.replace("_", " "))


def find_attribute(text: str, shop: Shop, standard: bool = False) -> Attribute | None:
    """The attribute a question asks about (the first one named), or None; `standard` also reads
    price, rating and warranty."""
    folded = fold(text)
    # The first named; of two named at one place, the longer ("plugged in" is power, not "plug").
    hits = [(m.start(), m.start() - m.end(), n, a.key) for n, a in enumerate(compiled(shop).attributes) if a.asks and
            (m := a.asks.search(folded))]
    if standard:
        words = lexicon()
        hits += [(m.start(), m.start() - m.end(), 100 + n, key) for n, (key, keys) in enumerate(STANDARD.items())
                 if keys[0] and (m := words.find(keys[0], folded))]
    return attribute(shop, min(hits)[3]) if hits else None


def _ranked(text: str, shop: Shop, checks: tuple[tuple[str, int, bool], ...]) -> tuple[Attribute, bool] | None:
    """The first attribute whose words of a kind are in the text. `checks`: (the vocabulary's field,
    the STANDARD column's index for the same words, whether they want the higher value), in order."""
    folded = fold(text)
    for a in compiled(shop).attributes:
        for field_name, _, higher in checks:
            pattern = getattr(a, field_name)
            if pattern and pattern.search(folded):
                return attribute(shop, a.key), higher
    words = lexicon()
    for key, keys in STANDARD.items():
        for _, index, higher in checks:
            if (lexicon_key := keys[index]) and words.has(lexicon_key, folded):
                return attribute(shop, key), higher
    return None


def find_superlative(text: str, shop: Shop) -> tuple[Attribute, bool] | None:
    """("lightest") -> (weight, lowest wins); ("brightest") -> (brightness, highest wins)."""
    return _ranked(text, shop, (("least", 2, False), ("most", 1, True)))


def find_comparative(text: str, shop: Shop) -> tuple[Attribute, bool] | None:
    """("which is heavier") -> (weight, higher wins): a two-product question about one attribute."""
    return _ranked(text, shop, (("more", 3, True), ("less", 4, False)))


@lru_cache(maxsize=8)
def _synonyms(shop: Shop) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((pattern, name) for name, words in shop.vocabulary.features.items()
                 if name != "wireless" and (pattern := words_pattern(words)) is not None)


def _normalise(text: str, shop: Shop) -> str:
    lowered = fold(text)
    for pattern, canonical in _synonyms(shop):
        lowered = pattern.sub(f" {canonical} ", lowered)
    return lowered


def words(text: str, shop: Shop) -> set[str]:
    """The feature words of a text, synonyms folded ("ANC" -> noise cancelling; "usb-c" also counts as usb)."""
    found: set[str] = set()
    for word in _WORD.findall(_normalise(text, shop)):
        if len(word) < 2:
            continue
        found.add(word)
        if "-" in word:
            found.update(part for part in word.split("-") if len(part) > 1)
    return found


@lru_cache(maxsize=8)
def feature_vocabulary(shop: Shop) -> frozenset[str]:
    """Every word that names a feature or connection somewhere in the catalog, and "wireless".

    Asked on every message, so kept per loaded shop (a reloaded catalog is a new `Shop`).
    """
    vocabulary = {"wireless"}
    plain = set(shop.vocabulary.plain_words)
    for product in shop.products:
        for name in (*product.features, *product.connectivity):
            vocabulary |= words(name, shop) - plain
    return frozenset(vocabulary)


@lru_cache(maxsize=8)
def wireless_pattern(shop: Shop) -> re.Pattern[str] | None:
    """The shop's words for wireless ("cordless", "senza fili"), from vocabulary.yml's features."""
    return words_pattern(shop.vocabulary.features.get("wireless", ()))


def without_names(text: str, names: tuple[str, ...]) -> str:
    """The question with the named products' words taken out ("Lumo HD" must not read as video "HD")."""
    lowered = text.lower()
    for name in names:
        for word in name.lower().split():
            lowered = re.sub(r"\b" + re.escape(word) + r"\b", " ", lowered)
    return lowered


def asked_features(text: str, shop: Shop, ignore: tuple[str, ...] = ()) -> frozenset[str]:
    """The feature words a question names, leaving out the words of the products it names (`ignore`)."""
    lowered = fold(without_names(text, ignore))
    asked = words(lowered, shop) & feature_vocabulary(shop)
    if (wireless := wireless_pattern(shop)) and wireless.search(lowered):
        asked |= {"wireless"}
    return frozenset(asked)


def catalog_name(shop: Shop, asked: frozenset[str]) -> str:
    """How the catalog writes the feature asked about, on whichever product has it ("" if none)."""
    for product in shop.products:
        if (found := has_feature(product, asked, shop)) and asked != {"wireless"}:
            return found
    return ""


def has_feature(product: Product, asked: frozenset[str], shop: Shop) -> str | None:
    """The product's feature or connection that has everything asked ("noise cancelling"), or None."""
    if asked == {"wireless"}:
        return "wireless (" + ", ".join(c for c in product.connectivity if c in WIRELESS_LINKS) + ")" \
            if product.wireless else None
    wanted = asked - {"wireless"}
    if not wanted:
        return None
    for name in (*product.features, *product.connectivity):
        if wanted <= words(name, shop):
            return name
    return None
