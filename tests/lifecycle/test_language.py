"""Which language a turn is answered in, and countries named in any of the five."""

from __future__ import annotations

import pytest

from lifecycle.shop.language import fold, language_of
from lifecycle.understanding.language import conversation_language, detect, requested_language
from lifecycle.understanding.places import find_country, without_countries


def test_page_language_tags_map_onto_the_shops_five() -> None:
    assert language_of("it-IT") == "it"
    assert language_of("sv_SE") == "sv"
    assert language_of("de-DE") is None and language_of(None) is None


@pytest.mark.parametrize(("text", "language"), [
    ("quanto costa la spedizione in Italia?", "it"),
    ("vad kostar frakten till Sverige?", "sv"),
    ("ile kosztuje wysyłka do Polski?", "pl"),
    ("cât costă livrarea în România?", "ro"),
    ("cat costa livrarea in Romania", "ro"),  # no diacritics, as shoppers type
    ("how much is shipping to Italy?", "en"),
])
def test_whole_sentences_are_recognised(text: str, language: str) -> None:
    found = detect(text)
    assert found is not None and found[0] == language


def test_short_or_unclear_messages_keep_the_conversations_language() -> None:
    for text in ("ok", "hej", "grazie", "5", "CAM-200"):
        assert conversation_language(text, None, "it") == "it"
    assert conversation_language("ok", "pl-PL", None) == "pl"  # the page's language to begin with
    assert conversation_language("ok", None, None) == "en"


def test_the_shopper_switches_by_asking_or_by_writing_another_language() -> None:
    assert conversation_language("can we speak English?", "it", "it") == "en"
    assert conversation_language("po polsku proszę", None, "en") == "pl"
    assert conversation_language("Poți să vorbești în română?", None, "en") == "ro"
    assert conversation_language("kan du svara på svenska", None, "en") == "sv"
    assert conversation_language("how long does delivery take to Sweden?", "it", "it") == "en"
    assert conversation_language("e quanto costa la spedizione?", "en", "en") == "it"


def test_a_language_named_in_a_question_is_not_a_request_to_switch() -> None:
    assert requested_language("c'è il manuale in inglese?") is None
    assert requested_language("Polska") is None  # the country, not the language
    assert requested_language("prata på polska") == "pl"


@pytest.mark.parametrize(("text", "code"), [
    ("e in Polonia?", "PL"), ("och till Polen?", "PL"), ("do Polski", "PL"), ("w Polsce", "PL"),
    ("we Włoszech", "IT"), ("do Szwecji", "SE"), ("în României", "RO"), ("livrare in Suedia", "SE"),
    ("wysyłacie do Niemiec?", "DE"), ("Czechach", "CZ"), ("w Australii", "AU"), ("do Austrii", "AT"),
    ("Storbritannien", "GB"), ("Elveția", "CH"), ("SUA", "US"), ("shipping to Germany", "DE"),
])
def test_countries_in_the_five_languages_and_their_inflections(text: str, code: str) -> None:
    assert find_country(text) == code


@pytest.mark.parametrize("text", ["which camera covers the widest angle?", "poleć dobry film", "greetings",
                                  "jakie pole widzenia ma Lumo Room?", "how much is it", "it works"])
def test_ordinary_words_are_not_countries(text: str) -> None:
    assert find_country(text) is None


def test_country_names_are_taken_out_before_detection() -> None:
    assert without_countries("express to Sweden?") == "express to"
    assert fold("Cât costă łóżko") == "cat costa lozko"
