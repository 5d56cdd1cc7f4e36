"""Which country a shopper means, so shipping, returns and payment answers can be specific.

A gazetteer rather than a learned entity: the list of countries is closed, the
shopper may name any of them (including ones never seen in training data), and a
wrong guess here would state a wrong price.
"""

from __future__ import annotations

import re

from babel import Locale

from lifecycle.shop.language import LANGUAGES, fold

EU_COUNTRIES: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus",
    "CZ": "Czechia", "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France",
    "DE": "Germany", "GR": "Greece", "HU": "Hungary", "IE": "Ireland", "IT": "Italy",
    "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg", "MT": "Malta", "NL": "Netherlands",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SK": "Slovakia", "SI": "Slovenia",
    "ES": "Spain", "SE": "Sweden",
}

NON_EU_COUNTRIES: dict[str, str] = {
    "GB": "the United Kingdom", "US": "the United States", "CH": "Switzerland", "NO": "Norway",
    "IS": "Iceland", "CA": "Canada", "AU": "Australia", "JP": "Japan", "CN": "China",
    "IN": "India", "BR": "Brazil", "MX": "Mexico", "TR": "Turkey", "UA": "Ukraine",
    "RS": "Serbia", "AL": "Albania", "MD": "Moldova", "RU": "Russia", "ZA": "South Africa",
    "NZ": "New Zealand", "AE": "the United Arab Emirates", "IL": "Israel", "SG": "Singapore",
}

_ALIASES: dict[str, str] = {
    "italian": "IT", "swedish": "SE", "romanian": "RO", "german": "DE", "holland": "NL",
    "the netherlands": "NL", "czech republic": "CZ", "french": "FR", "spanish": "ES", "uk": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "great britain": "GB", "britain": "GB",
    "united kingdom": "GB", "usa": "US", "america": "US", "united states": "US", "the states": "US",
    "swiss": "CH", "norwegian": "NO", "uae": "AE", "deutschland": "DE", "espana": "ES",
    # Forms Babel's locale data does not give: Polish cases that change the stem, common short names.
    "wloszech": "IT", "wloch": "IT", "wlochom": "IT", "wielkiej brytanii": "GB", "brytanii": "GB",
    "anglii": "GB", "anglia": "GB", "marea britanie": "GB", "sua": "US", "stanach zjednoczonych": "US",
    "stanow zjednoczonych": "US", "olanda": "NL", "holandii": "NL", "polsce": "PL", "niemiec": "DE",
    "niemczech": "DE", "wegrzech": "HU", "grecji": "GR",
}
# Shoppers write country names in the five languages (Babel's CLDR names), often without diacritics,
# and in Polish or Romanian inflected: "do Polski", "w Szwecji", "în României".
_NAMES: dict[str, str] = {}
for _language in LANGUAGES:
    _territories = Locale.parse(_language).territories
    for _code in (*EU_COUNTRIES, *NON_EU_COUNTRIES):
        _NAMES.setdefault(fold(_territories.get(_code, "")).strip(), _code)
_NAMES.update({fold(name).removeprefix("the "): code for code, name in {**EU_COUNTRIES, **NON_EU_COUNTRIES}.items()})
_NAMES.update(_ALIASES)
_NAMES.pop("", None)
_NAME_PATTERN = re.compile(
    r"\b(" + "|".join(sorted((re.escape(n) for n in _NAMES), key=len, reverse=True)) + r")\b")
# Upper-case ISO codes only: "IT" is Italy, "it" is a pronoun.
_CODE_PATTERN = re.compile(r"\b(" + "|".join(list(EU_COUNTRIES) + list(NON_EU_COUNTRIES)) + r")\b")
# Case endings of Polish and Romanian country names, without diacritics ("Szwecj-i", "Români-ei", "Czech-ach").
_ENDINGS = ("", "a", "e", "i", "y", "u", "ii", "ji", "ei", "iei", "ie", "ach", "om")
_STEMS = {stem: code for name, code in _NAMES.items()
          if " " not in name and name not in _ALIASES and len(stem := name.rstrip("aeiouy")) >= 4}
_WORD = re.compile(r"[a-z]{4,}")


def _inflected(word: str) -> str | None:
    """A declined name ("Szwecji", "României", "Czechach"): the longest stem the word is made of."""
    for size in range(len(word), 3, -1):
        code = _STEMS.get(word[:size])
        if code and word[size:] in _ENDINGS:
            return code
    return None


def find_country(text: str) -> str | None:
    """The ISO code of the first country named in `text`, in any of the shop's languages, or None."""
    folded = fold(text)
    match = _NAME_PATTERN.search(folded)
    if match:
        return _NAMES[match.group(1)]
    for word in _WORD.findall(folded):
        if code := _inflected(word):
            return code
    match = _CODE_PATTERN.search(text)
    return match.group(1) if match else None


def without_countries(text: str) -> str:
    """The text with the words that name a country taken out: "Sweden" or "Polska" says nothing
    about the language a shopper writes in."""
    return " ".join(word for word in text.split() if not find_country(word.strip(".,;:!?¿¡()\"'")))


def country_name(code: str) -> str:
    return EU_COUNTRIES.get(code) or NON_EU_COUNTRIES.get(code) or code


def in_eu(code: str) -> bool:
    return code in EU_COUNTRIES
