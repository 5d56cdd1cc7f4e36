"""The production profile as `make run-prod` starts it: real PostgreSQL, Redis and nginx, two Rasa processes.

The faults a busy shop meets: a Rasa process dies mid-conversation, PostgreSQL restarts
under load. Nothing here is mocked; the servers are Debian's packages (`make test`
installs them) run in a private folder on free ports.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from bot.deploy.postgres import LocalPostgres
from bot.processes import free_port
from bot.train import ensure_model
from lifecycle.settings import PROJECT_ROOT
from lifecycle.storage.database import Database
from lifecycle.storage.models import Conversation, Interaction, ShopEvent

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]
API_KEY = "production-test-key-0123456789"


@dataclass
class Production:
    url: str
    folder: Path
    env: dict[str, str]
    output: list[str]
    postgres_port: int

    def secret(self, name: str) -> str:
        return (self.folder / "secrets" / name).read_text().strip()

    def database(self) -> Database:
        password = self.secret("postgres-shopmate")
        return Database.from_url(
            f"postgresql+psycopg2://shopmate:{password}@127.0.0.1:{self.postgres_port}/shopmate")

    def postgres(self) -> LocalPostgres:
        return LocalPostgres(self.folder / "postgres", self.postgres_port, self.secret("postgres-superuser"))

    def rasa_ports(self) -> list[int]:
        config = (self.folder / "nginx" / "nginx.conf").read_text()
        block = config.split("upstream rasa_rest {", 1)[1].split("}", 1)[0]
        return [int(port) for port in re.findall(r"127\.0\.0\.1:(\d+)", block)]

    def story(self) -> str:
        """The runner's own lines, then the last of everything (the children are noisy)."""
        return "".join(line for line in self.output if line.startswith("[run]")) + "---\n" + \
            "".join(self.output[-40:])

    def wait_for_output(self, text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not any(text in line for line in self.output):
            if time.monotonic() > deadline:
                pytest.fail(f"no {text!r} from make run-prod:\n" + self.story())
            time.sleep(0.5)


def say(url: str, sender: str, text: str) -> requests.Response:
    return requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=90)


def answer(url: str, sender: str, text: str) -> str:
    response = say(url, sender, text)
    assert response.status_code == 200, response.text
    return " ".join(message.get("text") or "" for message in response.json())


def pid_listening_on(port: int, output: list[str]) -> int:
    listing = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    found = re.search(r"pid=(\d+)", listing)
    assert found, f"nothing listens on {port} ({listing!r}); make run-prod said:\n" + "".join(output[-60:])
    return int(found.group(1))


@pytest.fixture(scope="module")
def production() -> Iterator[Production]:
    """`python -m bot.serve --production`, the program behind `make run-prod`, in a private folder."""
    # Not pytest's tmp_path: its parent is private to root, and PostgreSQL runs as its own user.
    folder = Path(tempfile.mkdtemp(prefix="shopmate-prod-"))
    folder.chmod(0o755)
    web, postgres_port, redis_port = free_port(), free_port(), free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHOPMATE_")}
    env.update({"SHOPMATE_VAR_DIR": str(folder), "SHOPMATE_PROCESSES": "2", "SHOPMATE_WEB_PORT": str(web),
                "SHOPMATE_POSTGRES_PORT": str(postgres_port), "SHOPMATE_REDIS_PORT": str(redis_port),
                "SHOPMATE_API_KEY": API_KEY})
    ensure_model()
    process = subprocess.Popen([sys.executable, "-m", "bot.serve", "--production"], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    assert process.stdout

    def pump() -> None:
        assert process.stdout
        for line in process.stdout:
            output.append(line)

    threading.Thread(target=pump, daemon=True).start()
    running = Production(f"http://127.0.0.1:{web}", folder, env, output, postgres_port)
    try:
        running.wait_for_output("[run] Shopmate (production profile", 420)
        yield running
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=90)
        stopped = not running.postgres().running()
        shutil.rmtree(folder, ignore_errors=True)
    assert code == 0, running.story()
    assert stopped, "PostgreSQL outlived make run-prod"


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
