"""`/widget/hello`: the widget says it has loaded on a page; a lifecycle playbook may have a message.

The widget calls it once per page load with its conversation secret and the shop's signed link
(the same pair it sends Rasa). The decision (sent or held out, within the cap, no opt-out, no
person in the chat) is the store's; the words are Rasa's (`action_playbook`), collected and
returned here for the widget to show, and recorded in the conversation like any reply.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter, Body, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from bot.guards import CallThrottle
from bot.web.identity import widget_conversation
from bot.web.rasa_client import RasaClient, RasaError
from lifecycle.customers.links import IdentityLinks
from lifecycle.people.playbooks import Playbooks
from lifecycle.shop.language import language_of

PLAYBOOK_INTENT = "EXTERNAL_playbook"
MAX_IDENTITY = 1000
router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)


def _field(body: dict[str, Any], name: str, limit: int) -> str | None:
    """An optional string field within its size limit, or a 422 saying so."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise HTTPException(422, f"{name} must be a string of at most {limit} characters")
    return value


@router.post("/widget/hello")
async def hello(request: Request, body: dict[str, Any] = Body(...)) -> JSONResponse:
    """{"conversation": "<secret>", "identity": "<the shop's signed link>", "language": "it-IT"}."""
    conversation = widget_conversation(body.get("conversation"))
    throttle: CallThrottle = request.app.state.hello_throttle
    wait = throttle.take(request.client.host if request.client else "?", conversation)
    if wait > 0:
        raise HTTPException(429, "too many page loads from this address; try again shortly",
                            headers={"Retry-After": str(int(wait) + 1)})
    identity = _field(body, "identity", MAX_IDENTITY)
    language = language_of(_field(body, "language", 35) or "") or "en"
    links: IdentityLinks = request.app.state.links
    visitor = (links.verify(conversation, identity) if identity else None) or links.anonymous(conversation)
    messages = await run_in_threadpool(_greet, request, conversation, visitor, language)
    return JSONResponse({"messages": messages}, headers={"Cache-Control": "no-store"})


def _greet(request: Request, conversation: str, visitor: str, language: str) -> list[dict]:
    playbooks: Playbooks = request.app.state.playbooks
    decision = playbooks.on_arrival(request.app.state.shop_source.get(), conversation, visitor,
                                    datetime.now(timezone.utc))
    if decision is None or decision.held_out:
        return []
    rasa: RasaClient = request.app.state.rasa
    try:
        said = rasa.trigger_intent(conversation, PLAYBOOK_INTENT,
                                   {"playbook": decision.playbook, "page_language": language}, push=False)
        # The widget needs what was said, not Rasa's recipient id (the conversation's secret again).
        return [{key: value for key, value in message.items() if key != "recipient_id"} for message in said]
    except RasaError as error:
        logger.warning("playbook %s: the message could not be said (%s)", decision.playbook, error)
        playbooks.failed(decision.send_id)
        return []
