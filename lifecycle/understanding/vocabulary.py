"""The shop's vocabulary (data/shop/vocabulary.yml) compiled for reading messages, once per loaded shop."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lifecycle.shop.facts import Shop
from lifecycle.understanding.lexicon import words_pattern


@dataclass(frozen=True)
class AttributePatterns:
    key: str
    units: re.Pattern[str] | None
    asks: re.Pattern[str] | None
    most: re.Pattern[str] | None
    least: re.Pattern[str] | None
    more: re.Pattern[str] | None
    less: re.Pattern[str] | None
    filter: bool


@dataclass(frozen=True)
class SpecPatterns:
    topic: str
    asks: re.Pattern[str]
    marks: tuple[str, ...]


@dataclass(frozen=True)
class CompiledVocabulary:
    attributes: tuple[AttributePatterns, ...]
    specs: tuple[SpecPatterns, ...]


@lru_cache(maxsize=8)
def compiled(shop: Shop) -> CompiledVocabulary:
    attributes = tuple(
        AttributePatterns(key, words_pattern(words.units, after_digits=True), words_pattern(words.asks),
                          words_pattern(words.most), words_pattern(words.least), words_pattern(words.more),
                          words_pattern(words.less),
                          words.filter)
        for key, words in shop.vocabulary.attributes.items())
    specs = tuple(SpecPatterns(topic, pattern, words.marks) for topic, words in shop.vocabulary.specs.items()
                  if (pattern := words_pattern(words.asks)) is not None)
    return CompiledVocabulary(attributes, specs)
