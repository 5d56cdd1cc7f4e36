"""Evaluation of the shop's own answers (issue 28) on questions written before the matcher.

    .venv/bin/python -m eval.knowledge                 # held-out figures per language
    .venv/bin/python -m eval.knowledge --sweep tune    # figures per threshold on the tuning set

Precision: of the questions answered, the share answered from the right entry or page. Silent:
of the questions nothing answers, the share left unanswered. Answered share: of the questions
something answers, the share answered (rightly or not). Needs no running assistant.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import yaml

from lifecycle.knowledge import KnowledgeBase
from lifecycle.knowledge.search import MIN_WORDS
from lifecycle.knowledge.source import build
from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.loader import load_shop

SETS = PROJECT_ROOT / "eval" / "knowledge"


@dataclass
class Score:
    answerable: int = 0
    answered: int = 0
    right: int = 0
    silent_cases: int = 0
    kept_silent: int = 0
    suggested: int = 0  # not answered, but the right entry offered as "did you mean"
    suggested_wrongly: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.answered if self.answered else 1.0

    @property
    def silent(self) -> float:
        return self.kept_silent / self.silent_cases if self.silent_cases else 1.0

    @property
    def answered_share(self) -> float:
        return self.answered / self.answerable if self.answerable else 0.0


def questions(name: str) -> dict[str, list[tuple[str, str]]]:
    raw = yaml.safe_load((SETS / f"{name}.yml").read_text(encoding="utf-8"))
    return {language: [(str(text), str(expected)) for text, expected in items] for language, items in raw.items()}


def knowledge(shop_dir: Path = PROJECT_ROOT / "data" / "shop") -> KnowledgeBase:
    return build(shop_dir, load_shop(shop_dir))


def score(base: KnowledgeBase, asked: dict[str, list[tuple[str, str]]], threshold: float,
          misses: list[str] | None = None) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for language, items in asked.items():
        result = scores.setdefault(language, Score())
        for text, expected in items:
            match = base.search(text, language)
            answered = match is not None and match.confidence >= threshold and match.asked_words >= MIN_WORDS
            got = "none" if not answered or match is None else \
                (match.id if match.kind == "faq" else f"page:{match.id}")
            if match is not None and not answered and match.suggestable:
                right = match.id == expected and match.kind == "faq"
                result.suggested += right
                result.suggested_wrongly += not right
            if expected == "none":
                result.silent_cases += 1
                result.kept_silent += not answered
            else:
                result.answerable += 1
                result.answered += answered
                result.right += answered and got == expected
            if misses is not None and got != expected:
                confidence = f"{match.confidence:.2f} {match.id}" if match else "-"
                misses.append(f"{language} | {text} | expected {expected} | got {got} ({confidence})")
    return scores


def table(scores: dict[str, Score]) -> str:
    lines = ["| language | precision | silent | answered share | did you mean: right / other |",
             "|---|---|---|---|---|"]
    for language, s in scores.items():
        lines.append(f"| {language} | {s.right}/{s.answered} = {s.precision:.2f} | "
                     f"{s.kept_silent}/{s.silent_cases} = {s.silent:.2f} | "
                     f"{s.answered}/{s.answerable} = {s.answered_share:.2f} | {s.suggested} / {s.suggested_wrongly} |")
    return "\n".join(lines)


def main() -> None:
    from lifecycle.knowledge.search import THRESHOLD

    parser = argparse.ArgumentParser(prog="python -m eval.knowledge", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="heldout", choices=["heldout", "tune"])
    parser.add_argument("--sweep", choices=["heldout", "tune"], help="figures for thresholds 0.3 to 0.9")
    parser.add_argument("--misses", action="store_true", help="list every question answered wrongly")
    args = parser.parse_args()
    base = knowledge()
    if args.sweep:
        asked = questions(args.sweep)
        for step in range(30, 91, 5):
            scores = score(base, asked, step / 100)
            print(f"{step / 100:.2f}: " + "  ".join(
                f"{lang} p={s.precision:.2f} s={s.silent:.2f} a={s.answered_share:.2f}" for lang, s in scores.items()))
        return
    misses: list[str] = []
    print(table(score(base, questions(args.set), THRESHOLD, misses)))
    if args.misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
