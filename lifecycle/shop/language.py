"""Which of the shop's five languages a shopper writes in, turn by turn.

The page's language (`<html lang>`, sent by the widget) is the starting point; lingua,
limited to the five, reads the text. A conversation keeps its language through short or
unclear messages ("ok", "hej", a product name) and switches only when the shopper asks
("can we speak English?", "po polsku proszę") or writes a whole sentence that lingua is
sure is another of the five: a wrong switch is worse for the shopper than a late one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

LANGUAGES = ("en", "it", "sv", "pl", "ro")

# A whole sentence: this many words of letters. Lingua is unreliable below it ("ok" reads as Polish).
SENTENCE_WORDS = 3
# Lingua's relative confidence in its best guess before a conversation changes language.
SWITCH_CONFIDENCE = 0.75
# Below this, lingua's best guess on a first message is no evidence against the shop's words.
UNSURE = 0.6

# "Speak/write/answer in <language>" in each of the five: the verbs and the language words that
# follow them. Written without diacritics; the text is folded the same way before matching.
_NAMES = {
    "en": r"english|inglese|engelska|angielsku|angielski|engleza|englezeste",
    "it": r"italian|italiano|italienska|wlosku|italiana|italieneste",
    "sv": r"swedish|svedese|svenska|szwedzku|suedeza",
    "pl": r"polish|polacco|(?<=pa )polska|polsku|poloneza",  # "Polska" alone is the country
    "ro": r"romanian|rumeno|rumanska|rumunsku|romana|romaneste",
}
_VERBS = (r"speak|talk|write|answer|reply|respond|switch to|continue in|parla|parlare|parli|parliamo|scrivi|"
          r"rispondi|prata|pratar|tala|talar|skriv|svara|mow|mowic|pisz|odpowiadaj|vorbeste|vorbesti|vorbiti|vorbim|"
          r"vorbi|scrie|scrieti|raspunde|raspundeti")
_LANGUAGE_WORD = "(" + "|".join(f"(?P<{code}>{names})" for code, names in _NAMES.items()) + r")\b"
_REQUEST = re.compile(r"\b(?:" + _VERBS + r")\b(?:\s+\w+){0,2}?\s+(?:in\s+|pa\s+|po\s+|in\s+limba\s+)?"
                      + _LANGUAGE_WORD)
# "in English please", "po polsku": a bare language word only counts in a message this short,
# so "is the manual in English?" asked in Italian does not switch the conversation.
_SHORT_REQUEST = re.compile(r"^\W*(?:in\s+|pa\s+|po\s+|in\s+limba\s+)?" + _LANGUAGE_WORD)
_SHORT_WORDS = 4
_WORD = re.compile(r"[^\W\d_]{2,}")


def fold(text: str) -> str:
    """Lower case without diacritics: shoppers often type "cat costa" for "cât costă"."""
    text = text.replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def language_of(hint: str | None) -> str | None:
    """The shop language a page tag names ("it-IT" -> "it"), or None for any other tag."""
    if not hint:
        return None
    code = str(hint).split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def requested_language(text: str) -> str | None:
    """The language the shopper asks for in so many words, if they do."""
    folded = fold(text)
    match = _REQUEST.search(folded)
    if not match and len(_WORD.findall(folded)) <= _SHORT_WORDS:
        match = _SHORT_REQUEST.search(folded)
    if not match:
        return None
    return next(code for code in LANGUAGES if match.group(code))


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """Built once per process (about 1.5 s, 150 MB); the models ship inside the wheel."""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.ITALIAN, Language.SWEDISH, Language.POLISH, Language.ROMANIAN).build()


def warm_up() -> None:
    """Load lingua's models before the first shopper waits for them."""
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
    return best.language.iso_code_639_1.name.lower(), best.value


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
