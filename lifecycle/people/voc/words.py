"""Word lists that customers' words are matched against: themes.yml and sentiment.yml.

An entry matches a word it begins ("livr" matches "livrarea", "dostaw" every case of "dostawa"),
compared lower-cased and without diacritics on the word and on its spaCy lemma where the language
has a lookup table; an entry of several words must appear as written. Stems are how Polish
inflection is handled: a blank spaCy pipeline has no Polish lemmas (spacy-lookups-data ships only
part-of-speech tables for it), and a stem covers all seven cases.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from lifecycle.hidden import HEAVY_BACKENDS, hidden
from lifecycle.shop.language import fold

with hidden(*HEAVY_BACKENDS):  # blank pipelines need no TensorFlow or JAX backend (lifecycle.hidden)
    import spacy
    from spacy.language import Language


@cache
def pipeline(language: str) -> Language:
    """A blank spaCy pipeline (nothing downloaded): the language's tokenizer."""
    return spacy.blank(language)


# The stems of every word list loaded (`load_lists`), per language: only a lemma that begins with one
# of them can make a word match, so only those lemmas are kept (see `lemmas`).
_STEMS: dict[str, set[str]] = {}


_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:\s*"((?:[^"\\]|\\.)*)"')  # "word": "lemma" in a flat JSON object


def _unescaped(text: str) -> str:
    return str(json.loads(f'"{text}"')) if "\\" in text else text


@cache
def lemmas(language: str) -> dict[str, str]:
    """spacy-lookups-data's lemma table for `language` (the one spaCy's lookup lemmatizer reads),
    reduced to the words whose lemma begins with a stem of a loaded list. A word's lemma matters only
    there, so matching is unchanged, and the process keeps a few thousand entries instead of the
    whole tables (345 MB of RSS for Italian, Swedish and Romanian). Polish has no table."""
    path = resources.files("spacy_lookups_data") / "data" / f"{language}_lemma_lookup.json.gz"
    if not path.is_file():
        return {}
    stems = tuple(sorted(_STEMS.get(language, ())))
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        content = text.read()
    # Read pair by pair rather than with json.load: the whole table as Python objects is freed
    # afterwards, but leaves ~100 MB of fragmented heap in the process (measured for Swedish).
    kept = {}
    for pair in _PAIR.finditer(content):
        word, lemma = _unescaped(pair.group(1)), _unescaped(pair.group(2))
        if word != lemma and (folded := fold(lemma)).startswith(stems):
            kept[word] = folded
    return kept


@dataclass(frozen=True)
class Tokens:
    """A text's words and lemmas, folded, in order."""

    words: tuple[str, ...]
    lemmas: tuple[str, ...]
    text: str  # the folded text, for entries of several words
    pauses: frozenset[int] = frozenset()  # words followed by punctuation: "me too, thanks" ends a thought at "too"

    @classmethod
    def of(cls, text: str, language: str) -> Tokens:
        return _tokens(text, language)

    @classmethod
    def _read(cls, text: str, language: str) -> Tokens:
        tokens: list[str] = []
        pauses: set[int] = set()
        for token in pipeline(language)(text.lower()):
            if token.is_punct:
                if tokens:
                    pauses.add(len(tokens) - 1)
            elif not token.is_space:
                tokens.append(token.text)
        table = lemmas(language)
        words = tuple(fold(token) for token in tokens)
        return cls(words, tuple(table.get(token, word) for token, word in zip(tokens, words, strict=True)),
                   " " + " ".join(words) + " ", frozenset(pauses))


@lru_cache(maxsize=256)  # a text is read whole, then by its sides: each is tokenised once
def _tokens(text: str, language: str) -> Tokens:
    return Tokens._read(text, language)


class WordList:
    """Entries of one list in one language (e.g. the Polish words for "shipping").

    An entry is cut into words by the language's tokenizer, as the feedback is, so "can't complain"
    matches the tokens "ca n't complain" and "n-a venit" the tokens "n- a venit". An entry ending in
    "." must be the whole word ("kr." is not "kristall"); with `whole`, every one-word entry must
    ("too" is not "took"). A phrase's last word is a stem.
    """

    def __init__(self, entries: Iterable[str], language: str | None = None, whole: bool = False) -> None:
        texts = [fold(str(entry)).strip() for entry in entries if str(entry).strip()]
        # "kr." is the whole word kr (Swedish crowns), not the start of "kristall"; as in vocabulary.yml
        exact = {" ".join(_words(text[:-1], language)) for text in texts if len(text) > 1 and text.endswith(".")}
        folded = [" ".join(_words(text, language)) for text in texts if not (len(text) > 1 and text.endswith("."))]
        self.whole = whole
        self.stems = tuple(entry for entry in folded if entry and " " not in entry)
        self._whole = frozenset(self.stems) | exact
        self._exact = frozenset(exact)
        self.phrases = tuple((re.compile(r" " + re.escape(entry) + r"\w*"), entry.count(" ") + 1)
                             for entry in folded if " " in entry)

    def _is(self, word: str) -> bool:
        return word in self._whole if self.whole else word in self._exact or word.startswith(self.stems)

    def spans(self, tokens: Tokens) -> list[tuple[int, int]]:
        """(first word, word after the last) of every match, in order."""
        found = {(index, index + 1) for index, (word, lemma) in enumerate(zip(tokens.words, tokens.lemmas, strict=True))
                 if self._whole and (self._is(word) or self._is(lemma))}
        for phrase, length in self.phrases:
            for match in phrase.finditer(tokens.text):
                start = tokens.text[:match.start()].count(" ")
                found.add((start, start + length))
        return sorted(found)

    def positions(self, tokens: Tokens) -> list[int]:
        """The word positions where an entry matches (a phrase counts at its first word)."""
        return sorted({start for start, _ in self.spans(tokens)})

    def matches(self, tokens: Tokens) -> bool:
        return bool(self.spans(tokens))


def _words(entry: str, language: str | None) -> list[str]:
    if language is None or not entry:
        return entry.split()
    return [token.text for token in pipeline(language)(entry) if not token.is_punct and not token.is_space]


def load_lists(raw: object, where: str, whole: bool = False) -> dict[str, WordList]:
    """One language's lists from a mapping {language: [entries]}, with a clear error for bad data."""
    if not isinstance(raw, dict) or not all(isinstance(v, Sequence) and not isinstance(v, str) for v in raw.values()):
        raise ValueError(f"{where}: expected a list of words for each language (en, it, sv, pl, ro)")
    for language, entries in raw.items():
        for entry in entries:
            if not isinstance(entry, str):  # YAML reads a bare no, yes, on or off as true or false
                raise ValueError(f"{where}: {language}: {entry!r} is not a word; put it in quotes (\"no\")")
    lists = {str(language): WordList(entries, str(language), whole) for language, entries in raw.items()}
    for language, words in lists.items():
        if not set(words.stems) <= _STEMS.get(language, set()):
            _STEMS.setdefault(language, set()).update(words.stems)
            lemmas.cache_clear()  # a new stem may need a lemma the reduced table left out
            _tokens.cache_clear()  # and texts read before it hold the old lemmas
    return lists
