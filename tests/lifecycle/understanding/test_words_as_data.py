"""What used to be English-only patterns in actions/ and shop/ now reads the language files: each
kind is asked here in all five languages."""

from decimal import Decimal

import pytest

from lifecycle.shop.facts import Shop
from lifecycle.understanding.advice import parse_need
from lifecycle.understanding.amounts import whole_number
from lifecycle.understanding.language import requested_language
from lifecycle.understanding.offer import discount_group, unsold_thing


@pytest.mark.parametrize(("text", "thing"), [
    ("hi, do you also sell standing desks", "standing desks"),
    ("vendete anche delle stampanti", "stampanti"),
    ("säljer ni kontorsstolar?", "kontorsstolar"),
    ("czy sprzedajecie też niszczarki?", "niszczarki"),
    ("vindeți și imprimante laser?", "imprimante laser"),
])
def test_a_thing_the_shop_does_not_sell_is_named(shop: Shop, text: str, thing: str) -> None:
    assert unsold_thing(text, shop) == thing


@pytest.mark.parametrize("text", [
    "do you sell speakerphones?", "what else do you sell", "vendete cuffie?", "cosa vendete di bello?",
    "säljer ni headset?", "vad säljer ni", "sprzedajecie kamerki?", "co macie w sklepie", "vindeți căști?",
    "ce aveți în magazin?", "do you sell the calla duo",
])
def test_the_shops_own_things_and_open_questions_are_not_refused(shop: Shop, text: str) -> None:
    assert unsold_thing(text, shop) is None


@pytest.mark.parametrize(("text", "language", "kind"), [
    ("any discount for students?", "en", "student"),
    ("c'è uno sconto per insegnanti?", "it", "insegnanti"),
    ("har ni pensionärsrabatt?", "sv", "pensionärs"),
    ("czy jest zniżka dla emerytów", "pl", "dla emerytów"),
    ("aveți reduceri pentru studenți?", "ro", "studenți"),
])
def test_a_discount_asked_for_by_group_is_named_in_the_conversations_language(text: str, language: str,
                                                                            kind: str) -> None:
    assert discount_group(text, language) == kind


def test_a_discount_code_question_names_no_group() -> None:
    assert discount_group("does the code work on sale items?", "en") is None


@pytest.mark.parametrize(("text", "language"), [
    ("could you please answer me in english", "en"),
    ("puoi scrivere in italiano?", "it"),
    ("kan vi byta till svenska", "sv"),
    ("możesz odpowiadać po polsku?", "pl"),
    ("te rog scrie-mi în română", "ro"),
    ("in romana va rog", "ro"),
])
def test_a_language_asked_for_in_any_of_the_five(text: str, language: str) -> None:
    assert requested_language(text) == language


@pytest.mark.parametrize(("text", "score"), [("4", 4), ("I'd say 3/5", 3), ("quattro", 4), ("fyra", 4),
                                             ("pięć", 5), ("doi", 2), ("great!", None)])
def test_a_typed_score_in_digits_or_words(text: str, score: int | None) -> None:
    assert whole_number(text) == score


@pytest.mark.parametrize(("text", "budget", "people"), [
    ("something for a call with 7 under 120 euro", Decimal("120"), 7),
    ("mi serve qualcosa per 5 persone, massimo 90 euro", Decimal("90"), 5),
    ("något för 8 personer, högst 200 euro", Decimal("200"), 8),
    ("szukam czegoś dla 4 osób do 70 euro", Decimal("70"), 4),
    ("caut ceva pentru 9 persoane, maxim 150 euro", Decimal("150"), 9),
])
def test_budget_and_group_size_in_five_languages(shop: Shop, text: str, budget: Decimal, people: int) -> None:
    need = parse_need(text, shop)
    assert (need.budget_eur, need.people) == (budget, people)


@pytest.mark.parametrize("text", ["headset for a loud café", "cuffie per un ufficio rumoroso",
                                  "headset för ett bullrigt kontor", "słuchawki do głośnego biura",
                                  "căști pentru un birou zgomotos"])
def test_a_noisy_place_in_five_languages(shop: Shop, text: str) -> None:
    assert parse_need(text, shop).noisy
