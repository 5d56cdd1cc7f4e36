"""The rules that move a customer between lifecycle stages, and the record of each move.

This slice knows the first two steps: a first contact puts a person in awareness,
and learning about the shop (FAQ questions, product facts, comparisons) moves them
to engagement. Later stages (orders, repeat orders, reviews, referrals) add rules
here; a move is never silent: each one is stored with its reason and time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from lifecycle.models import STAGES, Customer, StageTransition

ENTRY_STAGE = "awareness"


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


def on_engagement(session: Session, customer: Customer, reason: str, at: datetime) -> StageTransition | None:
    """A visitor learning about the shop is engaged; customers further along stay where they are."""
    if customer.stage == ENTRY_STAGE:
        return move(session, customer, "engagement", reason, at)
    return None
