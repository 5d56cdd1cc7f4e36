"""The analyser: themes and sentiment of one text, clause by clause (see the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lifecycle.people.voc.labelled import load as load_labelled
from lifecycle.people.voc.model import Lexicon, NGrams, SentimentModel, ThemeModel
from lifecycle.people.voc.words import Tokens, WordList, load_lists
from lifecycle.shop.language import LANGUAGES, language_of
from lifecycle.understanding.language import detect

# Below this probability for its best guess, a text's sentiment is "unsure" and charted apart.
CONFIDENT = 0.6
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\s*[,:]\s+(?=\S)")


@dataclass(frozen=True)
class Analysis:
    language: str
    themes: tuple[str, ...]
    sentiment: float  # -1 (negative) .. 1 (positive): P(positive) - P(negative) of the deciding clause
    polarity: str = "neutral"  # positive, negative or neutral
    confident: bool = True
    theme_sentiments: dict[str, float] = field(default_factory=dict)  # what the text says about each theme


class FeedbackAnalyser:
    def __init__(self, voc_dir: Path) -> None:
        where = voc_dir / "themes.yml"
        raw_themes = yaml.safe_load(where.read_text(encoding="utf-8"))
        if not isinstance(raw_themes, dict):
            raise ValueError(f"{where}: expected a mapping of themes to word lists per language")
        self.themes = {str(theme): load_lists(lists, f"{where}: {theme}") for theme, lists in raw_themes.items()}
        where = voc_dir / "sentiment.yml"
        words = yaml.safe_load(where.read_text(encoding="utf-8"))
        self.contrast = load_lists(words["contrast"], f"{where}: contrast")
        self.lexicon = Lexicon(load_lists(words["positive"], f"{where}: positive"),
                               load_lists(words["negative"], f"{where}: negative"),
                               load_lists(words["negators"], f"{where}: negators"))
        examples = load_labelled(voc_dir / "labelled", "train", LANGUAGES)
        ngrams = NGrams().fit([Tokens.of(e.text, e.language).text for e in examples])
        self.model = SentimentModel(self.lexicon, ngrams).fit(examples)
        self.theme_model = ThemeModel(self.themes, ngrams).fit(examples)

    def _clauses(self, text: str, language: str) -> list[str]:
        """Sentences and the parts around contrast words ("..., but ..."), in order."""
        contrast = self.contrast.get(language)
        clauses: list[str] = []
        for sentence in filter(None, (part.strip() for part in _SENTENCES.split(text))):
            words = sentence.split()
            cut = contrast.positions(Tokens.of(sentence, language)) if contrast else []
            # Tokens drop punctuation, so positions are close to (not exactly) word indices: cut by words.
            start = 0
            for position in cut:
                if 0 < position < len(words):
                    clauses.append(" ".join(words[start:position]))
                    start = position
            clauses.append(" ".join(words[start:]))
        return [clause for clause in clauses if clause.strip()]

    def _judge(self, text: str, language: str) -> tuple[str, float, float]:
        """(polarity, sentiment -1..1, confidence) of one piece of text."""
        p = self.model.probabilities(Tokens.of(text, language), language, text)
        polarity = max(p, key=lambda label: p[label])
        return polarity, p.get("positive", 0.0) - p.get("negative", 0.0), p[polarity]

    def analyse(self, text: str, language_hint: str | None = None) -> Analysis:
        language = language_of(language_hint)
        if language is None:  # only then lingua: a process that analyses hinted texts never loads its models
            guessed = detect(text, 1)
            language = guessed[0] if guessed else "en"
        clauses = self._clauses(text, language)
        judged = [(clause, *self._judge(clause, language)) for clause in clauses] if len(clauses) > 1 else []
        polarity, sentiment, confidence = self._judge(text, language)
        contrasted = len(judged) > 1 and any(self.contrast.get(language, WordList(())).matches(
            Tokens.of(clause, language)) for clause, *_ in judged[1:])
        if contrasted:  # "..., but ...": the clause after the last contrast decides the whole
            _, polarity, sentiment, confidence = judged[-1]
        themes = tuple(self.theme_model.themes_of(Tokens.of(text, language), language))
        per_theme: dict[str, list[float]] = {}
        for clause, _, clause_sentiment, clause_confidence in judged:
            for theme in self.theme_model.themes_of(Tokens.of(clause, language), language):
                if theme in themes and clause_confidence >= CONFIDENT:
                    per_theme.setdefault(theme, []).append(clause_sentiment)
        for theme in themes:  # a theme no confident clause speaks of takes the text's sentiment
            per_theme.setdefault(theme, [sentiment])
        return Analysis(language, themes, round(sentiment, 3), polarity, confidence >= CONFIDENT,
                        {theme: round(sum(values) / len(values), 3) for theme, values in per_theme.items()})
