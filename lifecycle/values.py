"""Money and time as the whole project stores and compares them.

Money is kept as integer cents (exact on SQLite and PostgreSQL, no float rounding in
sums) and shown in euros; times are timezone-aware UTC. Every conversion goes through
these functions so a price never differs by a cent between the chat, the store and
the metrics.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
# The customer lifecycle, in order (docs/lifecycle.md); customers.stages moves people along it.
STAGES = ("awareness", "engagement", "conversion", "retention", "advocacy")


def to_cents(amount_eur: Decimal | int | str) -> int:
    """Euros to whole cents, rounding half up (a price of 19.995 is 2000 cents)."""
    return int((Decimal(amount_eur) * 100).quantize(Decimal(1), ROUND_HALF_UP))


def to_eur(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def week_of(moment: datetime) -> date:
    """The Monday of the moment's week: how the console's weekly figures are bucketed."""
    return moment.date() - timedelta(days=moment.weekday())


def as_utc(value: datetime) -> datetime:
    """An aware UTC time; a time without offset (from a form or an import) is read as UTC."""
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
