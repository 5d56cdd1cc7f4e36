"""The playbooks' e-mails, worded in the shopper's language from the message catalogs (the chat's own
sentences where they say the same) and laid out by Jinja2 templates: HTML and plain text.

Every fact comes from the shop's data and the cart; every text placed in the HTML is escaped
(autoescape), product names and shop texts included.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from lifecycle.mail.queue import Draft
from lifecycle.shop.facts import Shop
from lifecycle.shop.speech import Voice
from lifecycle.values import to_eur

_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                         trim_blocks=True, lstrip_blocks=True)


@dataclass(frozen=True)
class Line:
    name: str
    quantity: int
    price: str  # formatted in the shopper's locale
    image: str | None
    url: str | None


def _footer(voice: Voice, shop: str, unsubscribe_url: str | None) -> dict[str, Any]:
    """Why they get it and how to stop it (a confirmation request has nothing to stop yet)."""
    if unsubscribe_url is None:
        return {"why": voice.say("Didn't ask for this? Ignore this e-mail: you will get nothing more."),
                "unsubscribe": "", "unsubscribe_url": None}
    return {"why": voice.say("You get this e-mail because you agreed to hear from {shop}.", shop=shop),
            "unsubscribe": voice.say("Unsubscribe"), "unsubscribe_url": unsubscribe_url}


def _render(name: str, **context: Any) -> tuple[str, str]:
    return (_TEMPLATES.get_template(f"{name}.txt").render(**context),
            _TEMPLATES.get_template(f"{name}.html").render(**context))


def cart_reminder(voice: Voice, shop: Shop, items: list[dict[str, Any]], total_eur: Decimal, offer_code: str | None,
                  to_address: str, cart_url: str, unsubscribe_url: str, playbook: str | None = "cart_recovery"
                  ) -> Draft:
    """A cart's e-mail: its items with pictures, the offer if any, a link back to the cart. The cart
    playbook's reminder, or (`playbook=None`) the cart a shopper asked for in the chat."""
    name = shop.policies.shop.name
    lines = []
    for item in items:
        product = shop.product_of(item["sku"])
        lines.append(Line(shop.name_of(item["sku"]), int(item["qty"]), voice.eur(to_eur(int(item["price_cents"]))),
                          product.image if product else None, product.url if product else None))
    summary = voice.listing(f"{line.name} x{line.quantity}" for line in lines)
    methods = voice.listing(voice.shop(method) for method in shop.policies.payment.everywhere)
    offer = shop.policies.cart_recovery.offer
    context = {
        "language": voice.language,
        "shop": name,
        "lines": lines,
        "intro": voice.say("You left {items} in your cart ({total} in total).", items=summary,
                           total=voice.eur(total_eur)),
        "payment": voice.say("You can pay with {methods}, and check out as a guest: no account needed.",
                             methods=methods) if shop.policies.checkout.guest_checkout
        else voice.say("You can pay with {methods}.", methods=methods),
        "offer": voice.say("Use code {code} within {hours} hours for {percent}% off.", code=offer_code,
                           hours=offer.valid_hours, percent=voice.number(offer.percent_off))
        if offer_code and offer else None,
        "button": voice.say("Back to my cart"),
        "cart_url": cart_url,
        **_footer(voice, name, unsubscribe_url),
    }
    text, html = _render("cart_reminder", **context)
    return Draft(kind="cart_reminder" if playbook else "cart_requested", to_address=to_address,
                 language=voice.language, subject=voice.say("Your cart at {shop} is waiting", shop=name),
                 text_body=text, html_body=html, unsubscribe_url=unsubscribe_url, playbook=playbook)


def confirm_address(voice: Voice, shop: Shop, to_address: str, confirm_url: str) -> Draft:
    """The one mail an address given in the chat gets before it is confirmed (double opt-in)."""
    name = shop.policies.shop.name
    context = {
        "language": voice.language,
        "shop": name,
        "intro": voice.say("You asked in the chat at {shop} to get e-mail at this address. Confirm it, and your "
                           "cart follows.", shop=name),
        "button": voice.say("Confirm my address"),
        "confirm_url": confirm_url,
        **_footer(voice, name, None),
    }
    text, html = _render("confirm_address", **context)
    return Draft(kind="confirm_address", to_address=to_address, language=voice.language,
                 subject=voice.say("Confirm your e-mail address for {shop}", shop=name), text_body=text,
                 html_body=html)


def order_follow_up(voice: Voice, shop: Shop, products: list[str], to_address: str, nps_url: str | None,
                    unsubscribe_url: str) -> Draft:
    """After delivery: how the order is working out, and (when not asked yet) the NPS question with
    one link per score, 0 to 10."""
    name = shop.policies.shop.name
    context = {
        "language": voice.language,
        "shop": name,
        "intro": voice.say("How are you getting on with {products}? If anything isn't right, just reply in the chat "
                           "on our site.", products=voice.listing(products)),
        "question": voice.say("How likely are you to recommend {shop} to a friend, from 0 (not at all) to 10 "
                              "(extremely)?", shop=name) if nps_url else None,
        "scores": [(score, f"{nps_url}?score={score}") for score in range(11)] if nps_url else [],
        **_footer(voice, name, unsubscribe_url),
    }
    text, html = _render("order_follow_up", **context)
    return Draft(kind="order_follow_up", to_address=to_address, language=voice.language,
                 subject=voice.say("How is your order from {shop}?", shop=name), text_body=text, html_body=html,
                 unsubscribe_url=unsubscribe_url, playbook="order_follow_up")


def note(voice: Voice, shop: Shop, kind: str, subject: str, paragraphs: list[str], to_address: str,
         link: tuple[str, str] | None, unsubscribe_url: str) -> Draft:
    """A playbook's short message by e-mail (the welcome-back offer, the review request): the chat's
    own sentences, a button, and the unsubscribe footer."""
    name = shop.policies.shop.name
    context = {
        "language": voice.language, "shop": name, "paragraphs": paragraphs, "link": link,
        **_footer(voice, name, unsubscribe_url),
    }
    text, html = _render("note", **context)
    return Draft(kind=kind, to_address=to_address, language=voice.language, subject=subject, text_body=text,
                 html_body=html, unsubscribe_url=unsubscribe_url, playbook=kind)
