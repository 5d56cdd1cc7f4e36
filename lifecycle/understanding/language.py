"""Which of the shop's five languages a shopper writes in, turn by turn.

The page's language (`<html lang>`, sent by the widget) is the starting point; lingua,
limited to the five, reads the text. A conversation keeps its language through short or
unclear messages ("ok", "hej", a product name) and switches only when the shopper asks
("can we speak English?", "po polsku proszę") or writes a whole sentence that lingua is
sure is another of the five: a wrong switch is worse for the shopper than a late one.
The words of a request (verbs, language names) are in the language files (`languages/`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from lifecycle.heap import give_back
from lifecycle.shop.language import LANGUAGES, fold, language_of
from lifecycle.understanding.lexicon import lexicon

if TYPE_CHECKING:
    from lingua import LanguageDetector

# A whole sentence: this many words of letters. Lingua is unreliable below it ("ok" reads as Polish).
SENTENCE_WORDS = 3
# Lingua's relative confidence in its best guess before a conversation changes language.
SWITCH_CONFIDENCE = 0.75
# Below this, lingua's best guess on a first message is no evidence against the shop's words.
UNSURE = 0.6
# "in English please", "po polsku": a bare language name only counts in a message this short, so
# "is the manual in English?" asked in Italian does not switch the conversation.
_SHORT_WORDS = 4
# How far after "speak"/"parla"/"mów" the language's name may come ("can you answer me in Polish").
_NAME_WITHIN = 4
_WORD = re.compile(r"[^\W\d_]{2,}")


def requested_language(text: str) -> str | None:
    """The language the shopper asks for in so many words, if they do."""
    folded, words = fold(text), lexicon()
    names = words.language_name
    if names is None:
        return None
    for verb in words.all("speak", folded):
        following = " ".join(folded[verb.end():].split()[:_NAME_WITHIN])
        if name := names.search(following):
            return words.language_names[name.group(0)]
    if len(_WORD.findall(folded)) > _SHORT_WORDS:
        return None
    rest = folded.strip(" \t\n!?.,")
    if (lead := words.find("in_language", rest)) and lead.start() == 0:
        rest = rest[lead.end():].strip()
    name = names.match(rest)
    return words.language_names[name.group(0)] if name else None


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """Built once per process (about 1.5 s, 150 MB); the models ship inside the wheel."""
    from lingua import Language, LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.ITALIAN, Language.SWEDISH, Language.POLISH, Language.ROMANIAN,
    ).with_preloaded_language_models().build()  # without this, the first detection loads them
    give_back()  # parsing the models freed about a third of what it took (lifecycle.heap)
    return detector


def warm_up() -> None:
    """Load lingua's models before the first shopper waits for them (about 1 s)."""
    _detector()


def detect(text: str, min_words: int = SENTENCE_WORDS) -> tuple[str, float] | None:
    """Lingua's best guess among the five and its relative confidence; None for fewer than
    `min_words` words, where the guess is mostly noise."""
    if len(_WORD.findall(text)) < min_words:
        return None
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return None
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    return (code, best.value) if code in LANGUAGES else None


def conversation_language(text: str, page: str | None, previous: str | None, by_words: tuple[str, ...] = ()) -> str:
    """The language to answer this turn in.

    `text` should have product names taken out (they are English in every market);
    `page` is the widget's page language, `previous` the conversation's language so far;
    `by_words` the languages whose shop words the message uses most (lifecycle.understanding), for a
    first message too short for lingua to be sure of ("vad kostar 2 st").
    """
    if asked := requested_language(text):
        return asked
    current = previous or language_of(page)
    # A first message with no page language is read even when short ("ile kosztuje ..."); later,
    # a short message never changes a conversation's language.
    guess = detect(text, SENTENCE_WORDS if current else 1)
    if guess and guess[1] >= SWITCH_CONFIDENCE and guess[0] != current:
        return guess[0]
    if current:
        return current
    # The shop's words decide only where lingua has no clear view: "prise of the eco mini" is
    # English with a typo, not Swedish for its "pris".
    if guess and guess[0] in by_words:
        return guess[0]  # "mi costa": Italian or Romanian by its words, and lingua leans Italian
    if len(by_words) == 1 and (guess is None or guess[1] < UNSURE):
        return by_words[0]
    return "en"
