"""The demo shop's own backend: the page's cart and product views become shop events.

A real shop posts events from its server with the API key; the demo page cannot hold
a key, so this route stands in for that server. It takes only the event types a
storefront produces, makes the event ids itself, and is off in the production profile.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Body, HTTPException, Request

from lifecycle.commerce.events import EventRejected, EventsInvalid, parse_events

STOREFRONT_EVENTS = {"page_view", "product_view", "cart_updated", "checkout_started", "order_placed"}
router = APIRouter(prefix="/demo", include_in_schema=False)


@router.post("/events")
def demo_event(request: Request, body: Any = Body(...)) -> dict:
    if request.app.state.settings.profile == "production":
        raise HTTPException(404, "the demo shop is off in the production profile")
    if not isinstance(body, dict) or body.get("type") not in STOREFRONT_EVENTS:
        raise HTTPException(422, [f"type must be one of {', '.join(sorted(STOREFRONT_EVENTS))}"])
    event = {**body, "event_id": f"demo-{uuid.uuid4()}"}
    if event["type"] == "order_placed":
        event["order_id"] = f"DEMO-{uuid.uuid4().hex[:8].upper()}"
    try:
        applied = request.app.state.commerce.apply(parse_events(event), request.app.state.shop_source.get())
    except EventsInvalid as error:
        raise HTTPException(422, error.problems) from None
    except EventRejected as error:
        raise HTTPException(422, [str(error)]) from None
    return {"accepted": applied.accepted, "order_id": event.get("order_id")}
