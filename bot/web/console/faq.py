"""The console's FAQ editor: an admin turns an unanswered question into an answer the assistant gives
at once (lifecycle/knowledge), in any of the shop's languages; every save is a version (who, when)."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from bot.web.console import views
from lifecycle.knowledge.edits import EntryInvalid, FaqEdits, parse_entry
from lifecycle.knowledge.entries import FAQ, FaqEntry, load_faq
from lifecycle.knowledge.source import merged
from lifecycle.shop.language import LANGUAGES, fold
from lifecycle.shop.loader import ShopDataError

router = APIRouter(prefix="/console", include_in_schema=False)
MAX_FIELD = 4000


def edits(request: Request) -> FaqEdits:
    service: FaqEdits = request.app.state.faq_edits
    return service


def _entries(request: Request) -> tuple[dict[str, FaqEntry], set[str]]:
    shop_dir = request.app.state.settings.shop_dir
    try:
        from_file = load_faq(shop_dir / FAQ)
    except ShopDataError:
        from_file = []
    edited = edits(request).current()
    return {e.id: e for e in merged(from_file, edited)}, set(edited)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")[:40] or "entry"


@router.get("/faq")
def faq_list(request: Request) -> HTMLResponse:
    info = views.who(request, "admin")
    entries, edited = _entries(request)
    return views.page(request, "faq.html", info, entries=entries, edited=edited,
                      saved=request.query_params.get("saved"), languages=LANGUAGES)


@router.get("/faq/edit")
def faq_edit(request: Request, id: str = "", question: str = "", language: str = "en") -> HTMLResponse:
    """The editor; from Insights, prefilled with the question nobody answered."""
    info = views.who(request, "admin")
    entries, _ = _entries(request)
    entry = entries.get(id)
    language = language if language in LANGUAGES else "en"
    history = edits(request).history(id) if entry else []
    return views.page(request, "faq_edit.html", info, entry=entry, entry_id=id or slug(question), language=language,
                      question=question[:300], history=history, languages=LANGUAGES, error=None)


@router.post("/faq")
async def faq_save(request: Request) -> Response:
    info = views.who(request, "admin")
    data = await views.checked_form(request, info)
    if any(len(value) > MAX_FIELD for value in data.values()):
        raise HTTPException(413, f"a field may have at most {MAX_FIELD} characters")
    entry_id, language = data.get("id", "").strip(), data.get("language", "en")
    if language not in LANGUAGES:
        raise HTTPException(422, f"language must be one of {', '.join(LANGUAGES)}")
    entries, _ = _entries(request)
    before = entries.get(entry_id)
    asked = [line.strip() for line in data.get("questions", "").splitlines() if line.strip()]
    raw: dict[str, object] = {"id": entry_id,
           "questions": {**(before.questions if before else {}), language: asked},
           "answer": {**(before.answer if before else {}), language: data.get("answer", "")},
           "links": [line.strip() for line in data.get("links", "").splitlines() if line.strip()]}
    try:
        entry = parse_entry(raw)
    except EntryInvalid as error:
        return views.page(request, "faq_edit.html", info, entry=before, entry_id=entry_id, language=language,
                          question="\n".join(asked), history=[], languages=LANGUAGES, error=str(error),
                          answer=data.get("answer", ""), status_code=422)
    await run_in_threadpool(edits(request).save, entry, info.username)
    return RedirectResponse(f"/console/faq?saved={quote(entry.id)}", status_code=303)
