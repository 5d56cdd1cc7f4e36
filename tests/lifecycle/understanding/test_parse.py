"""The understanding layer reads shapes, not sentences: these phrasings are not in the held-out eval
(eval/understanding.yml) nor in the NLU data."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from lifecycle.shop.catalog import Catalog
from lifecycle.shop.facts import Shop
from lifecycle.shop.loader import ShopDataError, load_shop
from lifecycle.understanding import Measure, understand
from lifecycle.understanding.lexicon import LexiconError, lexicon


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("lamps brighter than 2000 lm", Measure("lumen", Decimal("2000"), True)),
        ("headset that runs at least 25h", Measure("battery_hours", Decimal("25"), True)),
        ("cuffie sotto 180 grammi", Measure("weight_g", Decimal("180"), False)),
        ("kamera med minst 85 grader", Measure("field_of_view_deg", Decimal("85"), True)),
        ("słuchawki do 150 g", Measure("weight_g", Decimal("150"), False)),
        ("ceva pentru 6 persoane sau mai mult", Measure("max_people", Decimal("6"), True)),
    ],
)
def test_a_number_with_a_unit_is_a_measure_not_a_price(shop: Shop, text: str, measure: Measure) -> None:
    assert understand(text, Catalog(shop)).measures == (measure,)


def test_money_stays_money(shop: Shop) -> None:
    assert understand("webcams under 60 euros", Catalog(shop)).measures == ()


@pytest.mark.parametrize(
    ("text", "kind", "category"),
    [
        ("mean price for a webcam?", "average", "webcam"),
        ("quanti monitor avete", "count", "monitor"),
        ("alla headset tillsammans, vad kostar de", "sum", "headset"),
        ("od ilu do ilu kosztują kamerki? przedział", "range", "webcam"),
        ("diferenta intre cea mai ieftina si cea mai scumpa casca", "spread", "headset"),
    ],
)
def test_aggregates_over_a_category(shop: Shop, text: str, kind: str, category: str) -> None:
    query = understand(text, Catalog(shop))
    assert (query.aggregate, query.category) == (kind, category)


def test_a_group_size_with_a_named_product_is_a_capacity_check_not_a_filter(shop: Shop) -> None:
    query = understand("will the echo room do for a team of 14", Catalog(shop))
    assert query.products == ("SP-200",) and query.people == 14 and query.measures == ()


def test_quantity_points_country_and_the_quickest_delivery(shop: Shop) -> None:
    catalog = Catalog(shop)
    assert understand("four glow key lights, how much", catalog).quantity == 4
    assert understand("punti per 2 lumo pro", catalog).points is True
    query = understand("potrzebuję na jutro do Polski", catalog)
    assert query.fastest and query.country == "PL"


def test_every_fact_asked_in_order_and_overlaps_read_once(shop: Shop) -> None:
    catalog = Catalog(shop)
    assert understand("echo mini warranty and weight", catalog).facets == ("warranty", "weight_g")
    assert understand("how much does the calla duo weigh", catalog).facets == ("weight_g",)
    assert understand("is the echo mini plugged in", catalog).facets == ("power",)
    assert understand("risoluzione del clara 27", catalog).facets == ("spec:resolution",)


def test_a_word_of_the_language_is_never_a_misspelt_product(shop: Shop) -> None:
    query = understand("la webcam più cara", Catalog(shop))
    assert query.products == () and query.category == "webcam"


def test_the_shops_vocabulary_makes_a_column_askable_without_code(shop_dir: Path) -> None:
    path = shop_dir / "vocabulary.yml"
    vocabulary = yaml.safe_load(path.read_text())
    vocabulary["attributes"]["lumen"]["units"] = ["lumenes"]
    vocabulary["attributes"]["lumen"]["asks"] = ["lumenes"]
    path.write_text(yaml.safe_dump(vocabulary))
    shop = load_shop(shop_dir)
    query = understand("lamps of at least 1000 lumenes", Catalog(shop))
    assert query.measures == (Measure("lumen", Decimal("1000"), True),)
    assert understand("lm of the glow key light", Catalog(shop)).facets == ()


def test_a_vocabulary_mistake_names_the_file_and_line(shop_dir: Path) -> None:
    path = shop_dir / "vocabulary.yml"
    path.write_text("attributes:\n  weight_g:\n    label: weight\n    asks: weigh\n")
    with pytest.raises(ShopDataError, match=r"vocabulary.yml, line 4: field 'attributes.weight_g.asks'"):
        load_shop(shop_dir)
    path.write_text("attributes:\n  colour:\n    label: colour\n")
    with pytest.raises(ShopDataError, match="declares attributes colour, which the catalog has no column for"):
        load_shop(shop_dir)


def test_a_language_file_missing_a_key_is_refused(tmp_path: Path) -> None:
    for code in ("en",):
        (tmp_path / f"{code}.yml").write_text("numbers: {one: 1}\nordinals: {first: 1}\nat_least: [over]\n")
    with pytest.raises(LexiconError, match=r"en.yml: .*missing keys \['and'"):
        lexicon(tmp_path, ("en",))


@pytest.mark.parametrize(
    ("text", "language"),
    [("vad kostar 2 st", "sv"), ("za ile?", "pl"), ("la ce pret e?", "ro"), ("prise of the eco mini", "en"),
     ("ok", "en")],
)
def test_a_short_first_message_takes_the_language_of_its_shop_words(text: str, language: str) -> None:
    from lifecycle.shop.language import fold
    from lifecycle.understanding.language import conversation_language

    assert conversation_language(text, None, None, lexicon().language_of(fold(text))) == language


def test_a_short_message_keeps_the_conversations_language() -> None:
    from lifecycle.shop.language import fold
    from lifecycle.understanding.language import conversation_language

    assert conversation_language("pris?", None, "it", lexicon().language_of(fold("pris?"))) == "it"
    assert conversation_language("pris?", None, None, ()) == "en"
