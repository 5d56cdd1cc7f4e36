"""The labelled feedback the sentiment model learns from and is measured on (data/voc/labelled/).

One file per language and part: `<lang>.train.tsv` is learnt from, `<lang>.heldout.tsv` never is.
Each line: polarity (+, - or 0), the themes with the sentiment about each ("shipping+ quality-",
or "." for none), and the text, separated by tabs. docs/voc.md says how the texts were written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

THEME_KEYS = {"shipping": "shipping", "price": "price", "quality": "product quality", "support": "support",
              "checkout": "checkout", "website": "website"}
POLARITIES = {"+": "positive", "-": "negative", "0": "neutral"}


class LabelledDataError(ValueError):
    """A labelled file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Labelled:
    language: str
    text: str
    polarity: str  # positive, negative, neutral
    themes: dict[str, str]  # theme -> positive/negative/neutral: what the text says about it


def _themes(field: str, where: str) -> dict[str, str]:
    if field == ".":
        return {}
    found = {}
    for item in field.split():
        key, sign = (item[:-1], item[-1]) if item[-1] in "+-" else (item, "0")
        if key not in THEME_KEYS:
            raise LabelledDataError(f"{where}: unknown theme '{key}' (use {', '.join(THEME_KEYS)})")
        found[THEME_KEYS[key]] = POLARITIES[sign]
    return found


def load(folder: Path, part: str, languages: tuple[str, ...]) -> list[Labelled]:
    """Every labelled text of one part ("train" or "heldout") in the given languages."""
    found = []
    for language in languages:
        path = folder / f"{language}.{part}.tsv"
        if not path.exists():
            raise LabelledDataError(f"{path}: missing (each language needs a {part} file)")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            where = f"{path}:{number}"
            fields = line.split("\t")
            if len(fields) != 3 or fields[0] not in POLARITIES or not fields[2].strip():
                raise LabelledDataError(f"{where}: expected 'polarity<TAB>themes<TAB>text' with polarity +, - or 0")
            found.append(Labelled(language, fields[2].strip(), POLARITIES[fields[0]], _themes(fields[1], where)))
    return found
