"""The console's list of e-mail to shoppers: what was queued, sent or given up, each readable as the
shopper sees it (the HTML in a sandboxed frame: no script, no request to the mail's images' hosts
until opened)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from bot.web.console import views
from lifecycle.mail.service import Mailings
from lifecycle.storage.pages import CursorError

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/mail")
def mail_list(request: Request) -> HTMLResponse:
    info = views.who(request, "admin", "marketing")
    mailings: Mailings = request.app.state.mailings
    settings = request.app.state.settings.mail
    try:
        mails = mailings.queue.sent(request.query_params.get("after", ""))
    except CursorError as error:
        return views.listing_error(request, info, error)
    return views.page(request, "mail.html", info, mails=mails, settings=settings)


@router.get("/mail/{mail_id}")
def mail_one(request: Request, mail_id: int) -> HTMLResponse:
    info = views.who(request, "admin", "marketing")
    mailings: Mailings = request.app.state.mailings
    mail = mailings.queue.one(mail_id)
    if mail is None:
        raise HTTPException(404, "no such mail")
    return views.page(request, "mail_one.html", info, mail=mail)


@router.get("/mail/{mail_id}/html")
def mail_html(request: Request, mail_id: int) -> HTMLResponse:
    """The mail's HTML alone, for the frame on its page (bot.guards gives it its own sandboxing policy)."""
    views.who(request, "admin", "marketing")
    mail = request.app.state.mailings.queue.one(mail_id)
    if mail is None:
        raise HTTPException(404, "no such mail")
    return HTMLResponse(mail.html_body)
