"""Webhooks to the shop (issue 23): hand-offs, e-mail tickets and feedback reach a real HTTP receiver,
signed (Standard Webhooks), through the receiver being down and the sender restarting, each delivered
once per webhook-id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from bot.runner.processes import free_port
from bot.web.scheduler import post_webhook
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.people.feedback import FeedbackStore
from lifecycle.settings import SettingsError, load_settings
from lifecycle.storage.database import Database
from lifecycle.storage.models import WebhookMessage
from lifecycle.values import utcnow
from lifecycle.webhooks import Outbox
from lifecycle.webhooks.outbox import MAX_ATTEMPTS
from tests.receiver import Receiver

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture
def port() -> Iterator[int]:
    yield free_port()


def producers(database: Database, outbox: Outbox, voc_dir: Path) -> tuple[ConversationRecorder, FeedbackStore]:
    from tests.conftest import analyser

    return (ConversationRecorder(database, IdentityLinks("k" * 32), outbox),
            FeedbackStore(database, voc_dir, analyser(), outbox=outbox))


def test_every_webhook_arrives_once_signed_through_downtime_and_a_restart(database: Database, port: int) -> None:
    from tests.conftest import VOC_DIR

    outbox = Outbox(database, f"http://127.0.0.1:{port}/hooks", SECRET)
    recorder, feedback = producers(database, outbox, VOC_DIR)
    recorder.request_handoff("chat-a", "asked", within_hours=True)
    recorder.leave_email("chat-a", "ann@example.com", within_hours=True)
    feedback.rating("chat-a", recorder.visitor_for("chat-a"), "csat", 2)
    t0 = utcnow()
    assert outbox.deliver_due(post_webhook, now=t0) == 0  # nobody listens on the port: connection refused
    assert [d.state for d in outbox.deliveries().rows] == ["pending"] * 3
    assert all("ConnectionError" in (d.last_error or "") for d in outbox.deliveries().rows)

    receiver = Receiver(port)
    try:
        receiver.failing = True  # up but broken
        assert outbox.deliver_due(post_webhook, now=t0 + timedelta(seconds=5)) == 0  # not due yet: no request
        assert receiver.requests == []
        assert outbox.deliver_due(post_webhook, now=t0 + timedelta(seconds=11)) == 0
        assert [status for _, _, status in receiver.requests] == [503] * 3
        receiver.failing = False
        restarted = Outbox(database, f"http://127.0.0.1:{port}/hooks", SECRET)  # a new process, same store
        assert restarted.deliver_due(post_webhook, now=t0 + timedelta(seconds=12)) == 0  # backing off: 20 s
        assert restarted.deliver_due(post_webhook, now=t0 + timedelta(seconds=40)) == 3
        assert restarted.deliver_due(post_webhook, now=t0 + timedelta(hours=3)) == 0  # nothing sent twice
    finally:
        receiver.stop()
    delivered = [(headers, body) for headers, body, status in receiver.requests if status == 204]
    ids = [headers["webhook-id"] for headers, _ in delivered]
    assert len(ids) == len(set(ids)) == 3
    verifier = Webhook(SECRET)
    events = [verifier.verify(body, headers) for headers, body in delivered]  # raises on a bad signature
    assert [e["type"] for e in events] == ["handoff.requested", "ticket.created", "feedback.received"]
    assert events[1]["data"]["contact_email"] == "ann@example.com" and events[2]["data"]["rating"] == 2
    retried = [json.loads(body) for headers, body, status in receiver.requests if headers["webhook-id"] == ids[0]]
    assert len(retried) == 2 and retried[0] == retried[1]  # the same body on every attempt
    assert [d.state for d in outbox.deliveries().rows] == ["delivered"] * 3


def test_a_tampered_body_fails_verification(database: Database, port: int) -> None:
    outbox = Outbox(database, f"http://127.0.0.1:{port}/hooks", SECRET)
    sent: list[tuple[bytes, dict[str, str]]] = []
    with database.session() as session:
        Outbox.add(session, "feedback.received", {"rating": 5})
    def post(url: str, body: bytes, headers: dict[str, str]) -> int:
        sent.append((body, headers))
        return 200

    outbox.deliver_due(post)
    body, headers = sent[0]
    Webhook(SECRET).verify(body, headers)
    with pytest.raises(Exception, match="signature"):
        Webhook(SECRET).verify(body.replace(b"5", b"1"), headers)


def test_a_shop_that_never_answers_is_given_up_and_shown_as_failed(database: Database) -> None:
    outbox = Outbox(database, "http://127.0.0.1:9/hooks", SECRET)
    with database.session() as session:
        Outbox.add(session, "handoff.requested", {"handoff_id": 1})
    now = utcnow()
    for _ in range(MAX_ATTEMPTS + 2):
        outbox.deliver_due(lambda url, body, headers: 500, now=now)
        now += timedelta(hours=2)
    [delivery] = outbox.deliveries().rows
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("failed", MAX_ATTEMPTS, "HTTP 500")


@pytest.mark.parametrize(("env", "message"), [
    ({"SHOPMATE_WEBHOOK_URL": "http://shop.example/hooks", "SHOPMATE_WEBHOOK_SECRET": SECRET}, "https://"),
    ({"SHOPMATE_WEBHOOK_URL": "https://shop.example/hooks"}, "SHOPMATE_WEBHOOK_SECRET must be set"),
    ({"SHOPMATE_WEBHOOK_URL": "https://shop.example/hooks", "SHOPMATE_WEBHOOK_SECRET": "whsec_c2hvcnQ="},
     "at least 24 random bytes"),
])
def test_webhook_settings_say_what_to_fix_and_never_echo_the_secret(tmp_path: Path, env: dict[str, str],
                                                                      message: str) -> None:
    with pytest.raises(SettingsError, match=message) as error:
        load_settings({"SHOPMATE_VAR_DIR": str(tmp_path), **env})
    assert "c2hvcnQ" not in str(error.value) and "MfKQ9r8" not in str(error.value)


def test_forgetting_a_person_drops_their_webhooks_not_yet_sent(database: Database, tmp_path: Path) -> None:
    from lifecycle.people.privacy import PersonalData
    from lifecycle.storage.rasa_tracker import EVENTS, RasaTrackerRows

    rows = RasaTrackerRows.from_url(f"sqlite:///{tmp_path / 'tracker.db'}")
    EVENTS.metadata.create_all(rows.engine)

    outbox = Outbox(database, "http://127.0.0.1:9/hooks", SECRET)
    recorder = ConversationRecorder(database, IdentityLinks("k" * 32), outbox)
    recorder.leave_email("chat-b", "bob@example.com", within_hours=True)
    recorder.request_handoff("chat-c", "asked", within_hours=True)
    export = PersonalData(database, rows).export(recorder.visitor_for("chat-b"))
    assert "bob@example.com" in json.dumps(export, default=str)
    PersonalData(database, rows).forget(recorder.visitor_for("chat-b"))
    assert [d.event_type for d in outbox.deliveries().rows] == ["handoff.requested"]  # chat-c's stays


def test_a_chat_feedback_text_is_sent_to_the_shop_once_analysed(database: Database) -> None:
    from tests.conftest import VOC_DIR

    outbox = Outbox(database, "http://127.0.0.1:9/hooks", SECRET)
    _, feedback = producers(database, outbox, VOC_DIR)
    feedback.text("conv-9", "v-9", "il corriere è arrivato in ritardo", "it", analyse_now=False)
    assert outbox.deliveries().rows == []  # not yet: the shop would get a text without its analysis
    assert feedback.analyse_waiting() == 1
    with database.reading() as session:
        (body,) = [json.loads(row) for row in session.execute(select(WebhookMessage.body)).scalars()]
    assert body["type"] == "feedback.received"
    assert body["data"]["themes"] == ["shipping"] and body["data"]["sentiment"] < 0
    assert body["data"]["language"] == "it"
    assert feedback.analyse_waiting() == 0 and len(outbox.deliveries().rows) == 1  # analysed and sent once
