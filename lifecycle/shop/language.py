"""The shop's five languages, page language tags, and the folding every text comparison uses.

Which language a shopper writes in is understanding (`lifecycle.understanding.language`).
"""

from __future__ import annotations

import unicodedata

LANGUAGES = ("en", "it", "sv", "pl", "ro")


def fold(text: str) -> str:
    """Lower case without diacritics: shoppers often type "cat costa" for "cât costă"."""
    text = text.replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def language_of(hint: str | None) -> str | None:
    """The shop language a page tag names ("it-IT" -> "it"), or None for any other tag."""
    if not hint:
        return None
    code = str(hint).split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None
