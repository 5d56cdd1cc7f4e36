"""Feedback analysis on issue 27's held-out classes: theme F1, polarity and per-theme polarity.

    .venv/bin/python -m eval.voc_classes [--part classes|heldout|fresh|blind|heldout,classes,...] [--show-misses]

Reads `data/voc/labelled/<lang>.<part>.tsv` (never learnt from; several parts are measured together).
`classes` is issue 27's four kinds, `heldout` the original held-out set, `fresh` and `blind` the sets
written during issue 27 and committed before the analyser read them (docs/voc.md). Per language it prints:
- theme F1: over (text, theme) pairs, the analyser's themes against the labels;
- polarity: the share of texts whose overall polarity is right;
- per-theme polarity: the share of labelled (text, theme) pairs the analyser found with the right sign
  (a theme it missed counts as wrong);
and, for the `classes` part, the same per class (four texts each, in file order: praise then complaint,
negated events, litotes, "too" comparatives).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass

from lifecycle.people.voc.analyser import Analysis, FeedbackAnalyser
from lifecycle.people.voc.labelled import Labelled, load
from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.language import LANGUAGES

VOC = PROJECT_ROOT / "data" / "voc"
CLASSES = ("contrast", "negated events", "litotes", "comparatives")


@dataclass
class Score:
    texts: int = 0
    polarity: int = 0
    found: int = 0  # themes the analyser gave
    labelled: int = 0  # themes the labels give
    both: int = 0  # themes in both
    signed: int = 0  # labelled themes found with the right sign

    def add(self, row: Labelled, found: Analysis) -> None:
        self.texts += 1
        self.polarity += found.polarity == row.polarity
        self.found += len(found.themes)
        self.labelled += len(row.themes)
        self.both += len(set(found.themes) & set(row.themes))
        for theme, polarity in row.themes.items():
            value = found.theme_sentiments.get(theme)
            if value is not None and sign(value) == polarity:
                self.signed += 1

    def line(self) -> str:
        precision = self.both / self.found if self.found else 0.0
        recall = self.both / self.labelled if self.labelled else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return (f"theme F1 {f1:.2f} | polarity {self.polarity / self.texts:.2f} | per-theme polarity "
                f"{self.signed / self.labelled if self.labelled else 0:.2f} | {self.texts} texts")


def sign(value: float) -> str:
    return "positive" if value > 0.1 else ("negative" if value < -0.1 else "neutral")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="classes")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    analyser = FeedbackAnalyser(VOC)
    per_class: dict[str, Score] = defaultdict(Score)
    for language in LANGUAGES:
        score = Score()
        rows = [row for part in args.part.split(",") for row in load(VOC / "labelled", part.strip(), (language,))]
        for number, row in enumerate(rows):
            found = analyser.analyse(row.text, language)
            score.add(row, found)
            if args.part == "classes":
                per_class[CLASSES[number // 4 % len(CLASSES)]].add(row, found)
            wrong = found.polarity != row.polarity or set(found.themes) != set(row.themes) or any(
                sign(found.theme_sentiments.get(t, 0.0)) != p for t, p in row.themes.items())
            if args.show_misses and wrong:
                print(f"  [{language}] {row.text}\n      want {row.polarity} {row.themes}\n      got  "
                      f"{found.polarity} {({t: round(v, 2) for t, v in found.theme_sentiments.items()})}")
        print(f"{language}: {score.line()}")
    for name in CLASSES if args.part == "classes" else ():
        print(f"class {name}: {per_class[name].line()}")


if __name__ == "__main__":
    main()
