"""Two Rasa processes sharing one tracker store, Redis as lock store and socket.io manager (real redis-server).

A bot message pushed through one process's HTTP API (the tracker events endpoint with
output_channel=latest, as `trigger_intent` pushes do) must reach a widget whose socket is held
by the other: what cart reminders need once Rasa runs as several processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests

from bot.runner.processes import free_port
from bot.runner.train import ensure_model
from lifecycle.settings import PROJECT_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.redis]
TOKEN = "two-process-token-0123456789"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is missing: `make test` installs it (apt-get install redis-server)")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                                "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() \
                == "PONG":
            break
        time.sleep(0.2)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def two_rasas(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[int]]:
    folder = tmp_path_factory.mktemp("two")
    redis_port = redis_url.rsplit(":", 1)[1].split("/")[0]
    (folder / "endpoints.yml").write_text(
        f"tracker_store:\n  type: bot.rasa.tracker.ShopTrackerStore\n  dialect: sqlite\n  db: {folder / 'tracker.db'}\n"
        f"lock_store:\n  type: redis\n  url: 127.0.0.1\n  port: {redis_port}\n  db: 1\n", encoding="utf-8")
    (folder / "credentials.yml").write_text(
        "bot.rasa.channels.ShopSocketIOInput:\n  user_message_evt: user_uttered\n  bot_message_evt: bot_uttered\n"
        f"  session_persistence: true\n  redis_url: {redis_url}\n", encoding="utf-8")
    model = ensure_model()
    ports = [free_port(), free_port()]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--enable-api", f"--auth-token={TOKEN}", "--model", str(model),
         "--endpoints", str(folder / "endpoints.yml"), "--credentials", str(folder / "credentials.yml"),
         "--port", str(port), "--interface", "127.0.0.1"],
        cwd=PROJECT_ROOT, env={**os.environ, "SHOPMATE_VAR_DIR": str(folder)},
        stdout=(folder / f"rasa-{port}.log").open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        for port in ports]
    deadline = time.monotonic() + 240
    for port in ports:
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the two Rasa processes did not start")
            time.sleep(0.5)
    yield ports
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(30)


def widget_on(port: int, secret: str):  # type: ignore[no-untyped-def]
    import socketio

    received: list[dict] = []
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", received.append)
    client.connect(f"http://127.0.0.1:{port}", transports=["websocket"])
    client.emit("session_request", {"session_id": secret})
    # No action server here, so the message gets no answer; it makes socket.io this
    # conversation's latest channel, which a push with output_channel=latest goes to.
    client.emit("user_uttered", {"message": "bye", "session_id": secret})

    def channel_known() -> bool:
        tracker = requests.get(f"http://127.0.0.1:{port}/conversations/{secret}/tracker",
                               params={"token": TOKEN}, timeout=10).json()
        return any(event.get("event") == "user" for event in tracker.get("events") or [])

    wait_for(channel_known, "the widget's message in the tracker")
    return client, received


def wait_for(condition, what: str, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.parametrize("socket_on, pushed_through", [(0, 1), (1, 0)])
def test_a_push_through_one_process_reaches_a_widget_on_the_other(two_rasas: list[int], socket_on: int,
                                                                   pushed_through: int) -> None:
    secret = f"{socket_on}{pushed_through}" * 16
    client, received = widget_on(two_rasas[socket_on], secret)
    try:
        pushed = f"pushed through process {pushed_through}"
        response = requests.post(
            f"http://127.0.0.1:{two_rasas[pushed_through]}/conversations/{secret}/tracker/events",
            params={"output_channel": "latest", "execute_side_effects": "true", "token": TOKEN},
            json=[{"event": "bot", "text": pushed}], timeout=30)
        assert response.status_code == 200, response.text
        wait_for(lambda: any(m.get("text") == pushed for m in received),
                 "the pushed message in the widget on the other process")
    finally:
        client.disconnect()
