"""The words of the shop's languages that understanding reads, from one resource file per language.

What is specific to a language (comparatives, "how much", spelled numbers, "tomorrow") lives in
`languages/<code>.yml`, never in Python, so adding a phrasing is a data change. A message is read
against the words of all five at once: shoppers mix languages, and a word of one ("express") is
often a word of another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz.distance import DamerauLevenshtein

from lifecycle.shop.language import LANGUAGES, fold

RESOURCES = Path(__file__).with_name("languages")
# Keys whose value is a mapping of words to numbers; every other key is a list of words.
NUMBERED = ("numbers", "ordinals")
KEYS = ("at_least", "at_most", "or_more", "or_less", "average", "total", "range", "difference", "count", "points",
        "fastest", "cost", "shipping", "duration", "payment", "returns", "gathering", "enough", "stock", "warranty",
        "rating", "price", "how_much", "and", "common", "yes_no", "follow_up", "pointing", "cheaper", "dearer",
        "most_expensive", "best_rated", "better_rated", "most_reviewed", "longest_warranty", "longer_warranty",
        "listing", "discount", "bargain", "open_question", "or", "purchase", "function_words",
        "cheapest", "speak", "in_language", "sell", "some", "anything", "budget",
        "budget_with_currency", "budget_after", "group_of", "group_before", "group_after", "noisy",
        "on_sale", "cancel", "refund", "parcel", "by_email", "the_cart", "send")
# Keys whose value maps words to a text: a language code ("inglese: en"), or how a reply names what
# the word asks for ("studen: studenti").
NAMED = ("language_names", "discount_groups", "colours", "option_names")
# Keys whose words say nothing about the message's language or topic ("the", "di", "och").
NOT_TELLING = ("function_words",)


class LexiconError(ValueError):
    """A language resource file is wrong; the message names the file and key."""


def words_pattern(words: tuple[str, ...] | list[str], after_digits: bool = False) -> re.Pattern[str] | None:
    """One pattern for a list of words: each matches at a word start; a short one (three letters or
    fewer), or one written with a final ".", only as a whole word: "g" is grams and not the start of
    "good", "reso." (Italian) is not the start of "resolution". Longest first. `after_digits`: a unit
    may follow a number with no space ("200g")."""
    alternatives = []
    for written in sorted({fold(w).strip() for w in words if w.strip()}, key=len, reverse=True):
        whole = written.endswith(".") and len(written) > 1
        word = written[:-1] if whole else written
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        start = (r"(?<![a-z])" if after_digits else r"(?<![a-z0-9])") if word[0].isalnum() else ""
        end = r"(?![a-z0-9])" if whole or len(word) <= 3 or not word[-1].isalnum() else ""
        alternatives.append(start + escaped + end)
    return re.compile("|".join(alternatives)) if alternatives else None


@dataclass(frozen=True, eq=False)
class Lexicon:
    patterns: dict[str, re.Pattern[str] | None]
    words: dict[str, tuple[str, ...]]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    language_names: dict[str, str]  # "inglese" -> "en"
    discount_groups: dict[str, dict[str, str]]  # per language: "studen" -> "studenti"
    colours: dict[str, str]  # "rossa" -> "red"
    option_names: dict[str, str]  # "taglia" -> "size"
    by_language: dict[str, frozenset[str]]  # every word of each language, for telling short messages apart

    @cached_property
    def common(self) -> frozenset[str]:
        """Single words of the five languages: never a misspelt product name ("cara" is not "Clara")."""
        return frozenset(token for words in self.by_language.values() for phrase in words
                         for token in phrase.split() if len(token) >= 4)

    @cached_property
    def known(self) -> frozenset[str]:
        """Every word and phrase of the five languages, for telling a typo from a word."""
        return frozenset().union(*self.by_language.values())

    @cached_property
    def language_name(self) -> re.Pattern[str] | None:
        return words_pattern(list(self.language_names))

    @cached_property
    def colour(self) -> re.Pattern[str] | None:
        return words_pattern(list(self.colours))

    @cached_property
    def option_name(self) -> re.Pattern[str] | None:
        return words_pattern(list(self.option_names))

    @cached_property
    def discount_group(self) -> re.Pattern[str] | None:
        return words_pattern([word for words in self.discount_groups.values() for word in words])

    def opens_with(self, key: str, folded: str) -> bool:
        """The message opens with one of `key`'s words ("and ..." for a follow-up)."""
        match = self.find(key, folded)
        return match is not None and not folded[:match.start()].strip()

    def clause_opens_with(self, key: str, folded: str) -> bool:
        """A clause of the message opens with one of `key`'s words ("does it ...", "czy ma ...",
        "the lumo hd, has it got ..."), after an optional follow-up word ("and is it ...")."""
        for clause in re.split(r"[,;:]", folded):
            clause = clause.strip()
            if (lead := self.find("follow_up", clause)) and lead.start() == 0:
                clause = clause[lead.end():].strip()
            if self.opens_with(key, clause):
                return True
        return False

    def language_of(self, folded: str) -> tuple[str, ...]:
        """The languages whose words a short message uses most ("vad kostar 2 st" is Swedish; "mi
        costa" is Italian or Romanian), none when it uses none: for messages too short for a
        statistical guess."""
        scores = {code: len(pattern.findall(folded)) for code, pattern in self.language_patterns.items()}
        best = max(scores.values(), default=0)
        return tuple(code for code, score in scores.items() if score == best) if best else ()

    @property
    def language_patterns(self) -> dict[str, re.Pattern[str]]:
        return _language_patterns(self)

    def misspelt(self, keys: tuple[str, ...], folded: str) -> str | None:
        """The first of `keys` one of whose words a word of the message misspells ("shiping",
        "retrun", "paymnt"): one typo in a word of six letters or more, two from eight; shorter words
        are too close to other words ("plata", "pasta") to guess."""
        for token in re.findall(r"[a-z]{5,}", folded):
            if token in self.known:
                continue
            for key in keys:
                if any(" " not in word and 0 < DamerauLevenshtein.distance(token, word) <= _typos(word)
                       for word in self.words[key]):
                    return key
        return None

    def find(self, key: str, folded: str) -> re.Match[str] | None:
        pattern = self.patterns[key]
        return pattern.search(folded) if pattern else None

    def has(self, key: str, folded: str) -> bool:
        return self.find(key, folded) is not None

    def all(self, key: str, folded: str) -> list[re.Match[str]]:
        pattern = self.patterns[key]
        return list(pattern.finditer(folded)) if pattern else []


def _typos(word: str) -> int:
    return 2 if len(word) >= 8 else 1 if len(word) >= 6 else 0


@lru_cache(maxsize=4)
def _language_patterns(words: Lexicon) -> dict[str, re.Pattern[str]]:
    return {code: pattern for code, own in words.by_language.items()
            if (pattern := words_pattern(sorted(word for word in own if len(word) > 2))) is not None}


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LexiconError(f"{path}: {error}") from None
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: expected a mapping of keys ({', '.join(KEYS[:4])}, ...) to words")
    unknown = set(raw) - set(KEYS) - set(NUMBERED) - set(NAMED)
    missing = (set(KEYS) | set(NUMBERED) | set(NAMED)) - set(raw)
    if unknown or missing:
        raise LexiconError(f"{path}: unknown keys {sorted(unknown)}; missing keys {sorted(missing)}")
    for key in KEYS:
        if not isinstance(raw[key], list) or not all(isinstance(word, (str, int)) for word in raw[key]):
            raise LexiconError(f"{path}: '{key}' must be a list of words")
    for key in NUMBERED:
        value = raw[key]
        if not isinstance(value, dict) or not all(isinstance(n, int) for n in value.values()):
            raise LexiconError(f"{path}: '{key}' must map words to whole numbers")
    for key in NAMED:
        if not isinstance(raw[key], dict) or not all(isinstance(text, str) for text in raw[key].values()):
            raise LexiconError(f"{path}: '{key}' must map words to texts")
    if not all(code in LANGUAGES for code in raw["language_names"].values()):
        raise LexiconError(f"{path}: 'language_names' must map words to one of {', '.join(LANGUAGES)}")
    return raw


@lru_cache(maxsize=4)
def lexicon(folder: Path = RESOURCES, languages: tuple[str, ...] = LANGUAGES) -> Lexicon:
    merged: dict[str, list[str]] = {key: [] for key in KEYS}
    numbers: dict[str, int] = {}
    ordinals: dict[str, int] = {}
    names: dict[str, str] = {}
    groups: dict[str, dict[str, str]] = {}
    colours: dict[str, str] = {}
    options: dict[str, str] = {}
    by_language: dict[str, frozenset[str]] = {}
    for code in languages:
        raw = _read(folder / f"{code}.yml")
        own: set[str] = set()
        for key in KEYS:
            words = [fold(str(word)) for word in raw[key]]
            merged[key] += words
            if key not in NOT_TELLING:
                own |= {w for w in words if len(w) > 2}
        numbers.update({fold(k): v for k, v in raw["numbers"].items()})
        ordinals.update({fold(k): v for k, v in raw["ordinals"].items()})
        names.update({fold(k): v for k, v in raw["language_names"].items()})
        groups[code] = {fold(k): v for k, v in raw["discount_groups"].items()}
        colours.update({fold(k): v for k, v in raw["colours"].items()})
        options.update({fold(k): v for k, v in raw["option_names"].items()})
        own |= {fold(k) for k in raw["language_names"]} | set(groups[code])
        by_language[code] = frozenset(word.rstrip(".") for word in own)
    return Lexicon({key: words_pattern(words) for key, words in merged.items()},
                   {key: tuple(word.rstrip(".") for word in words) for key, words in merged.items()},
                   numbers, ordinals, names, groups, colours, options, by_language)
