"""The shop's HTTP API on the web app: events and catalog in, marketing spend in, metrics out.

Every route needs `Authorization: Bearer <SHOPMATE_API_KEY>`. Bodies are validated at
this edge with messages that name the field; a rejected batch stores nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, validator

from bot.web.identity import sign_for_shop
from lifecycle.commerce.events import EVENT_TYPES, EventRejected, EventsInvalid, parse_events
from lifecycle.shop.loader import ShopDataError, replace_catalog
from lifecycle.shop.updates import known_skus, record_updates, take_updates
from lifecycle.values import as_utc

bearer = HTTPBearer(auto_error=False)


def require_key(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    expected = request.app.state.settings.api_key
    if credentials is None or not secrets.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(401, "missing or wrong API key: send 'Authorization: Bearer <SHOPMATE_API_KEY>'",
                            headers={"WWW-Authenticate": "Bearer"})


router = APIRouter(prefix="/api", dependencies=[Depends(require_key)])


class SpendIn(BaseModel):
    period_start: datetime
    period_end: datetime
    amount_eur: Annotated[Decimal, Field(ge=Decimal("0"), max_digits=14, decimal_places=2)]
    impressions: Annotated[int, Field(ge=0)] = 0
    channel: Annotated[str, Field(min_length=1, max_length=40)] = "all"

    class Config:
        extra = "forbid"

    _utc = validator("period_start", "period_end", allow_reuse=True)(as_utc)

    @validator("period_end")
    def _after_start(cls, value: datetime, values: dict) -> datetime:
        if "period_start" in values and value <= values["period_start"]:
            raise ValueError("must be after period_start")
        return value


@router.post("/events", summary="Record shop events (one object or a list)",
             description="Event types: " + ", ".join(EVENT_TYPES) + ". Each needs event_id (a repeat is ignored), "
                         "visitor_id (the widget's chat session id), optional customer_id and ISO 8601 ts.")
def post_events(request: Request, body: Any = Body(..., examples=[{
        "type": "cart_updated", "event_id": "evt-1", "visitor_id": "visitor-42",
        "items": [{"sku": "CAM-200", "qty": 1}]}])) -> dict:
    source = request.app.state.shop_source
    updates, rest, problems = take_updates(body)
    if problems:
        raise HTTPException(422, problems)
    if updates:  # price and stock changes between exports
        try:
            record_updates(request.app.state.settings.shop_dir, updates, known_skus(source.get().products))
        except ValueError as error:
            raise HTTPException(422, [str(error)]) from None
        source.get()
        if not rest:
            return {"accepted": len(updates), "duplicates": 0}
    try:
        events = parse_events(rest if isinstance(body, list) else rest[0])
        applied = request.app.state.commerce.apply(events, source.get())
    except EventsInvalid as error:
        raise HTTPException(422, error.problems) from None
    except EventRejected as error:
        raise HTTPException(422, [str(error)]) from None
    return {"accepted": applied.accepted + len(updates), "duplicates": applied.duplicates}


@router.post("/catalog", summary="Replace the catalog with a new export",
             description="The body is the file as your platform exports it: Shopify product CSV, Google Merchant "
                         "Center feed (TSV or RSS XML), WooCommerce product CSV or Shopmate CSV, UTF-8, up to 100 "
                         "MB. It is validated first; a file that is not a catalog, or has no good row, changes "
                         "nothing (422 with what to fix). Rows that fail are skipped and listed in the answer.")
async def post_catalog(request: Request) -> dict:
    settings = request.app.state.settings
    try:
        imported = replace_catalog(settings.shop_dir, settings.catalog, await request.body())
    except ShopDataError as error:
        raise HTTPException(422, str(error)) from None
    request.app.state.shop_source.get()  # this process answers from the new catalog at once
    return {"format": imported.format, "products": len(imported.products),
            "variants": sum(len(product.variants) for product in imported.products),
            "skipped": [{skipped.unit: skipped.line, "reason": skipped.reason} for skipped in imported.skipped]}


class IdentityIn(BaseModel):
    visitor_id: str
    conversation: str

    class Config:
        extra = "forbid"


@router.post("/identity", summary="Link a visitor to the widget's conversation (for the shop's backend)",
             description="The shop's server, which knows its visitor, signs that this visitor writes in the "
                         "conversation whose secret the widget sent it. Give the returned `identity` to the widget "
                         "(its metadata.identity); without it the chat treats the shopper as anonymous.")
def post_identity(request: Request, link: IdentityIn) -> dict:
    return {"identity": sign_for_shop(request.app.state.links, link.visitor_id, link.conversation)}


@router.post("/spend", status_code=201, summary="Record sales and marketing spend for a period")
def post_spend(request: Request, spend: SpendIn) -> dict:
    spend_id = request.app.state.commerce.record_spend(spend.period_start, spend.period_end, spend.amount_eur,
                                                       spend.impressions, spend.channel)
    return {"id": spend_id}


@router.get("/metrics", summary="Lifecycle and conversion metrics for a period [from, to)")
def get_metrics(request: Request, start: datetime | None = Query(None, alias="from"),
                end: datetime | None = Query(None, alias="to")) -> dict:
    now = datetime.now(timezone.utc)
    end = as_utc(end) if end else now
    start = as_utc(start) if start else end - timedelta(days=30)
    if end <= start:
        raise HTTPException(422, ["'to' must be after 'from'"])
    result = request.app.state.commerce.metrics(request.app.state.shop_source.get(), start, end, now)
    return result.as_json()


