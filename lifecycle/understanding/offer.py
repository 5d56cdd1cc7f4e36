"""Whether a shopper asks for something the shop does not sell ("do you sell printers?").

A plain "no" is better than the catalog tour a shop question gets: the thing asked for is the
rest of the clause after a verb of selling, once the language files' filler ("any", "anche")
is dropped. It counts only when none of its words is a word of the language files and it is
neither a category nor mostly the words of a product's name or features, so "do you have
anything for meetings?" is a shop question, not a refusal.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lifecycle.shop.facts import Shop
from lifecycle.shop.language import fold
from lifecycle.understanding.advice import find_category
from lifecycle.understanding.lexicon import lexicon

# "printers", "standing desks", "office chairs for kids": longer is a sentence, not a thing.
_MOST_WORDS = 3
_CLAUSE_END = re.compile(r"[?!.,;:]")


@lru_cache(maxsize=8)
def _shop_words(shop: Shop) -> frozenset[str]:
    """Every word of the catalog's names and features, once per loaded shop (10,000 products)."""
    words: set[str] = set()
    for product in shop.products:
        for text in (product.name, product.category, *product.features, *product.connectivity):
            words |= set(fold(text).split())
    return frozenset(words)


def unsold_thing(text: str, shop: Shop) -> str | None:
    """What the shopper asks whether the shop sells, when it is none of the shop's things."""
    words, folded = lexicon(), fold(text)
    for verb in words.all("sell", folded):
        if words.has("open_question", folded[:verb.start()]):  # "what else do you sell", "cosa vendete di bello"
            continue
        rest = _CLAUSE_END.split(folded[verb.end():], maxsplit=1)[0].split()
        while rest and (words.opens_with("some", rest[0]) or words.opens_with("sell", rest[0])):
            rest = rest[1:]
        if not rest or len(rest) > _MOST_WORDS or words.opens_with("anything", " ".join(rest)):
            continue
        thing, ours = " ".join(rest), _shop_words(shop)
        mostly_ours = sum(word in ours for word in rest) * 2 > len(rest)  # "lumo hd", not "office chairs"
        if find_category(thing, shop) is None and not mostly_ours and not any(w in words.known for w in rest):
            return thing
    return None


def discount_group(text: str, language: str) -> str | None:
    """The kind of discount asked for by who or when ("student discount?", "sconto aziende"), named
    the way the language files name it in the conversation's language when they can."""
    words = lexicon()
    pattern = words.discount_group
    found = pattern.search(fold(text)) if pattern else None
    if found is None:
        return None
    word = " ".join(found.group(0).split())
    for code in (language, *words.discount_groups):
        if word in words.discount_groups.get(code, {}):
            return words.discount_groups[code][word]
    return word
