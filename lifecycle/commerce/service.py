"""The commerce service: what the web app's API and timers ask of the store.

Each method is one transaction, so a caller never holds a session: a rejected batch of
events stores nothing, and a claimed reminder is committed before Rasa is called.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from lifecycle.commerce import metrics, recovery
from lifecycle.commerce.apply import Applied, apply_events
from lifecycle.customers import stages
from lifecycle.shop.facts import Shop
from lifecycle.storage.database import Database
from lifecycle.storage.models import MarketingSpend
from lifecycle.values import to_cents, utcnow


@dataclass(frozen=True)
class DueWork:
    """What one timer tick found: carts to remind (claimed) and orders to ask NPS for (claimed)."""

    reminders: list[recovery.Claim]
    nps_requests: list[tuple[int, str]]  # (order id, the customer's latest conversation)
    flagged_quiet: int


class Commerce:
    def __init__(self, database: Database) -> None:
        self.db = database

    def apply(self, events: list[Any], shop: Shop, now: datetime | None = None) -> Applied:
        """Apply validated events (`commerce.events.parse_events`); all or nothing."""
        with self.db.session() as session:
            return apply_events(session, events, shop, now or utcnow())

    def record_spend(self, period_start: datetime, period_end: datetime, amount_eur: Decimal, impressions: int,
                     channel: str) -> int:
        with self.db.session() as session:
            row = MarketingSpend(period_start=period_start, period_end=period_end, amount_cents=to_cents(amount_eur),
                                 impressions=impressions, channel=channel)
            session.add(row)
            session.flush()
            return int(row.id)

    def metrics(self, shop: Shop, start: datetime, end: datetime, now: datetime | None = None) -> metrics.Metrics:
        with self.db.reading() as session:
            return metrics.for_shop(session, shop, start, end, now or utcnow())

    def claim_due_work(self, shop: Shop, now: datetime) -> DueWork:
        """Claim newly abandoned carts and unasked NPS orders, and flag quiet customers, in one commit."""
        with self.db.session() as session:
            claims = recovery.claim_abandoned(session, shop, now)
            nps = recovery.claim_nps_requests(session, now)
            flagged = stages.flag_quiet_customers(session, now, shop.policies.lifecycle.reengage_after_days)
        return DueWork(claims, nps, flagged)

    def reminder_sent(self, recovery_id: int, at: datetime) -> None:
        with self.db.session() as session:
            recovery.mark_sent(session, recovery_id, at)

    def reminder_failed(self, recovery_id: int, error: str) -> None:
        with self.db.session() as session:
            recovery.mark_failed(session, recovery_id, error)
