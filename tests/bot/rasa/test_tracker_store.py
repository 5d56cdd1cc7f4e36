"""Shopmate's tracker store on a real SQLite file: what the channel asks of it per message."""

from pathlib import Path

import pytest
from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa import channels
from bot.rasa.tracker import ShopTrackerStore
from tests.bot.rasa.test_channels import run


async def test_a_message_id_is_found_without_reading_the_conversation(tmp_path: Path) -> None:
    store = ShopTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    tracker = DialogueStateTracker.from_events("shopper-1", [
        UserUttered("hi", message_id="m-12345678"), BotUttered("Hello!"),
        UserUttered("and shipping?", message_id="m-87654321")])
    await store.save(tracker)
    assert await store.has_user_message("shopper-1", "m-12345678")
    assert await store.has_user_message("shopper-1", "m-87654321")
    assert not await store.has_user_message("shopper-1", "m-00000000")  # never sent
    assert not await store.has_user_message("shopper-2", "m-12345678")  # another conversation's id


async def test_a_new_message_is_passed_on_without_a_tracker_read_and_a_resent_one_answered_from_the_record(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ShopTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    await store.save(DialogueStateTracker.from_events("shopper-1", [
        UserUttered("hi", message_id="m-12345678"), BotUttered("Hello!")]))
    reads: list[str] = []
    retrieve = store.retrieve

    async def counted(sender_id: str) -> DialogueStateTracker | None:
        reads.append(sender_id)
        return await retrieve(sender_id)

    monkeypatch.setattr(store, "retrieve", counted)
    monkeypatch.setattr(channels, "_store", lambda: store)
    replies, passed = await run("hi again", sender="shopper-1", metadata={"message_id": "m-00000001"})
    assert [m.text for m in passed] == ["hi again"] and reads == []
    replies, passed = await run("hi", sender="shopper-1", metadata={"message_id": "m-12345678"})
    assert passed == [] and [r["text"] for r in replies] == ["Hello!"] and reads == ["shopper-1"]


def test_the_store_is_found_inside_rasas_wrappers(tmp_path: Path) -> None:
    store = ShopTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    assert channels.unwrapped(AwaitableTrackerStore(FailSafeTrackerStore(store))) is store
