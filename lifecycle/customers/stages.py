"""The rules that move a customer between lifecycle stages, and the record of each move.

Stages only move forward (awareness, engagement, conversion, retention, advocacy):
  - first contact (a chat message or any shop event) puts a person in awareness;
  - learning about the shop (FAQ questions, product facts and views, comparisons) is engagement;
  - the first order is conversion; repeat orders, a newsletter sign-up or feedback after an
    order are retention;
  - reviews and referrals are advocacy.
The cycle is not linear (docs/lifecycle.md): a retained customer who goes quiet for
`lifecycle.reengage_after_days` is flagged for re-engagement (stage kept, flag set, the
flag recorded like a move) and the flag clears when they come back with an order.
Every move is stored with its reason and time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.storage.models import Customer, StageTransition
from lifecycle.values import STAGES

ENTRY_STAGE = "awareness"
RANK = {stage: rank for rank, stage in enumerate(STAGES)}
FLAGGABLE = ("retention", "advocacy")


def enter(session: Session, customer: Customer, reason: str, at: datetime) -> StageTransition:
    """Record a new customer's first stage."""
    customer.stage = ENTRY_STAGE
    customer.stage_since = at
    transition = StageTransition(customer=customer, from_stage=None, to_stage=ENTRY_STAGE, reason=reason, at=at)
    session.add(transition)
    return transition


def move(session: Session, customer: Customer, to_stage: str, reason: str, at: datetime) -> StageTransition:
    if to_stage not in STAGES:
        raise ValueError(f"unknown lifecycle stage {to_stage!r}; expected one of {', '.join(STAGES)}")
    transition = StageTransition(customer=customer, from_stage=customer.stage, to_stage=to_stage, reason=reason, at=at)
    customer.stage = to_stage
    customer.stage_since = at
    session.add(transition)
    return transition


def advance(session: Session, customer: Customer, to_stage: str, reason: str, at: datetime) -> StageTransition | None:
    """Move forward to `to_stage`; a customer already there or further along stays."""
    if RANK[to_stage] > RANK[customer.stage]:
        return move(session, customer, to_stage, reason, at)
    return None


def on_engagement(session: Session, customer: Customer, reason: str, at: datetime) -> StageTransition | None:
    return advance(session, customer, "engagement", reason, at)


def on_order(session: Session, customer: Customer, first: bool, reason: str, at: datetime) -> StageTransition | None:
    customer.reengage_flagged_at = None
    return advance(session, customer, "conversion" if first else "retention", reason, at)


def on_newsletter(session: Session, customer: Customer, at: datetime) -> StageTransition | None:
    if RANK[customer.stage] >= RANK["conversion"]:
        return advance(session, customer, "retention", "signed up for the newsletter after an order", at)
    return advance(session, customer, "engagement", "signed up for the newsletter", at)


def on_feedback(session: Session, customer: Customer, at: datetime) -> StageTransition | None:
    if RANK[customer.stage] >= RANK["conversion"]:
        return advance(session, customer, "retention", "gave feedback after an order", at)
    return on_engagement(session, customer, "gave feedback", at)


def on_advocacy(session: Session, customer: Customer, reason: str, at: datetime) -> StageTransition | None:
    return advance(session, customer, "advocacy", reason, at)


def flag_quiet_customers(session: Session, now: datetime, after_days: int) -> int:
    """Flag retained customers not seen for `after_days`; returns how many were newly flagged."""
    cutoff = now - timedelta(days=after_days)
    quiet = session.execute(
        select(Customer).where(Customer.stage.in_(FLAGGABLE), Customer.last_seen_at < cutoff,
                               Customer.reengage_flagged_at.is_(None))).scalars().all()
    for customer in quiet:
        customer.reengage_flagged_at = now
        session.add(StageTransition(customer=customer, from_stage=customer.stage, to_stage=customer.stage, at=now,
                                    reason=f"quiet for {after_days}+ days: flagged for re-engagement"))
    return len(quiet)
