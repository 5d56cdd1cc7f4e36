"""The sentiment model: logistic regression (scikit-learn) over character and word n-grams of the
feedback plus its sentiment-word counts, trained on all five languages' labelled texts.

Character n-grams carry inflected and misspelt words ("zepsulo", "consegnna") that a word list
misses; the word lists (sentiment.yml) add what a few hundred texts cannot teach, with negation
("not fast"). Training takes about a second and is deterministic, so every process trains its own
copy on first use instead of loading a pickled one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from lifecycle.people.voc.labelled import Labelled
from lifecycle.people.voc.words import Tokens, WordList, load_lists

NEGATION_WINDOW = 3  # a negator this many words before a sentiment word flips it
MIN_EXAMPLES = 5  # labelled texts a theme needs before it is learnt rather than matched by its words
LITOTES = "xlitotesx"  # the word that stands for a litotes in what the n-grams read


@dataclass(frozen=True)
class Cues:
    """What the word lists find in a text; the model weighs them next to the n-grams."""

    positive: int = 0  # positive words (and negated negative ones), litotes included
    negative: int = 0  # negative words (and negated positive ones), negated events and excess included
    litotes: int = 0  # "can't complain", "niente male": negative words saying something good
    negated_events: int = 0  # "never arrived", "nikt nie odpisał": what should have happened did not
    excess: int = 0  # "too expensive", "za drogo": too much of something

    @property
    def silent(self) -> bool:
        """No word of either side: what the text means is left to the n-grams and to its context."""
        return self.positive == self.negative == 0

    def features(self) -> list[float]:
        return [self.positive, self.negative, self.positive - self.negative, self.litotes, self.negated_events,
                self.excess]


@dataclass(frozen=True)
class Lexicon:
    """The word lists of sentiment.yml for every language (see its comments for what each means)."""

    positive: dict[str, WordList]
    negative: dict[str, WordList]
    negators: dict[str, WordList]
    events: dict[str, WordList] = field(default_factory=dict)
    litotes: dict[str, WordList] = field(default_factory=dict)
    excess: dict[str, WordList] = field(default_factory=dict)
    expectations: dict[str, WordList] = field(default_factory=dict)
    negation_after: dict[str, int] = field(default_factory=dict)  # words after an event a negator still flips

    def reading(self, tokens: Tokens, language: str) -> str:
        """The text the n-grams see: each litotes as one marker word, so "niente male" is not read as "male"."""
        spans = self.litotes[language].spans(tokens) if language in self.litotes else []
        if not spans:
            return tokens.text
        words = list(tokens.words)
        for start, end in reversed(spans):
            words[start:end] = [LITOTES]
        return " " + " ".join(words) + " "

    def cues(self, tokens: Tokens, language: str) -> Cues:
        def spans(lists: dict[str, WordList]) -> list[tuple[int, int]]:
            return lists[language].spans(tokens) if language in lists else []

        litotes = spans(self.litotes)  # their words are read as one positive cue, not one by one
        masked = {index for start, end in litotes for index in range(start, end)}
        # a negator of several words ("can't say that") reaches from its last word
        negators = {end - 1 for start, end in spans(self.negators) if start not in masked}

        def negated(position: int, after: int = 0) -> bool:  # a negator does not reach past a comma
            return any((position - NEGATION_WINDOW <= n < position and tokens.pauses.isdisjoint(range(n, position)))
                       or position < n <= position + after for n in negators)

        found = ([start for start, _ in spans(self.positive)], [start for start, _ in spans(self.negative)])
        counts = [len(litotes), 0]
        for side, starts in enumerate(found):
            for start in starts:
                if start not in masked:
                    counts[1 - side if negated(start) else side] += 1
        positive, negative = set(found[0]), set(found[1])
        after = self.negation_after.get(language, 0)
        events = sum(start not in masked and negated(start, after) for start, _ in spans(self.events))
        excess = 0
        for start, end in spans(self.excess):
            alone = end - start == 1  # "too", "troppo": the next word says too what, and must not be praise
            if start in masked or negated(start) or (alone and (start in tokens.pauses or end >= len(tokens.words)
                                                                 or end in positive)):
                continue
            excess += 1
        for start, _ in spans(self.expectations):  # "brighter than I expected" praises, "slower than ..." not
            if start not in masked:
                counts[1 if any(start - NEGATION_WINDOW <= n < start for n in negative) else 0] += 1
        return Cues(counts[0], counts[1] + events + excess, len(litotes), events, excess)


def load_lexicon(raw: object, where: str) -> Lexicon:
    """sentiment.yml's lists, with an error naming the key to fix."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping with positive, negative and negators (and optionally "
                         "events, litotes, excess, expectations, negation_after)")
    missing = [key for key in ("positive", "negative", "negators") if key not in raw]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    after = raw.get("negation_after") or {}
    if not isinstance(after, dict) or not all(isinstance(v, int) and 0 <= v <= NEGATION_WINDOW for v in after.values()):
        raise ValueError(f"{where}: negation_after maps a language to a number of words from 0 to {NEGATION_WINDOW}")

    def lists(key: str, whole: bool = False) -> dict[str, WordList]:
        return load_lists(raw.get(key) or {}, f"{where}: {key}", whole)

    return Lexicon(lists("positive"), lists("negative"), lists("negators"), lists("events"), lists("litotes"),
                   lists("excess", whole=True), lists("expectations"),
                   {str(language): words for language, words in after.items()})


def _features(lexicon: Lexicon, tokens: Tokens, language: str, text: str) -> list[float]:
    return [*lexicon.cues(tokens, language).features(), float("?" in text), min(len(tokens.words), 30) / 30]


class NGrams:
    """Character 2-5-grams and word 1-2-grams, TF-IDF weighted, fitted once on the labelled texts and
    shared by both models: they learn from the same texts, so one vocabulary serves both (two copies
    held about 60 MB in every process that analyses feedback). They read the lexicon's reading of a
    text, in which a litotes is one word."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)
        self.words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\w+")

    def fit(self, items: Sequence[tuple[Tokens, str]]) -> NGrams:
        texts = [self.lexicon.reading(tokens, language) for tokens, language in items]
        self.chars.fit(texts)
        self.words.fit(texts)
        return self

    def transform(self, items: Sequence[tuple[Tokens, str]]) -> csr_matrix:
        texts = [self.lexicon.reading(tokens, language) for tokens, language in items]
        if len(texts) == 1:  # one feedback text: both models read the same piece, so it is computed once
            return self._one(texts[0])
        return hstack([self.chars.transform(texts), self.words.transform(texts)]).tocsr()

    @lru_cache(maxsize=64)  # noqa: B019 - one NGrams lives as long as its analyser
    def _one(self, text: str) -> csr_matrix:
        return hstack([self.chars.transform([text]), self.words.transform([text])]).tocsr()


class SentimentModel:
    """positive / negative / neutral, with the probability of each."""

    labels: tuple[str, ...]

    def __init__(self, lexicon: Lexicon, ngrams: NGrams, seed: int = 0) -> None:
        self.lexicon = lexicon
        self.ngrams = ngrams
        self.classifier = LogisticRegression(C=10, max_iter=3000, class_weight="balanced", random_state=seed)

    def _matrix(self, items: Sequence[tuple[Tokens, str, str]]) -> csr_matrix:
        lexical = csr_matrix(np.array([_features(self.lexicon, tokens, language, raw)
                                       for tokens, language, raw in items]))
        return hstack([self.ngrams.transform([(tokens, language) for tokens, language, _ in items]), lexical]).tocsr()

    def fit(self, examples: Sequence[Labelled]) -> SentimentModel:
        items = [(Tokens.of(e.text, e.language), e.language, e.text) for e in examples]
        self.classifier.fit(self._matrix(items), [e.polarity for e in examples])
        self.labels = tuple(str(label) for label in self.classifier.classes_)
        return self

    def probabilities(self, tokens: Tokens, language: str, text: str) -> dict[str, float]:
        row = self.classifier.predict_proba(self._matrix([(tokens, language, text)]))[0]
        return {label: float(p) for label, p in zip(self.labels, row, strict=True)}


class ThemeModel:
    """Which themes a text is about: one logistic regression per theme over the same n-grams plus
    whether the theme's words (themes.yml) occur. The words alone over-match ("code" is price or
    checkout); the n-grams learn which reading the labelled texts mean."""

    def __init__(self, themes: dict[str, dict[str, WordList]], ngrams: NGrams, seed: int = 0) -> None:
        self.themes = themes
        self.ngrams = ngrams
        self.classifiers = {theme: LogisticRegression(C=10, max_iter=3000, class_weight="balanced", random_state=seed)
                            for theme in themes}

    def _matrix(self, items: Sequence[tuple[Tokens, str]]) -> csr_matrix:
        lexical = csr_matrix(np.array([[float(language in lists and lists[language].matches(tokens))
                                        for lists in self.themes.values()] for tokens, language in items]))
        return hstack([self.ngrams.transform(items), 2 * lexical]).tocsr()

    def fit(self, examples: Sequence[Labelled]) -> ThemeModel:
        matrix = self._matrix([(Tokens.of(e.text, e.language), e.language) for e in examples])
        for theme in list(self.classifiers):
            labels = [theme in e.themes for e in examples]
            if sum(labels) < MIN_EXAMPLES:  # a theme marketing just added: its words alone decide
                del self.classifiers[theme]
                continue
            self.classifiers[theme].fit(matrix, labels)
        if self.classifiers:  # all themes' regressions as one matrix product: 6x faster than one by one
            self._weights = np.vstack([model.coef_[0] for model in self.classifiers.values()]).T
            self._bias = np.array([model.intercept_[0] for model in self.classifiers.values()])
        return self

    def themes_of(self, tokens: Tokens, language: str) -> list[str]:
        about: set[str] = set()
        if self.classifiers:  # P(theme) >= 0.5 is a non-negative decision value
            decisions = np.asarray(self._matrix([(tokens, language)]) @ self._weights).ravel() + self._bias
            about = {theme for theme, value in zip(self.classifiers, decisions, strict=True) if value >= 0}
        return [theme for theme, lists in self.themes.items()
                if theme in about
                or (theme not in self.classifiers and language in lists and lists[language].matches(tokens))]
