"""Client for the Rasa server's HTTP API: the one outside service the web app calls."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests


class RasaError(RuntimeError):
    """Rasa did not accept the request; the message says what it answered."""


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 30.0, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.params = {"token": token} if token else {}

    def trigger_intent(self, sender_id: str, intent: str, entities: dict[str, Any] | None = None) -> list[dict]:
        """Push an external event into a conversation; the reply goes to the channel the visitor used last.

        `output_channel=latest` is what lets the socketio widget receive it (REST has no push).
        """
        url = f"{self.base_url}/conversations/{quote(sender_id, safe='')}/trigger_intent"
        try:
            response = requests.post(url, params={**self.params, "output_channel": "latest"},
                                     json={"name": intent, "entities": entities or {}}, timeout=self.timeout)
        except requests.RequestException as error:
            raise RasaError(f"Rasa at {self.base_url} is not reachable: {error}") from None
        if response.status_code != 200:
            raise RasaError(f"Rasa answered {response.status_code} to trigger_intent: {response.text[:200]}")
        return list(response.json().get("messages") or [])
