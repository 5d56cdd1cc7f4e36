"""The recovery timer's pass, against a Rasa stand-in that records or refuses pushes.

The real Rasa path (trigger_intent into a tracker) is covered end to end in tests/e2e.
"""

from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from bot.web.rasa_client import RasaError
from bot.web.scheduler import REMINDER_INTENT, tick
from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.shop.facts import Shop
from lifecycle.shop.loader import ShopSource
from lifecycle.storage.database import Database
from lifecycle.storage.models import CartRecovery
from tests.conftest import LINKS

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=timezone.utc)


class RecordingRasa:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list = []
        self.fail = fail

    def trigger_intent(self, sender_id: str, intent: str, entities: dict | None = None) -> list:
        self.calls.append((sender_id, intent, entities))
        if self.fail:
            raise RasaError("Rasa at http://127.0.0.1:1 is not reachable")
        return []


CHAT = "v42-conversation-secret"


def test_tick_pushes_one_reminder_per_abandoned_cart(database: Database, shop: Shop, shop_dir: Path,
                                                     store: ConversationRecorder) -> None:
    store.record_user_message(CHAT, "hi", "greet", 0.9, T0 - timedelta(minutes=1), identity=LINKS.sign("v42", CHAT))
    Commerce(database).apply(parse_events({"type": "cart_updated", "event_id": "c", "visitor_id": "v42",
                                           "ts": T0.isoformat(), "items": [{"sku": "CAM-200", "qty": 1}]}), shop)
    rasa = RecordingRasa()
    assert tick(Commerce(database), ShopSource(shop_dir), rasa, now=T0 + timedelta(minutes=10)) == 0
    assert tick(Commerce(database), ShopSource(shop_dir), rasa, now=T0 + timedelta(minutes=31)) == 1
    assert tick(Commerce(database), ShopSource(shop_dir), rasa, now=T0 + timedelta(minutes=32)) == 0
    (call,) = rasa.calls
    assert call[0] == CHAT and call[1] == REMINDER_INTENT  # the visitor's chat, by its secret
    with database.session() as session:
        row = session.execute(select(CartRecovery)).scalar_one()
        assert (row.status, row.offer_code, row.attempts) == ("sent", "COMEBACK5", 1)


def test_unreachable_rasa_is_recorded_and_retried(database: Database, shop: Shop, shop_dir: Path,
                                                  store: ConversationRecorder) -> None:
    store.record_user_message(CHAT, "hi", "greet", 0.9, T0, identity=LINKS.sign("v", CHAT))
    Commerce(database).apply(parse_events({"type": "cart_updated", "event_id": "c", "visitor_id": "v",
                                           "ts": T0.isoformat(), "items": [{"sku": "CAM-100", "qty": 1}]}), shop)
    assert tick(Commerce(database), ShopSource(shop_dir), RecordingRasa(fail=True), now=T0 + timedelta(hours=1)) == 0
    with database.session() as session:
        row = session.execute(select(CartRecovery)).scalar_one()
        assert row.status == "failed" and "not reachable" in row.error
    assert tick(Commerce(database), ShopSource(shop_dir), RecordingRasa(), now=T0 + timedelta(hours=1, minutes=1)) == 1


def test_a_visitor_who_never_chatted_is_not_pushed(database: Database, shop: Shop, shop_dir: Path) -> None:
    Commerce(database).apply(parse_events({"type": "cart_updated", "event_id": "c", "visitor_id": "quiet",
                                           "ts": T0.isoformat(), "items": [{"sku": "CAM-100", "qty": 1}]}), shop)
    rasa = RecordingRasa()
    assert tick(Commerce(database), ShopSource(shop_dir), rasa, now=T0 + timedelta(hours=1)) == 0
    assert rasa.calls == []
    with database.session() as session:
        row = session.execute(select(CartRecovery)).scalar_one()
        assert row.status == "failed" and "no chat" in row.error
