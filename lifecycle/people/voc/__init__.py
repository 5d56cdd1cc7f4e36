"""Voice of the Customer: themes and sentiment of written feedback, per theme, in five languages.

Themes come from the word lists in themes.yml (marketing extends them without code); sentiment
comes from a model trained on labelled feedback (data/voc/labelled, see `model`), judged clause by
clause so that "fast delivery but the microphone is bad" is positive about shipping and negative
about product quality. A text the model is unsure about is marked so and counted apart.
docs/voc.md has the held-out accuracy per language against the earlier word-list method.
"""

from __future__ import annotations

from pathlib import Path

import yaml


def theme_names(voc_dir: Path) -> list[str]:
    """The themes marketing can filter on, in the word lists' order (without loading the models)."""
    return list(yaml.safe_load((voc_dir / "themes.yml").read_text(encoding="utf-8")))
