"""Mail from the queue to a real SMTP server (aiosmtpd on a free port): once, through an outage,
never to an address that bounced or unsubscribed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runner.mailbox import Mailbox
from bot.runner.processes import free_port
from bot.web.mail import SmtpServer
from lifecycle.customers.identity import customer_for
from lifecycle.mail import consent
from lifecycle.mail.queue import Draft, MailQueue
from lifecycle.storage.database import Database
from lifecycle.storage.models import EmailConsent, MailMessage
from lifecycle.values import utcnow

T0 = utcnow()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(free_port()).start()
    yield box
    box.stop()


def draft(to: str, subject: str = "Your cart is waiting") -> Draft:
    return Draft(kind="cart_reminder", to_address=to, language="en", subject=subject,
                 text_body="You left a Lumo HD Webcam in your cart.",
                 html_body="<p>You left a <b>Lumo HD Webcam</b> in your cart.</p>",
                 unsubscribe_url="https://shop.example/mail/unsubscribe/1.2.abc", playbook="cart_recovery")


def queued(database: Database, queue: MailQueue, visitor: str, address: str, source: str = "newsletter_signup"
           ) -> int:
    with database.session() as session:
        customer = customer_for(session, visitor, T0)
        session.flush()
        consent.record(session, customer.id, address, source, T0)
        if consent.usable_address(session, customer.id) is None:
            return customer.id
        queue.add(session, customer.id, draft(address), T0)
        return customer.id


def test_a_queued_mail_arrives_once_with_text_html_and_one_click_unsubscribe(database: Database,
                                                                             mailbox: Mailbox) -> None:
    queue = MailQueue(database, "DeskWorks <hello@deskworks.example>", "deskworks.example")
    queued(database, queue, "v-1", "Ann@Example.com")
    smtp = SmtpServer("127.0.0.1", mailbox.port)
    assert queue.send_due(smtp.send, T0 + timedelta(seconds=1)) == 1
    assert queue.send_due(smtp.send, T0 + timedelta(hours=5)) == 0  # never twice
    (message,) = mailbox.messages
    assert message["To"] == "ann@example.com" and message["From"] == "DeskWorks <hello@deskworks.example>"
    assert message["List-Unsubscribe"] == "<https://shop.example/mail/unsubscribe/1.2.abc>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].endswith("@deskworks.example>") and message["Date"]
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and plain.get_content().strip() == "You left a Lumo HD Webcam in your cart."
    assert html is not None and "<b>Lumo HD Webcam</b>" in html.get_content()


def test_an_smtp_outage_then_recovery_delivers_once(database: Database) -> None:
    port = free_port()
    queue = MailQueue(database, "hello@deskworks.example", "deskworks.example")
    queued(database, queue, "v-2", "bo@example.com")
    smtp = SmtpServer("127.0.0.1", port)
    assert queue.send_due(smtp.send, T0 + timedelta(seconds=1)) == 0  # nothing listens yet
    with database.reading() as session:
        (mail,) = session.execute(select(MailMessage)).scalars()
        assert mail.attempts == 1 and mail.sent_at is None and "Connection" in (mail.last_error or "")
    box = Mailbox(port).start()
    try:
        assert queue.send_due(smtp.send, T0 + timedelta(seconds=2)) == 0  # backing off, not hammering
        assert queue.send_due(smtp.send, T0 + timedelta(minutes=5)) == 1
        assert queue.send_due(smtp.send, T0 + timedelta(hours=5)) == 0
    finally:
        box.stop()
    assert len(box.messages) == 1


def test_a_hard_bounce_stops_mail_to_the_address(database: Database, mailbox: Mailbox) -> None:
    queue = MailQueue(database, "hello@deskworks.example", "deskworks.example")
    mailbox.refused.add("gone@example.com")
    customer_id = queued(database, queue, "v-3", "gone@example.com")
    smtp = SmtpServer("127.0.0.1", mailbox.port)
    assert queue.send_due(smtp.send, T0 + timedelta(seconds=1)) == 0
    with database.session() as session:
        (mail,) = session.execute(select(MailMessage)).scalars()
        assert mail.failed_at is not None and mail.next_attempt_at is None and "550" in (mail.last_error or "")
        assert consent.usable_address(session, customer_id) is None  # bounced: never again
    assert mailbox.messages == []


def test_no_mail_without_confirmed_consent_and_none_after_unsubscribing(database: Database, mailbox: Mailbox) -> None:
    queue = MailQueue(database, "hello@deskworks.example", "deskworks.example")
    unconfirmed = queued(database, queue, "v-4", "cy@example.com", source="chat")  # double opt-in pending
    with database.session() as session:
        assert consent.usable_address(session, unconfirmed) is None
    customer_id = queued(database, queue, "v-5", "di@example.com")
    with database.session() as session:  # unsubscribed between queueing and sending
        assert consent.unsubscribe(session, customer_id, "DI@example.com", T0)
        assert not consent.unsubscribe(session, customer_id, "di@example.com", T0)  # once
        assert consent.usable_address(session, customer_id) is None
    assert queue.send_due(SmtpServer("127.0.0.1", mailbox.port).send, T0 + timedelta(seconds=1)) == 0
    assert mailbox.messages == []
    with database.session() as session:  # consent given again later counts again
        consent.record(session, customer_id, "di@example.com", "order_placed", T0 + timedelta(days=1))
        assert consent.usable_address(session, customer_id) == "di@example.com"
        assert session.execute(select(EmailConsent.source)).scalars().all() == ["chat", "order_placed"]


def test_the_local_mailbox_keeps_each_mail_as_an_owner_only_file(database: Database, tmp_path: Path) -> None:
    """What `make run` starts: nothing leaves the machine, every message is kept in var/mail/."""
    box = Mailbox(free_port(), tmp_path / "mail").start()
    try:
        queue = MailQueue(database, "hello@deskworks.example", "deskworks.example")
        queued(database, queue, "v-6", "fay@example.com")
        assert queue.send_due(SmtpServer("127.0.0.1", box.port).send, T0 + timedelta(seconds=1)) == 1
    finally:
        box.stop()
    (kept,) = (tmp_path / "mail").iterdir()
    assert kept.name == "000001.eml" and b"To: fay@example.com" in kept.read_bytes()
    assert kept.stat().st_mode & 0o777 == 0o600 and (tmp_path / "mail").stat().st_mode & 0o777 == 0o700
    again = Mailbox(free_port(), tmp_path / "mail").start()  # `make run` started again: the next number
    try:
        queued(database, queue, "v-7", "gil@example.com")
        assert queue.send_due(SmtpServer("127.0.0.1", again.port).send, T0 + timedelta(seconds=2)) == 1
    finally:
        again.stop()
    assert sorted(path.name for path in (tmp_path / "mail").iterdir()) == ["000001.eml", "000002.eml"]


def test_sending_from_inside_a_running_event_loop_still_sends(mailbox: Mailbox) -> None:
    """asyncio cannot nest: a caller whose thread runs a loop (async code) still sends."""
    import asyncio
    import threading
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "hello@deskworks.example", "gus@example.com", "hi"
    message.set_content("hi")
    failures: list[BaseException] = []

    def in_a_loop() -> None:  # a thread of the test's own, so no other test's loop is in the way
        async def inside() -> None:
            SmtpServer("127.0.0.1", mailbox.port).send(message)

        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(inside())
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(error)
        finally:
            loop.close()

    thread = threading.Thread(target=in_a_loop)
    thread.start()
    thread.join(timeout=30)
    assert failures == [] and [m["To"] for m in mailbox.messages] == ["gus@example.com"]
