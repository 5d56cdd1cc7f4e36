"""The conversion flow on the running product: a cart abandoned, reminded in the chat, recovered."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from tests.stack import API_KEY, Chat, bot_texts

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {API_KEY}"}


def api(stack, path: str) -> str:  # type: ignore[no-untyped-def]
    return f"http://127.0.0.1:{stack.ports.web}/api/{path}"


def wait_for_reminder(stack, sender: str, timeout: float = 60) -> str | None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [t for t in bot_texts(stack, sender) if t.startswith("You left")]
        if found:
            return found[0]
        time.sleep(1)
    return None


def test_abandoned_cart_is_reminded_in_the_conversation_and_the_order_counts_as_recovered(
        stack: object, chat: Chat) -> None:
    visitor = "e2e-cart-visitor"
    chat.say(visitor, "hi", visitor_id=visitor)
    idle_since = (datetime.now(timezone.utc) - timedelta(minutes=45)).isoformat()
    cart = {"type": "cart_updated", "event_id": "e2e-cart-1", "visitor_id": visitor, "ts": idle_since,
            "items": [{"sku": "CAM-200", "qty": 1}, {"sku": "LT-100", "qty": 1}]}
    assert requests.post(api(stack, "events"), json=cart, headers=AUTH, timeout=10).status_code == 200

    shipping = chat.text(visitor, "what will shipping cost for my cart to Poland?")
    assert "Your cart comes to €188.00" in shipping and "free for this cart" in shipping

    reminder = wait_for_reminder(stack, visitor)
    assert reminder is not None, "no reminder reached the tracker"
    assert "Lumo Pro 4K Webcam x1 and Glow Key Light x1" in reminder and "€188.00" in reminder
    assert "COMEBACK5" in reminder
    assert "Yes: COMEBACK5 gives 5% off your €188.00 cart" in chat.text(visitor, "does the code work?")

    order = {"type": "order_placed", "event_id": "e2e-order-1", "visitor_id": visitor, "order_id": "E2E-1",
             "items": cart["items"], "total_eur": "178.60", "discount_code": "COMEBACK5"}
    assert requests.post(api(stack, "events"), json=order, headers=AUTH, timeout=10).status_code == 200
    metrics = requests.get(api(stack, "metrics"), headers=AUTH, timeout=10).json()
    assert metrics["recovered_carts"] >= 1 and metrics["recovered_revenue_eur"] >= 178.6
    assert metrics["customers_per_stage"]["conversion"] >= 1


def test_rasa_http_api_needs_the_token(stack) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{stack.ports.rasa}/conversations/anyone/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": stack.settings.rasa_token}, timeout=10).status_code == 200


def test_no_reminder_after_the_shopper_says_stop(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    visitor = "e2e-stop-visitor"
    assert "won't send you cart reminders" in chat.text(visitor, "stop sending me cart reminders", visitor_id=visitor)
    idle_since = (datetime.now(timezone.utc) - timedelta(minutes=45)).isoformat()
    cart = {"type": "cart_updated", "event_id": "e2e-cart-2", "visitor_id": visitor, "ts": idle_since,
            "items": [{"sku": "CAM-300", "qty": 1}]}
    assert requests.post(api(stack, "events"), json=cart, headers=AUTH, timeout=10).status_code == 200
    assert wait_for_reminder(stack, visitor, timeout=5) is None
