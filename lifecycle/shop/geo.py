"""The countries the shop knows: which are in the EU and what they are called.

Reading a country out of a shopper's words is `lifecycle.understanding.places`.
"""

from __future__ import annotations

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

def country_name(code: str) -> str:
    return EU_COUNTRIES.get(code) or NON_EU_COUNTRIES.get(code) or code


def in_eu(code: str) -> bool:
    return code in EU_COUNTRIES
