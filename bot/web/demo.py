"""The demo shop's own backend: the page's cart and product views become shop events.

A real shop posts events from its server with the API key; the demo page cannot hold
a key, so this route stands in for that server. It takes only the event types a
storefront produces, for the visitor its own cookie names (never one the body names),
makes the event ids itself, prices orders from the catalog, answers only browsers on
this machine, and is off in the production profile.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from html import escape
from typing import Any

from fastapi import APIRouter, Body, HTTPException, Request, Response

from bot.web.identity import visitor_from_cookie
from lifecycle.commerce.events import EventRejected, EventsInvalid, parse_events
from lifecycle.shop.facts import Shop

STOREFRONT_EVENTS = {"page_view", "product_view", "cart_updated", "checkout_started", "order_placed"}
router = APIRouter(prefix="/demo", include_in_schema=False)


LOCAL = {"127.0.0.1", "::1", "localhost"}


_PALETTE = ("#20304a", "#2f6f5e", "#8a3b2e", "#5b4a8a", "#7a6a2f", "#2f5f8a")


@router.get("/images/{name}.svg")
def demo_image(name: str) -> Response:
    """A picture for the demo shops' products (their catalogs name /demo/images/<handle>.svg): the
    product's initials on a colour, so the widget's cards show an image with no outside host."""
    if not (0 < len(name) <= 80 and name.isascii() and name.replace("-", "").isalnum() and name == name.lower()):
        raise HTTPException(404, "no such image")
    initials = "".join(part[0] for part in name.split("-") if part)[:3].upper()
    colour = _PALETTE[sum(map(ord, name)) % len(_PALETTE)]
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160">'
           f'<rect width="160" height="160" rx="16" fill="{colour}"/><text x="80" y="96" font-family="sans-serif" '
           f'font-size="48" fill="#fff" text-anchor="middle">{escape(initials)}</text></svg>')
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


@router.post("/events")
def demo_event(request: Request, body: Any = Body(...)) -> dict[str, Any]:
    if request.app.state.settings.profile == "production":
        raise HTTPException(404, "the demo shop is off in the production profile")
    if request.client is None or request.client.host not in LOCAL:
        raise HTTPException(403, "the demo shop's events come only from this machine; a shop posts /api/events")
    visitor = visitor_from_cookie(request)
    if visitor is None:
        raise HTTPException(403, "no visitor cookie: load the shop page first")
    if not isinstance(body, dict) or body.get("type") not in STOREFRONT_EVENTS:
        raise HTTPException(422, [f"type must be one of {', '.join(sorted(STOREFRONT_EVENTS))}"])
    shop = request.app.state.shop_source.get()
    event = {**body, "event_id": f"demo-{uuid.uuid4()}", "visitor_id": visitor}
    if event["type"] == "order_placed":
        event["order_id"] = f"DEMO-{uuid.uuid4().hex[:8].upper()}"
        event["total_eur"] = str(_catalog_total(shop, event.get("items")))
    try:
        applied = request.app.state.commerce.apply(parse_events(event), shop)
    except EventsInvalid as error:
        raise HTTPException(422, error.problems) from None
    except EventRejected as error:
        raise HTTPException(422, [str(error)]) from None
    return {"accepted": applied.accepted, "order_id": event.get("order_id")}


def _catalog_total(shop: Shop, items: object) -> Decimal:
    """What the order costs at catalog prices: the browser's own total is never believed."""
    total = Decimal("0.00")
    for item in items if isinstance(items, list) else []:
        price = shop.price_of(str(item.get("sku"))) if isinstance(item, dict) else None
        qty = item.get("qty") if isinstance(item, dict) else None
        if price is not None and isinstance(qty, int) and qty > 0:
            total += price * qty
    return total
