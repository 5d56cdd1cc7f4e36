"""The console's list of webhooks to the shop: delivered, waiting for a retry, or given up."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bot.web.console import views
from lifecycle.storage.pages import CursorError
from lifecycle.webhooks import Outbox

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/webhooks")
def webhooks(request: Request) -> HTMLResponse:
    info = views.who(request, "admin")
    outbox: Outbox | None = request.app.state.outbox
    try:
        deliveries = outbox.deliveries(request.query_params.get("after", "")) if outbox else None
    except CursorError as error:
        return views.listing_error(request, info, error)
    return views.page(request, "webhooks.html", info, configured=outbox is not None,
                      url=outbox.url if outbox else "", deliveries=deliveries)
