"""Replies as data: the message catalogs, locale formats and the shop's translated texts."""

from __future__ import annotations

import logging
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.facts import Shop
from lifecycle.shop.language import LANGUAGES
from lifecycle.shop.loader import ShopDataError, load_shop
from lifecycle.shop.speech import CatalogError, Catalogs, check_catalog, placeholders
from lifecycle.shop.translations import missing_texts

LOCALES = PROJECT_ROOT / "data" / "locales"


def test_the_template_lists_every_message_the_code_says(tmp_path: Path) -> None:
    """`make messages` was run after the last change of wording: the .pot matches the code."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-k", "say", "-k", "say_n:1,2",
                    "--no-default-keywords", "--no-location", "--sort-output", "--omit-header", "-o", str(fresh),
                    "actions", "bot/web/labels.py", "bot/web/scheduler.py", "lifecycle/shop/speech.py",
                    "lifecycle/mail"],
                   cwd=PROJECT_ROOT, check=True, capture_output=True)
    with fresh.open("rb") as new, (LOCALES / "shopmate.pot").open("rb") as kept:
        assert {m.id for m in read_po(new)} == {m.id for m in read_po(kept)}


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_message_is_translated_with_the_same_facts(language: str) -> None:
    with (LOCALES / "shopmate.pot").open("rb") as template:
        wanted = {m.id for m in read_po(template) if m.id}
    path = LOCALES / language / "LC_MESSAGES" / "shopmate.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    check_catalog(catalog, path)  # a translation naming a fact its message lacks raises
    translated = {m.id for m in catalog if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    assert wanted - translated == set()
    dropped = []  # a translation leaving out a fact would hide a figure from the shopper
    for message in catalog:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            named = set().union(*(placeholders(str(text)) for text in ids))
            dropped += [(ids[0], form) for form in forms
                        if placeholders(str(form)) | {"count"} < named | {"count"}]
    assert dropped == []


def test_a_translation_that_drops_or_invents_a_fact_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "it" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "shopmate.po").write_text('msgid "The {name} costs {price}."\nmsgstr "{nome} costa {price}."\n',
                                        encoding="utf-8")
    with pytest.raises(CatalogError, match=r"shopmate.po:\d+: .*\['nome'\]"):
        Catalogs(tmp_path).voice("it", {})


def test_figures_follow_the_locale() -> None:
    catalogs = Catalogs(LOCALES)
    assert catalogs.voice("en", {}).eur(Decimal("4.90")) == "€4.90"
    assert catalogs.voice("it", {}).eur(Decimal("4.90")) == "4,90\xa0€"
    assert catalogs.voice("sv", {}).eur(Decimal("1299")) == "1\xa0299,00\xa0€"
    assert catalogs.voice("it", {}).country("PL") == "Polonia"
    assert catalogs.voice("en", {}).country("US") == "the United States"
    assert catalogs.voice("sv", {}).listing(["Visa", "Swish"]) == "Visa och Swish"


def test_plural_forms_follow_each_languages_rules() -> None:
    polish = Catalogs(LOCALES).voice("pl", {})
    assert [polish.days(span) for span in ("1", "2-4", "5")] == [
        "1 dzień roboczy", "2-4 dni robocze", "5 dni roboczych"]
    romanian = Catalogs(LOCALES).voice("ro", {})
    assert [romanian.days(span) for span in ("1", "3-5", "20")] == [
        "1 zi lucrătoare", "3-5 zile lucrătoare", "20 de zile lucrătoare"]
    assert Catalogs(LOCALES).voice("en", {}).days("1") == "1 business day"


def test_a_missing_translation_falls_back_to_english_visibly(tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "ro" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "shopmate.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        said = Catalogs(tmp_path).voice("ro", {}).say("Price")
    assert said == "Price"
    assert "No ro translation of the message 'Price'" in caplog.text


def test_the_demo_shop_has_every_text_translated(shop_dir: Path) -> None:
    shop = load_shop(shop_dir)
    assert missing_texts(shop, shop.texts) == {}
    assert Catalogs(LOCALES).voice("it", shop.texts).shop("complete, with all accessories") == \
        "completo, con tutti gli accessori"


def test_a_malformed_translations_file_stops_the_start(shop_dir: Path) -> None:
    (shop_dir / "translations" / "it.yml").write_text("testi:\n  a: b\n", encoding="utf-8")
    with pytest.raises(ShopDataError, match=r"it.yml: expected one key, 'texts:'"):
        load_shop(shop_dir)
    (shop_dir / "translations" / "it.yml").unlink()
    (shop_dir / "translations" / "de.yml").write_text("texts: {}\n", encoding="utf-8")
    with pytest.raises(ShopDataError, match=r"de.yml is not one of the shop's languages"):
        load_shop(shop_dir)


def test_a_text_without_translation_is_named_in_the_log(shop: Shop, shop_dir: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    path = shop_dir / "translations" / "sv.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  desk clamp: bordsklämma\n", ""), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        load_shop(shop_dir)
    assert "sv.yml has no translation for 1 shop text(s), which are said in English: desk clamp" in caplog.text
