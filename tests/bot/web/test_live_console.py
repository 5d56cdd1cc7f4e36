"""Live hand-off on the agents' side: queue, one claim per shopper, replies and hand-back reach
Rasa's HTTP API as the events the widget shows; the store keeps who handled what and when."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.people.accounts import Accounts
from lifecycle.storage.models import Handoff
from tests.bot.web.conftest import PASSWORD
from tests.bot.web.test_console import csrf, login
from tests.web import state as app_state


class RecordingRasa:
    """Stands in for Rasa's HTTP API here; tests/browser/test_live_handoff.py uses the real one."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any]] = []

    def add_events(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        self.calls.append(("events", sender_id, events))

    def run_action(self, sender_id: str, action: str) -> None:
        self.calls.append(("action", sender_id, action))


@pytest.fixture
def live_web(web: TestClient) -> TestClient:
    """The console (tests/bot/conftest.py) with a second support user and Rasa's API recorded."""
    Accounts(app_state(web).database).create_user("kim", PASSWORD, "support")
    app_state(web).rasa = RecordingRasa()
    return web


def waiting_shopper(web: TestClient) -> int:
    store = ConversationRecorder(app_state(web).database, app_state(web).links)
    store.record_user_message("live-conversation-1", "I want a person", "request_human", 0.99)
    return store.request_handoff("live-conversation-1", "requested", True, live=True).id


def test_an_agent_claims_replies_and_hands_back(live_web: TestClient) -> None:
    web = live_web
    handoff = waiting_shopper(web)
    Accounts(app_state(web).database).set_display_name("sam", "Samantha")
    login(web, "sam")
    assert "live-conversation-1" not in web.get("/console/live").text  # the secret is never shown
    assert "Claim" in web.get("/console/live").text
    token = csrf(web, "/console/live")
    claimed = web.post(f"/console/live/{handoff}/claim", data={"csrf_token": token}, follow_redirects=False)
    assert claimed.status_code == 303 and claimed.headers["location"] == f"/console/live/{handoff}"
    assert "Cart: empty" in web.get(f"/console/live/{handoff}").text
    reply = web.post(f"/console/live/{handoff}/reply", data={"csrf_token": token, "text": "Hi, I'm Sam. <b>Hello</b>"},
                     headers={"X-Requested-With": "fetch"})
    assert reply.status_code == 204
    ended = web.post(f"/console/live/{handoff}/end", data={"csrf_token": token, "how": "returned"},
                     follow_redirects=False)
    assert ended.status_code == 303
    calls = app_state(web).rasa.calls
    assert calls[0] == ("events", "live-conversation-1", [{"event": "bot", "data": {"custom": {"data": {
        "type": "agent_joined", "agent": "Samantha", "text": ""}}}}])  # never the login name
    assert calls[1][2][0]["data"]["custom"]["data"] == {"type": "agent", "agent": "Samantha",
                                                        "text": "Hi, I'm Sam. <b>Hello</b>"}
    assert calls[2][2][:2] == [{"event": "resume"}, {"event": "restart"}]
    assert calls[3] == ("action", "live-conversation-1", "action_ask_csat")
    assert calls[4] == ("events", "live-conversation-1", [{"event": "action", "name": "action_listen"}])
    with app_state(web).database.session() as session:
        row = session.execute(select(Handoff)).scalar_one()
        assert (row.status, row.agent) == ("returned", "sam")
        assert row.claimed_at is not None and row.first_reply_at is not None and row.ended_at is not None


def test_two_agents_cannot_claim_the_same_shopper(live_web: TestClient) -> None:
    web = live_web
    handoff = waiting_shopper(web)
    login(web, "sam")
    token = csrf(web, "/console/live")
    assert web.post(f"/console/live/{handoff}/claim", data={"csrf_token": token},
                    follow_redirects=False).status_code == 303
    web.post("/console/logout", data={"csrf_token": token})
    login(web, "kim")
    token = csrf(web, "/console/live")
    assert web.post(f"/console/live/{handoff}/claim", data={"csrf_token": token}).status_code == 409
    assert web.post(f"/console/live/{handoff}/reply", data={"csrf_token": token, "text": "me too"}).status_code == 409
    assert "with sam" in web.get("/console/live").text


def test_a_claim_needs_the_forms_token_and_a_support_login(live_web: TestClient) -> None:
    web = live_web
    handoff = waiting_shopper(web)
    assert web.post(f"/console/live/{handoff}/claim", data={"csrf_token": "x"},
                    follow_redirects=False).headers["location"] == "/console/login"
    login(web, "sam")
    assert web.post(f"/console/live/{handoff}/claim", data={"csrf_token": "forged"}).status_code == 403
    token = csrf(web, "/console/live")
    web.post(f"/console/live/{handoff}/claim", data={"csrf_token": token})
    assert web.post(f"/console/live/{handoff}/reply", data={"csrf_token": token, "text": "x" * 2001}).status_code == 422


def test_an_agent_using_the_console_is_online(live_web: TestClient) -> None:
    web = live_web
    accounts = Accounts(app_state(web).database)
    assert accounts.agents_online() == []
    login(web, "sam")
    web.get("/console/live")
    assert accounts.agents_online() == ["sam"]


def test_a_shopper_nobody_claims_is_told_in_their_language(live_web: TestClient) -> None:
    from datetime import datetime, timedelta, timezone

    from bot.web import scheduler

    web = live_web
    store = ConversationRecorder(app_state(web).database, app_state(web).links)
    store.record_user_message("live-conversation-2", "voglio parlare con una persona", "request_human", 0.99)
    store.record_language("live-conversation-2", "it")
    store.request_handoff("live-conversation-2", "requested", True, live=True)
    state = app_state(web)
    later = datetime.now(timezone.utc) + timedelta(minutes=6)
    assert scheduler.unclaimed(state.live, state.shop_source, state.catalogs, state.rasa, 10, now=later) == 0
    assert scheduler.unclaimed(state.live, state.shop_source, state.catalogs, state.rasa, 5, now=later) == 1
    assert scheduler.unclaimed(state.live, state.shop_source, state.catalogs, state.rasa, 5, now=later) == 0  # once
    _, sender, events = state.rasa.calls[0]
    assert sender == "live-conversation-2"
    assert events[:3] == [{"event": "resume"}, {"event": "restart"},
                          {"event": "slot", "name": "language", "value": "it"}]
    told = events[3]["text"]
    assert told.startswith("Mi dispiace, nessun collega è riuscito a prendere questa chat in tempo.")
    assert "Lascia qui il tuo indirizzo e-mail" in told and "support@deskworks.example" in told
    with app_state(web).database.session() as session:
        assert session.execute(select(Handoff.status)).scalar_one() == "unclaimed"


def test_the_agent_sees_the_shoppers_cart(live_web: TestClient) -> None:
    from decimal import Decimal

    from lifecycle.commerce.events import parse_events

    web = live_web
    handoff = waiting_shopper(web)
    chat = app_state(web).live.get(handoff)
    shop = app_state(web).shop_source.get()
    cart = {"type": "cart_updated", "event_id": "e-1", "visitor_id": chat.visitor_id,
            "items": [{"sku": "CAM-200", "qty": 2}]}
    app_state(web).commerce.apply(parse_events([cart]), shop)
    login(web, "sam")
    page = web.get(f"/console/live/{handoff}").text
    assert "Lumo Pro 4K Webcam × 2" in page and f"€{Decimal('258.00')}" in page
