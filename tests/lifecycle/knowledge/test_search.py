"""The shop's own answers (issue 28): entries and pages found in five languages, silence on near misses,
figures on the held-out set, and mistakes in the shop's files reported with their lines."""

from pathlib import Path

import pytest

from eval.knowledge import knowledge, questions, score
from lifecycle.knowledge import KnowledgeBase, load_faq, read_pages
from lifecycle.knowledge.entries import FaqEntry
from lifecycle.knowledge.search import THRESHOLD
from lifecycle.shop.loader import ShopDataError


@pytest.fixture(scope="module")
def demo() -> KnowledgeBase:
    return knowledge()


def test_held_out_questions_are_answered_rightly_or_not_at_all_in_every_language(demo: KnowledgeBase) -> None:
    """Issue 28's bar on questions written before the matcher: precision and silence >= 95% per language."""
    for language, result in score(demo, questions("heldout"), THRESHOLD).items():
        assert result.precision >= 0.95, (language, result)
        assert result.silent >= 0.95, (language, result)
        assert result.answered >= 5, (language, result)  # it does answer, not only stay silent


@pytest.mark.parametrize(("question", "language", "expected", "said"), [
    ("do you offer gift wrapping?", "en", "gift_wrap", "3.90 EUR"),
    ("fate confezioni regalo?", "it", "gift_wrap", "3,90 EUR"),
    ("säljer ni presentkort?", "sv", "gift_cards", "25, 50 eller 100 EUR"),
    ("czy odbieracie zużyty sprzęt elektroniczny?", "pl", "recycling", "bezpłatnie"),
    ("pot precomanda un produs?", "ro", "preorder", "precomandă"),
])
def test_an_entry_answers_in_the_shoppers_language(demo: KnowledgeBase, question: str, language: str,
                                                  expected: str, said: str) -> None:
    match = demo.search(question, language)
    assert match is not None and match.confident and (match.id, match.language) == (expected, language)
    assert said in match.answer


def test_a_page_passage_is_quoted_with_its_link(demo: KnowledgeBase) -> None:
    match = demo.search("how long does a repair take?", "en")
    assert match is not None and match.confident and (match.kind, match.id) == ("page", "warranty-claims")
    assert "7 to 10 business days" in match.answer and match.links == ("https://deskworks.example/warranty-claim",)
    assert "How repairs work" in match.title


def test_an_entry_written_in_one_language_answers_others_with_a_note() -> None:
    entry = FaqEntry(id="invoice_copy", questions={"en": ["can I get a copy of my invoice?"],
                                                   "it": ["posso avere una copia della fattura?"]},
                     answer={"en": "Yes: every invoice is in your account under Orders."}, links=[])
    match = KnowledgeBase([entry], []).search("vorrei una copia della fattura", "it")
    assert match is not None and match.confident and match.other_language and match.language == "en"


@pytest.mark.parametrize("question", ["can I pay in bitcoin?", "posso ritirare l'ordine nello showroom?",
                                      "what's the weather in Milan?", "do you sell printers?",
                                      "where is my order?"])  # one word ("order") is too little to answer on
def test_a_near_miss_is_not_answered(demo: KnowledgeBase, question: str) -> None:
    match = demo.search(question)
    assert match is None or not match.confident, match


def test_html_pages_lose_scripts_styles_and_navigation(tmp_path: Path) -> None:
    (tmp_path / "help.en.html").write_text(
        "<html><head><title>Help</title><link rel='canonical' href='https://shop.example/help'>"
        "<script>var secret = 'x';</script><style>p {}</style></head><body><nav>Home</nav>"
        "<h2>Opening hours</h2><p>We answer e-mail <b>every day</b> &amp; night.</p>"
        "<script>alert(1)</script><footer>(c)</footer></body></html>", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a page", encoding="utf-8")
    (tmp_path / "huge.en.md").write_bytes(b"# x\n" + b"a" * 1_100_000)
    passages = read_pages(tmp_path)
    assert [(p.page, p.heading, p.text, p.url) for p in passages] == [
        ("help", "Opening hours", "We answer e-mail every day & night.", "https://shop.example/help")]


def test_a_mistake_in_the_faq_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "faq.yml"
    path.write_text("entries:\n  - id: ok\n    questions: {en: [\"is it ok?\"]}\n    answer: {en: yes it is}\n"
                    "  - id: Bad Id\n    questions: {en: [\"what?\"]}\n    answer: {en: this}\n", encoding="utf-8")
    with pytest.raises(ShopDataError, match=r"faq.yml, line 5: field 'entries.1.id'"):
        load_faq(path)


def test_answering_takes_milliseconds(demo: KnowledgeBase) -> None:
    import time

    started = time.perf_counter()
    for _ in range(50):
        demo.search("can you wrap my order as a gift for my sister?", "en")
    assert (time.perf_counter() - started) / 50 < 0.05
