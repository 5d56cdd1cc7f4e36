"""Who a visitor is in the store: the customer behind a visitor id, created on first sight.

The event broker, the action server and the web app may each be first to see a new
visitor, in different processes, so creation survives a concurrent insert.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lifecycle.customers import stages
from lifecycle.storage.models import Customer

T = TypeVar("T")


def get_or_create(session: Session, model: type[T], where: Any, build: Callable[[], T]) -> tuple[T, bool]:
    """The row matching `where`, or a new one from `build`; a racing insert elsewhere is read back."""
    found = session.execute(select(model).where(where)).scalar_one_or_none()
    if found is not None:
        return found, False
    try:
        with session.begin_nested():
            created = build()
            session.add(created)
        return created, True
    except IntegrityError:  # another process created it between our select and insert
        return session.execute(select(model).where(where)).scalar_one(), False


def customer_for(session: Session, visitor_id: str, at: datetime) -> Customer:
    """The customer behind a visitor id, created (in awareness) on first sight."""
    customer, created = get_or_create(
        session, Customer, Customer.visitor_id == visitor_id,
        lambda: Customer(visitor_id=visitor_id, stage=stages.ENTRY_STAGE, stage_since=at, created_at=at,
                         last_seen_at=at),
    )
    if created:
        stages.enter(session, customer, "first contact", at)
    elif customer.last_seen_at < at:
        customer.last_seen_at = at
    return customer


def find_customer(session: Session, visitor_id: str) -> Customer | None:
    return session.execute(select(Customer).where(Customer.visitor_id == visitor_id)).scalar_one_or_none()
