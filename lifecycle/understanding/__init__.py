"""Understanding in one layer: a shopper's message and its context in, a typed `Query` out.

Every text pattern that reads shoppers' words lives in this package; the words themselves are
data: the shop's in `data/shop/vocabulary.yml`, each language's in `languages/<code>.yml`.
"""

from lifecycle.understanding.parse import understand
from lifecycle.understanding.query import Measure, Query

__all__ = ["Measure", "Query", "understand"]
