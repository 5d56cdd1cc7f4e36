"""The three kinds of people in a real browser: shopper in the widget, support and marketing in the console."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from playwright.sync_api import expect

from lifecycle.people.accounts import Accounts
from lifecycle.storage.database import Database

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
PASSWORD = "browser test password"


def url(stack, path: str) -> str:  # type: ignore[no-untyped-def]
    return f"http://127.0.0.1:{stack.ports.web}{path}"


@pytest.fixture(scope="module")
def users(stack) -> None:  # type: ignore[no-untyped-def]
    database = Database.from_url(stack.env["SHOPMATE_DATABASE_URL"])
    accounts = Accounts(database)
    accounts.create_user("support-ann", PASSWORD, "support")
    accounts.create_user("market-max", PASSWORD, "marketing")
    database.dispose()


def say(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#shopmate-input", text)
    page.keyboard.press("Enter")


def login(page, stack, user: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url(stack, "/console/login"))
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_shopper_compares_in_the_widget_and_a_reload_keeps_the_chat(stack, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    page.goto(url(stack, "/"))
    page.get_by_role("button", name="Chat with us").click()
    expect(page.get_by_label("Your message")).to_be_focused()
    say(page, "compare the lumo hd and the lumo pro")
    table = page.locator("table.sm-comparison")
    expect(table).to_be_visible(timeout=30_000)
    expect(table).to_contain_text("Lumo Pro 4K Webcam")
    expect(table).to_contain_text("€129.00")
    say(page, "<script>window.__xss = 1</script> hello")
    expect(page.locator(".sm-user").last).to_have_text("<script>window.__xss = 1</script> hello")
    expect(page.locator(".sm-bot")).to_have_count(3, timeout=30_000)  # the introduction, the comparison, the reply
    assert page.evaluate("window.__xss") is None
    page.reload()
    expect(page.locator("table.sm-comparison")).to_be_visible(timeout=10_000)
    expect(page.locator(".sm-user").first).to_have_text("compare the lumo hd and the lumo pro")
    if _docs():
        page.screenshot(path="docs/screenshots/widget.png")


def test_a_returning_shopper_is_welcomed_back_in_the_widget_with_what_they_looked_at(
        stack: object, new_page: Callable[..., Any]) -> None:
    first = new_page()
    first.goto(url(stack, "/"))
    expect(first.locator(".sm-bot").first).to_contain_text("welcome to DeskWorks", timeout=30_000)  # first visit
    expect(first.get_by_role("button", name="Chat with us (new message)")).to_be_visible()
    first.get_by_role("button", name="Chat with us (new message)").click()
    say(first, "is the glow key light in stock?")
    expect(first.locator(".sm-bot").nth(1)).to_contain_text("Glow Key Light", timeout=30_000)
    # The same shopper on another device: the shop's visitor cookie, a new chat.
    cookie = next(c for c in first.context.cookies() if c["name"] == "shopmate_visitor")
    later = new_page()
    later.context.add_cookies([cookie])
    later.goto(url(stack, "/"))
    greeting = later.locator(".sm-bot").first
    expect(greeting).to_have_text("Welcome back! Last time you looked at Glow Key Light. Can I help you choose?",
                                  timeout=30_000)
    later.get_by_role("button", name="Chat with us (new message)").click()
    if _docs():
        later.screenshot(path="docs/screenshots/widget-welcome-back.png")


def test_support_logs_in_filters_and_reads_the_escaped_transcript(stack, new_page, users) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    login(page, stack, "support-ann")
    expect(page).to_have_url(re.compile(r"/console/conversations$"))
    page.get_by_label("Search").fill("window.__xss")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.search tbody td.excerpt")).to_have_count(1)  # the one message, highlighted
    expect(page.locator("td.excerpt mark").first).to_have_text("window")
    page.locator("table.grid tbody a").first.click()
    expect(page.locator(".transcript .user").filter(has_text="<script>window.__xss = 1</script>")).to_have_count(1)
    expect(page.locator(".transcript")).to_contain_text("compare_products")
    assert page.evaluate("window.__xss") is None
    if _docs():
        page.screenshot(path="docs/screenshots/console-transcript.png")


def test_marketer_sees_plots(stack, new_page, users) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    login(page, stack, "market-max")
    expect(page).to_have_url(re.compile(r"/console/feedback$"))
    page.get_by_role("link", name="Insights").click()
    expect(page.locator("svg.chart")).to_have_count(11)
    stages = page.locator('svg.chart[data-chart="stages"]')
    expect(stages).to_contain_text("Customers per lifecycle stage")
    expect(stages).to_contain_text("awareness")
    page.locator("#chart-stages summary").click()  # the table beside the chart
    expect(page.locator('table.chart-table[data-chart="stages"]')).to_contain_text("engagement")
    expect(page.locator("table.playbooks")).to_contain_text("first_visit")
    if _docs():
        page.screenshot(path="docs/screenshots/console-insights.png", full_page=True)


def _docs() -> bool:
    """Screenshots for the docs are refreshed with SHOPMATE_DOC_SCREENSHOTS=1."""
    import os

    return os.environ.get("SHOPMATE_DOC_SCREENSHOTS") == "1"


def test_cart_reminder_pops_into_the_open_widget(stack, new_page) -> None:  # type: ignore[no-untyped-def]
    """Scheduler -> Rasa trigger_intent(output_channel=latest) -> socketio room -> the shopper's widget."""
    import requests

    from tests.stack import API_KEY

    page = new_page()
    page.goto(url(stack, "/"))
    page.get_by_role("button", name="Chat with us").click()
    say(page, "hello")
    # The introduction (a first visit) and the reply: waiting for exactly one raced them when both
    # arrived between two looks (seen once under load).
    expect(page.locator(".sm-bot")).to_have_count(2, timeout=30_000)
    page.wait_for_function("window.Shopmate && window.Shopmate.visitorId")
    visitor = page.evaluate("window.Shopmate.visitorId")  # the shop's visitor id, linked to the chat by the shop
    idle_since = (datetime.now(timezone.utc) - timedelta(minutes=40)).isoformat()
    response = requests.post(url(stack, "/api/events"), headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10,
                             json={"type": "cart_updated", "event_id": f"browser-{visitor}", "visitor_id": visitor,
                                   "ts": idle_since, "items": [{"sku": "VB-100", "qty": 1}]})
    assert response.status_code == 200
    reminder = page.locator(".sm-bot").filter(has_text="You left Vista Video Bar x1")
    expect(reminder).to_be_visible(timeout=30_000)
    expect(reminder).to_contain_text("COMEBACK5")
    expect(page.get_by_role("button", name="Stop cart reminders")).to_be_visible()
    if _docs():
        page.screenshot(path="docs/screenshots/widget-cart-reminder.png")


def test_a_product_card_adds_to_the_shops_cart(stack: object, new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.goto(url(stack, "/"))
    page.get_by_role("button", name="Chat with us").click()
    say(page, "how much is the echo mini speakerphone?")
    card = page.get_by_role("group", name="Echo Mini Speakerphone")
    expect(card).to_be_visible(timeout=30_000)
    expect(card).to_contain_text("€79.00")
    card.get_by_role("button", name="Add to cart").focus()
    page.keyboard.press("Enter")  # keyboard usable
    expect(page.locator("#cart-summary")).to_contain_text("Echo Mini Speakerphone x1")
    expect(card.get_by_role("button", name="Add to cart")).to_be_disabled()
    if _docs():
        page.screenshot(path="docs/screenshots/product-card.png")


def test_the_shops_own_answers_quote_a_page_link_it_and_offer_did_you_mean(
        stack: object, new_page: Callable[..., Any]) -> None:
    """Issue 28 in the widget: a policy page quoted with its link; a close question offers the FAQ
    entry's own question as a button, and pressing it gets the entry's answer."""
    page = new_page()
    page.goto(url(stack, "/"))
    page.get_by_role("button", name="Chat with us").click()
    say(page, "how long does a repair take?")
    expect(page.locator(".sm-bot").last).to_contain_text("7 to 10 business days", timeout=30_000)
    expect(page.locator(".sm-links a")).to_have_attribute("href", "https://deskworks.example/warranty-claim")
    say(page, "would you wrap my present nicely for a birthday?")
    offer = page.get_by_role("button", name="Did you mean: do you offer gift wrapping?")
    expect(offer).to_be_visible(timeout=30_000)
    offer.click()
    expect(page.locator(".sm-bot").last).to_contain_text("3.90 EUR", timeout=30_000)
