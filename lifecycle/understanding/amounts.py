"""Numbers with what they count: points ("300 points") and money ("€75", "a 75 euro order")."""

from __future__ import annotations

import re
from decimal import Decimal

from lifecycle.shop.language import fold
from lifecycle.understanding.lexicon import lexicon

_NUMBER = r"(\d+(?:[,.]\d{3})*)(?![\d])"
_MONEY = r"(\d+(?:[.,]\d{1,2})?)"
_CURRENCY = re.compile(r"(?:€|\beur\s*)" + _MONEY + r"|" + _MONEY + r"\s*(?:€|eur(?:os?|o)?\b|bucks)")


def whole_number(text: str) -> int | None:
    """The first whole number in a message, in digits or spelled in one of the five ("4", "quattro",
    "fyra"): a score typed instead of pressed."""
    folded = fold(text)
    if digits := re.search(r"-?\d+", folded):
        return int(digits.group())
    numbers = lexicon().numbers
    return next((numbers[word] for word in re.findall(r"[a-z]+", folded) if word in numbers), None)


def points_named(text: str) -> int | None:
    """"300 points", "1,500 pts", "300 punti": a number of loyalty points."""
    folded = fold(text)
    for match in re.finditer(_NUMBER, folded):
        after = folded[match.end():match.end() + 24].lstrip().removeprefix("loyalty ")
        points = lexicon().find("points", after)
        if points and points.start() == 0:
            return int(re.sub(r"[,.]", "", match.group(1)))
    return None


def money_named(text: str, with_purchase_words: bool = False) -> Decimal | None:
    """An amount in euros: with a currency ("€75", "75 euro"), or (`with_purchase_words`) next to a
    purchase ("a 75 order", "spend 75", "un ordine da 75")."""
    folded = fold(text)
    if match := _CURRENCY.search(folded):
        return Decimal(next(group for group in match.groups() if group).replace(",", "."))
    if with_purchase_words:
        words = lexicon()
        for match in re.finditer(_MONEY, folded):
            near = folded[max(0, match.start() - 16):match.end() + 16]
            if words.has("purchase", near):
                return Decimal(match.group(1).replace(",", "."))
    return None
