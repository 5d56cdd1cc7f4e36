"""Rows that are sent somewhere and retried (the webhook outbox, the mail queue): what is due, claiming
one before sending it, and how long to wait after a failure.

A row is due when its `next_attempt_at` has passed. Claiming moves that time on by a lease with an
UPDATE conditioned on the value read, so of two senders only one gets the row; a sender that dies
mid-send leaves it to be tried again when the lease ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session


def backoff(attempts: int, first: timedelta, longest: timedelta) -> timedelta:
    """Doubling from `first` after each failed attempt, never over `longest`."""
    return min(first * (2 ** max(0, attempts - 1)), longest)


def due(session: Session, model: Any, now: datetime, limit: int) -> list[tuple[int, datetime]]:
    """(id, next_attempt_at) of the rows due, oldest first."""
    return [(row_id, at) for row_id, at in session.execute(
        select(model.id, model.next_attempt_at).where(model.next_attempt_at <= now).order_by(model.id).limit(limit))]


def claim(session: Session, model: Any, row_id: int, was_due: datetime, until: datetime) -> Any | None:
    """The row, if this caller got it (its time moved to `until`); None if another sender was first."""
    taken = session.execute(update(model).where(model.id == row_id, model.next_attempt_at == was_due)
                            .values(next_attempt_at=until)).rowcount
    return session.get(model, row_id) if taken else None
