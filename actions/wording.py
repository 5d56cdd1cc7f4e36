"""Small wording helpers shared by the actions' replies."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def eur(amount: Decimal) -> str:
    return f"€{amount:.2f}"


def listing(items: Sequence[str], last: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def days(span: str) -> str:
    return f"{span} business day" + ("" if span == "1" else "s")
