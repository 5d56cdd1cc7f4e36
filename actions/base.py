"""What every Shopmate action shares: the services, the visitor and the user's words."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import Services, services

# What an action returns to Rasa: the events it adds to the conversation.
Events = list[dict[str, Any]] | None


def visitor_id(tracker: Tracker, svc: Services) -> str:
    """Who is writing: the visitor a signed link in the message names, else the one this
    conversation is already linked to, else its anonymous visitor (the rule lives in
    `ConversationRecorder.visitor_for`). A visitor id sent unsigned is never believed."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    token = metadata.get("identity") if isinstance(metadata, dict) else None
    return svc.recorder.visitor_for(tracker.sender_id, token)


def user_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def intent_of(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


class ShopAction(Action):
    """Base for actions that answer from the shop's data; subclasses implement `answer`."""

    action_name = ""

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return self.answer(dispatcher, tracker, services()) or []

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, svc: Services
    ) -> list[dict[str, Any]] | None:
        raise NotImplementedError
