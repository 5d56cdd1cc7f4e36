"""A conversation's messages as the widget shows them after a reload."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.storage.models import Conversation, Interaction

MAX_MESSAGES = 200


def widget_history(session: Session, sender_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Interaction).join(Conversation).where(Conversation.sender_id == sender_id,
                                                     Interaction.kind.in_(("user", "bot", "agent")))
        .order_by(Interaction.at.desc(), Interaction.id.desc()).limit(MAX_MESSAGES)).scalars().all()
    messages: list[dict[str, Any]] = []
    for row in reversed(rows):
        if row.kind == "user":
            if row.text and not row.text.startswith("/"):  # button payloads are shown by their title live only
                messages.append({"from": "user", "text": row.text})
            continue
        payload = row.payload if isinstance(row.payload, dict) else {}
        if row.kind == "agent":  # a person's message during a live hand-off
            messages.append({"from": "bot", "type": "agent", "agent": payload.get("agent"), "text": row.text or ""})
            continue
        message: dict[str, Any] = {"from": "bot", "text": row.text or ""}
        custom = payload.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("data"), dict):
            message["custom"] = custom["data"]
        if payload.get("buttons"):
            message["buttons"] = payload["buttons"]
        messages.append(message)
    return messages
