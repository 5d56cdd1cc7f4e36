"""The production profile as `make run-prod` starts it, shared by the e2e tests that need it
(tests/e2e/conftest.py makes it a session fixture: one start for test_production and test_attacks)."""

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

from bot.runner.deploy.postgres import LocalPostgres
from bot.runner.processes import free_port
from bot.runner.train import ensure_model
from lifecycle.settings import PROJECT_ROOT
from lifecycle.storage.database import Database

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


def production_stack() -> Iterator[Production]:
    """`python -m bot.runner.serve --production`, the program behind `make run-prod`, in a private folder."""
    # Not pytest's tmp_path: its parent is private to root, and PostgreSQL runs as its own user.
    folder = Path(tempfile.mkdtemp(prefix="shopmate-prod-"))
    folder.chmod(0o700)  # as an embedded `make run` leaves var/: the production start opens it for PostgreSQL
    web, postgres_port, redis_port = free_port(), free_port(), free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHOPMATE_")}
    env.update({"SHOPMATE_VAR_DIR": str(folder), "SHOPMATE_PROCESSES": "2", "SHOPMATE_WEB_PORT": str(web),
                "SHOPMATE_POSTGRES_PORT": str(postgres_port), "SHOPMATE_REDIS_PORT": str(redis_port),
                "SHOPMATE_API_KEY": API_KEY,
                # The load tests' shoppers type far faster than people (and all come from 127.0.0.1).
                "SHOPMATE_CHAT_PER_CONVERSATION": "1000", "SHOPMATE_CHAT_PER_ADDRESS": "100000"})
    ensure_model()
    process = subprocess.Popen([sys.executable, "-m", "bot.runner.serve", "--production"], cwd=PROJECT_ROOT, env=env,
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


