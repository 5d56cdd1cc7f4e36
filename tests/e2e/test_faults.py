"""Faults on the running product: a process dies mid-conversation."""

from __future__ import annotations

import os
import signal
import time

import pytest
import requests

from bot.rasa.channels import NO_ANSWER
from tests.stack import Chat, service_pid

pytestmark = pytest.mark.e2e


def test_the_action_server_dies_mid_conversation_and_comes_back(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    assert "€129.00" in chat.text("fault", "how much is the lumo pro?", visitor_id="fault-visitor")
    os.killpg(service_pid(stack, b"actions.server"), signal.SIGKILL)
    time.sleep(0.5)
    # the next answer needs a custom action: the shopper is told, not left in silence
    reply = chat.text("fault", "is it in stock?")
    assert reply == NO_ANSWER  # (a restart takes seconds: TensorFlow alone loads for several)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{stack.ports.actions}/health", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(1)
    else:
        pytest.fail("the action server was not started again:\n" + "".join(stack.output[-40:]))
    # answers resume, with the conversation's context (the product discussed before)
    assert "Lumo Pro 4K Webcam is in stock" in chat.text("fault", "is it in stock?")
    assert any("starting it again" in line for line in stack.output)
