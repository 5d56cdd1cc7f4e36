"""The shop's languages and how a page's language tag maps onto them."""

from __future__ import annotations

LANGUAGES = ("en", "it", "sv", "pl", "ro")


def language_of(hint: str | None) -> str:
    """The page language the widget sent ("it-IT" -> "it"); English when unknown."""
    code = (hint or "en").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else "en"
