"""Feedback analysis: held-out accuracy per language, hard cases, sentiment per theme, speed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lifecycle.people.voc.analyser import FeedbackAnalyser
from lifecycle.people.voc.labelled import LabelledDataError, load
from lifecycle.people.voc.words import Tokens
from lifecycle.shop.language import LANGUAGES
from tests.conftest import REPORT, VOC_DIR, analyser

# Measured on each language's held-out texts (docs/voc.md): polarity 0.94-0.98, themes (exact set)
# 0.84-0.90 after issue 27 (0.90-0.94 and 0.76-0.88 before). The thresholds keep a margin of three
# texts or more; the earlier word-list method scored 0.08-0.32 on polarity.
MIN_POLARITY = 0.88
MIN_THEMES = 0.76


@pytest.mark.parametrize("language", LANGUAGES)
def test_heldout_accuracy(language: str) -> None:
    rows = load(VOC_DIR / "labelled", "heldout", (language,))
    results = [(row, analyser().analyse(row.text, language)) for row in rows]
    polarity = sum(found.polarity == row.polarity for row, found in results) / len(rows)
    themes = sum(set(found.themes) == set(row.themes) for row, found in results) / len(rows)
    unsure = sum(not found.confident for _, found in results)
    REPORT.append(f"VoC held-out ({language}, {len(rows)} texts): polarity {polarity:.2f}, themes (exact set) "
                  f"{themes:.2f}, unsure {unsure}")
    assert polarity >= MIN_POLARITY and themes >= MIN_THEMES


def test_the_heldout_texts_are_never_learnt_from() -> None:
    train = {row.text.lower() for row in load(VOC_DIR / "labelled", "train", LANGUAGES)}
    heldout = {row.text.lower() for part in ("heldout", "classes", "fresh", "blind")
               for row in load(VOC_DIR / "labelled", part, LANGUAGES)}
    assert len(heldout) >= 5 * 66 and train & heldout == set()


@pytest.mark.parametrize(("text", "language", "polarity"), [
    ("It stopped working after a week.", "en", "negative"),  # complaints without an adjective
    ("Nobody answered my emails for days.", "en", "negative"),
    ("The form kept rejecting my card.", "en", "negative"),
    ("I wouldn't say it was fast.", "en", "negative"),  # negation
    ("Arrivato in ritardo.", "it", "negative"),
    ("Uszkodzony.", "pl", "negative"),
    ("Kom fort och fungerar perfekt.", "sv", "positive"),
    ("Livrarea a fost rapidă, mulțumesc!", "ro", "positive"),
    ("Do you deliver on Sundays?", "en", "neutral"),
])
def test_hard_cases(text: str, language: str, polarity: str) -> None:
    assert analyser().analyse(text, language).polarity == polarity


@pytest.mark.parametrize(("text", "language"), [
    ("Fast delivery but the microphone is bad.", "en"),
    ("Consegna veloce, ma il microfono è pessimo.", "it"),
    ("Szybka dostawa, ale mikrofon jest kiepski.", "pl"),
])
def test_mixed_feedback_has_a_sentiment_per_theme(text: str, language: str) -> None:
    result = analyser().analyse(text, language)
    assert result.theme_sentiments["shipping"] > 0 > result.theme_sentiments["product quality"]
    assert result.polarity == "negative"  # the clause after "but" decides the whole


def test_the_language_is_detected_without_a_hint() -> None:
    assert analyser().analyse("La consegna è arrivata in ritardo di una settimana").language == "it"
    assert analyser().analyse("slow delivery", "de-DE").language == "en"


def test_one_text_is_analysed_in_under_20_ms() -> None:
    texts = [row.text for row in load(VOC_DIR / "labelled", "heldout", LANGUAGES)]
    analyser().analyse(texts[0], "en")  # warm: spaCy pipelines load on first use of a language
    for language in LANGUAGES:
        analyser().analyse("ok", language)
    started = time.perf_counter()
    for text in texts:
        analyser().analyse(text)
    per_text = (time.perf_counter() - started) / len(texts) * 1000
    REPORT.append(f"VoC analysis: {per_text:.1f} ms per text over {len(texts)} texts")
    assert per_text < 20


def test_a_theme_added_to_the_word_lists_works_without_labelled_texts(tmp_path: Path) -> None:
    for name in ("sentiment.yml", "themes.yml"):
        (tmp_path / name).write_text((VOC_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "themes.yml").open("a", encoding="utf-8") as themes:
        themes.write("packaging:\n  en: [box, packaging, wrapping]\n")
    (tmp_path / "labelled").symlink_to(VOC_DIR / "labelled")
    assert "packaging" in FeedbackAnalyser(tmp_path).analyse("The packaging was torn", "en").themes


def test_a_malformed_labelled_line_is_named(tmp_path: Path) -> None:
    for language in LANGUAGES:
        (tmp_path / f"{language}.train.tsv").write_text("+\tshipping+\tFast.\n", encoding="utf-8")
    (tmp_path / "pl.train.tsv").write_text("+\tshipping+\tSzybko.\n?\tprice\tDrogo.\n", encoding="utf-8")
    with pytest.raises(LabelledDataError, match=r"pl.train.tsv:2: expected 'polarity<TAB>themes<TAB>text'"):
        load(tmp_path, "train", LANGUAGES)


def test_a_bare_yaml_no_in_a_word_list_is_named(tmp_path: Path) -> None:
    """YAML reads a bare `no` as false: the English negator "no" was silently lost that way until issue 27."""
    for name in ("sentiment.yml", "themes.yml"):
        (tmp_path / name).write_text((VOC_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    sentiment = tmp_path / "sentiment.yml"
    text = sentiment.read_text(encoding="utf-8")
    assert "no., hardly" in text  # the shop's file writes it as a whole word: make it a bare YAML no
    sentiment.write_text(text.replace("no., hardly", "no, hardly"), encoding="utf-8")
    (tmp_path / "labelled").symlink_to(VOC_DIR / "labelled")
    with pytest.raises(ValueError, match=r"sentiment.yml: negators: en: False is not a word; put it in quotes"):
        FeedbackAnalyser(tmp_path)


def test_an_entry_ending_in_a_dot_is_a_whole_word() -> None:
    price = analyser().themes["price"]["sv"]
    assert price.matches(Tokens.of("899 kr är för mycket", "sv"))
    assert not price.matches(Tokens.of("Ljudet är kristallklart", "sv"))
