"""The agents' side of a live hand-off: the queue, claiming a shopper, talking, handing back.

An agent's message is posted into the conversation through Rasa's HTTP API as a bot event
with side effects on the latest channel, so it reaches the shopper's widget on whichever Rasa
process holds the socket (Redis carries it across processes in production); the event broker
records it in the lifecycle store as the agent's message. New shopper messages reach the
agent's page as server-sent events read from the store, which every process shares.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, timezone

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from bot.web.console.queue import agent_event, shown_name
from bot.web.console.views import checked_form, page, who
from bot.web.rasa_client import RasaClient, RasaError, back_to_the_assistant
from lifecycle.commerce.orders import OrderDesk
from lifecycle.commerce.shoppers import Shoppers
from lifecycle.people.canned import CannedReplies
from lifecycle.people.live import CLOSED, LIVE, RETURNED, HandoffNotYours, LiveChats

router = APIRouter(prefix="/console/live", include_in_schema=False)
MAX_REPLY = 2000
STREAM_SECONDS = 600  # the page reconnects after this (EventSource does so by itself)


def live(request: Request) -> LiveChats:
    service: LiveChats = request.app.state.live
    return service


def rasa(request: Request) -> RasaClient:
    client: RasaClient = request.app.state.rasa
    return client


@router.get("")
def queue(request: Request) -> Response:
    who(request, "support")
    return RedirectResponse("/console/queue?channel=chat", status_code=303)  # live chats are in the queue


@router.post("/{handoff_id}/claim")
async def claim(request: Request, handoff_id: int) -> Response:
    info = who(request, "support")
    await checked_form(request, info)
    if not live(request).claim(handoff_id, info.username, datetime.now(timezone.utc)):
        raise HTTPException(409, "another agent took this conversation first, it belongs to a colleague, "
                                 "or it has ended")
    chat = live(request).get(handoff_id)
    assert chat is not None
    try:
        await run_in_threadpool(rasa(request).add_events, chat.sender_id,
                                [agent_event("agent_joined", shown_name(request, info.username, chat.language))])
    except RasaError as error:
        raise HTTPException(502, f"claimed, but the shopper could not be told: {error}") from None
    return RedirectResponse(f"/console/live/{handoff_id}", status_code=303)


@router.get("/{handoff_id}", response_class=HTMLResponse)
def chat_page(request: Request, handoff_id: int) -> HTMLResponse:
    info = who(request, "support")
    chat = live(request).get(handoff_id)
    if chat is None:
        raise HTTPException(404, "no such hand-off")
    shop = request.app.state.shop_source.get()
    cart = Shoppers(request.app.state.database).cart(chat.visitor_id)
    items = [(shop.name_of(i["sku"]), i["qty"]) for i in cart.items] if cart else []
    return page(request, "live_chat.html", info, chat=chat, lines=live(request).lines(handoff_id), cart=cart,
                cart_items=items, mine=chat.agent == info.username and chat.status == LIVE)


@router.get("/{handoff_id}/canned")
def canned(request: Request, handoff_id: int) -> JSONResponse:
    """The canned replies for this chat: in its language where there is one, the variables filled."""
    info = who(request, "support")
    chat = live(request).get(handoff_id)
    if chat is None:
        raise HTTPException(404, "no such hand-off")
    desk: OrderDesk = request.app.state.orders
    orders = desk.of_visitor(chat.visitor_id)
    values = {"first_name": chat.first_name or "", "order_id": orders[0].ref if orders else "",
              "agent": shown_name(request, info.username, chat.language)}
    replies: CannedReplies = request.app.state.canned
    return JSONResponse({"language": chat.language or "en",
                         "replies": [{"shortcut": c.shortcut, "language": c.language, "text": c.text}
                                     for c in replies.for_chat(chat.language, values)]},
                        headers={"Cache-Control": "no-store"})


@router.get("/{handoff_id}/stream")
async def stream(request: Request, handoff_id: int, after: int = 0) -> StreamingResponse:
    who(request, "support")

    async def events() -> AsyncIterator[str]:
        last = after
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STREAM_SECONDS
        while loop.time() < deadline and not await request.is_disconnected():
            for line in await run_in_threadpool(live(request).lines, handoff_id, last):
                last = line.id
                yield "data: " + json.dumps({"id": line.id, "kind": line.kind, "text": line.text,
                                             "agent": line.agent, "at": line.at.isoformat()}) + "\n\n"
            await asyncio.sleep(1)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


@router.post("/{handoff_id}/reply")
async def reply(request: Request, handoff_id: int) -> Response:
    info = who(request, "support")
    data = await checked_form(request, info)
    text = data.get("text", "").strip()
    if not text or len(text) > MAX_REPLY:
        raise HTTPException(422, f"write a message of 1 to {MAX_REPLY} characters")
    try:
        sender = live(request).replied(handoff_id, info.username, datetime.now(timezone.utc))
        chat = live(request).get(handoff_id)
        name = shown_name(request, info.username, chat.language if chat else None)
        await run_in_threadpool(rasa(request).add_events, sender, [agent_event("agent", name, text)])
    except HandoffNotYours as error:
        raise HTTPException(409, str(error)) from None
    except RasaError as error:
        raise HTTPException(502, f"the message did not reach the shopper: {error}") from None
    if request.headers.get("x-requested-with") == "fetch":
        return Response(status_code=204)
    return RedirectResponse(f"/console/live/{handoff_id}", status_code=303)


@router.post("/{handoff_id}/end")
async def end(request: Request, handoff_id: int) -> Response:
    info = who(request, "support")
    data = await checked_form(request, info)
    how = data.get("how", "")
    if how not in (RETURNED, CLOSED):
        raise HTTPException(422, f"end a live chat with how={RETURNED} or how={CLOSED}")
    try:
        chat = live(request).get(handoff_id)
        sender = live(request).end(handoff_id, info.username, how, datetime.now(timezone.utc))
        client = rasa(request)
        fresh = back_to_the_assistant(chat.language if chat else None)
        name = shown_name(request, info.username, chat.language if chat else None)
        await run_in_threadpool(client.add_events, sender, [*fresh, agent_event("agent_left", name)])
        await run_in_threadpool(client.run_action, sender, "action_ask_csat")  # as after any help
        # Rasa's /execute leaves the turn open; the rules expect a listen before the shopper's next message.
        await run_in_threadpool(client.add_events, sender, [{"event": "action", "name": "action_listen"}])
    except HandoffNotYours as error:
        raise HTTPException(409, str(error)) from None
    except RasaError as error:
        raise HTTPException(502, f"ended here, but Rasa did not take it: {error}") from None
    return RedirectResponse("/console/live", status_code=303)
