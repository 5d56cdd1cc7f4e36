"""What a shopper writes to name an order: its number and the e-mail address or postcode on it.

The number's shape is the shop's (`orders.number_pattern` in shop.yml); postcodes are read in
the shapes of the shop's markets and their neighbours, taken only once the order number and the
address are out of the text, so "DW-10421" is never also read as the postcode "10421".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lifecycle.understanding.addresses import find_address

# UK ("EC1A 1BB"), Poland ("00-950"), the Netherlands ("1012 AB"), Sweden ("111 22"), and four to
# six digits (Italy, Romania, Germany, France, Spain...).
_POSTCODE = re.compile(r"(?<![\w-])(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{2}-\d{3}|\d{4}\s?[A-Z]{2}|\d{3}\s\d{2}"
                       r"|\d{4,6})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class OrderMention:
    number: str | None = None
    email: str | None = None
    postcode: str | None = None

    @property
    def proof(self) -> str | None:
        """What proves the order: the address if one was written, else the postcode."""
        return self.email or self.postcode


@lru_cache(maxsize=16)
def _number(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


def find_order_number(text: str, pattern: str) -> str | None:
    """The first order number in the text, as written (the order desk also tries it upper-cased)."""
    found = _number(pattern).search(text or "")
    return found.group(0) if found else None


def read_order(text: str, pattern: str) -> OrderMention:
    text = text or ""
    number = find_order_number(text, pattern)
    email = find_address(text)
    rest = _number(pattern).sub(" ", text)
    if email:
        rest = rest.replace(email, " ")
    postcode = _POSTCODE.search(rest)
    return OrderMention(number, email.lower() if email else None, postcode.group(0).upper() if postcode else None)
