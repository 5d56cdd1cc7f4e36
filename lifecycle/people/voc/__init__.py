"""Voice of the Customer: themes and sentiment of written feedback, per theme, in five languages.

Themes come from the word lists in themes.yml (marketing extends them without code) weighed by a model
trained on labelled feedback (data/voc/labelled, see `model`). Sentiment comes from a model over the
text's n-grams and the cues of sentiment.yml: sentiment words with negation, litotes ("can't
complain"), negated events ("never arrived"), "too" and comparisons with what was expected. A text is
read side by side where it turns, so "fast delivery but the microphone is bad" is positive about
shipping and negative about product quality. A text the model is unsure about is marked so and counted
apart. docs/voc.md has the held-out accuracy per language and per kind of text.
"""

from __future__ import annotations

from pathlib import Path

import yaml


def theme_names(voc_dir: Path) -> list[str]:
    """The themes marketing can filter on, in the word lists' order (without loading the models)."""
    return list(yaml.safe_load((voc_dir / "themes.yml").read_text(encoding="utf-8")))
