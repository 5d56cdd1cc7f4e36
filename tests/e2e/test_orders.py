"""After the sale on the running product (issue 23): orders asked about in the chat, requests sent to
the shop as signed webhooks that a real HTTP receiver started here checks, and the shop's answer said
back in the conversation that asked."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

import pytest
import requests
from standardwebhooks.webhooks import Webhook

from bot.runner.processes import free_port
from lifecycle.settings import PROJECT_ROOT
from tests.receiver import Receiver
from tests.stack import API_KEY, Chat, Running, bot_texts, chat_with, post_events, serve, service_pid

pytestmark = pytest.mark.e2e
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
T = TypeVar("T")


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    shop_endpoint = Receiver(free_port())
    yield shop_endpoint
    shop_endpoint.stop()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, receiver: Receiver) -> Iterator[Running]:
    yield from serve(tmp_path_factory, PROJECT_ROOT / "data" / "shop",
                     {"SHOPMATE_WEBHOOK_URL": f"http://127.0.0.1:{receiver.port}/hooks",
                      "SHOPMATE_WEBHOOK_SECRET": SECRET})


@pytest.fixture(scope="module")
def talk(shop: Running) -> Iterator[Chat]:
    yield from chat_with(shop)


def order(shop: Running, ref: str, visitor: str, email: str, *, items: tuple[str, ...] = ("CAM-200",),
          shipped_days_ago: float | None = None, delivered_days_ago: float | None = None) -> None:
    now = datetime.now(timezone.utc)

    def event(kind: str, days_ago: float, **fields: Any) -> dict[str, Any]:
        return {"type": kind, "event_id": f"{ref}-{kind}", "visitor_id": visitor,
                "ts": (now - timedelta(days=days_ago)).isoformat(), "order_id": ref, **fields}

    events = [event("order_placed", 20, items=[{"sku": sku, "qty": 1} for sku in items], total_eur="188.00",
                    email=email, postcode="20121")]
    if shipped_days_ago is not None:
        events.append(event("order_shipped", shipped_days_ago, carrier="BRT", tracking_number=f"BRT{ref[-5:]}77"))
    if delivered_days_ago is not None:
        events.append(event("order_delivered", delivered_days_ago))
    post_events(shop, *events)


def webhooks(receiver: Receiver, event_type: str) -> list[dict[str, Any]]:
    """The verified payloads of `event_type` the shop accepted (each signature checked, as a shop would)."""
    found = []
    for headers, body, status in list(receiver.requests):
        payload = Webhook(SECRET).verify(body, headers)
        if status < 300 and payload["type"] == event_type:
            found.append(payload["data"])
    return found


def eventually(probe: Callable[[], T], timeout: float = 60) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


@pytest.mark.parametrize("lang, ref, first, proof, asked, requested, authorised", [
    ("en", "DW-30001", "I want to return the Glow Key Light I bought", "it's DW-30001, my email is ret.en@example.com",
     "order number", "return request for order DW-30001", "Your return for order DW-30001 is authorised"),
    ("it", "DW-30002", "voglio restituire la Glow Key Light che ho comprato", "DW-30002, ret.it@example.it",
     "numero d'ordine", "richiesta di reso per l'ordine DW-30002", "Il reso dell'ordine DW-30002 è autorizzato"),
])
def test_the_whole_return_flow(shop: Running, talk: Chat, receiver: Receiver, lang: str, ref: str, first: str,
                               proof: str, asked: str, requested: str, authorised: str) -> None:
    email = proof.split()[-1]
    order(shop, ref, f"visitor-{ref}", email, items=("CAM-200", "LT-100"), shipped_days_ago=8, delivered_days_ago=6)
    sender = f"return-{lang}"
    assert asked in talk.text(sender, first, metadata={"language": lang})
    reply = talk.text(sender, proof, metadata={"language": lang})
    assert requested in reply and "30" in reply
    [sent] = eventually(lambda: [d for d in webhooks(receiver, "order.return_requested") if d["order_id"] == ref])
    assert sent["items"] == [{"sku": "LT-100", "qty": 1}]  # the lamp named, not the whole order
    post_events(shop, {"type": "return_authorised", "event_id": f"{ref}-ok", "visitor_id": f"visitor-{ref}",
                "order_id": ref, "items": sent["items"], "label_url": f"https://labels.example/{ref}"})
    assert eventually(lambda: [t for t in bot_texts(shop, sender) if authorised in t]), bot_texts(shop, sender)


def test_a_cancellation_is_refused_after_shipping_and_sent_to_the_shop_before(
        shop: Running, talk: Chat, receiver: Receiver) -> None:
    order(shop, "DW-30003", "visitor-cancel", "cancel@example.com", shipped_days_ago=1)
    order(shop, "DW-30004", "visitor-cancel-2", "cancel2@example.com")
    talk.text("cancel-late", "I want to cancel my order")
    late = talk.text("cancel-late", "DW-30003 cancel@example.com")
    assert "too late to stop it" in late and "return it within 30 days" in late
    assert "DW-30004" in talk.text("cancel-early", "please cancel order DW-30004, email cancel2@example.com")
    [sent] = eventually(lambda: webhooks(receiver, "order.cancel_requested"))
    assert sent["order_id"] == "DW-30004"  # never the shipped one
    post_events(shop, {"type": "order_cancelled", "event_id": "DW-30004-cancelled", "visitor_id": "visitor-cancel-2",
                "order_id": "DW-30004"})
    assert eventually(lambda: "The shop has cancelled order DW-30004." in bot_texts(shop, "cancel-early"))


def test_wrong_proofs_tell_nothing_then_are_throttled(shop: Running, talk: Chat) -> None:
    order(shop, "DW-30005", "visitor-guess", "owner@example.com", shipped_days_ago=1)
    replies = [talk.text("guesser", f"where is order DW-30005? my email is guess{n}@example.com") for n in range(6)]
    assert all("BRT" not in r and "Lumo" not in r and "shipped" not in r for r in replies)
    assert len(set(replies[:5])) == 1 and "couldn't find an order" in replies[0]
    assert "too many tries" in replies[5]
    assert "too many tries" in talk.text("guesser", "where is order DW-30005? my email is owner@example.com")


def test_another_visitors_order_number_is_never_answered(shop: Running, talk: Chat) -> None:
    order(shop, "DW-30006", "visitor-alice", "alice@example.com", shipped_days_ago=1)
    order(shop, "DW-30007", "visitor-alice", "alice@example.com")
    order(shop, "DW-30008", "visitor-bob", "bob@example.com")
    # Bob is signed in and asks about Alice's order: he is asked to prove it, and his own address does not.
    asked = talk.text("bob", "where is order DW-30006?", visitor_id="visitor-bob")
    assert "e-mail address or postcode" in asked and "BRT" not in asked and "Lumo" not in asked
    assert "couldn't find an order" in talk.text("bob", "bob@example.com", visitor_id="visitor-bob")
    # Alice, signed in, is shown her own two orders and nothing else.
    choice = talk.say("alice", "where is my order?", visitor_id="visitor-alice")
    payloads = [b["payload"] for m in choice for b in m.get("buttons") or []]
    assert sorted(json.loads(p[p.index("{"):])["order_number"] for p in payloads) == ["DW-30006", "DW-30007"]
    shipped = next(p for p in payloads if "DW-30006" in p)
    assert "BRT" in talk.text("alice", shipped, visitor_id="visitor-alice")


def test_every_webhook_arrives_once_signed_through_the_shop_down_and_a_web_app_restart(
        shop: Running, talk: Chat, receiver: Receiver) -> None:
    order(shop, "DW-30009", "visitor-outage", "outage@example.com")
    receiver.failing = True
    started = len(receiver.requests)
    talk.text("outage", "cancel order DW-30009 please, outage@example.com")
    talk.text("outage", "I want to talk to a person")
    assert eventually(lambda: any(status == 503 for _, _, status in receiver.requests[started:]), 30)
    os.killpg(service_pid(shop, b"bot.web.app:create_app"), signal.SIGKILL)  # the runner starts a new one
    web = f"http://127.0.0.1:{shop.ports.web}/health"
    assert eventually(lambda: _up(web), 120), "the web app did not come back"
    receiver.failing = False
    wanted = {"order.cancel_requested", "handoff.requested"}

    def arrived() -> set[str]:
        return {json.loads(body)["type"] for headers, body, status in receiver.requests[started:] if status < 300}

    assert eventually(lambda: wanted <= arrived(), 120), arrived()
    accepted = [headers["webhook-id"] for headers, _, status in receiver.requests[started:] if status < 300]
    assert len(accepted) == len(set(accepted)), "a webhook was accepted twice"
    for headers, body, _ in receiver.requests[started:]:
        Webhook(SECRET).verify(body, headers)  # raises on a bad signature


def _up(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False
