"""Warm hand-off: when people can take over, and what the agent reads before speaking.

The agent gets a summary (what the shopper asked, the products discussed, their
stage) so the shopper never has to repeat themselves; that is what makes the
transfer warm rather than cold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.models import (
    Comparison,
    Conversation,
    Customer,
    Interaction,
    ProductRecord,
    ProductView,
)

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
ZONES = {"CET": "Europe/Rome", "CEST": "Europe/Rome", "UTC": "UTC"}
_HOURS = re.compile(
    r"^(?P<first>[A-Za-z]+) to (?P<last>[A-Za-z]+),\s*"
    r"(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2})\s+(?P<tz>[A-Z]+)$"
)
SUMMARY_QUESTIONS = 5


@dataclass(frozen=True)
class AgentHours:
    first_day: int
    last_day: int
    opens: time
    closes: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, text: str) -> AgentHours:
        """Read shop.yml's `support.human_agents`, e.g. "Monday to Friday, 09:00-18:00 CET"."""
        match = _HOURS.match(text.strip())
        if not match or match["first"].lower() not in DAYS or match["last"].lower() not in DAYS \
                or match["tz"] not in ZONES:
            raise ValueError(
                f"support.human_agents {text!r} must look like 'Monday to Friday, 09:00-18:00 CET' "
                f"(time zones: {', '.join(ZONES)})"
            )
        return cls(DAYS.index(match["first"].lower()), DAYS.index(match["last"].lower()),
                   time.fromisoformat(match["open"].zfill(5)), time.fromisoformat(match["close"].zfill(5)),
                   ZoneInfo(ZONES[match["tz"]]))

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(self.zone)
        return self.first_day <= local.weekday() <= self.last_day and self.opens <= local.time() < self.closes


def summarise(session: Session, conversation: Conversation) -> str:
    """A few lines for the agent: the shopper's own words, the products, the stage."""
    questions: list[str] = list(session.execute(
        select(Interaction.text).where(Interaction.conversation_id == conversation.id, Interaction.kind == "user",
                                       Interaction.text.is_not(None))
        .order_by(Interaction.at.desc(), Interaction.id.desc()).limit(SUMMARY_QUESTIONS)).scalars())
    viewed = session.execute(
        select(ProductRecord.name).join(ProductView, ProductView.sku == ProductRecord.sku)
        .where(ProductView.conversation_id == conversation.id).order_by(ProductView.id)).scalars()
    compared_skus = session.execute(
        select(Comparison.skus).where(Comparison.conversation_id == conversation.id)).scalars()
    names = {record.sku: record.name for record in session.execute(select(ProductRecord)).scalars()}
    products = list(dict.fromkeys(
        [*viewed, *(names.get(sku, sku) for skus in compared_skus for sku in skus.split(","))]))
    customer = session.get(Customer, conversation.customer_id)
    lines = [
        "Asked: " + (" | ".join(reversed(questions)) if questions else "(nothing yet)"),
        "Products discussed: " + (", ".join(products) if products else "none"),
        f"Lifecycle stage: {customer.stage}",
    ]
    return "\n".join(lines)
