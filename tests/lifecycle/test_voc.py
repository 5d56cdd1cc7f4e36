"""Feedback analysis on hand-written feedback whose themes and tone are known."""

import pytest

from lifecycle.people.voc import FeedbackAnalyser
from tests.conftest import analyser


@pytest.mark.parametrize(
    ("text", "language", "themes", "tone"),
    [
        ("Delivery was late and the price is too high", "en", ("shipping", "price"), -1),
        ("Great webcam, crisp picture, and your support agent was really helpful!", "en",
         ("product quality", "support"), 1),
        ("The checkout was confusing and the site search is not good", "en", ("checkout", "website"), -1),
        ("The parcels arrived quickly, I love it", "en", ("shipping",), 1),
        ("The headset broke after a week", "en", ("product quality",), -1),
        ("La spedizione è stata lenta", "it-IT", ("shipping",), -1),
        ("Leveransen var långsam och priset dyrt", "sv", ("shipping", "price"), -1),
        ("Dostawa była szybka, super", "pl", ("shipping",), 1),
        ("Livrarea a fost lentă", "ro", ("shipping",), -1),
        ("ok", "en", (), 0),
    ],
)
def test_themes_and_sentiment(text: str, language: str, themes: tuple, tone: int) -> None:
    result = analyser().analyse(text, language)
    assert result.themes == themes
    assert (result.sentiment > 0) - (result.sentiment < 0) == tone


def test_negation_flips_the_tone() -> None:
    assert analyser().analyse("the support was not helpful").sentiment < 0


def test_unknown_language_falls_back_to_english() -> None:
    assert analyser().analyse("slow delivery", "de-DE").language == "en"


def test_lexicons_are_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "themes.yml").write_text("packaging:\n  en: [box, packaging]\n")
    (tmp_path / "sentiment.yml").write_text("negators: {en: [not]}\nterms: {en: {nice: 1}}\n")
    result = FeedbackAnalyser(tmp_path).analyse("Nice box")
    assert result.themes == ("packaging",) and result.sentiment == 1
