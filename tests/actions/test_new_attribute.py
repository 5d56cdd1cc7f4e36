"""A shop adds a typed column to its catalog and lists its words: shoppers can ask about it in five
languages, filter and rank by it, with no Python change (issue 21)."""

import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.advice import ActionSuperlative
from actions.lists import ActionProductList
from actions.products import ActionProductFacts
from actions.services import Services
from lifecycle.shop.loader import ShopDataError, load_shop
from tests.conftest import TrackerFactory, texts

CABLES = {"HS-100": "2.5", "HS-300": "1.8", "CAM-100": "1.5", "SP-200": "3"}
WORDS = {
    "label": "cable length", "unit": "m", "units": ["m", "metre", "metres", "meter", "meters", "metri", "metro",
                                                    "meter", "metrow", "metry", "metri"],
    "asks": ["cable length", "how long is the cable", "length of the cable", "lunghezza del cavo",
             "quanto e lungo il cavo", "kabellangd", "hur lang ar kabeln", "dlugosc kabla", "jak dlugi jest kabel",
             "lungimea cablului", "cat de lung e cablul", "cat de lung este cablul"],
    "most": ["longest cable", "cavo piu lungo", "langst kabel", "najdluzszy kabel", "najdluzszym kablem",
             "cel mai lung cablu"],
}
LABELS = {"it": "lunghezza del cavo", "sv": "kabellängd", "pl": "długość kabla", "ro": "lungimea cablului"}


@pytest.fixture
def cable_column(shop_dir: Path) -> Path:
    """The demo shop with a `cable_length_m` column, its words and its label's translations."""
    catalog = shop_dir / "catalog.csv"
    rows = list(csv.DictReader(io.StringIO(catalog.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, [*rows[0].keys(), "cable_length_m"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "cable_length_m": CABLES.get(row["sku"], "")})
    catalog.write_text(out.getvalue(), encoding="utf-8")
    vocabulary = yaml.safe_load((shop_dir / "vocabulary.yml").read_text(encoding="utf-8"))
    vocabulary["attributes"]["cable_length_m"] = WORDS
    (shop_dir / "vocabulary.yml").write_text(yaml.safe_dump(vocabulary, allow_unicode=True), encoding="utf-8")
    for language, text in LABELS.items():
        path = shop_dir / "translations" / f"{language}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["texts"]["cable length"] = text
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return shop_dir


@pytest.mark.parametrize(("question", "language", "said"), [
    ("how long is the cable on the calla duo?", "en", ["cable length", "1.8 m"]),
    ("quanto è lungo il cavo della calla duo?", "it", ["lunghezza del cavo", "1,8 m"]),
    ("hur lång är kabeln på calla duo?", "sv", ["kabellängd", "1,8 m"]),
    ("jak długi jest kabel w calla duo?", "pl", ["długość kabla", "1,8 m"]),
    ("cât de lung e cablul la calla duo?", "ro", ["lungimea cablului", "1,8 m"]),
])
async def test_a_new_column_is_askable_in_five_languages(
        cable_column: Path, services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory,
        question: str, language: str, said: list[str]) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for(question, "ask_product_specs",
                                                           slots={"language": language}), {})
    reply = texts(dispatcher)[-1]
    assert "Calla Duo" in reply and all(fact in reply for fact in said), reply


async def test_a_product_without_the_value_says_so(cable_column: Path, services: Services,
                                                   dispatcher: CollectingDispatcher,
                                                   tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for("how long is the cable of the calla wireless?",
                                                           "ask_product_specs"), {})
    reply = texts(dispatcher)[-1]
    assert "no cable length" in reply and "m." not in reply.split("What it lists")[0], reply


async def test_the_new_column_filters_and_ranks(cable_column: Path, services: Services,
                                                dispatcher: CollectingDispatcher,
                                                tracker_for: TrackerFactory) -> None:
    await ActionProductList().run(dispatcher, tracker_for("show me products with a cable over 2 m",
                                                          "ask_product_list"), {})
    listed = texts(dispatcher)[-1]
    assert "Calla Wired USB Headset" in listed and "Echo Room Speakerphone" in listed, listed
    assert "Calla Duo" not in listed and "Lumo HD" not in listed
    await ActionSuperlative().run(dispatcher, tracker_for("which headset has the longest cable?",
                                                          "ask_superlative"), {})
    best = texts(dispatcher)[-1]
    assert best.index("Calla Wired USB Headset") < best.find("Calla Duo") or "Calla Duo" not in best, best
    assert "2.5 m" in best, best


def test_a_column_nobody_declared_is_refused_with_its_name(shop_dir: Path) -> None:
    catalog = shop_dir / "catalog.csv"
    lines = catalog.read_text(encoding="utf-8").splitlines()
    catalog.write_text("\n".join([lines[0] + ",colour_code", *(line + ",7" for line in lines[1:])]) + "\n",
                       encoding="utf-8")
    with pytest.raises(ShopDataError, match="colour_code.*vocabulary.yml"):
        load_shop(shop_dir)


def test_a_bad_value_in_a_number_column_skips_its_row_naming_line_and_column(
        cable_column: Path, caplog: pytest.LogCaptureFixture) -> None:
    catalog = cable_column / "catalog.csv"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(",1.8\n", ",long\n"), encoding="utf-8")
    shop = load_shop(cable_column)
    assert "HS-300" not in shop.by_sku and len(shop.products) == 10
    assert re.search(r"line 7: sku 'HS-300', field 'cable_length_m': 'long' is not a number", caplog.text)
