"""The console over HTTP: login, roles, CSRF, filters, transcripts, escaping, feedback, plots, CSV."""

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.runner import cli
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.people.accounts import Accounts
from lifecycle.people.feedback import FeedbackStore
from tests.bot.web.conftest import PASSWORD
from tests.conftest import VOC_DIR, analyser
from tests.web import state


def login(web: TestClient, user: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    page = web.get("/console/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    return web.post("/console/login", data={"csrf_token": token, "username": user, "password": password},
                    follow_redirects=False)


def listed(page: str) -> int:
    """How many conversations (or search hits) a list page shows."""
    return page.count('<a href="/console/conversations/')


def csrf(web: TestClient, url: str) -> str:
    return web.get(url).text.split('name="csrf_token" value="')[1].split('"')[0]


def chat(web: TestClient) -> None:
    store = ConversationRecorder(state(web).database, state(web).links)
    store.record_user_message("conv-1", "<script>alert('x')</script> is the lumo pro in stock?", "ask_product_stock",
                              0.93, metadata={"visitor_id": "v-1", "language": "it-IT"})
    store.record_bot_message("conv-1", "Yes, the Lumo Pro 4K Webcam is in stock: 40 available.",
                             "action_product_facts")
    store.record_user_message("conv-2", "how do I file my tax return", "out_of_scope", 0.99)
    store.request_handoff("conv-2", "after_fallback", within_hours=False)
    feedback = FeedbackStore(state(web).database, VOC_DIR, analyser())
    feedback.rating("conv-2", "conv-2", "csat", 1)
    feedback.text("conv-1", "v-1", "Delivery was late and support was not helpful", "en")


def test_login_needed_and_wrong_password_refused(web: TestClient) -> None:
    assert web.get("/console/conversations", follow_redirects=False).headers["location"] == "/console/login"
    assert login(web, "sam", "wrong password").headers["location"] == "/console/login?error=credentials"
    assert login(web, "nobody").headers["location"] == "/console/login?error=credentials"
    assert login(web, "sam").headers["location"] == "/console/conversations"


def test_login_form_needs_its_csrf_cookie(web: TestClient) -> None:
    response = web.post("/console/login", data={"csrf_token": "forged", "username": "sam", "password": PASSWORD},
                        follow_redirects=False)
    assert response.headers["location"] == "/console/login?error=expired"


def test_support_filters_and_reads_an_escaped_transcript(web: TestClient) -> None:
    chat(web)
    login(web, "sam")
    everything = web.get("/console/conversations").text
    assert listed(everything) == 2
    assert listed(web.get("/console/conversations", params={"fallback": "1"}).text) == 1
    assert listed(web.get("/console/conversations", params={"low_csat": "1"}).text) == 1
    assert listed(web.get("/console/conversations", params={"language": "it"}).text) == 1
    found = web.get("/console/conversations", params={"q": "lumo"}).text
    assert listed(found) == 2  # the shopper's question and the assistant's answer
    assert "<mark>lumo</mark>" in found and "<mark>Lumo</mark> Pro 4K" in found
    assert listed(web.get("/console/conversations", params={"q": "100%_"}).text) == 0
    assert listed(web.get("/console/conversations", params={"intent": "ask_product_stock"}).text) == 1
    page = web.get("/console/conversations/1").text
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "ask_product_stock (0.93)" in page and "action_product_facts" in page
    queue = web.get("/console/queue").text
    assert "Asked: how do I file my tax return" in queue and "outside hours" in queue


def test_an_address_left_in_the_chat_is_a_ticket_support_can_answer(web: TestClient) -> None:
    store = ConversationRecorder(state(web).database, state(web).links)
    store.record_user_message("conv-9", "I want a person", "request_human", 0.97)
    store.request_handoff("conv-9", "requested", within_hours=True)
    store.leave_email("conv-9", "o'brien+<b>@example.ie", within_hours=True)
    login(web, "sam")
    queue = web.get("/console/queue", params={"channel": "email"}).text
    assert "I want a person" in queue and "<b>" not in queue
    assert 'href="mailto:o%27brien%2B%3Cb%3E%40example.ie">o&#39;brien+&lt;b&gt;@example.ie</a>' in queue


def test_review_and_tags_need_the_csrf_token(web: TestClient) -> None:
    chat(web)
    login(web, "sam")
    refused = web.post("/console/conversations/1/review", data={"reviewed": "on", "tags": "x"})
    assert refused.status_code == 403
    token = csrf(web, "/console/conversations/1")
    web.post("/console/conversations/1/review", data={"csrf_token": token, "reviewed": "on", "tags": "Stock, VIP"})
    assert "stock, vip" in web.get("/console/conversations").text
    assert listed(web.get("/console/conversations", params={"unreviewed": "1"}).text) == 1


def test_roles_keep_support_and_marketing_apart(web: TestClient) -> None:
    login(web, "sam")
    assert web.get("/console/feedback").status_code == 403
    login(web, "mia")
    assert web.get("/console/conversations").status_code == 403
    assert web.get("/console/feedback").status_code == 200


def test_marketing_sees_feedback_plots_and_csv(web: TestClient) -> None:
    chat(web)
    login(web, "mia")
    page = web.get("/console/feedback").text
    assert "Delivery was late and support was not helpful" in page and "shipping, support" in page
    assert "/console/conversations/" not in page
    assert "Delivery was late" not in web.get("/console/feedback", params={"theme": "price"}).text
    insights = web.get("/console/insights").text
    assert insights.count("<svg") == 11 and "Feedback themes per week" in insights and "<polyline" in insights
    assert "Sentiment per theme per week" in insights
    negative = insights.split("Most negative recent feedback per theme")[1].split("By market")[0]
    assert "<h3>shipping</h3>" in negative and "Delivery was late and support was not helpful" in negative
    exported = web.get("/console/feedback.csv", params={"kind": "text"})
    assert exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.strip().splitlines()
    assert lines[0].startswith("created_at,visitor_id,kind") and len(lines) == 2 and "shipping,support" in lines[1]


def test_markets_are_split_by_language_and_feedback_filters_by_it(web: TestClient) -> None:
    chat(web)
    store = ConversationRecorder(state(web).database, state(web).links)
    store.record_language("conv-1", "it")
    FeedbackStore(state(web).database, VOC_DIR, analyser()).text("conv-1", "v-1", "spedizione lenta", "it")
    login(web, "mia")
    insights = web.get("/console/insights").text
    markets = insights.split("By market")[1].split("</table>")[0]
    assert "<th>Italian</th><td>1</td><td>1</td><td>0</td>" in markets
    italian = web.get("/console/feedback", params={"language": "it"}).text
    assert "spedizione lenta" in italian and "Delivery was late" not in italian
    assert web.get("/console/conversations", params={"language": "it"}).status_code == 403  # marketing only


def test_logout_ends_the_session(web: TestClient) -> None:
    login(web, "sam")
    token = csrf(web, "/console/conversations")
    web.post("/console/logout", data={"csrf_token": token})
    assert web.get("/console/conversations", follow_redirects=False).status_code == 303


def test_sessions_expire(web: TestClient) -> None:
    accounts = Accounts(state(web).database)
    now = datetime.now(timezone.utc)
    token = accounts.login("sam", PASSWORD, now=now)
    assert accounts.session(token, now=now + timedelta(hours=7)) is not None
    assert accounts.session(token, now=now + timedelta(hours=9)) is None


def test_cli_creates_users_with_hashed_passwords(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("SHOPMATE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long secret phrase\n"))
    assert cli.main(["create-user", "ada", "--role", "admin", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["create-user", "bob", "--role", "support", "--password-stdin"]) == 2
    assert "at least 10 characters" in capsys.readouterr().err
    from lifecycle.storage.database import Database

    database = Database.from_url(f"sqlite:///{tmp_path / 'cli.db'}")
    assert Accounts(database).login("ada", "a long secret phrase") is not None
    with database.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT password_hash FROM console_users").scalar()
    assert stored.startswith("$argon2id$") and "a long secret phrase" not in stored


def test_the_transcript_shows_the_visitors_orders_beside_it(web: TestClient) -> None:
    """Issue 23: an agent sees the shopper's orders (status, carrier, tracking, refunds) with the chat."""
    from lifecycle.commerce.events import parse_events
    from lifecycle.commerce.service import Commerce

    store = ConversationRecorder(state(web).database, state(web).links)
    store.record_user_message("conv-orders-0123456789", "where is my order?", "out_of_scope", 0.9,
                              identity=state(web).links.sign("v-1", "conv-orders-0123456789"))
    events = [{"type": "order_placed", "event_id": "o-1", "visitor_id": "v-1", "order_id": "DW-77",
               "items": [{"sku": "CAM-200", "qty": 1}], "total_eur": "129.00", "email": "v1@example.com"},
              {"type": "order_shipped", "event_id": "o-2", "visitor_id": "v-1", "order_id": "DW-77",
               "carrier": "BRT", "tracking_number": "BRT555", "expected_delivery": "2026-12-10"},
              {"type": "order_placed", "event_id": "o-3", "visitor_id": "someone-else", "order_id": "DW-78",
               "items": [{"sku": "CAM-100", "qty": 1}], "total_eur": "49.90"}]
    Commerce(state(web).database).apply(parse_events(events), state(web).shop_source.get())
    login(web, "sam")
    page = web.get("/console/conversations/1").text
    assert "Conversation with v-1" in page
    assert "DW-77" in page and "Lumo Pro 4K Webcam x1" in page and "BRT BRT555, expected 2026-12-10" in page
    assert "shipped" in page and "DW-78" not in page  # only this visitor's orders
