"""The event broker records what Rasa publishes: the shapes below are Rasa 3.6's event dicts."""

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bot.rasa.broker import EventRecorder, LifecycleEventBroker
from lifecycle.conversations.recorder import ConversationRecorder
from tests.conftest import LINKS

T = 1764064800.0  # 2025-11-25 10:00 UTC
CHAT = "chat-9-conversation-secret"


def turn(sender: str) -> list:
    return [
        {"sender_id": sender, "event": "action", "timestamp": T, "name": "action_session_start"},
        {"sender_id": sender, "event": "user", "timestamp": T + 1, "text": "bye",
         "parse_data": {"intent": {"name": "goodbye", "confidence": 0.97}, "entities": []},
         "input_channel": "rest", "metadata": {"identity": LINKS.sign("shop-visitor-9", sender)}},
        {"sender_id": sender, "event": "action", "timestamp": T + 2, "name": "utter_goodbye", "confidence": 1.0},
        {"sender_id": sender, "event": "bot", "timestamp": T + 2, "text": "Goodbye!",
         "data": {"buttons": None, "custom": None}, "metadata": {"utter_action": "utter_goodbye"}},
        {"sender_id": sender, "event": "action", "timestamp": T + 3, "name": "action_listen"},
    ]


def test_plain_response_turn_is_recorded(store: ConversationRecorder) -> None:
    recorder = EventRecorder(store)
    for event in turn(CHAT):
        recorder.record(event)
    rows = store.interactions(CHAT)
    assert [(r.kind, r.text, r.intent, r.action) for r in rows] == [
        ("user", "bye", "goodbye", None),
        ("action", None, None, "utter_goodbye"),
        ("bot", "Goodbye!", None, "utter_goodbye"),
    ]
    assert rows[0].confidence == 0.97
    assert getattr(store.customer("shop-visitor-9"), "stage", None) == "awareness"


def test_custom_action_messages_are_attributed_to_the_action(store: ConversationRecorder) -> None:
    recorder = EventRecorder(store)
    recorder.record({"sender_id": "c-conversation-secret", "event": "action", "timestamp": T, "name": "action_compare"})
    recorder.record({"sender_id": "c-conversation-secret", "event": "bot", "timestamp": T, "text": None,
                     "data": {"custom": {"data": {"type": "comparison"}}}, "metadata": {}})
    bot_row = store.interactions("c-conversation-secret")[-1]
    assert bot_row.action == "action_compare" and bot_row.payload["custom"]["data"]["type"] == "comparison"


def test_the_web_apps_trigger_is_not_the_shoppers_message(store: ConversationRecorder) -> None:
    recorder = EventRecorder(store)
    recorder.record({"sender_id": CHAT, "event": "user", "timestamp": T, "text": "EXTERNAL: EXTERNAL_playbook",
                     "parse_data": {"intent": {"name": "EXTERNAL_playbook", "confidence": 1.0}, "entities": []},
                     "input_channel": None, "metadata": {}})
    recorder.record({"sender_id": CHAT, "event": "action", "timestamp": T + 1, "name": "action_playbook"})
    recorder.record({"sender_id": CHAT, "event": "bot", "timestamp": T + 1, "text": "Welcome back!", "data": {},
                     "metadata": {}})
    rows = store.interactions(CHAT)
    assert [(r.kind, r.text, r.action) for r in rows] == [
        ("trigger", None, "EXTERNAL_playbook"), ("action", None, "action_playbook"),
        ("bot", "Welcome back!", "action_playbook")]
    assert store.history(CHAT) == [{"from": "bot", "text": "Welcome back!"}]  # the widget shows no "EXTERNAL: ..."


class Outage(OperationalError):
    def __init__(self) -> None:
        super().__init__("INSERT ...", {}, Exception("database is locked"))


def test_publish_never_waits_on_the_store_and_nothing_is_lost_in_an_outage(
        store: ConversationRecorder, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = store.record_turns
    down = {"until": time.monotonic() + 1.0}

    def flaky(turns, **options):  # type: ignore[no-untyped-def]
        if time.monotonic() < down["until"]:
            raise Outage()
        real(turns, **options)

    monkeypatch.setattr(store, "record_turns", flaky)
    broker = LifecycleEventBroker(EventRecorder(store), tmp_path / "outbox")
    started = time.monotonic()
    for event in turn(CHAT):
        broker.publish(event)
    assert time.monotonic() - started < 0.1  # the turn never waited for the store
    assert broker.flush(timeout=15)
    assert [r.kind for r in store.interactions(CHAT)] == ["user", "action", "bot"]
    assert "lifecycle store unavailable" in caplog.text and CHAT not in caplog.text
    assert all(path.read_text() == "" for path in (tmp_path / "outbox").glob("*.jsonl"))  # all recorded
    asyncio.run(broker.close())


def test_a_journal_left_by_a_dead_process_is_replayed(store: ConversationRecorder, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (outbox / f"broker-{dead.pid}.jsonl").write_text(
        "\n".join(json.dumps(event) for event in turn(CHAT)) + "\n{\"cut short", encoding="utf-8")
    broker = LifecycleEventBroker(EventRecorder(store), outbox)
    deadline = time.monotonic() + 10
    while not store.interactions(CHAT) and time.monotonic() < deadline:
        time.sleep(0.05)
    broker.flush()
    assert [r.kind for r in store.interactions(CHAT)] == ["user", "action", "bot"]
    assert not (outbox / f"broker-{dead.pid}.jsonl").exists()
    asyncio.run(broker.close())


def test_under_steady_traffic_the_journal_keeps_only_the_last_seconds(store: ConversationRecorder,
                                                                       tmp_path: Path) -> None:
    """The store is always a little behind, so the journal is never empty: segments roll over and
    each is deleted once recorded, instead of one file that keeps every message for ever."""
    outbox = tmp_path / "outbox"
    broker = LifecycleEventBroker(EventRecorder(store), outbox)
    broker.journal.rotate_seconds = 0.2
    for number in range(12):
        for event in turn(f"steady-{number}-conversation"):
            broker.publish(event)
        time.sleep(0.1)
    assert broker.flush(timeout=15)
    for event in turn("steady-last-conversation"):
        broker.publish(event)  # still pending while we look
    on_disk = "".join(path.read_text() for path in outbox.glob("*.jsonl"))
    assert "steady-0-conversation" not in on_disk and "steady-5-conversation" not in on_disk
    assert len(list(outbox.glob("*.jsonl"))) <= 2
    assert broker.flush(timeout=15)
    assert [r.kind for r in store.interactions("steady-0-conversation")] == ["user", "action", "bot"]
    asyncio.run(broker.close())
    assert not list(outbox.glob("*.jsonl"))  # closed with nothing pending: no file left


def test_a_replayed_journal_does_not_record_a_turn_twice(store: ConversationRecorder, tmp_path: Path) -> None:
    """A process killed after recording its events but before clearing its journal: the next one replays
    the journal, and what was already recorded stays recorded once."""
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    EventRecorder(store).record_batch(turn(CHAT))  # recorded by the process that then died
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (outbox / f"broker-{dead.pid}-0.jsonl").write_text("\n".join(json.dumps(event) for event in turn(CHAT)),
                                                       encoding="utf-8")
    broker = LifecycleEventBroker(EventRecorder(store), outbox)
    deadline = time.monotonic() + 10
    while (outbox / f"broker-{dead.pid}-0.jsonl").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [r.kind for r in store.interactions(CHAT)] == ["user", "action", "bot"]
    asyncio.run(broker.close())
