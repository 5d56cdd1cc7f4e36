"""Searching the shop's own answers: BM25 (bm25s) to rank, word coverage to decide whether to answer.

Words are folded (no case, no diacritics) and cut into character 4-grams with a start-of-word
mark, so inflections and typos share most of their grams ("imballaggio" / "imballo", "recycle" /
"recycling") in all five languages without a stemmer per language. BM25 ranks the entries and
passages; it cannot say whether the best one answers, because its scores have no scale. That is
`Match.confidence`: the share of the question's words (weighted by how rare they are in the
shop's texts) found in the chosen entry or passage. "Can I pay in bitcoin?" finds nothing for
"bitcoin", the word that matters, so it stays below `THRESHOLD` and the assistant does not
answer from a near miss. The threshold was chosen on eval/knowledge/tune.yml (docs/knowledge.md).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from os.path import commonprefix

import numpy as np
from rapidfuzz import fuzz

from lifecycle.knowledge.bm25 import BM25, Tokenized
from lifecycle.knowledge.entries import FaqEntry
from lifecycle.knowledge.pages import Passage
from lifecycle.shop.facts import Shop
from lifecycle.understanding.lexicon import lexicon
from lifecycle.understanding.topic import tokens, topic_words

THRESHOLD = 0.65  # chosen on eval/knowledge/tune.yml; held-out figures in docs/knowledge.md
MIN_WORDS = 2  # a question of one topic word ("where is my order?" -> "order") is never answered, only offered
SUGGEST = 0.3  # from here to THRESHOLD the entry is offered as "did you mean ...?", never answered
MAX_QUESTION_CHARS = 1000


def words(text: str) -> list[str]:
    """The words of a question that carry its topic: folded, without the languages' function words."""
    return topic_words(text[:MAX_QUESTION_CHARS])


def grams(word: str) -> list[str]:
    if len(word) <= 3:
        return [f"^{word}$"]
    return [f"^{word[:3]}", *(word[i:i + 4] for i in range(len(word) - 3))]


def _stem(word: str) -> str:
    return word[:5]


def same_word(asked: str, written: str) -> bool:
    """The shopper's word is the text's, inflected ("recycle" / "recycling", "imballaggio" /
    "imballo"), in a compound ("garanti" / "garantiarende") or misspelt by a letter or two."""
    shared = len(commonprefix([asked, written]))
    if shared >= 4 and shared >= 0.6 * min(len(asked), len(written)):
        return True
    return min(len(asked), len(written)) >= 6 and asked[0] == written[0] and fuzz.ratio(asked, written) >= 85


@dataclass(frozen=True)
class Match:
    """What answers a question: an FAQ entry (kind "faq") or a page's passage (kind "page")."""

    kind: str
    id: str  # the entry's id, or the page's name
    language: str  # the language of `answer`
    answer: str  # the entry's answer, or the passage's text (quoted as the page says it)
    confidence: float
    title: str = ""  # the page's title and the passage's heading, for a page
    links: tuple[str, ...] = ()
    other_language: bool = False  # only another language has it: the reply says so
    example: str = ""  # the entry's first example question in the asked language, for "did you mean"
    asked_words: int = MIN_WORDS  # the question's topic words: one is too little evidence to answer on

    @property
    def confident(self) -> bool:
        return self.confidence >= THRESHOLD and self.asked_words >= MIN_WORDS

    @property
    def suggestable(self) -> bool:
        """Close enough to ask "did you mean ...?" with the entry's own question, which the shopper
        confirms by pressing it: the answer then comes from their choice, not from a guess."""
        return SUGGEST <= self.confidence and not self.confident and self.kind == "faq" and bool(self.example)


@dataclass
class _Group:
    kind: str
    id: str
    answers: dict[str, str]  # language -> answer text
    examples: dict[str, str] = field(default_factory=dict)  # language -> its first example question
    title: dict[str, str] = field(default_factory=dict)
    links: tuple[str, ...] = ()
    docs: list[int] = field(default_factory=list)
    answer_docs: list[int] = field(default_factory=list)


class KnowledgeBase:
    """The index of one version of the shop's entries and pages; build a new one when they change."""

    def __init__(self, entries: list[FaqEntry], passages: list[Passage], ignored: frozenset[str] = frozenset()) -> None:
        """`ignored`: the shop's words for its catalog ("headset", "cuffie"): the catalog answers
        about products, and in a question to the FAQ they only pull towards entries that name them."""
        self.ignored = ignored
        self._groups: list[_Group] = []
        self._texts: list[str] = []
        self._doc_group: list[int] = []
        self._doc_language: list[str] = []
        self._doc_grams: list[list[str]] = []
        self._doc_words: list[set[str]] = []
        for entry in entries:
            group = _Group("faq", entry.id, dict(entry.answer), links=tuple(entry.links),
                           examples={language: asked[0] for language, asked in entry.questions.items()})
            for language, asked in entry.questions.items():
                for question in asked:
                    self._add(group, language, question)
            for language, text in entry.answer.items():
                self._add(group, language, text, asked=False)
        for passage in passages:
            heading = f"{passage.title}: {passage.heading}" if passage.heading else passage.title
            group = _Group("page", passage.page, {passage.language: passage.text}, title={passage.language: heading},
                           links=(passage.url,) if passage.url else ())
            self._add(group, passage.language, f"{passage.heading} {passage.text}")
        self._examples = {" ".join(tokens(q)) for e in entries for asked in e.questions.values()
                          for q in asked}
        self._sets = [set(doc) for doc in self._doc_grams]
        self._word_df = Counter(stem for doc in self._doc_words for stem in {_stem(w) for w in doc})
        self._vocab: dict[str, int] = {}
        ids = [[self._vocab.setdefault(g, len(self._vocab)) for g in doc] for doc in self._doc_grams]
        self._index: BM25 | None = None
        if ids:
            self._index = BM25()
            self._index.index(Tokenized(ids=ids, vocab=self._vocab), show_progress=False)

    def _add(self, group: _Group, language: str, text: str, asked: bool = True) -> None:
        """`asked`: a text shoppers' questions are measured against (an example question, a passage).
        An answer helps find its entry but is not one: "vendete sedie da ufficio?" must not be
        answered by the entry whose answer says "vende attrezzatura per l'ufficio"."""
        if not group.docs and not group.answer_docs:
            self._groups.append(group)
        (group.docs if asked else group.answer_docs).append(len(self._texts))
        self._texts.append(text)
        self._doc_group.append(len(self._groups) - 1)
        self._doc_language.append(language)
        self._doc_words.append(set(words(text)))
        self._doc_grams.append([g for w in self._doc_words[-1] for g in grams(w)])

    def is_example(self, text: str) -> bool:
        """Whether the text is one of the entries' own example questions (a "did you mean" button)."""
        return " ".join(tokens(text)) in self._examples

    def search(self, question: str, language: str | None = None) -> Match | None:
        """The best entry or passage for the question, with its confidence; None when nothing shares a word."""
        asked = [w for w in words(question) if w not in self.ignored]
        if self._index is None or not asked:
            return None
        scores = self._scores([g for w in asked for g in grams(w)])
        best: dict[int, float] = {}
        for doc, score in enumerate(scores):
            if score > 0:
                group = self._doc_group[doc]
                best[group] = max(best.get(group, 0.0), float(score))
        if not best:
            return None
        ranked = sorted(best, key=lambda g: best[g], reverse=True)[:5]
        # BM25 ranks; coverage decides. Among the top five, the one that covers the question best.
        coverage = {g: self._coverage(asked, self._groups[g]) for g in ranked}
        chosen = max(ranked, key=lambda g: (round(coverage[g], 3), best[g]))
        match = self._match(self._groups[chosen], coverage[chosen], asked, language)
        # An entry's own question (a "did you mean" button, or the shop's wording) is evidence enough.
        return replace(match, asked_words=MIN_WORDS) if self.is_example(question) else match

    def _scores(self, query: list[str]) -> np.ndarray:
        ids = [self._vocab[g] for g in query if g in self._vocab]
        if self._index is None or not ids:
            return np.zeros(len(self._texts))
        return self._index.get_scores(ids)

    def _idf(self, word: str) -> float:
        """How rare the word is in the shop's texts; a word none of them has counts as the rarest."""
        return math.log(1 + (len(self._texts) + 1) / (self._word_df.get(_stem(word), 0) + 0.5))

    def _coverage(self, asked: list[str], group: _Group) -> float:
        """The share of the question's words, weighted by rarity, that one of the group's texts has
        (as written, inflected or misspelt: `same_word`)."""
        total = found = 0.0
        own = {w for doc in group.docs for w in self._doc_words[doc]}
        for word in dict.fromkeys(asked):
            weight = self._idf(word)
            total += weight
            found += weight if word in own or any(same_word(word, other) for other in own) else 0.0
        return found / total if total else 0.0

    def _match(self, group: _Group, confidence: float, asked: list[str], language: str | None) -> Match:
        if language is None:  # the language whose texts share most with the question
            counts = Counter(self._doc_language[doc] for doc in group.docs
                             for w in asked if set(grams(w)) <= self._sets[doc])
            language = counts.most_common(1)[0][0] if counts else next(iter(group.answers))
        said_in = language if language in group.answers else next(iter(group.answers))
        return Match(group.kind, group.id, said_in, group.answers[said_in], confidence,
                     group.title.get(said_in, ""), group.links, other_language=said_in != language,
                     example=group.examples.get(language, ""), asked_words=len(set(asked)))



def catalog_words(shop: Shop) -> frozenset[str]:
    """What `KnowledgeBase` ignores because the catalog answers it: the shop's words for its
    categories, and "do you sell" in the five languages (the typed offer answers "do you sell chairs?")."""
    phrases = [*(p for words_of in shop.policies.categories.values() for p in words_of), *lexicon().words["sell"]]
    return frozenset(w for phrase in phrases for w in tokens(phrase))
