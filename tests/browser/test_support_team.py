"""Two agents and one shopper in real browsers: the queue's count in the tab title, an admin
assigning the chat, a canned reply in Italian by typing "/", and the conversation list's pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.people.accounts import Accounts
from lifecycle.storage.database import Database
from tests.browser.test_live_handoff import agents_always_on_duty  # noqa: F401 - the fixture, reused
from tests.browser.test_people import login, say, url

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def counted(page) -> int:  # type: ignore[no-untyped-def]
    found = re.match(r"^\((\d+)\) ", page.title())
    return int(found.group(1)) if found else 0


def title(count: int) -> re.Pattern[str]:
    return re.compile(rf"^\({count}\) Queue")


def test_two_agents_share_the_queue_and_answer_in_italian(  # type: ignore[no-untyped-def]
        stack, new_page, agents_always_on_duty) -> None:  # noqa: F811
    database = Database.from_url(stack.env["SHOPMATE_DATABASE_URL"])
    Accounts(database).create_user("lead-bo", "browser test password", "admin", display_name="Bo")
    Accounts(database).set_display_name("agent-ann", "Ann")
    recorder = ConversationRecorder(database, IdentityLinks("browser-test-key-0123456789"))
    for n in range(55):  # enough conversations for a second page
        recorder.record_user_message(f"volume-{n}", f"older question {n}", "ask_shipping", 0.9)

    ann, bo = new_page(), new_page()
    login(ann, stack, "agent-ann")
    ann.goto(url(stack, "/console/queue"))
    login(bo, stack, "lead-bo")
    bo.goto(url(stack, "/console/queue"))
    ann.wait_for_timeout(6000)  # one pulse: other tests' shoppers may be counted already
    before = counted(ann)

    shopper = new_page()
    shopper.goto(url(stack, "/?lang=it"))
    shopper.get_by_role("button", name="Scrivici in chat").click()
    say(shopper, "vorrei parlare con una persona")
    expect(shopper.locator(".sm-bot").last).not_to_be_empty(timeout=30_000)
    expect(ann).to_have_title(title(before + 1), timeout=15_000)  # the pulse counted the shopper

    bo.goto(url(stack, "/console/queue?language=it&status=waiting&owner=unassigned"))
    row = bo.locator("table.queue tbody tr").last  # the longest wait is first: this shopper is the newest
    expect(row).to_contain_text("it")
    row.get_by_label("Assign to").select_option("agent-ann")
    row.get_by_role("button", name="Assign").click()
    ann.goto(url(stack, "/console/queue?owner=me"))
    expect(ann.locator("table.queue tbody tr")).to_have_count(1)
    ann.screenshot(path=str(SCREENSHOTS / "support-queue-mine.png"), full_page=True)
    ann.get_by_role("button", name="Claim").click()
    expect(ann).to_have_url(re.compile(r"/console/live/\d+$"))
    expect(shopper.locator(".sm-note").last).to_contain_text("Ann", timeout=10_000)

    box = ann.get_by_label("Your message")
    box.fill("")
    box.type("/hel")
    expect(ann.locator("#canned-list li")).to_have_count(1)
    expect(ann.locator("#canned-list li").first).to_contain_text("Ciao {first_name}, sono Ann di DeskWorks")
    ann.screenshot(path=str(SCREENSHOTS / "support-canned-reply-it.png"))
    box.press("Enter")
    expect(box).to_have_value("Ciao {first_name}, sono Ann di DeskWorks. Come posso aiutarti oggi?")
    box.fill(box.input_value().replace("{first_name}", "Giulia"))
    ann.get_by_role("button", name="Send").click()
    expect(shopper.locator(".sm-agent").last).to_have_text(
        "Ann: Ciao Giulia, sono Ann di DeskWorks. Come posso aiutarti oggi?", timeout=10_000)

    ann.goto(url(stack, "/console/queue"))  # away from the chat: a new message there is counted
    ann.wait_for_timeout(6000)
    before = counted(ann)
    say(shopper, "il mio ordine non è arrivato")
    expect(shopper.locator("#shopmate-typing")).to_have_text("")
    expect(ann).to_have_title(title(before + 1), timeout=15_000)
    shopper.screenshot(path=str(SCREENSHOTS / "support-widget-agent-it.png"))

    ann.goto(url(stack, "/console/conversations"))
    first_page = ann.locator("table.grid tbody tr").all_inner_texts()
    ann.get_by_role("link", name="Next page »").click()
    expect(ann.get_by_role("link", name="« First page")).to_be_visible()
    second_page = ann.locator("table.grid tbody tr").all_inner_texts()
    assert len(first_page) == 50 and second_page and not set(first_page) & set(second_page)

    bo.goto(url(stack, "/console/conversations?q=ordine"))
    expect(bo.locator("td.excerpt mark").first).to_have_text("ordine")
    bo.locator("table.grid a").first.click()
    timeline = bo.locator("ol.timeline")
    expect(timeline).to_contain_text("lead-bo assigned it to agent-ann")
    expect(timeline).to_contain_text("agent-ann claimed the live chat")
    database.dispose()
