"""The shop's own texts in the other four languages: specs, features, payment methods, policies.

`data/shop/translations/<lang>.yml` maps each English text as shop.yml or catalog.csv writes it
to its translation. The texts that need one are listed from the shop itself
(`translatable_texts`), so a new product's spec without a translation is named at start-up
(and English is said, visibly in the logs) instead of being noticed by a shopper.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from lifecycle.shop.facts import Product, Shop
from lifecycle.shop.language import LANGUAGES

logger = logging.getLogger(__name__)

Texts = dict[str, dict[str, str]]  # language -> English text -> translation


class TranslationError(ValueError):
    """A translations file is malformed; the message names the file and the entry."""


def without_brackets(text: str) -> str:
    """shop.yml's texts without their bracketed details: "webcams (USB) and headsets" -> "webcams and headsets"."""
    return re.sub(r"\s*\(.*?\)", "", text)


def category_plural(category: str) -> str:
    """The English plural a category is listed under ("webcams", "lights")."""
    if category.endswith("s"):  # "trousers", "socks", "glasses"
        return category
    if category.endswith(("ch", "sh", "x")):
        return category + "es"
    if category.endswith("y") and category[-2:-1] not in "aeiou":
        return category[:-1] + "ies"
    return category + "s"


def translatable_texts(shop: Shop) -> list[str]:
    """Every text from the shop's data that the assistant may say, in English."""
    policies = shop.policies
    texts: list[str] = [without_brackets(policies.shop.sells), policies.returns.condition,
                        *policies.checkout.account_gives, policies.support.chat, policies.support.human_agents,
                        policies.loyalty.redeem, *policies.payment.everywhere]
    for methods in policies.payment.by_country.values():
        texts.extend(methods)
    for category in shop.categories:
        texts.extend([category, category_plural(category)])
    texts.extend(words.label for key, words in shop.vocabulary.attributes.items() if key not in Product.__fields__)
    for product in shop.products:
        texts.extend([*product.specs, *product.features])
        texts.extend(value for value in product.attributes.values() if isinstance(value, str))
        if product.video:
            texts.append(product.video)
    options = [name for product in shop.products for variant in product.variants for name in variant.options]
    return list(dict.fromkeys([*(text for text in texts if re.search(r"[a-z]{3}", text) and not _is_name(text)),
                               *options]))


def _is_name(text: str) -> bool:
    """"Apple Pay", "Visa", "USB-C": names stay as they are in every language."""
    return all(word[:1].isupper() or word[:1].isdigit() for word in text.split())


def _load(path: Path) -> dict[str, str]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TranslationError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(raw, dict) or set(raw) != {"texts"} or not isinstance(raw["texts"], dict):
        raise TranslationError(f"{path}: expected one key, 'texts:', mapping each English text to its translation")
    texts: dict[str, str] = {}
    for english, translated in raw["texts"].items():
        if not isinstance(english, str) or not isinstance(translated, str) or not translated.strip():
            raise TranslationError(f"{path}: '{english}' needs a non-empty text as its translation")
        texts[english] = translated.strip()
    return texts


def load_texts(folder: Path, languages: Iterable[str] = LANGUAGES) -> Texts:
    """The translations present; a language without a file simply has none (and is reported)."""
    found: Texts = {}
    for language in languages:
        if language == "en":
            continue
        path = folder / f"{language}.yml"
        found[language] = _load(path) if path.exists() else {}
    if folder.exists():
        unknown = sorted(p.name for p in folder.glob("*.yml") if p.stem not in LANGUAGES)
        if unknown:
            raise TranslationError(f"{folder}: {', '.join(unknown)} is not one of the shop's languages "
                                   f"({', '.join(LANGUAGES)})")
    return found


def missing_texts(shop: Shop, texts: Texts) -> dict[str, list[str]]:
    """For each language, the shop texts it has no translation for."""
    wanted = translatable_texts(shop)
    return {language: missing for language, known in texts.items()
            if (missing := [text for text in wanted if text not in known])}


def report_missing(shop: Shop, texts: Texts, folder: Path = Path("translations")) -> None:
    for language, missing in missing_texts(shop, texts).items():
        logger.warning("%s has no translation for %d shop text(s), which are said in English: %s",
                       folder / f"{language}.yml", len(missing), "; ".join(missing[:10]))
