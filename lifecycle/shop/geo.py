"""Which country a shopper means, so shipping, returns and payment answers can be specific.

A gazetteer rather than a learned entity: the list of countries is closed, the
shopper may name any of them (including ones never seen in training data), and a
wrong guess here would state a wrong price.
"""

from __future__ import annotations

import re

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
    "italia": "IT", "italian": "IT", "sverige": "SE", "swedish": "SE", "polska": "PL",
    "romania": "RO", "românia": "RO", "romanian": "RO", "deutschland": "DE",
    "german": "DE", "holland": "NL", "the netherlands": "NL", "czech republic": "CZ",
    "espana": "ES", "españa": "ES", "french": "FR", "spanish": "ES", "uk": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "great britain": "GB", "britain": "GB",
    "united kingdom": "GB", "usa": "US", "america": "US", "united states": "US",
    "the states": "US", "swiss": "CH", "norwegian": "NO", "uae": "AE",
}


def _build_names() -> dict[str, str]:
    names = {name.lower().removeprefix("the "): code for code, name in EU_COUNTRIES.items()}
    names.update({name.lower().removeprefix("the "): code for code, name in NON_EU_COUNTRIES.items()})
    names.update(_ALIASES)
    return names


_NAMES = _build_names()
_NAME_PATTERN = re.compile(
    r"\b(" + "|".join(sorted((re.escape(n) for n in _NAMES), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# Upper-case ISO codes only: "IT" is Italy, "it" is a pronoun.
_CODE_PATTERN = re.compile(r"\b(" + "|".join(list(EU_COUNTRIES) + list(NON_EU_COUNTRIES)) + r")\b")


def find_country(text: str) -> str | None:
    """The ISO code of the first country named in `text`, or None."""
    match = _NAME_PATTERN.search(text)
    if match:
        return _NAMES[match.group(1).lower()]
    match = _CODE_PATTERN.search(text)
    return match.group(1) if match else None


def country_name(code: str) -> str:
    return EU_COUNTRIES.get(code) or NON_EU_COUNTRIES.get(code) or code


def in_eu(code: str) -> bool:
    return code in EU_COUNTRIES
