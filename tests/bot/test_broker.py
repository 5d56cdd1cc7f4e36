"""The event broker records what Rasa publishes: the shapes below are Rasa 3.6's event dicts."""

import pytest

from bot.broker import EventRecorder, LifecycleEventBroker, conversation_tag
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
    assert store.customer("shop-visitor-9").stage == "awareness"


def test_custom_action_messages_are_attributed_to_the_action(store: ConversationRecorder) -> None:
    recorder = EventRecorder(store)
    recorder.record({"sender_id": "c", "event": "action", "timestamp": T, "name": "action_compare"})
    recorder.record({"sender_id": "c", "event": "bot", "timestamp": T, "text": None,
                     "data": {"custom": {"data": {"type": "comparison"}}}, "metadata": {}})
    bot_row = store.interactions("c")[-1]
    assert bot_row.action == "action_compare" and bot_row.payload["custom"]["data"]["type"] == "comparison"


def test_a_store_failure_is_logged_and_does_not_break_the_conversation(
        store: ConversationRecorder, caplog: pytest.LogCaptureFixture) -> None:
    broken = LifecycleEventBroker(EventRecorder(store))
    store.db._sessions = None  # type: ignore[attr-defined]  # any use of the store now raises
    broken.publish(turn("x-conversation-secret")[1])
    assert f"could not record user event for conversation {conversation_tag('x-conversation-secret')}" in caplog.text
    assert "x-conversation-secret" not in caplog.text
