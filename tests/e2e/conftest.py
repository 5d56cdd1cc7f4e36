"""One running stack (action server, Rasa, web app) on free ports with a private store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from bot.prepare import prepare_store
from bot.processes import Ports, Stack, free_port
from bot.train import ensure_model
from lifecycle.db import Database
from lifecycle.settings import load_settings
from lifecycle.store import LifecycleStore


class Chat:
    def __init__(self, rasa_url: str, store: LifecycleStore) -> None:
        self.rasa_url = rasa_url
        self.store = store

    def say(self, sender: str, text: str, visitor_id: str | None = None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": sender, "message": text}
        if visitor_id:
            body["metadata"] = {"visitor_id": visitor_id}
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    def text(self, sender: str, message: str, visitor_id: str | None = None) -> str:
        return "\n".join(m["text"] for m in self.say(sender, message, visitor_id) if m.get("text"))


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("var")
    env = {"SHOPMATE_VAR_DIR": str(var), "SHOPMATE_DATABASE_URL": f"sqlite:///{var / 'shopmate.db'}",
           "SHOPMATE_TRACKER_DB": str(var / "tracker.db")}
    ports = Ports(free_port(), free_port(), free_port())
    env["SHOPMATE_ACTION_URL"] = f"http://127.0.0.1:{ports.actions}/webhook"
    env["SHOPMATE_RASA_URL"] = f"http://127.0.0.1:{ports.rasa}"
    prepare_store(load_settings(env))
    running = Stack(ensure_model(), ports, env, echo=None, host="127.0.0.1")
    try:
        running.start()
    except RuntimeError:
        running.stop()
        raise
    yield running
    running.stop()


@pytest.fixture(scope="session")
def chat(stack: Stack) -> Iterator[Chat]:
    database = Database.from_url(stack.env["SHOPMATE_DATABASE_URL"])
    yield Chat(f"http://127.0.0.1:{stack.ports.rasa}", LifecycleStore(database))
    database.dispose()


def read(store: LifecycleStore, query: Any) -> list:
    with store.db.session() as session:
        return list(session.execute(query).all())


