"""The sentiment model: logistic regression (scikit-learn) over character and word n-grams of the
feedback plus its sentiment-word counts, trained on all five languages' labelled texts.

Character n-grams carry inflected and misspelt words ("zepsulo", "consegnna") that a word list
misses; the word lists (sentiment.yml) add what a few hundred texts cannot teach, with negation
("not fast"). Training takes about a second and is deterministic, so every process trains its own
copy on first use instead of loading a pickled one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from lifecycle.people.voc.labelled import Labelled
from lifecycle.people.voc.words import Tokens, WordList

NEGATION_WINDOW = 3  # a negator this many words before a sentiment word flips it
MIN_EXAMPLES = 5  # labelled texts a theme needs before it is learnt rather than matched by its words


@dataclass(frozen=True)
class Lexicon:
    positive: dict[str, WordList]
    negative: dict[str, WordList]
    negators: dict[str, WordList]

    def score(self, tokens: Tokens, language: str) -> tuple[int, int]:
        """(positive, negative) sentiment words in the text, negated ones counted on the other side."""
        negators = set(self.negators[language].positions(tokens)) if language in self.negators else set()
        counts = [0, 0]
        for side, lists in ((0, self.positive), (1, self.negative)):
            if language not in lists:
                continue
            for position in lists[language].positions(tokens):
                negated = any(position - NEGATION_WINDOW <= n < position for n in negators)
                counts[1 - side if negated else side] += 1
        return counts[0], counts[1]


def _features(lexicon: Lexicon, tokens: Tokens, language: str, text: str) -> list[float]:
    positive, negative = lexicon.score(tokens, language)
    return [positive, negative, positive - negative, float("?" in text), min(len(tokens.words), 30) / 30]


class NGrams:
    """Character 2-5-grams and word 1-2-grams, TF-IDF weighted, fitted once on the labelled texts and
    shared by both models: they learn from the same texts, so one vocabulary serves both (two copies
    held about 60 MB in every process that analyses feedback)."""

    def __init__(self) -> None:
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)
        self.words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\w+")

    def fit(self, texts: Sequence[str]) -> NGrams:
        self.chars.fit(texts)
        self.words.fit(texts)
        return self

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        return hstack([self.chars.transform(texts), self.words.transform(texts)]).tocsr()


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
        return hstack([self.ngrams.transform([tokens.text for tokens, _, _ in items]), lexical]).tocsr()

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
        return hstack([self.ngrams.transform([tokens.text for tokens, _ in items]), 2 * lexical]).tocsr()

    def fit(self, examples: Sequence[Labelled]) -> ThemeModel:
        matrix = self._matrix([(Tokens.of(e.text, e.language), e.language) for e in examples])
        for theme in list(self.classifiers):
            labels = [theme in e.themes for e in examples]
            if sum(labels) < MIN_EXAMPLES:  # a theme marketing just added: its words alone decide
                del self.classifiers[theme]
                continue
            self.classifiers[theme].fit(matrix, labels)
        return self

    def themes_of(self, tokens: Tokens, language: str) -> list[str]:
        row = self._matrix([(tokens, language)])
        return [theme for theme, lists in self.themes.items()
                if (theme in self.classifiers and self.classifiers[theme].predict_proba(row)[0][1] >= 0.5)
                or (theme not in self.classifiers and language in lists and lists[language].matches(tokens))]
