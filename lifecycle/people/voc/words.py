"""Word lists that customers' words are matched against: themes.yml and sentiment.yml.

An entry matches a word it begins ("livr" matches "livrarea", "dostaw" every case of "dostawa"),
compared lower-cased and without diacritics on the word and on its spaCy lemma where the language
has a lookup table; an entry of several words must appear as written. Stems are how Polish
inflection is handled: a blank spaCy pipeline has no Polish lemmas (spacy-lookups-data ships only
part-of-speech tables for it), and a stem covers all seven cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from lifecycle.hidden import HEAVY_BACKENDS, hidden
from lifecycle.shop.language import fold

with hidden(*HEAVY_BACKENDS):  # blank pipelines need no TensorFlow or JAX backend (lifecycle.hidden)
    import spacy
    from spacy.language import Language


@cache
def pipeline(language: str) -> Language:
    """A blank spaCy pipeline (nothing downloaded) with the lookup lemmatizer where one exists."""
    nlp = spacy.blank(language)
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except (ValueError, OSError):  # no lookup table (Polish): words are matched by stems instead
        nlp = spacy.blank(language)
    return nlp


@dataclass(frozen=True)
class Tokens:
    """A text's words and lemmas, folded, in order."""

    words: tuple[str, ...]
    lemmas: tuple[str, ...]
    text: str  # the folded text, for entries of several words

    @classmethod
    def of(cls, text: str, language: str) -> Tokens:
        doc = pipeline(language)(text.lower())
        words = tuple(fold(token.text) for token in doc if not token.is_punct and not token.is_space)
        lemmas = tuple(fold(token.lemma_ or token.text) for token in doc if not token.is_punct and not token.is_space)
        return cls(words, lemmas, " " + " ".join(words) + " ")


class WordList:
    """Entries of one list in one language (e.g. the Polish words for "shipping")."""

    def __init__(self, entries: Iterable[str]) -> None:
        folded = [fold(str(entry)).strip() for entry in entries if str(entry).strip()]
        self.stems = tuple(entry for entry in folded if " " not in entry)
        self.phrases = tuple(re.compile(r" " + re.escape(entry) + r"\w*") for entry in folded if " " in entry)

    def positions(self, tokens: Tokens) -> list[int]:
        """The word positions where an entry matches (a phrase counts at its first word)."""
        found = [index for index, (word, lemma) in enumerate(zip(tokens.words, tokens.lemmas, strict=True))
                 if any(word.startswith(stem) or lemma.startswith(stem) for stem in self.stems)]
        for phrase in self.phrases:
            for match in phrase.finditer(tokens.text):
                found.append(tokens.text[:match.start()].count(" "))
        return sorted(set(found))

    def matches(self, tokens: Tokens) -> bool:
        return bool(self.positions(tokens))


def load_lists(raw: object, where: str) -> dict[str, WordList]:
    """One language's lists from a mapping {language: [entries]}, with a clear error for bad data."""
    if not isinstance(raw, dict) or not all(isinstance(v, Sequence) and not isinstance(v, str) for v in raw.values()):
        raise ValueError(f"{where}: expected a list of words for each language (en, it, sv, pl, ro)")
    return {str(language): WordList(entries) for language, entries in raw.items()}
