"""Admins edit the canned replies agents insert with `/` in a live chat (lifecycle.people.canned)."""

from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.web.console.views import checked_form, page, who
from lifecycle.people.canned import VARIABLES, CannedError, CannedReplies
from lifecycle.shop.language import LANGUAGES

router = APIRouter(prefix="/console/canned", include_in_schema=False)


def canned(request: Request) -> CannedReplies:
    service: CannedReplies = request.app.state.canned
    return service


def _page(request: Request, error: str = "", form: dict[str, str] | None = None, status: int = 200) -> HTMLResponse:
    info = who(request, "admin")
    replies = canned(request).all()
    shortcuts = sorted({r.shortcut for r in replies})
    table = {(r.shortcut, r.language): r.text for r in replies}
    return page(request, "canned.html", info, shortcuts=shortcuts, table=table, languages=LANGUAGES,
                variables=VARIABLES, error=error, form=form or {}, status_code=status)


@router.get("", response_class=HTMLResponse)
def canned_list(request: Request) -> HTMLResponse:
    return _page(request)


@router.post("")
async def canned_save(request: Request) -> Response:
    info = who(request, "admin")
    data = await checked_form(request, info)
    if data.get("delete"):
        if not canned(request).delete(data.get("shortcut", ""), data.get("language", "")):
            raise HTTPException(404, "no such canned reply")
        return RedirectResponse("/console/canned", status_code=303)
    try:
        canned(request).save(data.get("shortcut", ""), data.get("language", ""), data.get("text", ""),
                             info.username, datetime.now(timezone.utc))
    except CannedError as error:
        return _page(request, str(error), {k: data.get(k, "")[:1200] for k in ("shortcut", "language", "text")}, 422)
    return RedirectResponse("/console/canned", status_code=303)
