"""The words of a message that carry its topic, for searching the shop's own answers
(lifecycle/knowledge): folded, split, without the five languages' function words."""

from __future__ import annotations

import re
from functools import lru_cache

from lifecycle.shop.language import fold
from lifecycle.understanding.lexicon import lexicon

_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Every word, folded: "Can I pre-order?" -> ["can", "i", "pre", "order"]."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    return frozenset(w for phrase in lexicon().words["function_words"] for w in tokens(phrase))


def topic_words(text: str) -> list[str]:
    """The words that say what the message is about ("do you offer gift wrapping?" -> offer, gift, wrapping)."""
    skip = function_words()
    return [w for w in tokens(text) if len(w) > 1 and w not in skip]
