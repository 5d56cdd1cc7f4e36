"""Client for the Rasa server's HTTP API: the one outside service the web app calls."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests


def back_to_the_assistant(language: str | None) -> list[dict[str, object]]:
    """Events that give the conversation back to the assistant. The dialogue policies never saw the
    person talk, so its state starts afresh (the lifecycle store keeps the whole transcript), in the
    conversation's language."""
    events: list[dict[str, object]] = [{"event": "resume"}, {"event": "restart"}]
    if language:
        events.append({"event": "slot", "name": "language", "value": language})
    return events


class RasaError(RuntimeError):
    """Rasa did not accept the request; the message says what it answered, never with Rasa's token or
    the conversation's secret (the scheduler logs it and the live-chat console shows it to agents)."""


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 30.0, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.params = {"token": token} if token else {}
        self._token = token or ""

    def _scrubbed(self, text: str, sender_id: str) -> str:
        for secret in (self._token, sender_id, quote(sender_id, safe="")):
            if secret:
                text = text.replace(secret, "…")
        return text

    def _send(self, path: str, sender_id: str, what: str, params: dict[str, str], body: object) -> requests.Response:
        """POST to Rasa; a failure is a RasaError that names what failed, not the URL it went to."""
        try:
            response = requests.post(f"{self.base_url}{path}", params=params, json=body, timeout=self.timeout)
        except requests.RequestException as error:
            raise RasaError(f"Rasa at {self.base_url} is not reachable ({type(error).__name__}) for {what}") \
                from None
        if response.status_code != 200:
            raise RasaError(f"Rasa answered {response.status_code} to {what}: "
                            f"{self._scrubbed(response.text[:200], sender_id)}")
        return response

    def trigger_intent(self, sender_id: str, intent: str, entities: dict[str, Any] | None = None,
                       push: bool = True) -> list[dict]:
        """Push an external event into a conversation; the reply goes to the channel the visitor used last.

        `output_channel=latest` is what lets the socketio widget receive it (REST has no push). With
        `push=False` Rasa collects the reply and returns it, for the caller to hand over itself.
        """
        path = f"/conversations/{quote(sender_id, safe='')}/trigger_intent"
        params = {**self.params, "output_channel": "latest"} if push else dict(self.params)
        response = self._send(path, sender_id, "trigger_intent", params, {"name": intent, "entities": entities or {}})
        return list(response.json().get("messages") or [])

    def _post(self, sender_id: str, path: str, body: object, what: str) -> dict[str, Any]:
        params = {**self.params, "output_channel": "latest", "execute_side_effects": "true"}
        result: dict[str, Any] = self._send(f"/conversations/{quote(sender_id, safe='')}{path}", sender_id, what,
                                            params, body).json()
        return result

    def add_events(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        """Append events to a conversation; bot messages among them reach the shopper's open widget
        (side effects on the latest channel), through whichever Rasa process holds its socket."""
        self._post(sender_id, "/tracker/events", events, "an event")

    def run_action(self, sender_id: str, action: str) -> None:
        """Run one action in a conversation (the CSAT question after a person hands back)."""
        self._post(sender_id, "/execute", {"name": action}, f"running {action}")
