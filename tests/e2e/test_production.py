"""The production profile as `make run-prod` starts it: real PostgreSQL, Redis and nginx, two Rasa processes.

The faults a busy shop meets: a Rasa process dies mid-conversation, PostgreSQL restarts
under load. Nothing here is mocked; the servers are Debian's packages (`make test`
installs them) run in a private folder on free ports.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from lifecycle.storage.models import Conversation, Interaction, ShopEvent
from tests.e2e.production import API_KEY, Production, answer, pid_listening_on, say

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]


def test_only_the_chat_and_the_web_app_are_public(production: Production) -> None:
    page = requests.get(production.url + "/", timeout=10)
    assert page.status_code == 200
    assert f'data-server="http://localhost:{production.url.rsplit(":", 1)[1]}"' in page.text  # the widget: nginx
    for path in ("/conversations/x/tracker", "/model", "/version", "/status"):
        assert requests.get(production.url + path, timeout=10).status_code == 404, path  # Rasa's API is internal
    assert "€4.90" in answer(production.url, "public-check-conversation", "how much is shipping to Italy?")


def test_the_widget_chats_over_socketio_through_nginx(production: Production) -> None:
    import socketio

    received: list[dict] = []
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", received.append)
    client.connect(production.url, socketio_path="/socket.io", transports=["websocket"])  # as the widget does
    secret = "socket-through-nginx-0123456789"
    try:
        client.emit("session_request", {"session_id": secret})
        client.emit("user_uttered", {"message": "what payment methods do you accept?", "session_id": secret})
        deadline = time.monotonic() + 60
        while not received and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        client.disconnect()
    assert received and "PayPal" in received[0]["text"]


def test_a_rasa_process_killed_mid_conversation_loses_no_context(production: Production) -> None:
    sender = "killed-rasa-conversation-01"
    assert "Lumo Pro 4K Webcam" in answer(production.url, sender, "tell me about the Lumo Pro 4K Webcam")
    victim = production.rasa_ports()[0]
    os.kill(pid_listening_on(victim, production.output), signal.SIGKILL)
    follow_up = answer(production.url, sender, "is it in stock?")  # nginx moves on to the other process
    assert "Lumo Pro 4K Webcam" in follow_up and "in stock" in follow_up
    production.wait_for_output("rasa-1 is ready again", 240)  # the runner restarts it
    assert "Lumo Pro 4K Webcam" in answer(production.url, sender, "how much does it cost?")


SCRIPT = ["hi", "how much is shipping to Italy?", "tell me about the Lumo HD Webcam", "is it in stock?",
          "what payment methods do you accept?", "can I check out as a guest?", "thanks, bye"]


def test_postgres_restart_under_load_loses_no_turn_and_no_accepted_event(production: Production) -> None:
    sent: dict[str, int] = {}
    answered: list[int] = []
    accepted: list[str] = []
    stop = threading.Event()

    def shopper(number: int) -> None:
        sender = f"load-{number}-conversation-secret"
        sent[sender] = 0
        while not stop.is_set():
            try:
                status = say(production.url, sender, SCRIPT[sent[sender] % len(SCRIPT)]).status_code
            except requests.RequestException:
                status = 0
            sent[sender] += 1
            answered.append(status)

    def shop_backend() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            event = {"type": "product_view", "event_id": f"view-{number}", "visitor_id": "load-visitor",
                     "sku": "CAM-100"}
            try:
                response = requests.post(f"{production.url}/api/events", json=event, timeout=30,
                                         headers={"Authorization": f"Bearer {API_KEY}"})
                if 200 <= response.status_code < 300:
                    accepted.append(event["event_id"])
            except requests.RequestException:
                pass
            time.sleep(0.05)

    workers = [threading.Thread(target=shopper, args=(n,)) for n in range(10)]
    workers.append(threading.Thread(target=shop_backend))
    for worker in workers:
        worker.start()
    time.sleep(6)
    production.postgres().restart()
    time.sleep(8)
    stop.set()
    for worker in workers:
        worker.join(120)

    total = sum(sent.values())
    database = production.database()
    try:
        deadline = time.monotonic() + 90
        while True:
            with database.reading() as session:
                recorded = session.execute(
                    select(func.count()).select_from(Interaction).join(Conversation)
                    .where(Conversation.sender_id.in_(list(sent)), Interaction.kind == "user")).scalar_one()
                stored = set(session.execute(select(ShopEvent.event_id).where(
                    ShopEvent.event_id.in_(accepted))).scalars())
            if recorded >= total or time.monotonic() > deadline:
                break
            time.sleep(1)
    finally:
        database.dispose()
    print(f"PostgreSQL restart under load: {total} messages sent, {answered.count(200)} answered, {recorded} "
          f"recorded; {len(accepted)} shop events accepted, {len(stored)} stored")
    assert total > 30 and len(accepted) > 20
    assert recorded == total, f"{total} messages sent, {recorded} in the lifecycle store"
    assert stored == set(accepted), f"{len(set(accepted) - stored)} accepted shop events are missing"
    assert answered.count(200) >= 0.9 * total, f"only {answered.count(200)} of {total} messages answered"
