"""A question the typed fields do not answer, looked up in the product's description: the one
sentence that speaks to it, to be quoted as the shop wrote it ("Not waterproof."), or None, so the
assistant says the page doesn't say instead of guessing (issue 22)."""

from __future__ import annotations

import math
import re

from lifecycle.shop.facts import Product
from lifecycle.shop.language import fold
from lifecycle.understanding.lexicon import lexicon

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[a-z0-9][a-z0-9-]*")
_SHORTEST = 4  # "rain", "cold"; shorter words are mostly grammar
_STEM = 5  # "keeps" is "keep", "pitched" is "pitch": words agree on this many first letters


def _agree(asked: str, written: str) -> bool:
    length = min(_STEM, len(asked), len(written))
    return len(written) >= _SHORTEST and asked[:length] == written[:length]


def described(text: str, product: Product) -> str | None:
    """The description's sentence that holds at least half the question's own words."""
    if not product.description:
        return None
    words = lexicon()
    named = set(_WORD.findall(fold(product.name)))
    asked = [w for w in dict.fromkeys(_WORD.findall(fold(text)))
             if len(w) >= _SHORTEST and w not in named and w not in words.known and not w.isdigit()]
    if not asked:
        return None
    best, score = None, 0
    for sentence in _SENTENCE.split(product.description):
        written = _WORD.findall(fold(sentence))
        found = sum(any(_agree(word, other) for other in written) for word in asked)
        if found > score:
            best, score = sentence.strip(), found
    return best if best and score >= math.ceil(len(asked) / 2) else None
