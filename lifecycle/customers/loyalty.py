"""Loyalty points (docs/lifecycle.md): earned from events, pooled by family accounts, redeemed for vouchers.

Every award is a ledger row keyed by (customer, reason, ref), so a replayed event or
order never pays twice; the balance is the sum of the ledger, over the whole family
when the customer belongs to one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lifecycle.shop.facts import Loyalty
from lifecycle.storage.models import Customer, LoyaltyEntry


def award(session: Session, customer: Customer, points: int, reason: str, ref: str, at: datetime) -> bool:
    """Add points once per (customer, reason, ref); False when already given."""
    if points == 0:
        return False
    exists = session.execute(select(LoyaltyEntry.id).where(
        LoyaltyEntry.customer_id == customer.id, LoyaltyEntry.reason == reason, LoyaltyEntry.ref == ref)).first()
    if exists:
        return False
    session.add(LoyaltyEntry(customer_id=customer.id, points=points, reason=reason, ref=ref, at=at))
    session.flush()
    return True


def members(session: Session, customer: Customer) -> list[int]:
    if customer.family_id is None:
        return [customer.id]
    return list(session.execute(select(Customer.id).where(Customer.family_id == customer.family_id)).scalars())


def balance(session: Session, customer: Customer) -> int:
    session.flush()
    return int(session.execute(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                               .where(LoyaltyEntry.customer_id.in_(members(session, customer)))).scalar_one())


@dataclass(frozen=True)
class Standing:
    points: int
    family_members: int
    vouchers: int
    voucher_eur: Decimal
    points_to_next_voucher: int


def standing(session: Session, customer: Customer, rules: Loyalty) -> Standing:
    points = balance(session, customer)
    vouchers, worth = rules.vouchers_for(points)
    return Standing(points, len(members(session, customer)), vouchers, worth,
                    rules.redeem_points - points % rules.redeem_points)


def order_points(rules: Loyalty, total_eur: Decimal) -> int:
    return rules.points_for(total_eur)
