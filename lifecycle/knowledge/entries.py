"""FAQ entries as shop data: example questions and the answer per language, validated with lines."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, validator

from lifecycle.shop.base import Strict
from lifecycle.shop.language import LANGUAGES
from lifecycle.shop.loader import ShopDataError, load_yaml

FAQ = "faq.yml"
ENTRY_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_LINK = r"^https?://[^\s<>\"']{1,2000}$"


def _languages(value: dict[str, object]) -> dict[str, object]:
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language {', '.join(unknown)}: use {', '.join(LANGUAGES)}")
    if not value:
        raise ValueError("needs at least one language")
    return value


class FaqEntry(Strict):
    """One answer of the shop's: the questions shoppers ask for it and what to say, per language."""

    id: str = Field(..., regex=ENTRY_ID)
    questions: dict[str, list[str]]
    answer: dict[str, str]
    links: list[str] = Field([], max_items=5)

    _known_question_languages = validator("questions", allow_reuse=True)(_languages)
    _known_answer_languages = validator("answer", allow_reuse=True)(_languages)

    @validator("questions")
    def _some_questions(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:  # noqa: N805
        for language, asked in value.items():
            if not asked or not all(isinstance(q, str) and 3 <= len(q.strip()) <= 300 for q in asked):
                raise ValueError(f"{language}: give one to 20 example questions of 3 to 300 characters")
            if len(asked) > 20:
                raise ValueError(f"{language}: at most 20 example questions")
        return {language: [q.strip() for q in asked] for language, asked in value.items()}

    @validator("answer")
    def _answers_fit(cls, value: dict[str, str]) -> dict[str, str]:  # noqa: N805
        for language, text in value.items():
            if not 3 <= len(text.strip()) <= 2000:
                raise ValueError(f"{language}: an answer is 3 to 2,000 characters")
        return {language: text.strip() for language, text in value.items()}

    @validator("links", each_item=True)
    def _links_are_web(cls, value: str) -> str:  # noqa: N805
        if not re.match(_LINK, value):
            raise ValueError(f"{value!r} is not an http(s) link")
        return value



class FaqFile(Strict):
    entries: list[FaqEntry] = []

    @validator("entries")
    def _unique_ids(cls, value: list[FaqEntry]) -> list[FaqEntry]:  # noqa: N805
        seen: set[str] = set()
        for entry in value:
            if entry.id in seen:
                raise ValueError(f"id '{entry.id}' is used twice")
            seen.add(entry.id)
        return value


def load_faq(path: Path) -> list[FaqEntry]:
    """The shop's FAQ entries; a shop without the file has none. A mistake names the file and line."""
    if not path.exists():
        return []
    return load_yaml(path, FaqFile, "a mapping with 'entries', a list of id, questions, answer").entries


__all__ = ["FAQ", "FaqEntry", "ShopDataError", "load_faq"]
