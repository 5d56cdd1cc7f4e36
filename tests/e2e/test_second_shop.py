"""The second demo shop (data/shops/northpeak: outdoor clothing and gear, a Shopify export with 41
products and 207 variants) answers its product questions on the running stack in five languages.
The facts each reply must state are read from the shop's own catalog, not written here."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from babel.numbers import format_currency

from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.facts import Product
from lifecycle.shop.formats import read_catalog
from lifecycle.shop.speech import LOCALES
from tests.stack import Chat

pytestmark = pytest.mark.e2e
LANGUAGES = ("en", "it", "sv", "pl", "ro")
CATALOG = {p.name: p for p in read_catalog(PROJECT_ROOT / "data" / "shops" / "northpeak" / "catalog.csv").products}


def eur(amount: Decimal, language: str) -> str:
    return format_currency(amount, "EUR", locale=LOCALES[language])


def _ask(chat: Chat, name: str, language: str, question: str) -> str:
    return chat.text(f"np-{name}-{language}", question)


@pytest.mark.parametrize(("language", "question"), zip(LANGUAGES, [
    "how much is the storm shell jacket", "quanto costa la storm shell jacket", "vad kostar storm shell jacket",
    "ile kosztuje storm shell jacket", "cât costă storm shell jacket"], strict=True))
def test_price(northpeak_chat: Chat, language: str, question: str) -> None:
    reply = _ask(northpeak_chat, "price", language, question)
    assert eur(CATALOG["Storm Shell Jacket"].price_eur, language) in reply, reply


@pytest.mark.parametrize(("language", "question"), zip(LANGUAGES, [
    "do you have the grid fleece hoodie in M in red", "avete la grid fleece hoodie in M rossa",
    "har ni grid fleece hoodie i M i rött", "czy macie grid fleece hoodie w rozmiarze M w kolorze czerwonym",
    "aveți grid fleece hoodie în M roșu"], strict=True))
def test_a_size_and_colour(northpeak_chat: Chat, language: str, question: str) -> None:
    hoodie: Product = CATALOG["Grid Fleece Hoodie"]
    variant = next(v for v in hoodie.variants if v.options == {"Size": "M", "Color": "Red"})
    reply = _ask(northpeak_chat, "variant", language, question)
    if variant.in_stock:
        assert f"({variant.stock}" in reply and eur(variant.price_eur, language) in reply, reply
    else:
        assert all(f"{v.options['Size']} / {v.options['Color']}" in reply for v in hoodie.variants if v.in_stock)


@pytest.mark.parametrize(("language", "question"), zip(LANGUAGES, [
    "which sizes of the storm shell jacket are left", "quali taglie della storm shell jacket sono disponibili",
    "vilka storlekar finns kvar av storm shell jacket", "jakie rozmiary storm shell jacket są dostępne",
    "ce mărimi mai sunt la storm shell jacket"], strict=True))
def test_sizes_left(northpeak_chat: Chat, language: str, question: str) -> None:
    jacket = CATALOG["Storm Shell Jacket"]
    left = {v.options["Size"] for v in jacket.variants if v.in_stock}
    reply = _ask(northpeak_chat, "sizes", language, question)
    listed = re.findall(r"[\w/-]+", reply.split(":")[-1])  # "S, M, L, XXL, XS e XL."
    assert left and left <= set(listed), reply


@pytest.mark.parametrize(("language", "question"), zip(LANGUAGES, [
    "is the trekker 45 on sale", "il trekker 45 è in saldo?", "är trekker 45 på rea",
    "czy trekker 45 jest w promocji",
    "trekker 45 e la reducere"], strict=True))
def test_on_sale(northpeak_chat: Chat, language: str, question: str) -> None:
    reply = _ask(northpeak_chat, "sale", language, question)
    assert eur(Decimal("149"), language) in reply and eur(Decimal("179"), language) in reply, reply


@pytest.mark.parametrize(("language", "question"), zip(LANGUAGES, [
    "show me backpacks over 40 litres", "zaini sopra i 40 litri", "ryggsäckar över 40 liter",
    "plecaki powyżej 40 litrów", "rucsacuri de peste 40 de litri"], strict=True))
def test_a_filter_on_the_shops_own_attribute(northpeak_chat: Chat, language: str, question: str) -> None:
    reply = _ask(northpeak_chat, "filter", language, question)
    assert "Trekker 45" in reply and "Expedition 65" in reply and "Daypack 22" not in reply, reply


@pytest.mark.parametrize(("language", "question"), zip(LANGUAGES, [
    "which is the lightest tent", "qual è la tenda più leggera", "vilket tält är lättast",
    "który namiot jest najlżejszy", "care este cel mai ușor cort"], strict=True))
def test_the_lightest(northpeak_chat: Chat, language: str, question: str) -> None:
    reply = _ask(northpeak_chat, "lightest", language, question)
    lightest = min((p for p in CATALOG.values() if p.category == "tent"), key=lambda p: p.weight_g or 0)
    assert lightest.name in reply and reply.index(lightest.name) == min(
        reply.find(p.name) for p in CATALOG.values() if p.category == "tent" and p.name in reply), reply


@pytest.mark.parametrize(("language", "question"), zip(LANGUAGES, [
    "what warranty does the ridge 2 tent have", "che garanzia ha la ridge 2 tent", "vilken garanti har ridge 2 tent",
    "jaka gwarancja na ridge 2 tent", "ce garanție are ridge 2 tent"], strict=True))
def test_warranty_from_a_metafield(northpeak_chat: Chat, language: str, question: str) -> None:
    reply = _ask(northpeak_chat, "warranty", language, question)
    assert "Ridge 2 Tent" in reply and "5" in reply and "2" not in reply.replace("Ridge 2", ""), reply
