"""Fixtures that start the whole product as `make run` does (shared by tests/e2e and tests/browser)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.runner.processes import Ports, free_port
from bot.runner.train import ensure_model
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.settings import PROJECT_ROOT, Settings, load_settings
from lifecycle.storage.database import Database
from tests.conftest import no_holdout

API_KEY = "e2e-key-0123456789abcdef"
class Chat:
    """A shopper's side of the chat over REST, as the widget does it: a conversation secret as
    sender, and (when `visitor_id` is given) the shop's signed link to that visitor."""

    def __init__(self, rasa_url: str, store: ConversationRecorder, links: IdentityLinks,
                 logs: list[str] | None = None) -> None:
        self.rasa_url = rasa_url
        self.store = store
        self.links = links
        self.logs = logs if logs is not None else []

    @staticmethod
    def conversation(name: str) -> str:
        """The conversation secret a test's short name stands for (secrets have 16+ characters)."""
        return f"{name}-conversation"

    def say(self, sender: str, text: str, visitor_id: str | None = None,
            metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        conversation = self.conversation(sender)
        body: dict[str, Any] = {"sender": conversation, "message": text}
        if visitor_id or metadata:
            body["metadata"] = {**(metadata or {})}
        if visitor_id:
            body["metadata"]["identity"] = self.links.sign(visitor_id, conversation)
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
        assert response.status_code == 200, response.text
        messages = response.json()
        # An empty answer means an action failed inside Rasa: show what the processes said.
        assert messages, f"no reply to {text!r}; last output of the stack:\n" + "".join(self.logs[-60:])
        return messages

    def text(self, sender: str, message: str, visitor_id: str | None = None,
             metadata: dict[str, Any] | None = None) -> str:
        return "\n".join(m["text"] for m in self.say(sender, message, visitor_id, metadata) if m.get("text"))


@dataclass
class Running:
    ports: Ports
    env: dict[str, str]
    settings: Settings
    process: subprocess.Popen
    output: list[str]


def service_pid(stack: Running, marker: bytes) -> int:
    """One process of this stack, found by an argument of its command line (`b"actions.server"`,
    `b"bot.web.app:create_app"`) and this stack's var folder."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if marker in command and stack.env["SHOPMATE_VAR_DIR"].encode() in environ:
            return int(proc.name)
    raise AssertionError(f"no {marker.decode()} process found for this stack")


def _closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """`python -m bot.runner.serve`, the program behind `make run`, on free ports with a private store.

    Teardown sends Ctrl-C (SIGINT) and checks that every port is released: nothing left running.
    """
    yield from serve(tmp_path_factory, PROJECT_ROOT / "data" / "shop")


@pytest.fixture(scope="session")
def northpeak(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The same program serving the second demo shop (an outdoor shop exported from Shopify)."""
    yield from serve(tmp_path_factory, PROJECT_ROOT / "data" / "shops" / "northpeak")


@pytest.fixture(scope="session")
def northpeak_chat(northpeak: Running) -> Iterator[Chat]:
    yield from chat_with(northpeak)


def serve(tmp_path_factory: pytest.TempPathFactory, shop: Path,
          extra_env: dict[str, str] | None = None) -> Iterator[Running]:
    var = tmp_path_factory.mktemp("var")
    shutil.copytree(shop, var / "shop")  # a test may change it (agents' hours)
    no_holdout(var / "shop")
    ports = Ports(free_port(), free_port(), free_port())
    env = {"SHOPMATE_VAR_DIR": str(var), "SHOPMATE_DATABASE_URL": f"sqlite:///{var / 'shopmate.db'}",
           "SHOPMATE_TRACKER_DB": str(var / "tracker.db"), "SHOPMATE_ACTIONS_PORT": str(ports.actions),
           "SHOPMATE_RASA_PORT": str(ports.rasa), "SHOPMATE_WEB_PORT": str(ports.web),
           "SHOPMATE_MAIL_PORT": str(free_port()), "SHOPMATE_API_KEY": API_KEY, "SHOPMATE_RECOVERY_INTERVAL": "1",
           "SHOPMATE_SHOP_DIR": str(var / "shop"),
           # Every test shopper comes from 127.0.0.1, hundreds of messages a minute; the per-conversation
           # limit stays at its default (tests/e2e/test_attacks.py floods one conversation).
           "SHOPMATE_CHAT_PER_ADDRESS": "100000", **(extra_env or {})}
    # No token or key is set: the stack makes its own in var/secrets, exactly as `make run` does.
    ensure_model()  # train (or reuse) before the clock of the start-up starts
    process = subprocess.Popen([sys.executable, "-m", "bot.runner.serve"], cwd=PROJECT_ROOT, env={**os.environ, **env},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    assert process.stdout
    for line in process.stdout:
        output.append(line)
        if "Shopmate is up" in line:
            break
    else:
        pytest.fail("bot.runner.serve did not start:\n" + "".join(output[-60:]))
    threading.Thread(target=lambda: output.extend(process.stdout), daemon=True).start()  # type: ignore[arg-type]
    yield Running(ports, env, load_settings({**os.environ, **env}), process, output)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0, "".join(output[-40:])
    assert all(_closed(port) for port in (ports.actions, ports.rasa, ports.web)), "a process outlived Ctrl-C"


@pytest.fixture(scope="session")
def chat(stack: Running) -> Iterator[Chat]:
    yield from chat_with(stack)


def post_events(running: Running, *events: dict[str, Any]) -> None:
    """The shop's events to a running stack's API, with its key; they must be accepted."""
    response = requests.post(f"http://127.0.0.1:{running.ports.web}/api/events", json=list(events),
                             headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10)
    assert response.status_code == 200, response.text


def chat_with(running: Running) -> Iterator[Chat]:
    """A shopper's side of a running stack, with its store (for a fixture: `yield from`)."""
    database = Database.from_url(running.env["SHOPMATE_DATABASE_URL"])
    links = IdentityLinks(running.settings.secret_key)
    yield Chat(f"http://127.0.0.1:{running.ports.rasa}", ConversationRecorder(database, links), links,
               running.output)
    database.dispose()


def read(store: ConversationRecorder, query: Any) -> list:
    with store.db.session() as session:
        return list(session.execute(query).all())




def socketio_say(stack: Running, secret: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """The widget's protocol: session_request, user_uttered with metadata, bot_uttered in the room."""
    import socketio

    replies: list[dict[str, Any]] = []
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", lambda session_id: client.emit(
        "user_uttered", {"message": text, "session_id": session_id, "metadata": metadata}))
    client.on("bot_uttered", replies.append)
    client.connect(f"http://127.0.0.1:{stack.ports.rasa}", transports=["polling"])
    try:
        client.emit("session_request", {"session_id": secret})
        deadline = time.monotonic() + 30
        while not replies and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        client.disconnect()
    return replies


def settled(store: ConversationRecorder, query: Any, seconds: float = 15.0) -> list:
    """`read`, once the event broker's writer has caught up: it records turns a moment after the
    reply (off the turn's path), so a test waits until two reads 0.3 s apart agree."""
    deadline = time.monotonic() + seconds
    previous = read(store, query)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        current = read(store, query)
        if current == previous:
            return current
        previous = current
    return previous


def bot_texts(running: Running, sender: str) -> list[str]:
    """What the assistant said in a test conversation, read from Rasa's tracker (with its token):
    also what the web app's timers pushed into it (reminders, the shop's answers)."""
    tracker = requests.get(f"http://127.0.0.1:{running.ports.rasa}/conversations/{Chat.conversation(sender)}/tracker",
                           params={"token": running.settings.rasa_token}, timeout=10).json()
    return [e.get("text") or "" for e in tracker["events"] if e["event"] == "bot"]


def eventually(check: Any, seconds: float = 15.0) -> None:
    """Run `check` (which asserts) until it passes or time is up; the last failure is raised."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
