"""Voice of the Customer: themes and sentiment of free-text feedback, with spaCy.

A blank spaCy pipeline per language with the lookup lemmatizer (spacy-lookups-data,
nothing downloaded), a PhraseMatcher on lemmas over the theme lexicon in
the theme lexicon (themes.yml), and a lexicon sentiment score (sentiment.yml), both in the
folder the settings name (SHOPMATE_VOC_DIR, default data/voc). The
lexicons are data so marketing can extend them without code changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher

from lifecycle.shop.language import language_of


@dataclass(frozen=True)
class Analysis:
    language: str
    themes: tuple[str, ...]
    sentiment: float  # -1 (negative) .. 1 (positive); 0 when no sentiment word is found


@cache
def _pipeline(language: str) -> Language:
    nlp = spacy.blank(language)
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except (ValueError, OSError):  # no lookup table for this language (Polish): match word forms
        nlp = spacy.blank(language)
    return nlp


def _lemmas(nlp: Language, text: str) -> list[str]:
    # Lower-cased first: the lookup tables hold lower-case forms, so "Leveransen" at the
    # start of a sentence would otherwise miss its lemma.
    return [(token.lemma_ or token.text).lower() for token in nlp(text.lower())]


class FeedbackAnalyser:
    def __init__(self, voc_dir: Path) -> None:
        self.themes: dict[str, dict[str, list[str]]] = yaml.safe_load(
            (voc_dir / "themes.yml").read_text(encoding="utf-8"))
        sentiment = yaml.safe_load((voc_dir / "sentiment.yml").read_text(encoding="utf-8"))
        self.negators = {lang: set(words) for lang, words in sentiment["negators"].items()}
        self.terms = sentiment["terms"]
        self._matchers: dict[str, PhraseMatcher] = {}

    def _matcher(self, language: str) -> PhraseMatcher:
        if language not in self._matchers:
            nlp = _pipeline(language)
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            for theme, phrases in self.themes.items():
                patterns = [nlp.make_doc(" ".join(_lemmas(nlp, phrase))) for phrase in phrases.get(language, [])]
                matcher.add(theme, patterns)
            self._matchers[language] = matcher
        return self._matchers[language]

    def analyse(self, text: str, language_hint: str | None = None) -> Analysis:
        language = language_of(language_hint) or "en"
        nlp = _pipeline(language)
        lemmas = _lemmas(nlp, text)
        lemma_doc = nlp.make_doc(" ".join(lemmas))
        found = {nlp.vocab.strings[match_id] for match_id, _, _ in self._matcher(language)(lemma_doc)}
        themes = tuple(theme for theme in self.themes if theme in found)
        scores: list[float] = []
        terms = self.terms.get(language, {})
        negators = self.negators.get(language, set())
        for index, lemma in enumerate(lemmas):
            if lemma in terms:
                negated = any(word in negators for word in lemmas[max(0, index - 2):index])
                scores.append(-terms[lemma] if negated else terms[lemma])
        sentiment = max(-1.0, min(1.0, sum(scores) / len(scores))) if scores else 0.0
        return Analysis(language, themes, round(sentiment, 3))


def theme_names(voc_dir: Path) -> list[str]:
    """The themes marketing can filter on, in the lexicon's order (no spaCy needed)."""
    return list(yaml.safe_load((voc_dir / "themes.yml").read_text(encoding="utf-8")))
