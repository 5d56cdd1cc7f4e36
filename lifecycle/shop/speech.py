"""Replies in the shopper's language: message catalogs, locale formats and the shop's own texts.

Every sentence the assistant says is a gettext message (`data/locales/<lang>/LC_MESSAGES/
shopmate.po`, extracted from the code by Babel into `shopmate.pot`) whose placeholders name the
shop facts it uses (`{price}`, `{country}`, `{days}`). Numbers, prices, lists and country names
come from Babel's locale data, so "4,90 €" in Italian and "€4.90" in English. Texts that come
from the shop's data (specs, payment methods, the return condition) are translated in
`data/shop/translations/<lang>.yml` (see `lifecycle.shop.translations`).

A missing translation falls back to English and is logged once, naming the message, so it
is visible in the logs; the tests require every catalog to be complete.
"""

from __future__ import annotations

import io
import logging
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

from lifecycle.shop.geo import country_name
from lifecycle.shop.language import LANGUAGES

logger = logging.getLogger(__name__)

DOMAIN = "shopmate"
LOCALES = {"en": "en_IE", "it": "it_IT", "sv": "sv_SE", "pl": "pl_PL", "ro": "ro_RO"}


class CatalogError(ValueError):
    """A message catalog is broken; the message names the file and the entry to fix."""


def placeholders(text: str) -> set[str]:
    """The facts a message template names ("{price}" -> price)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def check_catalog(catalog: Catalog, path: Path) -> None:
    """A translation may only use facts its English message names: a misspelt `{prise}` would
    crash the reply. (That none is left out is checked by tests/lifecycle/test_speech.py.)"""
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        wanted = set().union(*(placeholders(text) for text in ids))
        for text in strings:
            if text and placeholders(text) - wanted:
                raise CatalogError(f"{path}:{message.lineno}: '{text}' uses {sorted(placeholders(text) - wanted)}, "
                                   f"which '{ids[0]}' does not name")


def load_translations(locales_dir: Path, language: str) -> NullTranslations:
    """The compiled catalog of one language, read from its .po file (no compiled .mo is kept in git)."""
    if language == "en":
        return NullTranslations()
    path = locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        with path.open("rb") as po:
            catalog = read_po(po, locale=language)
    except FileNotFoundError:
        raise CatalogError(f"{path}: no message catalog for '{language}'") from None
    except Exception as error:  # Babel raises plain errors for a broken file
        raise CatalogError(f"{path}: not a valid .po file: {error}") from None
    check_catalog(catalog, path)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@dataclass
class Catalogs:
    """The five languages' message catalogs, each read once per process."""

    locales_dir: Path
    _translations: dict[str, NullTranslations] = field(default_factory=dict)

    def translations(self, language: str) -> NullTranslations:
        if language not in self._translations:
            self._translations[language] = load_translations(self.locales_dir, language)
        return self._translations[language]

    def voice(self, language: str, shop_texts: Mapping[str, Mapping[str, str]]) -> Voice:
        """How to speak `language`, with the shop's texts translated (`Shop.texts`)."""
        language = language if language in LANGUAGES else "en"
        return Voice(language, self.translations(language), shop_texts.get(language, {}))


_warned: set[tuple[str, str]] = set()


def _missing(language: str, text: str, what: str) -> None:
    if (language, text) not in _warned:
        _warned.add((language, text))
        logger.warning("No %s translation of %s '%s': English is used", language, what, text)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES.get(language, "en_IE"))


@dataclass(frozen=True)
class Voice:
    """How the assistant speaks in one language; the actions' only way to word a reply."""

    language: str
    translations: NullTranslations
    texts: Mapping[str, str]

    @property
    def locale(self) -> Locale:
        return _locale(self.language)

    def say(self, message: str, **facts: object) -> str:
        """One catalog message with its facts filled in."""
        translated = self.translations.gettext(message)
        if translated is message and self.language != "en":
            _missing(self.language, message, "the message")
        return translated.format(**facts)

    def say_n(self, singular: str, plural: str, count: int, **facts: object) -> str:
        """A message whose wording depends on a number ("1 dzień", "2 dni", "5 dni"); `{count}` is filled."""
        translated = self.translations.ngettext(singular, plural, count)
        if self.language != "en" and translated in (singular, plural):
            _missing(self.language, singular, "the message")
        return translated.format(count=self.number(count), **facts)

    def shop(self, text: str) -> str:
        """A text from the shop's data (a spec, a payment method) in this language."""
        if self.language == "en" or not text:
            return text
        translated = self.texts.get(text)
        if translated is None:
            _missing(self.language, text, "the shop text")
            return text
        return translated

    def eur(self, amount: Decimal | float | int) -> str:
        return format_currency(Decimal(amount), "EUR", locale=self.locale)

    def number(self, value: Decimal | float | int) -> str:
        return format_decimal(value, locale=self.locale)

    def listing(self, items: Iterable[str], last: str = "and") -> str:
        """"a, b and c" in the locale's words; `last="or"` for alternatives."""
        items = [item for item in items if item]
        if not items:
            return ""
        return format_list(items, style="or" if last == "or" else "standard", locale=self.locale)

    def country(self, code: str) -> str:
        """The country's name in this language (Babel's CLDR names; in English, with "the" where it takes one)."""
        if self.language == "en":
            return country_name(code)
        return self.locale.territories.get(code, code)

    def day(self, when: date, today: date) -> str:
        """A date as a shopper says it: "today", "tomorrow", "yesterday", the weekday within a week
        either side ("Thursday"), else the day and month ("4 December"), in the voice's language."""
        delta = (when - today).days
        near = {0: self.say("today"), 1: self.say("tomorrow"), -1: self.say("yesterday")}
        if delta in near:
            return near[delta]
        if abs(delta) <= 6:
            return format_date(when, "EEEE", locale=self.locale)
        return format_date(when, "d MMMM" if when.year == today.year else "d MMMM y", locale=self.locale)

    def days(self, span: str) -> str:
        """Business days for a span such as "2-3"; the plural form follows its upper end."""
        upper = int(span.split("-")[-1])
        return self.say_n("{count} business day", "{count} business days", upper).replace(
            self.number(upper), span, 1)

