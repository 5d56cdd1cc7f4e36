"""The support queue and conversation owners: order, filters, who may assign, the live chat follows."""

from datetime import datetime, timedelta, timezone

import pytest

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.people.accounts import Accounts
from lifecycle.people.assignment import AssignmentError, Assignments
from lifecycle.people.live import LiveChats
from lifecycle.people.queue import QueueError, QueueFilter, SupportQueue
from lifecycle.storage.database import Database
from tests.conftest import LINKS

NOW = datetime(2026, 12, 3, 10, tzinfo=timezone.utc)
PASSWORD = "correct horse battery"


@pytest.fixture
def team(database: Database) -> Database:
    accounts = Accounts(database)
    for name, role in (("sam", "support"), ("kim", "support"), ("ada", "admin"), ("mia", "marketing")):
        accounts.create_user(name, PASSWORD, role)
    return database


def request(db: Database, sender: str, minutes_ago: int, live: bool = False, email: str = "",
            language: str = "en") -> int:
    recorder = ConversationRecorder(db, LINKS)
    at = NOW - timedelta(minutes=minutes_ago)
    recorder.record_user_message(sender, "I want a person", "request_human", 0.99, at=at,
                                 metadata={"language": language})
    if email:
        return recorder.leave_email(sender, email, within_hours=True, at=at).conversation_id
    return recorder.request_handoff(sender, "requested", True, live=live, at=at).conversation_id


def test_open_items_come_first_shoppers_on_the_site_then_live_then_messages_each_longest_wait_first(
        team: Database) -> None:
    request(team, "note-old", 3000)
    request(team, "ticket", 600, email="ann@example.com")
    request(team, "waiting-new", 2, live=True)
    request(team, "waiting-old", 9, live=True, language="it")
    queue = SupportQueue(team)
    found = queue.items(QueueFilter(), "sam")
    assert [i.channel for i in found.rows] == ["chat", "chat", "note", "email"]
    assert [i.requested_at for i in found.rows[:2]] == [NOW - timedelta(minutes=9), NOW - timedelta(minutes=2)]
    assert [i.language for i in queue.items(QueueFilter(language="it"), "sam").rows] == ["it"]
    assert [i.channel for i in queue.items(QueueFilter(channel="email"), "sam").rows] == ["email"]
    assert queue.items(QueueFilter(tab="closed"), "sam").rows == []
    note = queue.items(QueueFilter(channel="note"), "sam").rows[0]
    assert queue.done(note.handoff_id, "sam", NOW) and not queue.done(note.handoff_id, "sam", NOW)
    assert [i.status for i in queue.items(QueueFilter(tab="closed"), "sam").rows] == ["done"]
    assert Assignments(team).timeline(note.conversation_id)[0].kind == "done"
    with pytest.raises(QueueError, match="channel must be one of"):
        queue.items(QueueFilter(channel="fax"), "sam")


def test_support_takes_and_lets_go_of_their_own_an_admin_gives_to_anyone(team: Database) -> None:
    conversation = request(team, "c-1", 5, live=True)
    owners = Assignments(team)
    owners.assign(conversation, "sam", "sam", "support", NOW)
    with pytest.raises(AssignmentError, match="only an admin"):
        owners.assign(conversation, "kim", "kim", "support", NOW)  # kim cannot take sam's
    with pytest.raises(AssignmentError, match="only an admin"):
        owners.assign(conversation, "kim", "sam", "support", NOW)  # nor can sam hand it on
    with pytest.raises(AssignmentError, match="not an active support or admin"):
        owners.assign(conversation, "mia", "ada", "admin", NOW)
    owners.assign(conversation, "kim", "ada", "admin", NOW)
    mine = SupportQueue(team).items(QueueFilter(owner="me"), "kim").rows
    assert [i.conversation_id for i in mine] == [conversation]
    assert SupportQueue(team).items(QueueFilter(owner="me"), "sam").rows == []
    assert [(line.actor, line.kind, line.detail) for line in owners.timeline(conversation)] == [
        ("sam", "assigned", "sam"), ("ada", "assigned", "kim")]
    with pytest.raises(LookupError):
        owners.assign(999, "sam", "ada", "admin", NOW)


def test_a_claim_makes_the_agent_the_owner_and_a_colleagues_conversation_cannot_be_claimed(
        team: Database) -> None:
    live = LiveChats(team)
    owners = Assignments(team)
    first = request(team, "c-1", 5, live=True)
    handoff = SupportQueue(team).items(QueueFilter(), "sam").rows[0].handoff_id
    owners.assign(first, "kim", "ada", "admin", NOW)
    assert not live.claim(handoff, "sam", NOW)  # kim's
    assert live.claim(handoff, "kim", NOW)
    item = SupportQueue(team).items(QueueFilter(), "kim").rows[0]
    assert (item.status, item.agent, item.assignee) == ("live", "kim", "kim")
    # reassigned while live: the live chat moves with it; let go: the shopper waits again
    change = owners.assign(first, "sam", "ada", "admin", NOW)
    assert change.live_handoff == handoff and live.get(handoff).agent == "sam"  # type: ignore[union-attr]
    owners.assign(first, None, "sam", "support", NOW)
    again = live.get(handoff)
    assert again is not None and (again.status, again.agent) == ("waiting", None)
    assert [line.kind for line in owners.timeline(first)] == ["assigned", "claimed", "assigned", "unassigned"]


def test_the_pulse_counts_waiting_shoppers_and_the_newest_message_in_each_owned_open_chat(team: Database) -> None:
    first = request(team, "c-1", 5, live=True)
    request(team, "c-2", 3, live=True)
    Assignments(team).assign(first, "sam", "sam", "support", NOW)
    ConversationRecorder(team, LINKS).record_user_message("c-1", "hello?", "greet", 0.9, at=NOW)
    pulse = SupportQueue(team).pulse("sam")
    assert (pulse.waiting, pulse.open_items) == (2, 2)
    assert list(pulse.mine) == [first] and pulse.mine[first] > 0
    assert SupportQueue(team).pulse("kim").mine == {}


def test_away_agents_are_not_offered_to_shoppers(team: Database) -> None:
    accounts = Accounts(team)
    accounts.session(accounts.login("sam", PASSWORD))
    assert accounts.agents_online() == ["sam"]
    accounts.set_presence("sam", "away")
    assert accounts.agents_online() == []
    with pytest.raises(ValueError, match="presence must be"):
        accounts.set_presence("sam", "busy")
    with pytest.raises(ValueError, match="display name"):
        accounts.set_display_name("sam", "<b>Sam</b>")
