"""Playbooks on the running stack: the widget's /widget/hello gets a message Rasa words, recorded in
the conversation; a returning visitor is welcomed back with what they looked at."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import select

from lifecycle.storage.models import Conversation, Interaction, PlaybookSend
from tests.stack import Chat, eventually, read

pytestmark = pytest.mark.e2e


def hello(stack, conversation: str, identity: str | None, language: str = "en") -> list[dict]:  # type: ignore[no-untyped-def]
    response = requests.post(f"http://127.0.0.1:{stack.ports.web}/widget/hello", timeout=30,
                             json={"conversation": conversation, "identity": identity, "language": language})
    assert response.status_code == 200
    return list(response.json()["messages"])


def test_a_returning_visitor_is_welcomed_back_with_what_they_viewed(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    visitor = "visitor-returning"
    assert "€129.00" in chat.text("e2e-viewer", "how much is the lumo pro?", visitor_id=visitor)
    # The same shopper later, on another device: a new widget secret, the shop's signed link.
    secret = "feedbeeffeedbeeffeedbeeffeedbeef"
    messages = hello(stack, secret, chat.links.sign(visitor, secret))
    assert messages[0]["text"] == ("Welcome back! Last time you looked at Lumo Pro 4K Webcam. Can I help you "
                                   "choose?")
    assert hello(stack, secret, chat.links.sign(visitor, secret)) == []  # at most once a week

    def recorded() -> None:  # the greeting is part of the conversation, as the transcript shows it
        said = read(chat.store, select(Interaction.kind, Interaction.text).join(Conversation)
                    .where(Conversation.sender_id == secret, Interaction.kind == "bot"))
        assert said == [("bot", messages[0]["text"])]

    eventually(recorded)
    assert read(chat.store, select(PlaybookSend.playbook, PlaybookSend.status).join(Conversation)
                .where(Conversation.sender_id == secret)) == [("welcome_back", "sent")]


def test_a_first_visitor_is_introduced_in_the_pages_language(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    secret = "0ddba11c0ffee0ddba11c0ffee0ddba1"
    messages = hello(stack, secret, chat.links.sign("visitor-first-it", secret), "it-IT")
    assert messages[0]["text"].startswith("Ciao, benvenuto da DeskWorks! Vendiamo")
    reply = requests.post(f"http://127.0.0.1:{stack.ports.rasa}/webhooks/rest/webhook", timeout=60,
                          json={"sender": secret, "message": "quanto costa la spedizione in Polonia?",
                                "metadata": {"identity": chat.links.sign("visitor-first-it", secret),
                                             "language": "it-IT"}}).json()
    assert "5,90" in reply[0]["text"]  # the conversation goes on after the greeting
