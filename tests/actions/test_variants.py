"""Sizes, colours and sales (issue 22), asked in five languages of a shop that exports from Shopify:
the demo data's tee has S/Blue (4), M/Blue (0), M/Red (7), L/Red (2), €45 (was €55) but L at €49."""

import shutil
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.products import ActionProductFacts
from actions.services import Services
from tests.conftest import TrackerFactory, texts

EXPORT = Path(__file__).parents[1] / "lifecycle" / "shop" / "catalogs" / "shopify_products_export.csv"


@pytest.fixture
def apparel(shop_dir: Path) -> Path:
    """The demo shop's policies with a Shopify export as its catalog."""
    shutil.copy(EXPORT, shop_dir / "catalog.csv")
    return shop_dir


async def _ask(dispatcher: CollectingDispatcher, tracker_for: TrackerFactory, text: str, language: str,
               intent: str = "ask_product_stock") -> str:
    await ActionProductFacts().run(dispatcher, tracker_for(text, intent, slots={"language": language}), {})
    return texts(dispatcher)[-1]


@pytest.mark.parametrize(("question", "language"), [
    ("do you have the trail merino tee in M in red?", "en"),
    ("avete la trail merino tee in M rossa?", "it"),
    ("finns trail merino tee i M i rött?", "sv"),
    ("czy macie trail merino tee w rozmiarze M w kolorze czerwonym?", "pl"),
    ("aveți trail merino tee în M roșu?", "ro"),
])
async def test_a_variant_in_stock_is_confirmed_with_its_count(
        apparel: Path, services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory,
        question: str, language: str) -> None:
    reply = await _ask(dispatcher, tracker_for, question, language)
    assert "M" in reply and "7" in reply and ("45" in reply), reply


@pytest.mark.parametrize(("question", "language"), [
    ("is the trail merino tee available in M blue", "en"),
    ("la trail merino tee in M blu c'è?", "it"),
    ("har ni trail merino tee i M blå", "sv"),
    ("trail merino tee M niebieska jest dostępna?", "pl"),
    ("trail merino tee în M albastru e pe stoc?", "ro"),
])
async def test_a_variant_sold_out_says_so_and_names_what_is_left(
        apparel: Path, services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory,
        question: str, language: str) -> None:
    reply = await _ask(dispatcher, tracker_for, question, language)
    assert "0" not in reply.split("M / Blue")[0] if "M / Blue" in reply else True
    left = reply.split(":")[-1]
    assert "S / Blue" in left and "M / Red" in left and "L / Red" in left and "M / Blue" not in left, reply


@pytest.mark.parametrize(("question", "language"), [
    ("which sizes of the trail merino tee are left?", "en"),
    ("quali taglie della trail merino tee sono rimaste?", "it"),
    ("vilka storlekar finns kvar av trail merino tee?", "sv"),
    ("jakie rozmiary trail merino tee zostały?", "pl"),
    ("ce mărimi mai sunt la trail merino tee?", "ro"),
])
async def test_which_sizes_are_left(apparel: Path, services: Services, dispatcher: CollectingDispatcher,
                                    tracker_for: TrackerFactory, question: str, language: str) -> None:
    reply = await _ask(dispatcher, tracker_for, question, language)
    assert all(size in reply for size in ("S", "M", "L")) and "Trail Merino Tee" in reply, reply


@pytest.mark.parametrize(("question", "language"), [
    ("is the trail merino tee on sale?", "en"),
    ("la trail merino tee è in saldo?", "it"),
    ("är trail merino tee på rea?", "sv"),
    ("czy trail merino tee jest w promocji?", "pl"),
    ("trail merino tee e la reducere?", "ro"),
])
async def test_a_sale_names_the_price_before_and_now(apparel: Path, services: Services,
                                                     dispatcher: CollectingDispatcher, tracker_for: TrackerFactory,
                                                     question: str, language: str) -> None:
    reply = await _ask(dispatcher, tracker_for, question, language, "product_info")
    assert "45" in reply and "55" in reply, reply


async def test_a_product_not_on_sale_says_no(apparel: Path, services: Services, dispatcher: CollectingDispatcher,
                                             tracker_for: TrackerFactory) -> None:
    reply = await _ask(dispatcher, tracker_for, "is the enamel camp mug on sale?", "en", "product_info")
    assert reply.startswith("No") and "14.90" in reply, reply


async def test_a_size_the_product_never_comes_in(apparel: Path, services: Services,
                                                 dispatcher: CollectingDispatcher,
                                                 tracker_for: TrackerFactory) -> None:
    reply = await _ask(dispatcher, tracker_for, "do you have the trail merino tee in green?", "en")
    assert "Green" not in reply.split(":")[-1] and "Blue" in reply and "Red" in reply, reply


async def test_the_card_under_a_chosen_variant_adds_that_variant(
        apparel: Path, services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    """"Add to cart" under "the tee in L red?" puts the L / Red in the cart, at its own price."""
    await ActionProductFacts().run(dispatcher, tracker_for("do you have the trail merino tee in L in red?",
                                                           "ask_product_stock", slots={"language": "en"}), {})
    card = [m["custom"]["data"] for m in dispatcher.messages if m.get("custom")][-1]
    assert (card["sku"], card["price_eur"]) == ("NP-TEE-L-RED", "49.00"), card
    assert "L / Red" in str(card["name"]), card
    dispatcher.messages.clear()
    await ActionProductFacts().run(dispatcher, tracker_for("how much is the trail merino tee?", "ask_product_price",
                                                           slots={"language": "en"}), {})
    card = [m["custom"]["data"] for m in dispatcher.messages if m.get("custom")][-1]
    assert card["sku"] == "trail-tee", card  # no size chosen: the product, whose page offers the sizes
