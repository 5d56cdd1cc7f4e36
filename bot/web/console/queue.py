"""The support team's queue, ownership of conversations, and the console's pulse.

The pulse is what every console page polls (static/console.js) for the tab title's count, the
sound and the desktop notification: shoppers waiting, and the newest shopper message in each
open conversation the agent owns. Polling it also keeps the agent's session seen, which with
their presence (online or away) decides whether the assistant offers shoppers a live person.
"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from bot.web.console.views import accounts, checked_form, listing_error, page, who
from bot.web.labels import team_name
from bot.web.rasa_client import RasaClient, RasaError
from lifecycle.customers.stages import STAGES
from lifecycle.people.accounts import AccountError
from lifecycle.people.assignment import AssignmentError, Assignments
from lifecycle.people.queue import CHANNELS, CLOSED_STATUSES, OPEN_STATUSES, QueueError, QueueFilter, SupportQueue
from lifecycle.shop.language import LANGUAGES
from lifecycle.storage.pages import CursorError

router = APIRouter(prefix="/console", include_in_schema=False)


def support_queue(request: Request) -> SupportQueue:
    service: SupportQueue = request.app.state.support_queue
    return service


def assignments(request: Request) -> Assignments:
    service: Assignments = request.app.state.assignments
    return service


def shown_name(request: Request, username: str, language: str | None) -> str:
    """The name a shopper sees for an agent: their display name, else the shop's word for its team."""
    display, _ = accounts(request).profile(username)
    if display:
        return display
    voice = request.app.state.catalogs.voice(language or "en", request.app.state.shop_source.get().texts)
    return team_name(voice)


def agent_event(kind: str, agent_name: str, text: str = "") -> dict[str, object]:
    """A bot event the widget shows as the agent's (agent_joined, agent, agent_left): custom data,
    which Rasa's socket.io channel emits as the message body."""
    return {"event": "bot", "data": {"custom": {"data": {"type": kind, "agent": agent_name, "text": text}}}}


@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request) -> HTMLResponse:
    info = who(request, "support")
    args = request.query_params
    filters = QueueFilter(tab=args.get("tab", "open"), status=args.get("status", ""),
                          language=args.get("language", "")[:8], stage=args.get("stage", "")[:16],
                          channel=args.get("channel", ""), owner=args.get("owner", "anyone"),
                          after=args.get("after", ""))
    try:
        found = support_queue(request).items(filters, info.username)
    except (QueueError, CursorError) as error:
        return listing_error(request, info, error)
    statuses = OPEN_STATUSES if filters.tab == "open" else CLOSED_STATUSES
    return page(request, "queue.html", info, found=found, f=filters, now=datetime.now(timezone.utc),
                statuses=statuses, channels=CHANNELS, stages=STAGES, languages=LANGUAGES,
                pulse=support_queue(request).pulse(info.username), agents=assignments(request).agents())


@router.post("/queue/{handoff_id}/done")
async def queue_done(request: Request, handoff_id: int) -> Response:
    info = who(request, "support")
    await checked_form(request, info)
    if not support_queue(request).done(handoff_id, info.username, datetime.now(timezone.utc)):
        raise HTTPException(409, "this hand-off is not an open message any more (someone dealt with it, or it is "
                                 "a live chat: end it from the chat)")
    came_from = urlsplit(request.headers.get("referer", ""))
    back = "/console/queue" + (f"?{came_from.query}" if came_from.query else "") \
        if came_from.path == "/console/queue" else "/console/queue"
    return RedirectResponse(back, status_code=303)  # to the same filtered page, never off the console


@router.post("/conversations/{conversation_id}/assign")
async def assign(request: Request, conversation_id: int) -> Response:
    """to=<username> (admins), to=me, or to= (unassign). A live chat moves with the conversation."""
    info = who(request, "support")
    data = await checked_form(request, info)
    target = data.get("to", "").strip()[:64]
    to = info.username if target == "me" else (target or None)
    try:
        change = assignments(request).assign(conversation_id, to, info.username, info.role, datetime.now(timezone.utc))
    except LookupError:
        raise HTTPException(404, "no such conversation") from None
    except AssignmentError as error:
        raise HTTPException(403, str(error)) from None
    if change.live_handoff is not None and change.after and change.after != change.before:
        rasa: RasaClient = request.app.state.rasa
        language = data.get("language") or None
        try:  # the shopper is told who is with them now
            await run_in_threadpool(rasa.add_events, change.sender_id,
                                    [agent_event("agent_joined", shown_name(request, change.after, language))])
        except RasaError as error:
            raise HTTPException(502, f"assigned, but the shopper could not be told: {error}") from None
    back = data.get("back", "")
    return RedirectResponse(back if back.startswith("/console/") else f"/console/conversations/{conversation_id}",
                            status_code=303)


@router.get("/pulse")
def pulse(request: Request) -> JSONResponse:
    info = who(request, "support")
    found = support_queue(request).pulse(info.username)
    _, presence = accounts(request).profile(info.username)
    return JSONResponse({"waiting": found.waiting, "open": found.open_items, "presence": presence,
                         "mine": {str(k): v for k, v in found.mine.items()}}, headers={"Cache-Control": "no-store"})


@router.post("/presence")
async def presence(request: Request) -> Response:
    info = who(request, "support")
    data = await checked_form(request, info)
    try:
        accounts(request).set_presence(info.username, data.get("presence", ""))
    except AccountError as error:
        raise HTTPException(422, str(error)) from None
    back = data.get("back", "")
    return RedirectResponse(back if back.startswith("/console/") else "/console/queue", status_code=303)


@router.get("/profile", response_class=HTMLResponse)
def profile(request: Request, saved: str = "") -> HTMLResponse:
    info = who(request)
    display, presence_now = accounts(request).profile(info.username)
    return page(request, "profile.html", info, display_name=display or "", presence=presence_now, saved=bool(saved),
                error="")


@router.post("/profile")
async def save_profile(request: Request) -> Response:
    info = who(request)
    data = await checked_form(request, info)
    try:
        accounts(request).set_display_name(info.username, data.get("display_name", ""))
    except AccountError as error:
        _, presence_now = accounts(request).profile(info.username)
        return page(request, "profile.html", info, display_name=data.get("display_name", "")[:80],
                    presence=presence_now, saved=False, error=str(error), status_code=422)
    return RedirectResponse("/console/profile?saved=1", status_code=303)
