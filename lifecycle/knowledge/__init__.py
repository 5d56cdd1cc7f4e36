"""The shop's own answers: FAQ entries and policy pages, searched at run time (issue 28).

A shop owner adds an answer as data (`data/shop/faq.yml`, `data/shop/pages/`, or the console's FAQ
editor) and it is answerable within seconds, with no code and no retraining. The search answers
only when the shopper's words are found in one entry or passage (`search.Match.confidence`);
below the threshold chosen on `eval/knowledge/tune.yml` it stays silent.
"""

from lifecycle.knowledge.entries import FaqEntry, load_faq
from lifecycle.knowledge.pages import Passage, read_pages
from lifecycle.knowledge.search import KnowledgeBase, Match

__all__ = ["FaqEntry", "KnowledgeBase", "Match", "Passage", "load_faq", "read_pages"]
