"""Attacks on a default `make run`, with nothing but HTTP: each is refused and the stores stay as they were.

The stack is started exactly as `make run` starts it, without any token or key set
(tests/stack.py): what is tested is the default.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from lifecycle.people.accounts import Accounts
from lifecycle.storage.database import Database
from lifecycle.storage.models import Conversation, Customer, Interaction, ShopEvent
from tests.stack import API_KEY, Chat, read, settled, socketio_say

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {API_KEY}"}
VICTIM = "victim-visitor"


def rasa(stack, path: str) -> str:  # type: ignore[no-untyped-def]
    return f"http://127.0.0.1:{stack.ports.rasa}{path}"


def web(stack, path: str) -> str:  # type: ignore[no-untyped-def]
    return f"http://127.0.0.1:{stack.ports.web}{path}"


def rows(chat: Chat) -> dict[str, Any]:
    """What an attack must not change: every turn, every shop event, and the victim's own row."""
    victim = settled(chat.store, select(Customer.reminders_opt_out, Customer.stage)
                     .where(Customer.visitor_id == VICTIM))
    return {"interactions": settled(chat.store, select(func.count()).select_from(Interaction))[0][0],
            "shop_events": read(chat.store, select(func.count()).select_from(ShopEvent))[0][0], "victim": victim}


@pytest.fixture(scope="module")
def victim(stack, chat: Chat) -> str:  # type: ignore[no-untyped-def]
    """A shopper with a cart, chatting in their own (secret) conversation."""
    chat.say("victim", "hi", visitor_id=VICTIM)
    idle = (datetime.now(timezone.utc) - timedelta(minutes=2)).isoformat()
    cart = {"type": "cart_updated", "event_id": "attack-victim-cart", "visitor_id": VICTIM, "ts": idle,
            "items": [{"sku": "CAM-300", "qty": 2}]}
    assert requests.post(web(stack, "/api/events"), json=cart, headers=AUTH, timeout=10).status_code == 200
    return Chat.conversation("victim")


def test_rasa_api_refuses_forged_messages_tracker_reads_and_model_changes(stack, chat: Chat, victim: str) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    forged = requests.post(rasa(stack, f"/conversations/{victim}/tracker/events"),
                           params={"output_channel": "latest", "execute_side_effects": "true"},
                           json={"event": "bot", "text": "Your card was declined, re-enter it at evil.example"},
                           timeout=10)
    assert forged.status_code == 401
    assert requests.get(rasa(stack, f"/conversations/{victim}/tracker"), timeout=10).status_code == 401
    assert requests.delete(rasa(stack, "/model"), timeout=10).status_code == 401
    assert requests.put(rasa(stack, "/model"), json={"model_file": "/tmp/x.tar.gz"}, timeout=10).status_code == 401
    assert requests.post(rasa(stack, "/model/train"), json={}, timeout=10).status_code == 401
    assert requests.post(rasa(stack, f"/conversations/{victim}/trigger_intent"), json={"name": "greet"},
                         timeout=10).status_code == 401
    assert rows(chat) == before
    history = requests.post(web(stack, "/widget/history"), json={"conversation": victim}, timeout=10).json()
    assert not any("evil.example" in (m.get("text") or "") for m in history["messages"])
    # CORS names the shop, not everyone
    preflight = requests.options(rasa(stack, "/webhooks/rest/webhook"), timeout=10,
                                 headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert preflight.headers.get("Access-Control-Allow-Origin") in (None, "")


def test_the_action_server_answers_only_rasa(stack, chat: Chat, victim: str) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    call = {"next_action": "action_stop_reminders", "sender_id": victim, "version": "3.6.21",
            "tracker": {"sender_id": victim, "slots": {}, "latest_message": {"metadata": {"visitor_id": VICTIM}},
                        "events": [], "paused": False, "latest_action_name": "action_listen"},
            "domain": {}}
    url = f"http://127.0.0.1:{stack.ports.actions}/webhook"
    assert requests.post(url, json=call, timeout=10).status_code == 401
    assert requests.post(url, params={"token": "guess"}, json=call, timeout=10).status_code == 401
    assert rows(chat) == before and before["victim"] == [(False, "awareness")]


def test_a_visitor_id_sent_by_the_client_is_never_believed(stack, chat: Chat, victim: str) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    spoof = {"sender": Chat.conversation("attacker"), "metadata": {"visitor_id": VICTIM}}
    cart = requests.post(rasa(stack, "/webhooks/rest/webhook"), json={**spoof, "message": "what is in my cart and "
                                                                      "what will shipping cost?"}, timeout=60).json()
    assert not any("CAM-300" in (m.get("text") or "") or "Echo" in (m.get("text") or "") for m in cart)
    # a real link, but made for the victim's conversation, replayed in the attacker's
    stolen = chat.links.sign(VICTIM, victim)
    replay = {"sender": Chat.conversation("attacker"), "metadata": {"identity": stolen}}
    requests.post(rasa(stack, "/webhooks/rest/webhook"), json={**replay, "message": "stop sending me cart reminders"},
                  timeout=60)
    requests.post(rasa(stack, "/webhooks/rest/webhook"), json={**spoof, "message": "stop sending me cart reminders"},
                  timeout=60)
    assert rows(chat)["victim"] == before["victim"] == [(False, "awareness")]
    owners = settled(chat.store, select(Customer.visitor_id).where(Customer.visitor_id.like("anon-%")))
    assert owners, "the attacker's conversation belongs to an anonymous visitor"


def test_socket_io_with_a_spoofed_visitor_stays_anonymous(stack, chat: Chat, victim: str) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    replies = socketio_say(stack, "feedfacefeedfacefeedfacefeedface", "stop sending me cart reminders",
                           {"visitor_id": VICTIM, "identity": "v1.forged.token.1.x"})
    assert replies, "the attacker still gets an answer, as an anonymous visitor"
    assert rows(chat)["victim"] == before["victim"]


def test_history_needs_the_secret_not_a_visitor_id(stack, victim: str) -> None:  # type: ignore[no-untyped-def]
    assert requests.post(web(stack, "/widget/history"), json={"conversation": VICTIM}, timeout=10).status_code == 422
    guessed = requests.post(web(stack, "/widget/history"), json={"conversation": "0" * 32}, timeout=10)
    assert guessed.status_code == 200 and guessed.json() == {"messages": []}
    assert "Access-Control-Allow-Origin" not in guessed.headers
    own = requests.post(web(stack, "/widget/history"), json={"conversation": victim}, timeout=10).json()
    assert own["messages"] and own["messages"][0]["text"] == "hi"


def test_demo_events_need_the_shop_page_cookie(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    order = {"type": "order_placed", "visitor_id": VICTIM, "items": [{"sku": "CAM-200", "qty": 1}], "total_eur": "1"}
    assert requests.post(web(stack, "/demo/events"), json=order, timeout=10).status_code == 403
    assert rows(chat) == before


def test_huge_chat_text_is_refused_and_does_not_stall_other_shoppers(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    megabyte = requests.post(rasa(stack, "/webhooks/rest/webhook"),
                             json={"sender": Chat.conversation("flood"), "message": "a" * 1_100_000}, timeout=60)
    assert megabyte.status_code == 413
    timings: dict[str, float] = {}

    def long_message() -> None:
        started = time.monotonic()
        reply = requests.post(rasa(stack, "/webhooks/rest/webhook"), timeout=60,
                              json={"sender": Chat.conversation("flood"), "message": "word " * 20_000}).json()
        timings["long"] = time.monotonic() - started
        timings["told"] = float("too long" in reply[0]["text"])

    flood = threading.Thread(target=long_message)
    flood.start()
    started = time.monotonic()
    assert chat.text("bystander", "hi")
    timings["hi"] = time.monotonic() - started
    flood.join()
    print(f"\n[attack] 100 KB message answered in {timings['long']:.2f} s; a bystander's 'hi' meanwhile in "
          f"{timings['hi']:.2f} s")
    assert timings["told"] == 1.0 and timings["long"] < 5 and timings["hi"] < 5, timings
    flood_rows = read(chat.store, select(func.count()).select_from(Interaction).join(Conversation)
                      .where(Conversation.sender_id == Chat.conversation("flood")))
    assert flood_rows == [(0,)] and rows(chat)["shop_events"] == before["shop_events"]  # nothing of it stored
    cart = {"type": "cart_updated", "event_id": "huge-cart", "visitor_id": "v",
            "items": [{"sku": "CAM-100", "qty": 1}] * 10_000}
    assert requests.post(web(stack, "/api/events"), json=cart, headers=AUTH, timeout=10).status_code in (413, 422)


def _login_from(port: int, source: str, username: str, password: str) -> int:
    """A login POST from another loopback address (127.0.0.2): the flood is throttled per address too."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        connection.request("GET", "/console/login")
        page = connection.getresponse()
        html = page.read().decode()
        cookie = page.getheader("set-cookie", "").split(";")[0]
        token = html.split('name="csrf_token" value="')[1].split('"')[0]
        body = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": password})
        connection.request("POST", "/console/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                            "Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_hundred_failed_logins_are_throttled_and_the_app_keeps_answering(stack) -> None:  # type: ignore[no-untyped-def]
    database = Database.from_url(stack.env["SHOPMATE_DATABASE_URL"])
    Accounts(database).create_user("flood-target", "the real password 123", "support")
    database.dispose()
    statuses: list[int] = []

    def flood() -> None:
        for n in range(100):
            statuses.append(_login_from(stack.ports.web, "127.0.0.2", "flood-target", f"guess {n}"))

    attacker = threading.Thread(target=flood)
    attacker.start()
    health: list[float] = []
    while attacker.is_alive():
        started = time.monotonic()
        assert requests.get(web(stack, "/health"), timeout=5).status_code == 200
        health.append(time.monotonic() - started)
        time.sleep(0.05)
    attacker.join()
    print(f"\n[attack] 100 failed logins: {statuses.count(429)} throttled (429); /health during the flood: median "
          f"{statistics.median(health) * 1000:.0f} ms, max {max(health) * 1000:.0f} ms over {len(health)} calls")
    assert statuses.count(303) <= 10 and statuses.count(429) >= 90, statuses
    assert statistics.median(health) < 0.2 and max(health) < 1.0, json.dumps(sorted(health)[-5:])
