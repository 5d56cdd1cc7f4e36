"""The support queue: every hand-off, open ones first by how long the shopper has waited.

Open means a person still owes the shopper something: a shopper waiting for a live agent, a live
chat, or a message left (a summary, or a ticket with an e-mail address). Among open items a
shopper waiting on the site comes first, then the live chats, then messages, each longest wait
first: a person on the page leaves in minutes, a ticket can wait for the morning. Closed items
(handed back, closed, done, nobody took it) have their own tab, newest first. Every list pages
by key (storage.pages), so the 2,000th page costs what the first does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from lifecycle.people.assignment import DONE, record
from lifecycle.storage import pages
from lifecycle.storage.database import Database
from lifecycle.storage.models import Conversation, Customer, Handoff, HandoffStatus, Interaction

S = HandoffStatus
OPEN_STATUSES = (S.WAITING, S.LIVE, S.OPEN)
CLOSED_STATUSES = (S.RETURNED, S.CLOSED, S.DONE, S.UNCLAIMED)
CHANNELS = ("chat", "email", "note")  # a live chat, a ticket answered by e-mail, a summary left for later
OWNERS = ("anyone", "me", "unassigned")
TABS = ("open", "closed")


class QueueError(ValueError):
    """A filter value the queue does not know; the message lists the known ones."""


@dataclass
class QueueFilter:
    tab: str = "open"
    status: str = ""
    language: str = ""
    stage: str = ""
    channel: str = ""
    owner: str = "anyone"  # anyone, me, unassigned
    after: str = ""

    def check(self) -> None:
        for name, value, known in (("tab", self.tab, TABS), ("channel", self.channel, ("", *CHANNELS)),
                                   ("owner", self.owner, OWNERS),
                                   ("status", self.status, ("", *(OPEN_STATUSES if self.tab == "open"
                                                                  else CLOSED_STATUSES)))):
            if value not in known:
                raise QueueError(f"{name} must be one of: {', '.join(k or '(any)' for k in known)}")


@dataclass(frozen=True)
class QueueItem:
    handoff_id: int
    conversation_id: int
    status: str
    channel: str
    reason: str
    summary: str
    within_hours: bool
    requested_at: datetime
    ended_at: datetime | None
    contact_email: str | None
    agent: str | None
    assignee: str | None
    visitor_id: str
    stage: str
    language: str | None


_CHANNEL = case((Handoff.contact_email.is_not(None), "email"),
                (Handoff.status.in_((S.OPEN, S.DONE)), "note"), else_="chat")
_URGENCY = case((Handoff.status == S.WAITING, 0), (Handoff.status == S.LIVE, 1), else_=2)
OPEN_ORDER = (pages.Order(_URGENCY), pages.Order(Handoff.requested_at), pages.Order(Handoff.id))
CLOSED_ORDER = (pages.Order(Handoff.requested_at, descending=True), pages.Order(Handoff.id, descending=True))


def items(session: Session, filters: QueueFilter, me: str) -> pages.Page[QueueItem]:
    filters.check()
    open_tab = filters.tab == "open"
    conditions: list[Any] = [Handoff.status.in_(OPEN_STATUSES if open_tab else CLOSED_STATUSES)]
    if filters.status:
        conditions.append(Handoff.status == filters.status)
    if filters.channel:
        conditions.append(_CHANNEL == filters.channel)
    if filters.language:
        conditions.append(Conversation.language == filters.language)
    if filters.stage:
        conditions.append(Customer.stage == filters.stage)
    if filters.owner == "me":
        conditions.append(Conversation.assignee == me)
    elif filters.owner == "unassigned":
        conditions.append(Conversation.assignee.is_(None))
    order = OPEN_ORDER if open_tab else CLOSED_ORDER
    query = (select(Handoff, _CHANNEL, _URGENCY, Conversation.assignee, Customer.visitor_id, Customer.stage,
                    Conversation.language)
             .join(Conversation, Conversation.id == Handoff.conversation_id)
             .join(Customer, Customer.id == Conversation.customer_id).where(*conditions))
    rows = session.execute(pages.paged(query, order, filters.after)).all()
    found = pages.page_of(rows, (lambda r: (r[2], r[0].requested_at, r[0].id)) if open_tab
                          else (lambda r: (r[0].requested_at, r[0].id)))
    return pages.Page([QueueItem(h.id, h.conversation_id, h.status, channel, h.reason, h.summary, h.within_hours,
                                 h.requested_at, h.ended_at, h.contact_email, h.agent, assignee, visitor, stage,
                                 language)
                       for h, channel, _, assignee, visitor, stage, language in found.rows], found.next)


@dataclass(frozen=True)
class Pulse:
    """What the console's notifications count: shoppers waiting, and the newest shopper message in
    each open conversation the agent owns (the page compares it with what the agent has read)."""

    waiting: int
    open_items: int
    mine: dict[int, int]  # conversation id -> id of its newest shopper message


def pulse(session: Session, me: str) -> Pulse:
    counts = dict(session.execute(select(Handoff.status, func.count()).where(Handoff.status.in_(OPEN_STATUSES))
                                  .group_by(Handoff.status)).all())
    mine = dict(session.execute(
        select(Conversation.id, func.max(Interaction.id))
        .join(Interaction, and_(Interaction.conversation_id == Conversation.id, Interaction.kind == "user"))
        .where(Conversation.assignee == me,
               select(Handoff.id).where(Handoff.conversation_id == Conversation.id,
                                        Handoff.status.in_(OPEN_STATUSES)).exists())
        .group_by(Conversation.id)).all())
    return Pulse(int(counts.get(S.WAITING, 0)), int(sum(counts.values())), {int(k): int(v) for k, v in mine.items()})


class SupportQueue:
    def __init__(self, database: Database) -> None:
        self.db = database

    def items(self, filters: QueueFilter, me: str) -> pages.Page[QueueItem]:
        with self.db.reading() as session:
            return items(session, filters, me)

    def pulse(self, me: str) -> Pulse:
        with self.db.reading() as session:
            return pulse(session, me)

    def done(self, handoff_id: int, by: str, at: datetime) -> bool:
        """A message left (summary or ticket) was dealt with; False when it was not open."""
        with self.db.session() as session:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None or handoff.status != S.OPEN:
                return False
            handoff.status, handoff.ended_at = S.DONE, at
            record(session, handoff.conversation_id, by, DONE, at, f"hand-off {handoff_id}")
            return True
