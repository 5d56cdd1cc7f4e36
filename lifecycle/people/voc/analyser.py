"""The analyser: themes and sentiment of one text, side by side where it turns (see the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lifecycle.people.voc.labelled import load as load_labelled
from lifecycle.people.voc.model import NGrams, SentimentModel, ThemeModel, load_lexicon
from lifecycle.people.voc.words import Tokens, WordList, load_lists
from lifecycle.shop.language import LANGUAGES, language_of
from lifecycle.understanding.language import detect

# Below this probability for its best guess, a text's sentiment is "unsure" and charted apart.
CONFIDENT = 0.6
_SENTENCES = re.compile(r"(?<=[.!?;])\s+")
_PIECES = re.compile(r"\s*[,:]\s+(?=\S)")


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
        self.lexicon = load_lexicon(words, str(where))  # checks the file's shape first
        # whole words: Italian "ma" is not the start of "mai", Swedish "men" not of "mening"
        self.contrast = load_lists(words.get("contrast") or {}, f"{where}: contrast", whole=True)
        self.contrast_adverbs = load_lists(words.get("contrast_adverbs") or {}, f"{where}: contrast_adverbs",
                                           whole=True)
        examples = load_labelled(voc_dir / "labelled", "train", LANGUAGES)
        ngrams = NGrams(self.lexicon).fit([(Tokens.of(e.text, e.language), e.language) for e in examples])
        self.model = SentimentModel(self.lexicon, ngrams).fit(examples)
        self.theme_model = ThemeModel(self.themes, ngrams).fit(examples)

    def _sides(self, text: str, language: str) -> list[str]:
        """The text cut where it turns ("..., but ...", "... . Customer service, however, ..."), in order.

        Sentences are cut into pieces at commas and colons. A contrast word ("but", "ma", "ale") cuts its
        piece where it stands. A contrast adverb ("however", "invece", "däremot") turns its whole sentence,
        or in the first sentence the piece it stands in, with the piece before when the adverb stands alone
        between commas ("The mouse is great, your returns team, on the other hand, is a nightmare"). Pieces
        between two turns are one side: they are judged together, so "Not bad at all, it was here in two
        days" keeps its praise for the delivery.
        """
        conjunctions = self.contrast.get(language, WordList(()))
        adverbs = self.contrast_adverbs.get(language, WordList(()))
        sides: list[list[str]] = [[]]
        for sentence in filter(None, (part.strip() for part in _SENTENCES.split(text))):
            pieces = [piece for piece in (part.strip() for part in _PIECES.split(sentence)) if piece]
            turn_at = next((index for index, piece in enumerate(pieces)
                            if adverbs.matches(Tokens.of(piece, language))), None)
            if turn_at is not None and any(sides[-1]):
                turn_at = 0  # a later sentence: the adverb turns all of it
            elif turn_at is not None and turn_at > 1 and len(pieces[turn_at].split()) <= 4:
                turn_at -= 1  # ", on the other hand," stands alone: its subject is the piece before
            for index, piece in enumerate(pieces):
                words = piece.split()
                # Tokens drop punctuation, so positions are close to (not exactly) word indices: cut by words.
                cuts = [position for position in conjunctions.positions(Tokens.of(piece, language))
                        if position < len(words)]
                if (index == turn_at or (cuts and cuts[0] == 0)) and sides[-1]:
                    sides.append([])
                start = 0
                for position in (cut for cut in cuts if cut > 0):
                    sides[-1].append(" ".join(words[start:position]))
                    sides.append([])
                    start = position
                sides[-1].append(" ".join(words[start:]))
        return [" ".join(side) for side in sides if side]

    def _judge(self, text: str, language: str) -> tuple[str, float, float]:
        """(polarity, sentiment -1..1, confidence) of one piece of text."""
        p = self.model.probabilities(Tokens.of(text, language), language, text)
        polarity = max(p, key=lambda label: p[label])
        return polarity, p.get("positive", 0.0) - p.get("negative", 0.0), p[polarity]

    def _turned(self, sides: list[str], judged: list[tuple[str, float, float]], about: list[list[str]],
                language: str) -> list[float]:
        """Each side's sentiment. A side with no sentiment cue of its own is the opposite of the side it turns
        against (the next one; for the last side, the one before) when it speaks of something else: the
        model's guess on a short fragment without cues is weaker than the turn. "The price was the lowest I
        found, although the lid cracked" praises the price, but "I was charged, but the order never showed
        up" is one complaint about checkout, told in two steps."""
        unclear = [self.lexicon.cues(Tokens.of(side, language), language).silent for side in sides]

        def elsewhere(index: int, partner: int) -> bool:
            return bool(about[partner]) and bool(set(about[index]) - set(about[partner]))

        turned = [value for _, value, _ in judged]
        if unclear[-1] and not unclear[-2] and elsewhere(len(sides) - 1, len(sides) - 2):
            turned[-1] = -turned[-2]
        for index in range(len(sides) - 2, -1, -1):
            if unclear[index] and elsewhere(index, index + 1):
                turned[index] = -turned[index + 1]
        return turned

    def analyse(self, text: str, language_hint: str | None = None) -> Analysis:
        language = language_of(language_hint)
        if language is None:  # only then lingua: a process that analyses hinted texts never loads its models
            guessed = detect(text, 1)
            language = guessed[0] if guessed else "en"
        polarity, sentiment, confidence = self._judge(text, language)
        themes = self.theme_model.themes_of(Tokens.of(text, language), language)
        sides = self._sides(text, language)
        per_theme: dict[str, list[float]] = {}
        if len(sides) > 1:  # "..., but ...": the side after the last turn decides the whole
            judged = [self._judge(side, language) for side in sides]
            about = [self.theme_model.themes_of(Tokens.of(side, language), language) for side in sides]
            turned = self._turned(sides, judged, about, language)
            polarity, sentiment, confidence = judged[-1]
            if turned[-1] != sentiment:  # the last side had no sentiment of its own: the turn gave it one
                sentiment = turned[-1]
                polarity, confidence = ("positive" if sentiment > 0 else "negative"), judged[-2][2]
            for side_themes, side_sentiment in zip(about, turned, strict=True):  # each side names its themes
                for theme in side_themes:
                    per_theme.setdefault(theme, []).append(side_sentiment)
                    if theme not in themes:
                        themes.append(theme)
        for theme in themes:  # a theme no side names on its own takes the text's sentiment
            per_theme.setdefault(theme, [sentiment])
        return Analysis(language, tuple(themes), round(sentiment, 3), polarity, confidence >= CONFIDENT,
                        {theme: round(sum(values) / len(values), 3) for theme, values in per_theme.items()})
