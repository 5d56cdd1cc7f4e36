"""The cart reminder e-mail as a mail program shows it: rendered by Chromium in two languages, with
screenshots in tests/browser/artifacts/ (git-ignored) to look at."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page

from lifecycle.mail.compose import cart_reminder
from lifecycle.settings import LOCALES_DIR
from lifecycle.shop.facts import Shop
from lifecycle.shop.speech import Catalogs
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser]
ITEMS = [{"sku": "CAM-200", "qty": 1, "price_cents": 12900}, {"sku": "LT-100", "qty": 2, "price_cents": 5900}]


@pytest.mark.parametrize("language, button, offer", [("en", "Back to my cart", "Use code COMEBACK5"),
                                                     ("it", "Torna al carrello", "Usa il codice COMEBACK5")])
def test_the_cart_reminder_renders_its_items_offer_and_button(shop: Shop, new_page: Callable[[], Page],
                                                              language: str, button: str, offer: str) -> None:
    voice = Catalogs(LOCALES_DIR).voice(language, shop.texts)
    mail = cart_reminder(voice, shop, ITEMS, Decimal("247.00"), "COMEBACK5", "ann@example.com",
                         cart_url="https://shop.example/mail/cart/1.2.x",
                         unsubscribe_url="https://shop.example/mail/unsubscribe/3.4.y")
    page = new_page()
    page.set_content(mail.html_body)
    visible = page.inner_text("body")
    assert "Lumo Pro 4K Webcam" in visible and "Glow Key Light" in visible and offer in visible
    link = page.get_by_role("link", name=button)
    assert link.get_attribute("href") == "https://shop.example/mail/cart/1.2.x"
    box = link.bounding_box()
    assert box is not None and box["width"] > 100  # a button, not a bare link
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"mail-cart-reminder-{language}.png"), full_page=True)
