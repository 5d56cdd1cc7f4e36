"""The cart reminder e-mail in the shopper's language, with every text escaped in its HTML."""

from __future__ import annotations

from decimal import Decimal

from lifecycle.mail.compose import cart_reminder
from lifecycle.settings import LOCALES_DIR
from lifecycle.shop.facts import Shop
from lifecycle.shop.speech import Catalogs

ITEMS = [{"sku": "CAM-200", "qty": 1, "price_cents": 12900}, {"sku": "LT-100", "qty": 2, "price_cents": 5900}]


def draft(shop: Shop, language: str, code: str | None = None):  # type: ignore[no-untyped-def]
    voice = Catalogs(LOCALES_DIR).voice(language, shop.texts)
    return cart_reminder(voice, shop, ITEMS, Decimal("246.80"), code, "ann@example.com",
                         cart_url="https://shop.example/mail/cart/1.2.x",
                         unsubscribe_url="https://shop.example/mail/unsubscribe/3.4.y")


def test_the_english_mail_lists_the_cart_with_its_offer_and_both_links(shop: Shop) -> None:
    mail = draft(shop, "en", "COMEBACK5")
    assert mail.subject == "Your cart at DeskWorks is waiting" and mail.language == "en"
    assert "You left Lumo Pro 4K Webcam x1 and Glow Key Light x2 in your cart (€246.80 in total)." in mail.text_body
    assert "COMEBACK5" in mail.text_body and "COMEBACK5" in mail.html_body
    assert "https://shop.example/mail/cart/1.2.x" in mail.text_body and 'href="https://shop.example/mail/cart/1.2.x"' \
        in mail.html_body
    assert mail.unsubscribe_url == "https://shop.example/mail/unsubscribe/3.4.y"
    assert "€129.00" in mail.html_body and "€59.00" in mail.html_body


def test_the_italian_mail_is_italian_with_italian_figures(shop: Shop) -> None:
    mail = draft(shop, "it")
    assert mail.subject == "Il tuo carrello su DeskWorks ti aspetta"
    assert "Hai lasciato" in mail.text_body and "246,80" in mail.text_body and "Torna al carrello" in mail.html_body
    assert 'lang="it"' in mail.html_body and "COMEBACK5" not in mail.text_body


def test_a_product_name_with_markup_is_escaped_in_the_html(shop: Shop) -> None:
    hostile = Shop(shop.policies, [p.copy(update={"name": '<script>alert(1)</script> "Cam"'})
                                   if p.sku == "CAM-200" else p for p in shop.products], shop.texts, shop.playbooks)
    mail = draft(hostile, "en")
    assert "<script>" not in mail.html_body and "&lt;script&gt;" in mail.html_body
