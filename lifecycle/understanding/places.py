"""Which country a message names, so shipping, returns and payment answers can be specific.

A gazetteer rather than a learned entity: the list of countries is closed, the shopper may name
any of them (including ones never seen in training data), or only their city ("I'm in Milan"),
and a wrong guess here would state a wrong price. Country names come from Babel's CLDR data in
the five languages; other forms and the cities are `places.yml`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale
from rapidfuzz import fuzz, process

from lifecycle.shop.geo import EU_COUNTRIES, NON_EU_COUNTRIES
from lifecycle.shop.language import LANGUAGES, fold

PLACES = Path(__file__).with_name("places.yml")
_WORD = re.compile(r"[a-z]{4,}")
TYPO_SIMILARITY = 85.0
# Upper-case ISO codes only: "IT" is Italy, "it" is a pronoun.
_CODE_PATTERN = re.compile(r"\b(" + "|".join(list(EU_COUNTRIES) + list(NON_EU_COUNTRIES)) + r")\b")


class Gazetteer:
    def __init__(self, places: dict) -> None:
        codes = {**EU_COUNTRIES, **NON_EU_COUNTRIES}
        names: dict[str, str] = {}
        for language in LANGUAGES:
            territories = Locale.parse(language).territories
            for code in codes:
                names.setdefault(fold(territories.get(code, "")).strip(), code)
        names.update({fold(name).removeprefix("the "): code for code, name in codes.items()})
        aliases = {fold(name): str(code) for name, code in places["countries"].items()}
        names.update(aliases)
        names.pop("", None)
        self.endings = tuple(str(ending) for ending in places["endings"])
        self.stems = {stem: code for name, code in names.items()
                      if " " not in name and name not in aliases and len(stem := name.rstrip("aeiouy")) >= 4}
        self.names = names
        self.single_words = [name for name in names if " " not in name and len(name) >= 5]
        self.pattern = re.compile(r"\b(" + "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
                                  + r")\b")
        self.cities = {fold(city): str(code) for code, cities in places["cities"].items() for city in cities}
        self.city_pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, self.cities), key=len, reverse=True))
                                       + r")\b")

    def inflected(self, word: str) -> str | None:
        """A declined name ("Szwecji", "României", "Czechach"): the longest stem the word is made of."""
        for size in range(len(word), 3, -1):
            code = self.stems.get(word[:size])
            if code and word[size:] in self.endings:
                return code
        return None

    def country(self, text: str) -> str | None:
        folded = fold(text)
        if match := self.pattern.search(folded):
            return self.names[match.group(1)]
        for word in _WORD.findall(folded):
            if code := self.inflected(word):
                return code
        if match := _CODE_PATTERN.search(text):
            return match.group(1)
        if match := self.city_pattern.search(folded):
            return self.cities[match.group(1)]
        return self.misspelt(folded)

    def misspelt(self, folded: str) -> str | None:
        """"polnd", "swedn", "polnia": a word close to one country's name and no other's."""
        for word in re.findall(r"[a-z]{5,}", folded):
            found = process.extractOne(word, self.single_words, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY)
            if found and not word.startswith(found[0]):  # "american express" and "niemiecki" are no typos
                return self.names[found[0]]
        return None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(yaml.safe_load(PLACES.read_text(encoding="utf-8")))


def find_country(text: str) -> str | None:
    """The ISO code of the first country named in `text` (or of the city named), or None."""
    return gazetteer().country(text)


def without_countries(text: str) -> str:
    """The text with the words that name a country taken out: "Sweden" or "Polska" says nothing
    about the language a shopper writes in."""
    return " ".join(word for word in text.split() if not find_country(word.strip(".,;:!?¿¡()\"'")))
