"""Who owns a conversation in the support team, and its timeline of changes.

A conversation has one owner (`conversations.assignee`) or none. Anyone in support may take an
unowned conversation or let go of their own; an admin may give any conversation to any active
support or admin user, or take it away. While a person is live with the shopper the owner is the
one talking: reassigning moves the live chat to the new owner, and letting go of it puts the
shopper back in the waiting queue rather than leaving them with nobody. Every change is a line
in the conversation's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.people.accounts import AGENT_ROLES
from lifecycle.storage.database import Database
from lifecycle.storage.models import ConsoleUser, Conversation, ConversationEvent, Handoff, HandoffStatus

# Timeline kinds; a live chat's end is recorded as its status (returned, closed).
ASSIGNED, UNASSIGNED, CLAIMED, DONE = "assigned", "unassigned", "claimed", "done"


class AssignmentError(PermissionError):
    """The change is not allowed or names nobody; the message says why."""


@dataclass(frozen=True)
class Change:
    """What an assignment did, for the web layer to tell the shopper (a new person in a live chat)."""

    conversation_id: int
    sender_id: str
    before: str | None
    after: str | None
    live_handoff: int | None  # the live chat that moved with it


@dataclass(frozen=True)
class TimelineLine:
    at: datetime
    actor: str
    kind: str
    detail: str


def record(session: Session, conversation_id: int, actor: str, kind: str, at: datetime, detail: str = "") -> None:
    session.add(ConversationEvent(conversation_id=conversation_id, actor=actor, kind=kind, detail=detail[:200], at=at))


def _is_agent(session: Session, username: str) -> bool:
    return session.execute(select(ConsoleUser.id).where(
        ConsoleUser.username == username, ConsoleUser.active.is_(True),
        ConsoleUser.role.in_(AGENT_ROLES))).first() is not None


def change_owner(session: Session, conversation: Conversation, to: str | None, by: str, by_role: str,
                 at: datetime) -> Change:
    before = conversation.assignee
    if to == before:
        return Change(conversation.id, conversation.sender_id, before, to, None)
    if by_role != "admin":
        if to not in (by, None) or (before not in (by, None)):
            raise AssignmentError("only an admin can give a conversation to a colleague or take it from one")
    if to is not None and not _is_agent(session, to):
        raise AssignmentError(f"{to!r} is not an active support or admin user")
    conversation.assignee = to
    record(session, conversation.id, by, ASSIGNED if to else UNASSIGNED, at, to or (before or ""))
    live = session.execute(select(Handoff).where(Handoff.conversation_id == conversation.id,
                                                 Handoff.status == HandoffStatus.LIVE)).scalar_one_or_none()
    if live is not None:
        if to is None:  # nobody is talking to the shopper now: back to the queue
            live.status, live.agent, live.claimed_at = HandoffStatus.WAITING, None, None
        else:
            live.agent = to
    return Change(conversation.id, conversation.sender_id, before, to, live.id if live else None)


class Assignments:
    def __init__(self, database: Database) -> None:
        self.db = database

    def assign(self, conversation_id: int, to: str | None, by: str, by_role: str, at: datetime) -> Change:
        """Raises LookupError for no such conversation, AssignmentError when not allowed."""
        with self.db.session() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise LookupError(f"no conversation {conversation_id}")
            return change_owner(session, conversation, to, by, by_role, at)

    def timeline(self, conversation_id: int) -> list[TimelineLine]:
        with self.db.reading() as session:
            return [TimelineLine(e.at, e.actor, e.kind, e.detail) for e in session.execute(
                select(ConversationEvent).where(ConversationEvent.conversation_id == conversation_id)
                .order_by(ConversationEvent.at, ConversationEvent.id)).scalars()]

    def agents(self) -> list[str]:
        """Who a conversation can be given to."""
        with self.db.reading() as session:
            return list(session.execute(select(ConsoleUser.username).where(
                ConsoleUser.active.is_(True), ConsoleUser.role.in_(AGENT_ROLES)).order_by(ConsoleUser.username))
                .scalars())
