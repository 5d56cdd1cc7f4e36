"""Console pages: login, conversations (support), feedback and insights (marketing).

Sessions are server-side (lifecycle.accounts) behind an HttpOnly cookie; every form
carries the session's CSRF token (the login form a double-submit cookie); pages are
Jinja2 templates with autoescaping, so shopper text is always shown as text.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from bot.guards import Busy, LoginThrottle
from lifecycle.commerce.orders import OrderDesk
from lifecycle.customers.stages import STAGES
from lifecycle.people import reporting
from lifecycle.people.accounts import Accounts, SessionInfo
from lifecycle.people.privacy import PersonalData, UnknownPerson
from lifecycle.shop.language import LANGUAGES
from lifecycle.storage import search
from lifecycle.storage.pages import CursorError
from lifecycle.storage.search import SearchError

COOKIE = "shopmate_console"
LOGIN_CSRF = "shopmate_login_csrf"
MARKET_NAMES = {"en": "English", "it": "Italian", "sv": "Swedish", "pl": "Polish", "ro": "Romanian", "": "not known"}
PAGES = {"support": "/console/conversations", "marketing": "/console/feedback", "admin": "/console/conversations"}
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
router = APIRouter(prefix="/console", include_in_schema=False)


class LoginRequired(Exception):
    pass


async def form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", errors="replace")
    return {key: values[-1] for key, values in parse_qs(body, keep_blank_values=True).items()}


def accounts(request: Request) -> Accounts:
    service: Accounts = request.app.state.accounts
    return service


def reports(request: Request) -> reporting.Reports:
    service: reporting.Reports = request.app.state.reports
    return service


def who(request: Request, *roles: str) -> SessionInfo:
    info = accounts(request).session(request.cookies.get(COOKIE))
    if info is None:
        raise LoginRequired()
    if roles and info.role not in (*roles, "admin"):
        raise HTTPException(403, f"this page is for {' or '.join(roles)} users")
    return info


def same(given: str, expected: str) -> bool:
    """Constant-time comparison that also takes non-ASCII input (compare_digest on str refuses it)."""
    return secrets.compare_digest(given.encode(), expected.encode())


async def checked_form(request: Request, info: SessionInfo) -> dict[str, str]:
    data = await form(request)
    if not same(data.get("csrf_token", ""), info.csrf_token):
        raise HTTPException(403, "the form has expired or did not come from the console; reload and try again")
    return data


def page(request: Request, name: str, info: SessionInfo | None, status_code: int = 200,
         headers: dict[str, str] | None = None, **context: object) -> HTMLResponse:
    return templates.TemplateResponse(request, f"console/{name}", {"me": info, **context}, status_code=status_code,
                                      headers=headers)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/login")
def login_page(request: Request, error: str = "") -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", None, csrf=token, error=error)
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", max_age=1800)
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    data = await form(request)
    if not same(data.get("csrf_token", ""), request.cookies.get(LOGIN_CSRF, "-")):
        return RedirectResponse("/console/login?error=expired", status_code=303)
    username, password = data.get("username", "")[:64], data.get("password", "")[:1024]
    address = request.client.host if request.client else "?"
    throttle: LoginThrottle = request.app.state.login_throttle
    wait = throttle.attempt(address, username)  # counted before the hash: concurrent guesses cannot race it
    if wait <= 0:
        try:
            async with request.app.state.hashing.slot():
                # argon2 takes a CPU-bound moment (and 64 MiB) on purpose: off the event loop, a few at a time.
                token = await run_in_threadpool(accounts(request).login, username, password)
        except Busy:
            wait = 5.0
    if wait > 0:
        return page(request, "login.html", None, csrf=request.cookies.get(LOGIN_CSRF, ""), error="throttled",
                    wait_minutes=max(1, round(wait / 60)), status_code=429, headers={"Retry-After": str(int(wait) + 1)})
    if token is None:
        return RedirectResponse("/console/login?error=credentials", status_code=303)
    throttle.succeeded(username, address)
    info = accounts(request).session(token)
    if info is None:  # deactivated between the two calls
        return RedirectResponse("/console/login?error=credentials", status_code=303)
    response = RedirectResponse(PAGES[info.role], status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax",
                        max_age=int(accounts(request).session_hours * 3600),
                        secure=request.app.state.settings.profile == "production")
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    info = who(request)
    await checked_form(request, info)
    accounts(request).logout(request.cookies.get(COOKIE))
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("")
def home(request: Request) -> Response:
    return RedirectResponse(PAGES[who(request).role], status_code=303)


def cursor_link(request: Request, cursor: str | None) -> str:
    """This page's URL with the page cursor replaced (other filters kept); "" for no cursor."""
    if not cursor:
        return ""
    url = request.url.include_query_params(after=cursor)
    return f"{url.path}?{url.query}"


def first_page_link(request: Request) -> str:
    url = request.url.remove_query_params("after")
    return f"{url.path}?{url.query}" if url.query else url.path


templates.env.globals.update(cursor_link=cursor_link, first_page_link=first_page_link)


def listing_error(request: Request, info: SessionInfo, error: ValueError) -> HTMLResponse:
    return page(request, "error.html", info, message=str(error), back=first_page_link(request), status_code=422)


@router.get("/conversations")
def conversation_list(request: Request) -> HTMLResponse:
    info = who(request, "support")
    args = request.query_params
    assignee = args.get("assignee", "")[:64]
    filters = reporting.ConversationFilter(
        q=args.get("q", "")[:300].strip(), start=_date(args.get("from")), end=_date(args.get("to")),
        stage=args.get("stage", ""), intent=args.get("intent", ""), language=args.get("language", ""),
        fallback=bool(args.get("fallback")), handoff=bool(args.get("handoff")), low_csat=bool(args.get("low_csat")),
        unreviewed=bool(args.get("unreviewed")), assignee=info.username if assignee == "me" else assignee,
        after=args.get("after", ""))
    try:
        found = reports(request).search(filters) if filters.q else reports(request).conversations(filters)
    except (CursorError, SearchError) as error:
        return listing_error(request, info, error)
    return page(request, "conversations.html", info, found=found, f=filters, stages=STAGES, languages=LANGUAGES,
                intents=sorted(request.app.state.intents), searching=bool(filters.q), highlight=highlight)


def highlight(excerpt: str) -> Markup:
    """A search excerpt as HTML: the message escaped, then only the hit markers made into <mark>."""
    return Markup(str(escape(excerpt)).replace(search.START, "<mark>").replace(search.STOP, "</mark>"))


@router.get("/conversations/{conversation_id}")
def conversation(request: Request, conversation_id: int) -> HTMLResponse:
    info = who(request, "support")
    found = reports(request).transcript(conversation_id)
    if found is None:
        raise HTTPException(404, "no such conversation")
    desk: OrderDesk = request.app.state.orders
    shop = request.app.state.shop_source.get()
    orders = [(o, [(shop.name_of(sku), qty) for sku, qty in o.items])
              for o in desk.of_visitor(found.customer.visitor_id)]
    assignments = request.app.state.assignments
    return page(request, "transcript.html", info, t=found, orders=orders,
                timeline=assignments.timeline(conversation_id), agents=assignments.agents())


@router.post("/conversations/{conversation_id}/review")
async def review(request: Request, conversation_id: int) -> Response:
    info = who(request, "support")
    data = await checked_form(request, info)
    if not reports(request).mark_review(conversation_id, data.get("reviewed") == "on", data.get("tags", ""),
                                        info.username, datetime.now(timezone.utc)):
        raise HTTPException(404, "no such conversation")
    return RedirectResponse(f"/console/conversations/{conversation_id}", status_code=303)


def _feedback_filter(request: Request) -> reporting.FeedbackFilter:
    args = request.query_params
    language = args.get("language", "")
    return reporting.FeedbackFilter(language=language if language in LANGUAGES else "",
                                    kind=args.get("kind", ""), theme=args.get("theme", ""),
                                    stage=args.get("stage", ""), start=_date(args.get("from")),
                                    end=_date(args.get("to")), after=args.get("after", ""))


@router.get("/feedback")
def feedback_list(request: Request) -> HTMLResponse:
    info = who(request, "marketing")
    filters = _feedback_filter(request)
    try:
        found = reports(request).feedback_page(filters)
    except CursorError as error:
        return listing_error(request, info, error)
    themes = list(request.app.state.feedback_themes)
    return page(request, "feedback.html", info, found=found, f=filters, stages=STAGES, themes=themes,
                languages=LANGUAGES, query=str(request.url.remove_query_params("after").query))


@router.get("/feedback.csv")
def feedback_csv(request: Request) -> Response:
    who(request, "marketing")
    rows = reports(request).feedback(_feedback_filter(request))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["created_at", "visitor_id", "kind", "rating", "text", "language", "themes", "sentiment", "stage"])
    for f, visitor in rows:
        text = f.text or ""
        if text[:1] in ("=", "+", "-", "@"):  # spreadsheet formula injection
            text = "'" + text
        writer.writerow([f.created_at.isoformat(), visitor, f.kind, f.rating if f.rating is not None else "", text,
                         f.language or "", ",".join(f.themes), f.sentiment if f.sentiment is not None else "", f.stage])
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="shopmate-feedback.csv"'})


def personal_data(request: Request) -> PersonalData:
    service: PersonalData = request.app.state.personal_data
    return service


@router.get("/people")
def people(request: Request, visitor: str = "") -> HTMLResponse:
    """Admin: the shop's customers, most recently seen first; one person's data to export or forget."""
    info = who(request, "admin")
    visitor = visitor.strip()[:128]
    rows = personal_data(request).rows_about(visitor) if visitor else {}
    args = request.query_params
    stage, language = args.get("stage", ""), args.get("language", "")
    try:
        listing = None if visitor else reports(request).people(stage if stage in STAGES else "",
                                                              language if language in LANGUAGES else "",
                                                              args.get("after", ""))
    except CursorError as error:
        return listing_error(request, info, error)
    return page(request, "people.html", info, visitor=visitor, rows=rows, done=request.query_params.get("done", ""),
                listing=listing, stages=STAGES, languages=LANGUAGES, stage=stage, language=language)


@router.get("/people/export")
def people_export(request: Request, visitor: str) -> Response:
    who(request, "admin")
    try:
        data = personal_data(request).export(visitor)
    except UnknownPerson as error:
        raise HTTPException(404, str(error)) from None
    return Response(json.dumps(data, indent=2, ensure_ascii=False), media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="shopmate-personal-data.json"'})


@router.post("/people/forget")
async def people_forget(request: Request) -> Response:
    info = who(request, "admin")
    data = await checked_form(request, info)
    visitor = data.get("visitor", "").strip()
    if data.get("confirm") != visitor:
        raise HTTPException(422, "type the visitor id again in the confirmation field to forget this person")
    try:
        await run_in_threadpool(personal_data(request).forget, visitor)
    except UnknownPerson as error:
        raise HTTPException(404, str(error)) from None
    return RedirectResponse(f"/console/people?done={quote(visitor)}", status_code=303)
