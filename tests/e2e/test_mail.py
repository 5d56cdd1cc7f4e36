"""E-mail on the running product, sent through SMTP to a real server the test starts (aiosmtpd), as a
production stack sends to the shop's server (SHOPMATE_SMTP_HOST)."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

import pytest
import requests
import yaml

from bot.runner.mailbox import Mailbox
from bot.runner.processes import free_port
from tests.stack import API_KEY, PROJECT_ROOT, Chat, Running, chat_with, post_events, serve

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture(scope="module")
def smtp() -> Iterator[Mailbox]:
    box = Mailbox(free_port()).start()
    yield box
    box.stop()


@pytest.fixture(scope="module")
def mailing_stack(tmp_path_factory: pytest.TempPathFactory, smtp: Mailbox) -> Iterator[Running]:
    """The demo shop with its cart reminder sent by e-mail only."""
    shop = tmp_path_factory.mktemp("mailshop") / "shop"
    shutil.copytree(PROJECT_ROOT / "data" / "shop", shop)
    playbooks = yaml.safe_load((shop / "playbooks.yml").read_text(encoding="utf-8"))
    for playbook in playbooks["playbooks"]:
        if playbook["message"] == "cart_reminder":
            playbook["channel"] = "email"
    (shop / "playbooks.yml").write_text(yaml.safe_dump(playbooks, sort_keys=False), encoding="utf-8")
    yield from serve(tmp_path_factory, shop, {"SHOPMATE_SMTP_HOST": "127.0.0.1", "SHOPMATE_SMTP_PORT": str(smtp.port),
                                              "SHOPMATE_MAIL_FROM": "DeskWorks <hello@deskworks.example>"})


@pytest.fixture(scope="module")
def mailing_chat(mailing_stack: Running) -> Iterator[Chat]:
    yield from chat_with(mailing_stack)


def mails(smtp: Mailbox) -> list[EmailMessage]:
    return list(smtp.messages)


def wait_for_mail(smtp: Mailbox, to: str, timeout: float = 60) -> EmailMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in mails(smtp) if m["To"] == to]
        if found:
            return found[0]
        time.sleep(1)
    pytest.fail(f"no mail to {to} arrived")


def test_an_abandoned_cart_of_a_consenting_shopper_is_mailed_once_and_the_links_work(mailing_stack: Running,
                                                                                     smtp: Mailbox) -> None:
    stack = mailing_stack
    idle_since = (datetime.now(timezone.utc) - timedelta(minutes=45)).isoformat()
    post_events(stack,
         {"type": "newsletter_signup", "event_id": "m-sign-1", "visitor_id": "mail-ann", "email": "ann@example.com"},
         {"type": "cart_updated", "event_id": "m-cart-1", "visitor_id": "mail-ann", "ts": idle_since,
          "items": [{"sku": "CAM-200", "qty": 1}, {"sku": "LT-100", "qty": 2}]},
         {"type": "cart_updated", "event_id": "m-cart-2", "visitor_id": "mail-bob", "ts": idle_since,
          "items": [{"sku": "CAM-100", "qty": 1}]})
    mail = wait_for_mail(smtp, "ann@example.com")
    assert mail["Subject"] == "Your cart at DeskWorks is waiting"
    text, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert text is not None and html is not None
    body = text.get_content()
    assert "Lumo Pro 4K Webcam x1 and Glow Key Light x2" in body and "€" in body
    assert "Lumo Pro 4K Webcam" in html.get_content() and "<a href=" in html.get_content()
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(http://[^>]+)>", mail["List-Unsubscribe"])
    assert unsubscribe is not None

    web = f"http://127.0.0.1:{stack.ports.web}"
    cart_link = re.search(r"(http://\S+/mail/cart/\S+)", body)
    assert cart_link is not None
    back = requests.get(cart_link.group(1).replace("http://localhost:", "http://127.0.0.1:"), allow_redirects=False,
                        timeout=10)
    assert back.status_code == 303 and back.headers["location"] == "/?cart=CAM-200:1,LT-100:2#chat"
    forged = requests.get(f"{web}/mail/cart/1.1.forged", allow_redirects=False, timeout=10)
    assert forged.status_code == 400

    url = unsubscribe.group(1).replace("http://localhost:", "http://127.0.0.1:")
    assert "Unsubscribe" in requests.get(url, timeout=10).text  # a GET only asks (mail scanners open links)
    one_click = requests.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=10)
    assert one_click.status_code == 200 and "unsubscribed" in one_click.text

    # After the unsubscribe, Ann's next abandoned cart gets no mail; Bob, who never agreed, got none at all.
    post_events(stack,
         {"type": "order_placed", "event_id": "m-order-1", "visitor_id": "mail-ann", "order_id": "M-1",
          "items": [{"sku": "CAM-200", "qty": 1}], "total_eur": "129.00"},
         {"type": "cart_updated", "event_id": "m-cart-3", "visitor_id": "mail-ann", "ts": idle_since,
          "items": [{"sku": "CAM-100", "qty": 1}]})
    time.sleep(6)  # several recovery ticks (1 s) and mail passes (5 s)
    assert [m["To"] for m in mails(smtp)] == ["ann@example.com"]


def test_a_forged_or_cut_unsubscribe_link_is_refused(mailing_stack: Running) -> None:
    web = f"http://127.0.0.1:{mailing_stack.ports.web}"
    for token in ("1.2.abc", "x", "1.2.3.4"):
        assert requests.post(f"{web}/mail/unsubscribe/{token}", timeout=10).status_code == 400




def test_a_shopper_asks_for_the_cart_by_email_and_gets_it_after_confirming_the_address(
        mailing_stack: Running, mailing_chat: Chat, smtp: Mailbox) -> None:
    stack, visitor = mailing_stack, "mail-zoe"
    post_events(stack, {"type": "cart_updated", "event_id": "z-cart", "visitor_id": visitor,
                 "items": [{"sku": "CAM-100", "qty": 1}]})
    asked = mailing_chat.text(visitor, "could you send my cart to me by email?", visitor_id=visitor)
    assert asked == "Which e-mail address should I send your cart to? I'll send a link to confirm it first."
    assert "open it to confirm the address" in mailing_chat.text(visitor, "zoe@example.com", visitor_id=visitor)
    confirmation = wait_for_mail(smtp, "zoe@example.com")
    assert confirmation["Subject"] == "Confirm your e-mail address for DeskWorks"
    assert confirmation["List-Unsubscribe"] is None  # not a marketing mail: nothing to unsubscribe from yet
    assert "already sent a confirmation link" in mailing_chat.text(visitor, "email me my cart", visitor_id=visitor)
    time.sleep(6)
    assert [m["Subject"] for m in mails(smtp) if m["To"] == "zoe@example.com"] == [confirmation["Subject"]]

    body = confirmation.get_body(("plain",))
    assert body is not None
    link = re.search(r"(http://\S+/mail/confirm/\S+)", body.get_content())
    assert link is not None
    url = link.group(1).replace("http://localhost:", "http://127.0.0.1:")
    assert "Confirm" in requests.get(url, timeout=10).text  # a GET only asks
    time.sleep(1)
    assert len([m for m in mails(smtp) if m["To"] == "zoe@example.com"]) == 1  # nothing confirmed by the GET
    confirmed = requests.post(url, timeout=10)
    assert confirmed.status_code == 200 and "zoe@example.com is confirmed" in confirmed.text
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len([m for m in mails(smtp) if m["To"] == "zoe@example.com"]) < 2:
        time.sleep(1)
    cart_mail = [m for m in mails(smtp) if m["To"] == "zoe@example.com"][-1]
    assert cart_mail["Subject"] == "Your cart at DeskWorks is waiting"
    plain = cart_mail.get_body(("plain",))
    assert plain is not None and "Lumo HD Webcam x1" in plain.get_content()


def test_an_smtp_outage_then_recovery_delivers_the_reminder_once(mailing_stack: Running, smtp: Mailbox) -> None:
    from sqlalchemy import create_engine, text

    store = create_engine(mailing_stack.env["SHOPMATE_DATABASE_URL"])
    smtp.stop()
    try:
        idle_since = (datetime.now(timezone.utc) - timedelta(minutes=45)).isoformat()
        post_events(mailing_stack,
             {"type": "newsletter_signup", "event_id": "m-sign-eve", "visitor_id": "mail-eve",
              "email": "eve@example.com"},
             {"type": "cart_updated", "event_id": "m-cart-eve", "visitor_id": "mail-eve", "ts": idle_since,
              "items": [{"sku": "CAM-100", "qty": 1}]})
        deadline = time.monotonic() + 60
        failed = None
        while time.monotonic() < deadline and not failed:
            with store.connect() as connection:
                failed = connection.execute(text("SELECT attempts, last_error FROM mail_messages WHERE to_address = "
                                                 "'eve@example.com' AND attempts > 0")).first()
            time.sleep(1)
        assert failed is not None and failed[1], "the send was not tried while the server was down"
    finally:
        smtp.start()
    mail = wait_for_mail(smtp, "eve@example.com", timeout=90)  # the retry waits 10 s, then 20 s
    assert mail["Subject"] == "Your cart at DeskWorks is waiting"
    time.sleep(7)
    assert [m["To"] for m in mails(smtp)].count("eve@example.com") == 1
    store.dispose()
