"""A question the typed fields do not answer is answered from the product's description only when
a sentence there says it, quoted; otherwise the assistant says the page doesn't say (issue 22)."""

import shutil
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.products import ActionProductFacts
from actions.services import Services
from lifecycle.settings import PROJECT_ROOT
from tests.conftest import TrackerFactory, texts


@pytest.fixture
def northpeak(shop_dir: Path) -> Path:
    shutil.rmtree(shop_dir)
    shutil.copytree(PROJECT_ROOT / "data" / "shops" / "northpeak", shop_dir)
    return shop_dir


@pytest.mark.parametrize(("question", "quoted"), [
    ("is the summit down jacket waterproof?", "Not waterproof."),
    ("does the daypack 22 have a rain cover?", "rain cover"),
    ("does the steel bottle 750 keep drinks cold?", "Keeps drinks cold for 24 hours"),
    ("can the solo ultralight tent be pitched with trekking poles?", "pitched with trekking poles"),
])
async def test_a_sentence_of_the_description_is_quoted(northpeak: Path, services: Services,
                                                      dispatcher: CollectingDispatcher, tracker_for: TrackerFactory,
                                                      question: str, quoted: str) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for(question, "product_info"), {})
    reply = texts(dispatcher)[-1]
    assert quoted in reply and "\u201c" in reply, reply


@pytest.mark.parametrize("question", ["is the trail flask 500 dishwasher safe?",
                                      "does the pom beanie come with a gift box?"])
async def test_nothing_in_the_description_is_never_a_guess(northpeak: Path, services: Services,
                                                          dispatcher: CollectingDispatcher,
                                                          tracker_for: TrackerFactory, question: str) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for(question, "product_info"), {})
    reply = texts(dispatcher)[-1]
    assert "\u201c" not in reply and ("doesn't say" in reply or "won't guess" in reply), reply
