"""Which of a product's variants a message asks about: "in M?", "in rosso?", "which sizes are
left?", "is it on sale?". The values are the catalog's own (its variants' options), so any shop's
sizes and colours are understood with no word list; colour and option words in the five languages
come from the language files, which map them to the names catalogs use ("rossa" -> red)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lifecycle.shop.facts import Product, Variant
from lifecycle.shop.language import fold
from lifecycle.understanding.lexicon import lexicon

# A value this short ("M", "L", "XL") counts only written in capitals or after an option's name
# ("size m", "taglia m"): in lower case it is a word of its own ("i'm", "l'").
_SHORT = 3


@dataclass(frozen=True)
class VariantQuestion:
    chosen: dict[str, str] = field(default_factory=dict)  # option name -> value named ("Size": "M")
    unknown: bool = False  # a colour or size named that no variant has
    listing: str | None = None  # the option whose values in stock are asked for ("Size")
    sale: bool = False

    @property
    def asked(self) -> bool:
        return bool(self.chosen or self.unknown or self.listing or self.sale)


def _canonical(name: str) -> str:
    folded = fold(name)
    return lexicon().option_names.get(folded, folded)


def _named(value: str, text: str, folded: str, after_option: set[str]) -> bool:
    written = fold(value)
    if len(written) < _SHORT:
        return bool(re.search(r"(?<![A-Za-z0-9])" + re.escape(value.upper()) + r"(?![A-Za-z0-9])", text)) \
            or written in after_option
    if re.search(r"(?<![a-z0-9])" + re.escape(written) + r"(?![a-z0-9])", folded):
        return True
    words = lexicon()
    return bool(words.colour) and any(words.colours.get(m.group(0)) == written
                                      for m in words.colour.finditer(folded))  # type: ignore[union-attr]


def variant_question(text: str, product: Product) -> VariantQuestion:
    words, folded = lexicon(), fold(text)
    sale = words.has("on_sale", folded)
    if not product.variants:
        return VariantQuestion(sale=sale)
    names = list(dict.fromkeys(name for v in product.variants for name in v.options))
    asked_names = {words.option_names[m.group(0)] for m in words.option_name.finditer(folded)} \
        if words.option_name else set()
    # "size m", "taglia m", "rozmiar m": the word after an option's name
    after_option = {m.group(1) for m in re.finditer(r"\b(?:" + "|".join(map(re.escape, words.option_names))
                                                    + r")\w*\s+([a-z0-9-]{1,4})\b", folded)}
    chosen = {}
    for name in names:
        values = list(dict.fromkeys(v.options[name] for v in product.variants if name in v.options))
        found = [value for value in values if _named(value, text, folded, after_option)]
        if found:
            chosen[name] = found[0]
    colour_named = bool(words.colour and words.colour.search(folded))
    has_colour = any(_canonical(name) == "color" for name in names)
    unknown = colour_named and has_colour and not any(_canonical(name) == "color" for name in chosen)
    listing = next((name for name in names if _canonical(name) in asked_names and name not in chosen
                    and words.has("open_question", folded)), None)
    return VariantQuestion(chosen, unknown, listing, sale)


def matching(product: Product, chosen: dict[str, str]) -> list[Variant]:
    return [v for v in product.variants if all(v.options.get(name) == value for name, value in chosen.items())]


def label(variant: Variant) -> str:
    """"M / Red" (`Variant.label`, which the shop also names cart lines with)."""
    return variant.label
