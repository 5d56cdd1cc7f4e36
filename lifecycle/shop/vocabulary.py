"""The shop's own words: how its shoppers name each catalog attribute and each spec, in its languages.

A shop sells other things than DeskWorks, so the words that pick out "weight", "battery" or
"resolution" are data (`data/shop/vocabulary.yml`), validated at start like the rest of the shop;
`lifecycle.understanding` reads them. Words are matched folded (lower case, no diacritics) and as
word starts: "weigh" also finds "weighs" and "weight".
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, validator

from lifecycle.shop.language import fold

Words = tuple[str, ...]


def _fold_all(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise ValueError("must be a list of words")
    words = tuple(fold(str(word)).strip() for word in value)
    if any(not word for word in words):
        raise ValueError("has an empty word")
    return words


def _fold_some(value: object) -> tuple[str, ...]:
    words = _fold_all(value)
    if not words:
        raise ValueError("needs at least one word")
    return words


class _Strict(BaseModel):
    class Config:
        extra = "forbid"
        allow_mutation = False


class AttributeWords(_Strict):
    """One typed column of catalog.csv (`key`), and the words that ask about it."""

    label: str = Field(..., min_length=1)  # the English name an answer uses ("weight"), translated by gettext
    unit: str = ""  # the symbol an answer writes after the value ("g"); empty for counts
    units: Words = ()  # how shoppers write the unit after a number ("20 hours", "150 g", "10 persone")
    asks: Words = ()  # words asking for the value ("how heavy", "peso")
    most: Words = ()  # superlatives that want the highest value ("heaviest")
    least: Words = ()  # superlatives that want the lowest value ("lightest")
    more: Words = ()  # comparatives that mean a higher value ("heavier")
    less: Words = ()  # comparatives that mean a lower value ("lighter")
    filter: bool = True  # a number with one of `units` filters the catalog ("over 20 hours")
    # What a column of the shop's own (not one of catalog.csv's standard ones) holds: a number or a text.
    type: Literal["number", "text"] = "number"

    _fold = validator("units", "asks", "most", "least", "more", "less", pre=True, allow_reuse=True)(_fold_all)


class SpecWords(_Strict):
    """A fact only the specs text holds ("resolution" of a monitor): the words asking for it and the
    marks that find its line in a product's specs, tried in order."""

    asks: Words
    marks: tuple[str, ...]

    _fold = validator("asks", pre=True, allow_reuse=True)(_fold_some)

    @validator("marks", pre=True)
    def _lower(cls, value: object) -> tuple[str, ...]:
        if not isinstance(value, (list, tuple)) or not value:
            raise ValueError("must be a list of texts found in the spec line (\" x \", \"hz\")")
        return tuple(str(mark).lower() for mark in value)


class Vocabulary(_Strict):
    attributes: dict[str, AttributeWords] = {}
    specs: dict[str, SpecWords] = {}
    # A feature as the catalog writes it (a word of its features or connectivity columns) and the
    # other ways shoppers name it: "noise cancelling" for "anc", "usb-c" for "type c".
    features: dict[str, Words] = {}
    # Words of the catalog's feature names that name no feature on their own ("boom", "desk").
    plain_words: Words = ()

    _fold = validator("plain_words", pre=True, allow_reuse=True)(_fold_all)

    @validator("features", pre=True)
    def _fold_features(cls, value: object) -> dict[str, tuple[str, ...]]:
        if not isinstance(value, dict):
            raise ValueError("must map a feature to the words shoppers use for it")
        return {fold(str(name)).strip(): _fold_some(words) for name, words in value.items()}
