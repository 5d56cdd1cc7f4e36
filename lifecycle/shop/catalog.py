"""Finding the products a shopper names, even partly or misspelt ("lumo pro", "calla wirless").

Product names are matched with rapidfuzz instead of a learned entity: the catalog is
the closed list of what can be meant, and a misspelling unseen in training data must
still resolve. A mention starts at a brand word (Lumo, Calla, ...) or is a SKU; the
words after the brand pick the model. A brand alone that fits several models is
reported as ambiguous so the bot asks instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from lifecycle.shop.facts import Product, Shop

_TOKEN = re.compile(r"[a-z0-9]+")
_SKU = re.compile(r"\b([A-Za-z]{2,4})[- ]?(\d{3})\b")
BRAND_SIMILARITY = 80.0
MODEL_SIMILARITY = 80.0
SHORT_BRAND_SIMILARITY = 57.0  # "eco" or "eko" against "echo": one letter missing or changed
NEAR_BRAND_SIMILARITY = 70.0  # "leco" (l'eco) against "echo", when the model word follows
SEGMENT_WORDS = 4


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _similar(word: str, candidate: str, threshold: float) -> float:
    """Score of `word` against one name word; short words (hd, 4k, 27) must match exactly."""
    if word == candidate:
        return 100.0
    if len(word) < 4 or len(candidate) < 4:
        return 0.0
    score = fuzz.ratio(word, candidate)
    return score if score >= threshold else 0.0


@dataclass
class ProductMatch:
    products: list[Product] = field(default_factory=list)
    ambiguous: list[list[Product]] = field(default_factory=list)
    # Where each product is named in the text, as it was written: (start, end, product).
    spans: list[tuple[int, int, Product]] = field(default_factory=list)

    def add(self, product: Product) -> None:
        if product not in self.products:
            self.products.append(product)


class Catalog:
    """Name lookup over one loaded shop; cheap to build, so built per shop version."""

    def __init__(self, shop: Shop, common: frozenset[str] = frozenset()) -> None:
        self.shop = shop
        self.common = common  # words of the shop's languages, a brand only when spelt as one
        self._by_brand: dict[str, list[Product]] = {}
        self._model_words: dict[str, list[str]] = {}
        for product in shop.products:
            brand, *model = tokens(product.name)
            self._by_brand.setdefault(brand, []).append(product)
            self._model_words[product.sku] = model

    def _brand_at(self, word: str, common: frozenset[str] = frozenset()) -> str | None:
        if word in common:  # a word of the shopper's language is only a brand when spelt as one
            return word if word in self._by_brand else None
        score, best = max((_similar(word, brand, BRAND_SIMILARITY), brand) for brand in self._by_brand)
        return best if score else None

    def _confirmed(self, brand: str | None, word: str, following: list[tuple[int, str]]) -> str | None:
        """A brand written exactly stands alone ("the calla?"); a near miss ("kalla", "liter" for
        "Liner") counts only when the next word is one of that brand's model words ("kalla duo"):
        many shops' names begin with a plain word that shoppers also use ("40 liter")."""
        if brand is None or brand == word:
            return brand
        return brand if following and any(
            _similar(following[0][1], model_word, MODEL_SIMILARITY)
            for product in self._by_brand[brand] for model_word in self._model_words[product.sku]) else None

    def _short_brand(self, word: str, following: list[tuple[int, str]]) -> str | None:
        """A short misspelling of a brand ("eco mini", "eko minin", "l'eco mini") counts only when the
        next word is one of that brand's model words: alone, "eco" is just a word."""
        if not 3 <= len(word) <= 5 or not following:
            return None
        threshold = SHORT_BRAND_SIMILARITY if len(word) == 3 else NEAR_BRAND_SIMILARITY
        for brand, products in self._by_brand.items():
            if fuzz.ratio(word, brand) >= threshold and any(
                    _similar(following[0][1], model_word, MODEL_SIMILARITY)
                    for p in products for model_word in self._model_words[p.sku]):
                return brand
        return None

    def _pick_model(self, brand: str, segment: Sequence[str]) -> list[Product]:
        """The brand's products that best fit the words after the brand; several on a tie.

        On equal fit, the word right after the brand decides: in "is the Calla Wired wireless?"
        the model is "Wired" and "wireless" is the question.
        """
        candidates = self._by_brand[brand]

        def fit(product: Product, word: str) -> float:
            return max((_similar(word, model_word, MODEL_SIMILARITY) for model_word in self._model_words[product.sku]),
                       default=0.0)

        scores = {product.sku: (sum(fit(product, word) for word in segment),
                                fit(product, segment[0]) if segment else 0.0)
                  for product in candidates}
        best = max(scores.values())
        return [product for product in candidates if scores[product.sku] == best]

    def find(self, text: str, common: frozenset[str] | None = None) -> ProductMatch:
        """Products named in `text`, in the order the shopper named them; `common` words are matched to
        a brand only exactly."""
        common = self.common if common is None else common
        mentions: list[tuple[int, int, list[Product]]] = []
        for sku_match in _SKU.finditer(text):
            product = self.shop.by_sku.get(f"{sku_match.group(1).upper()}-{sku_match.group(2)}")
            if product:
                mentions.append((sku_match.start(), sku_match.end(), [product]))
        words = [(m.start(), m.group()) for m in _TOKEN.finditer(text.lower())]
        brands = [(i, brand) for i, (_, word) in enumerate(words)
                  if (brand := self._confirmed(self._brand_at(word, common), word, words[i + 1:i + 2])
                      or (word not in common and self._short_brand(word, words[i + 1:i + 2])))]
        for n, (index, brand) in enumerate(brands):
            end = brands[n + 1][0] if n + 1 < len(brands) else len(words)
            following = words[index + 1 : min(end, index + 1 + SEGMENT_WORDS)]
            picked = self._pick_model(brand, [word for _, word in following])
            model_words = [model_word for p in picked for model_word in self._model_words[p.sku]]
            named = [(start, word) for start, word in following
                     if any(_similar(word, model_word, MODEL_SIMILARITY) for model_word in model_words)]
            last_start, last_word = named[-1] if named else words[index]
            mentions.append((words[index][0], last_start + len(last_word), picked))
        match = ProductMatch()
        for start, end_at, picked in sorted(mentions, key=lambda mention: mention[0]):
            if len(picked) == 1:
                match.add(picked[0])
                match.spans.append((start, end_at, picked[0]))
            elif not any(product in match.products for product in picked):
                match.ambiguous.append(picked)
        return match

    def get(self, sku: str) -> Product | None:
        return self.shop.by_sku.get(sku)
