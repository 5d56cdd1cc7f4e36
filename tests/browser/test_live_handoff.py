"""A live hand-off in two real browsers: a shopper in the widget, an agent in the console."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from lifecycle.people.accounts import AccountError, Accounts
from lifecycle.storage.database import Database
from lifecycle.storage.models import ConsoleSession
from tests.browser.test_people import PASSWORD, login, say, url

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture
def agents_always_on_duty(stack) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Agents' hours cover the whole week while the test runs, whenever CI runs it."""
    shop_yml = Path(stack.env["SHOPMATE_SHOP_DIR"]) / "shop.yml"
    original = shop_yml.read_text(encoding="utf-8")
    shop_yml.write_text(original.replace("Monday to Friday, 09:00-18:00 CET", "Monday to Sunday, 00:00-23:59 UTC"),
                        encoding="utf-8")
    database = Database.from_url(stack.env["SHOPMATE_DATABASE_URL"])
    try:
        Accounts(database).create_user("agent-ann", PASSWORD, "support", display_name="Ann")
    except AccountError:  # made by an earlier test on this stack
        pass
    yield
    shop_yml.write_text(original, encoding="utf-8")
    with database.session() as session:  # the agent goes offline: later tests see nobody at the console
        session.execute(delete(ConsoleSession))
    database.dispose()


def test_shopper_and_agent_talk_both_ways_and_the_assistant_waits(  # type: ignore[no-untyped-def]
        stack, new_page, agents_always_on_duty) -> None:
    agent = new_page()
    login(agent, stack, "agent-ann")
    agent.goto(url(stack, "/console/live"))  # an agent on the console counts as online

    shopper = new_page()
    shopper.goto(url(stack, "/"))
    shopper.get_by_role("button", name="Chat with us").click()
    say(shopper, "I want to talk to a person")
    expect(shopper.locator(".sm-bot").last).to_contain_text("A colleague will join this chat", timeout=30_000)

    agent.reload()
    agent.get_by_role("button", name="Claim").first.click()
    expect(agent).to_have_url(re.compile(r"/console/live/\d+$"))
    expect(shopper.locator(".sm-note").last).to_have_text("Ann joined the chat", timeout=10_000)  # not the login

    agent.get_by_label("Your message").fill("Hello, I'm Ann. How can I help?")
    agent.get_by_role("button", name="Send").click()
    expect(shopper.locator(".sm-agent").last).to_have_text("Ann: Hello, I'm Ann. How can I help?", timeout=10_000)
    bot_messages = shopper.locator(".sm-bot").count()
    say(shopper, "my headset arrived broken")
    expect(agent.locator("#live-log li.user").last).to_contain_text("my headset arrived broken", timeout=10_000)
    expect(shopper.locator("#shopmate-typing")).to_have_text("")  # a person has the chat: nobody "typing"
    shopper.wait_for_timeout(2000)
    assert shopper.locator(".sm-bot").count() == bot_messages  # the assistant stays silent meanwhile

    agent.get_by_role("button", name="Hand back to the assistant").click()
    expect(shopper.locator(".sm-note").last).to_contain_text("Ann left the chat", timeout=10_000)
    expect(shopper.locator(".sm-bot").last).to_contain_text("How would you rate this chat", timeout=20_000)
    say(shopper, "how much is the lumo pro?")
    expect(shopper.locator(".sm-bot").last).to_contain_text("€129.00", timeout=30_000)

    agent.goto(url(stack, "/console/conversations?q=arrived+broken"))
    agent.locator("table.grid a").first.click()
    turns = agent.locator("ol.transcript li:not(.action)")
    expect(turns.filter(has_text="I'm Ann")).to_have_count(1)
    texts = turns.all_inner_texts()
    order = [next(i for i, t in enumerate(texts) if wanted in t) for wanted in
             ("I want to talk to a person", "Hello, I'm Ann", "my headset arrived broken", "how much is the lumo pro?")]
    assert order == sorted(order)
    assert "Agent Ann" in texts[order[1]]
