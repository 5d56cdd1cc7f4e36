"""Live hand-off: the queue of shoppers waiting for a person, claims, replies, hand-back.

The chat itself goes through Rasa (the web app posts the agent's message into the conversation
with Rasa's HTTP API, so it reaches the widget on whichever Rasa process holds its socket); this
service keeps who handles which conversation and when, so that two agents never claim the same
shopper and the time to a first reply can be reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lifecycle.people import assignment
from lifecycle.storage.database import Database
from lifecycle.storage.models import Conversation, Customer, Handoff, HandoffStatus, Interaction

WAITING, LIVE, RETURNED, CLOSED, UNCLAIMED = (HandoffStatus.WAITING, HandoffStatus.LIVE, HandoffStatus.RETURNED,
                                             HandoffStatus.CLOSED, HandoffStatus.UNCLAIMED)


class HandoffNotYours(LookupError):
    """The hand-off is not live with this agent (another claimed it, or it ended)."""


@dataclass(frozen=True)
class LiveChat:
    handoff_id: int
    sender_id: str
    visitor_id: str
    stage: str
    language: str | None
    summary: str
    status: str
    agent: str | None
    requested_at: datetime
    first_name: str | None = None
    conversation_id: int = 0


@dataclass(frozen=True)
class Line:
    id: int
    kind: str  # user, bot, agent
    text: str
    at: datetime
    agent: str | None = None


class LiveChats:
    def __init__(self, database: Database) -> None:
        self.db = database

    def _chats(self, *conditions: Any) -> list[LiveChat]:
        with self.db.reading() as session:
            rows = session.execute(
                select(Handoff, Conversation, Customer).join(Conversation, Handoff.conversation_id == Conversation.id)
                .join(Customer, Conversation.customer_id == Customer.id).where(*conditions)
                .order_by(Handoff.requested_at)).all()
            return [LiveChat(handoff.id, conversation.sender_id, customer.visitor_id, customer.stage,
                             conversation.language, handoff.summary, handoff.status, handoff.agent,
                             handoff.requested_at, customer.first_name, conversation.id)
                    for handoff, conversation, customer in rows]

    def queue(self) -> list[LiveChat]:
        """Shoppers waiting for a person and the chats agents are in, oldest request first."""
        return self._chats(Handoff.status.in_(HandoffStatus.WITH_A_PERSON))

    def get(self, handoff_id: int) -> LiveChat | None:
        found = self._chats(Handoff.id == handoff_id)
        return found[0] if found else None

    def claim(self, handoff_id: int, agent: str, now: datetime) -> bool:
        """Take a waiting shopper; False when another agent was first (one UPDATE decides) or the
        conversation belongs to a colleague. The one who claims becomes the conversation's owner."""
        with self.db.session() as session:
            handoff = session.get(Handoff, handoff_id)
            conversation = session.get(Conversation, handoff.conversation_id) if handoff else None
            if conversation is None or conversation.assignee not in (None, agent):
                return False
            claimed = session.execute(
                update(Handoff).where(Handoff.id == handoff_id, Handoff.status == WAITING, Handoff.agent.is_(None))
                .values(status=LIVE, agent=agent, claimed_at=now)).rowcount
            if claimed != 1:
                return False
            conversation.assignee = agent
            assignment.record(session, conversation.id, agent, assignment.CLAIMED, now, f"hand-off {handoff_id}")
        return True

    @staticmethod
    def _live_with(session: Session, handoff_id: int, agent: str) -> Handoff:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None or handoff.status != LIVE or handoff.agent != agent:
            raise HandoffNotYours(f"hand-off {handoff_id} is not live with {agent}")
        return handoff

    def replied(self, handoff_id: int, agent: str, now: datetime) -> str:
        """Note the agent's message (the first one stamps the hand-off time); the conversation's sender id."""
        with self.db.session() as session:
            handoff = self._live_with(session, handoff_id, agent)
            if handoff.first_reply_at is None:
                handoff.first_reply_at = now
            return str(session.get(Conversation, handoff.conversation_id).sender_id)

    def end(self, handoff_id: int, agent: str, how: str, now: datetime) -> str:
        """Hand back to the assistant (`returned`) or close; the conversation's sender id."""
        if how not in (RETURNED, CLOSED):
            raise ValueError(f"a live chat ends as {RETURNED} or {CLOSED}, not {how!r}")
        with self.db.session() as session:
            handoff = self._live_with(session, handoff_id, agent)
            handoff.status, handoff.ended_at = how, now
            assignment.record(session, handoff.conversation_id, agent, how, now, f"hand-off {handoff_id}")
            return str(session.get(Conversation, handoff.conversation_id).sender_id)

    def expire_waiting(self, cutoff: datetime, now: datetime) -> list[LiveChat]:
        """Shoppers nobody claimed since `cutoff`: marked `unclaimed` (each once) and returned."""
        expired = []
        for chat in self.queue():
            if chat.status != WAITING or chat.requested_at >= cutoff:
                continue
            with self.db.session() as session:
                taken = session.execute(update(Handoff).where(Handoff.id == chat.handoff_id, Handoff.status == WAITING)
                                        .values(status=UNCLAIMED, ended_at=now)).rowcount
            if taken == 1:
                expired.append(chat)
        return expired

    def lines(self, handoff_id: int, after: int = 0) -> list[Line]:
        """The conversation's messages after interaction `after`, for the agent's live view."""
        with self.db.reading() as session:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                return []
            rows = session.execute(select(Interaction).where(
                Interaction.conversation_id == handoff.conversation_id, Interaction.id > after,
                Interaction.kind.in_(("user", "bot", "agent"))).order_by(Interaction.id)).scalars()
            return [Line(row.id, row.kind, row.text or "", row.at, (row.payload or {}).get("agent"))
                    for row in rows if row.text]
