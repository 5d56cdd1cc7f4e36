"""CSAT and NPS as the console reports them, over any group of ratings (a week, a market)."""

from __future__ import annotations

from collections.abc import Sequence


def average(ratings: Sequence[int | float]) -> float:
    """CSAT: the mean rating (1-5)."""
    return sum(ratings) / len(ratings)


def net_promoter_score(ratings: Sequence[int]) -> float:
    """NPS: % promoters (9-10) minus % detractors (0-6), from -100 to 100."""
    return 100 * (sum(r >= 9 for r in ratings) - sum(r <= 6 for r in ratings)) / len(ratings)
