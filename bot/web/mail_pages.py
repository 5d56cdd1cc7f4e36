"""The public pages a mail links to: unsubscribe (one click, RFC 8058) and back to the cart.

Each link carries a signed token (lifecycle.mail.links); a changed or cut token gets a 400 page
saying so. A GET never unsubscribes (mail scanners open links), the page's button or the mail
program's one-click POST does. The cart link restores the cart's items on the shop page and opens
the chat; it does not sign the browser in as the customer (a forwarded mail must not do that).
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bot.web.console.views import form
from lifecycle.mail.links import BadLink
from lifecycle.mail.service import Mailings
from lifecycle.values import utcnow

router = APIRouter(prefix="/mail", include_in_schema=False)
PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width"><title>{title}</title><link rel="stylesheet" href="/static/shop.css"></head>'
        '<body><main class="mail-page"><h1>{title}</h1>{body}</main></body></html>')


def _mailings(request: Request) -> Mailings:
    mailings: Mailings = request.app.state.mailings
    return mailings


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(PAGE.format(title=escape(title), body=body), status_code=status,
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def _broken(error: BadLink) -> HTMLResponse:
    return _page("This link does not work", f"<p>{escape(str(error))}</p>", 400)


def _ask(request: Request, purpose: str, token: str, title: str, question: str, button: str) -> HTMLResponse:
    """The page a link opens: the question, and a button that POSTs the answer back to the same path."""
    try:
        _mailings(request).links.read(purpose, token)
    except BadLink as error:
        return _broken(error)
    return _page(title, f'<p>{escape(question)}</p><form method="post" action="/mail/{purpose}/{escape(token)}">'
                 f'<button type="submit">{escape(button)}</button></form>')


@router.get("/unsubscribe/{token}")
def unsubscribe_page(request: Request, token: str) -> HTMLResponse:
    return _ask(request, "unsubscribe", token, "Unsubscribe", "Stop all e-mail from this shop to your address?",
                "Unsubscribe")


@router.post("/unsubscribe/{token}")
def unsubscribe(request: Request, token: str) -> HTMLResponse:
    """The page's button, and the mail program's one-click POST (body `List-Unsubscribe=One-Click`)."""
    try:
        _mailings(request).unsubscribe(token, utcnow())
    except BadLink as error:
        return _broken(error)
    return _page("You are unsubscribed", "<p>You will get no more e-mail from this shop at this address.</p>")


@router.get("/confirm/{token}")
def confirm_page(request: Request, token: str) -> HTMLResponse:
    return _ask(request, "confirm", token, "Confirm your address", "Get e-mail from this shop at this address?",
                "Confirm")


@router.post("/confirm/{token}")
def confirm(request: Request, token: str) -> HTMLResponse:
    """A POST, not the GET: a mail scanner opening the link must not give consent for the shopper."""
    try:
        address = _mailings(request).confirm(request.app.state.shop_source.get(), token, utcnow())
    except BadLink as error:
        return _broken(error)
    if address is None:
        return _page("This link does not work", "<p>This address is no longer known here.</p>", 400)
    return _page("Address confirmed", f"<p>Thank you: {escape(address)} is confirmed. If you had a cart, it is "
                 "on its way.</p>")


def _score(raw: object) -> int | None:
    text = str(raw or "")
    return int(text) if text.isdigit() and int(text) <= 10 else None


@router.get("/nps/{token}")
def nps_page(request: Request, token: str, score: str = "") -> HTMLResponse:
    """A score link from the order follow-up mail: the page sends it with one press (a GET records
    nothing, or every mail scanner would vote)."""
    chosen = _score(score)
    try:
        _mailings(request).nps_order(token)
    except BadLink as error:
        return _broken(error)
    if chosen is None:
        return _page("This link does not work", "<p>A score goes from 0 to 10.</p>", 400)
    return _page("Your score", f"<p>How likely you are to recommend us: <strong>{chosen}</strong> out of 10.</p>"
                 f'<form method="post" action="/mail/nps/{escape(token)}"><input type="hidden" name="score" '
                 f'value="{chosen}"><button type="submit">Send my score</button></form>')


@router.post("/nps/{token}")
async def nps(request: Request, token: str) -> HTMLResponse:
    chosen = _score((await form(request)).get("score"))
    if chosen is None:
        return _page("This link does not work", "<p>A score goes from 0 to 10.</p>", 400)
    try:
        visitor, conversation, answered = _mailings(request).nps_order(token)
    except BadLink as error:
        return _broken(error)
    if not answered:  # one score per question: a second press changes nothing
        request.app.state.feedback.rating(conversation or "", visitor, "nps", chosen)  # as the chat records it
    return _page("Thank you", "<p>Thank you for your score.</p>")


@router.get("/cart/{token}", response_model=None)
def back_to_the_cart(request: Request, token: str) -> RedirectResponse | HTMLResponse:
    try:
        items, language = _mailings(request).cart_items(token)
    except BadLink as error:
        return _broken(error)
    query = {"cart": ",".join(f"{sku}:{quantity}" for sku, quantity in items)} if items else {}
    if language and language != "en":
        query["lang"] = language
    return RedirectResponse(f"/?{urlencode(query, safe=':,')}#chat" if query else "/#chat", status_code=303)
