"""The recovery timer's pass, against a Rasa stand-in that records or refuses pushes.

The real Rasa path (trigger_intent into a tracker) is covered end to end in tests/e2e.
"""

from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml
from sqlalchemy import select

from bot.web.rasa_client import RasaError
from bot.web.scheduler import REMINDER_INTENT, tick
from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.mail.links import MailLinks
from lifecycle.mail.queue import MailQueue
from lifecycle.mail.service import Mailings
from lifecycle.settings import LOCALES_DIR
from lifecycle.shop.facts import Shop
from lifecycle.shop.loader import ShopSource
from lifecycle.shop.speech import Catalogs
from lifecycle.storage.database import Database
from lifecycle.storage.models import CartRecovery, Customer, MailMessage
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


def mailings(database: Database) -> Mailings:
    return Mailings(database, MailQueue(database, "DeskWorks <hello@deskworks.example>", "deskworks.example"),
                    MailLinks("k" * 32), Catalogs(LOCALES_DIR), "https://shop.example")


def chat_then_email(shop_dir: Path, minutes: int = 60) -> None:
    path = shop_dir / "playbooks.yml"
    book = yaml.safe_load(path.read_text(encoding="utf-8"))
    for playbook in book["playbooks"]:
        if playbook["message"] == "cart_reminder":
            playbook.update(channel="chat_then_email", email_after_minutes=minutes)
    path.write_text(yaml.safe_dump(book, sort_keys=False), encoding="utf-8")


def queued_to(database: Database) -> list[str]:
    with database.reading() as session:
        return list(session.execute(select(MailMessage.to_address).order_by(MailMessage.id)).scalars())


def test_chat_then_email_mails_only_those_who_did_not_come_back(database: Database, shop: Shop, shop_dir: Path,
                                                                 store: ConversationRecorder) -> None:
    chat_then_email(shop_dir)
    events = []
    for visitor in ("away", "back", "never-chatted"):
        if visitor != "never-chatted":
            store.record_user_message(f"{visitor}-conversation-secret", "hi", "greet", 0.9, T0,
                                      identity=LINKS.sign(visitor, f"{visitor}-conversation-secret"))
        events += [{"type": "newsletter_signup", "event_id": f"n-{visitor}", "visitor_id": visitor,
                    "email": f"{visitor}@example.com", "ts": T0.isoformat()},
                   {"type": "cart_updated", "event_id": f"c-{visitor}", "visitor_id": visitor, "ts": T0.isoformat(),
                    "items": [{"sku": "CAM-200", "qty": 1}]}]
    Commerce(database).apply(parse_events(events), shop)
    rasa, mail = RecordingRasa(), mailings(database)
    source = ShopSource(shop_dir)
    assert tick(Commerce(database), source, rasa, now=T0 + timedelta(minutes=31), mailings=mail) == 3
    assert sorted(call[0] for call in rasa.calls) == ["away-conversation-secret", "back-conversation-secret"]
    assert queued_to(database) == ["never-chatted@example.com"]  # no chat to remind in: e-mail at once
    store.record_user_message("back-conversation-secret", "I'm back", "greet", 0.9, T0 + timedelta(minutes=50),
                              identity=LINKS.sign("back", "back-conversation-secret"))
    assert tick(Commerce(database), source, rasa, now=T0 + timedelta(minutes=60), mailings=mail) == 0  # not yet
    assert tick(Commerce(database), source, rasa, now=T0 + timedelta(minutes=92), mailings=mail) == 1
    assert queued_to(database) == ["never-chatted@example.com", "away@example.com"]  # "back" came back: no mail
    assert tick(Commerce(database), source, rasa, now=T0 + timedelta(hours=5), mailings=mail) == 0  # once
    with database.reading() as session:
        channels = dict(session.execute(select(Customer.visitor_id, CartRecovery.channel)
                                        .join(CartRecovery, CartRecovery.customer_id == Customer.id)).all())
    assert channels == {"away": "chat", "back": "chat", "never-chatted": "email"}


def test_email_only_sends_nothing_without_consent(database: Database, shop: Shop, shop_dir: Path,
                                                  store: ConversationRecorder) -> None:
    chat_then_email(shop_dir)
    path = shop_dir / "playbooks.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("chat_then_email", "email"), encoding="utf-8")
    store.record_user_message(CHAT, "hi", "greet", 0.9, T0, identity=LINKS.sign("v42", CHAT))
    Commerce(database).apply(parse_events({"type": "cart_updated", "event_id": "c", "visitor_id": "v42",
                                           "ts": T0.isoformat(), "items": [{"sku": "CAM-200", "qty": 1}]}), shop)
    rasa = RecordingRasa()
    assert tick(Commerce(database), ShopSource(shop_dir), rasa, now=T0 + timedelta(minutes=31),
                mailings=mailings(database)) == 0
    assert rasa.calls == [] and queued_to(database) == []  # e-mail only: not the chat either
    with database.reading() as session:
        assert session.execute(select(CartRecovery.error)).scalar_one() == "no e-mail address with consent"
