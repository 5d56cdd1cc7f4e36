"""Each playbook's results against its holdout: sent, replied, converted within the attribution
window, revenue, and the uplift in conversion over the held-out customers with a 95% interval.

A held-out customer met the same trigger and got nothing, so the difference in conversion is what
the message added, not what would have happened anyway. The interval is the normal
approximation for a difference of two proportions (Wald): with few customers it is wide, and
the page says so rather than showing a lucky difference as a result.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.shop.playbooks import PlaybookBook
from lifecycle.storage.models import Interaction, Order, PlaybookSend
from lifecycle.values import to_eur

REPLY_WINDOW = timedelta(days=1)
Z95 = 1.96
MIN_GROUP = 10  # below this in either group the normal approximation means nothing: no interval


@dataclass(frozen=True)
class PlaybookResult:
    playbook: str
    message: str
    sent: int
    held_out: int
    replied: int  # sent messages the shopper answered within a day
    converted: int  # sent: an order within the attribution window
    converted_held_out: int
    revenue_eur: Decimal  # the sent group's orders within the window
    rate: float | None  # conversion, sent (%)
    rate_held_out: float | None
    uplift: float | None  # percentage points
    low: float | None  # 95% interval of the uplift
    high: float | None
    channel: str | None = None  # None: every channel; else the sent group reached by it (chat, email, chat+email)

    @property
    def significant(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


def uplift(converted: int, sent: int, converted_held: int, held: int) -> tuple[float | None, float | None,
                                                                             float | None]:
    """Difference in conversion (percentage points) and its 95% interval; None without both groups,
    and no interval while either group is under MIN_GROUP."""
    if not sent or not held:
        return None, None, None
    p1, p2 = converted / sent, converted_held / held
    difference = round(100 * (p1 - p2), 1) + 0.0  # + 0.0: never "-0.0"
    if sent < MIN_GROUP or held < MIN_GROUP:
        return difference, None, None
    margin = Z95 * math.sqrt(p1 * (1 - p1) / sent + p2 * (1 - p2) / held)
    return difference, round(100 * (p1 - p2 - margin), 1) + 0.0, round(100 * (p1 - p2 + margin), 1) + 0.0


def results(session: Session, book: PlaybookBook, start: datetime, end: datetime) -> list[PlaybookResult]:
    window = timedelta(days=book.attribution_days)
    rows = session.execute(select(PlaybookSend).where(
        PlaybookSend.at >= start, PlaybookSend.at < end, PlaybookSend.status.in_(("sent", "held_out")))).scalars().all()
    customers = {row.customer_id for row in rows}
    orders: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for customer_id, placed, cents in session.execute(select(Order.customer_id, Order.placed_at, Order.total_cents)
                                                      .where(Order.customer_id.in_(customers), Order.placed_at >= start,
                                                             Order.placed_at < end + window)):
        orders[customer_id].append((placed, cents))
    chats = {row.conversation_id for row in rows if row.conversation_id is not None and not row.held_out}
    said: dict[int, list[datetime]] = defaultdict(list)
    for conversation_id, at in session.execute(select(Interaction.conversation_id, Interaction.at).where(
            Interaction.conversation_id.in_(chats), Interaction.kind == "user", Interaction.at >= start,
            Interaction.at < end + REPLY_WINDOW)):
        said[conversation_id].append(at)

    # (playbook, None): everyone; (playbook, channel): those the channel reached, against the same holdout
    tally: dict[tuple[str, str | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        after = [cents for placed, cents in orders.get(row.customer_id, []) if row.at < placed <= row.at + window]
        if row.held_out:
            group = tally[(row.playbook, None)]
            group["held_out"] += 1
            group["converted_held_out"] += bool(after)
            continue
        for group in (tally[(row.playbook, None)], tally[(row.playbook, row.channel or "chat")]):
            group["sent"] += 1
            group["converted"] += bool(after)
            group["revenue_cents"] += sum(after)
            group["replied"] += any(row.at < at <= row.at + REPLY_WINDOW for at in said.get(row.conversation_id, []))
    found = []
    known = {p.id: p.message for p in book.playbooks}
    playbook_ids = {playbook_id for playbook_id, _ in tally}
    for playbook_id in [*known, *sorted(playbook_ids - set(known))]:
        held_group = tally.get((playbook_id, None), {})
        held, converted_held = held_group.get("held_out", 0), held_group.get("converted_held_out", 0)
        channels = sorted(channel for pid, channel in tally if pid == playbook_id and channel is not None)
        split = channels != ["chat"] and bool(channels)  # a chat-only playbook needs no second row
        for channel in [None, *(channels if split else [])]:
            group = tally.get((playbook_id, channel), {})
            sent, converted = group.get("sent", 0), group.get("converted", 0)
            difference, low, high = uplift(converted, sent, converted_held, held)
            found.append(PlaybookResult(
                playbook_id, known.get(playbook_id, "?"), sent, held, group.get("replied", 0), converted,
                converted_held, to_eur(group.get("revenue_cents", 0)),
                round(100 * converted / sent, 1) if sent else None, round(100 * converted_held / held, 1) if held
                else None, difference, low, high, channel))
    return found
