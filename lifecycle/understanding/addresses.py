"""E-mail addresses in a shopper's message: the one loose pattern every reader of addresses shares.

Anything with an @ between two words is a candidate; whether it can be written to is decided
later (`lifecycle.people.contact.checked_address`), so "anna@gmail" gets a reason, not silence.
"""

from __future__ import annotations

import re

_CANDIDATE = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']*[^\s<>()\[\],;:\"'.!?]")


def find_address(text: str) -> str | None:
    """The first thing in the text shaped like an e-mail address, or None."""
    found = _CANDIDATE.search(text or "")
    return found.group(0) if found else None


def without_addresses(text: str) -> str:
    """The text with e-mail addresses taken out: they say nothing about the shopper's language."""
    return _CANDIDATE.sub(" ", text)
