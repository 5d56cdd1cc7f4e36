"""Who the shopper is, on the web side: the demo shop's visitor cookie and the signed links.

The demo shop is the shop here, so it names its visitors itself: an HttpOnly cookie with a
random visitor id, signed with the settings' key so a browser cannot choose someone else's.
The widget makes its own conversation secret and asks `/widget/identity` to link the two;
a real shop's backend asks `/api/identity` with its API key instead.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Body, HTTPException, Request, Response

from lifecycle.customers.links import CONVERSATION, CONVERSATION_RULE, IdentityLinks, LinkRefused

VISITOR_COOKIE = "shopmate_visitor"
COOKIE_DAYS = 365
router = APIRouter(include_in_schema=False)


def visitor_from_cookie(request: Request) -> str | None:
    links: IdentityLinks = request.app.state.links
    return links.visitor_from_cookie(request.cookies.get(VISITOR_COOKIE, ""))


def ensure_visitor(request: Request, response: Response) -> str:
    """The page's visitor, given a new id (and cookie) on first sight."""
    visitor = visitor_from_cookie(request)
    if visitor is None:
        visitor = "v-" + secrets.token_hex(12)
        settings = request.app.state.settings
        response.set_cookie(VISITOR_COOKIE, request.app.state.links.visitor_cookie(visitor),
                            max_age=COOKIE_DAYS * 86400, httponly=True, samesite="lax",
                            secure=settings.profile == "production")
    return visitor


def widget_conversation(value: object) -> str:
    """The widget's conversation secret from a request body, or a 422 saying what it must be."""
    if not isinstance(value, str) or not CONVERSATION.match(value):
        raise HTTPException(422, CONVERSATION_RULE)
    return value


@router.post("/widget/identity")
def widget_identity(request: Request, response: Response, body: dict[str, Any] = Body(...)) -> dict[str, str]:
    """Link this browser's visitor to the widget's conversation: {"conversation": "<secret>"}."""
    conversation = widget_conversation(body.get("conversation"))
    visitor = ensure_visitor(request, response)
    response.headers["Cache-Control"] = "no-store"
    links: IdentityLinks = request.app.state.links
    return {"visitor_id": visitor, "identity": links.sign(visitor, conversation)}


def sign_for_shop(links: IdentityLinks, visitor_id: object, conversation: object) -> str:
    if not isinstance(visitor_id, str) or not isinstance(conversation, str):
        raise HTTPException(422, "send {\"visitor_id\": \"...\", \"conversation\": \"...\"} as strings")
    try:
        return links.sign(visitor_id, conversation)
    except LinkRefused as error:
        raise HTTPException(422, str(error)) from None
