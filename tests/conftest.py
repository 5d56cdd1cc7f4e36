"""Shared fixtures: a private copy of the shop data, a migrated SQLite store, and typed
tracker / dispatcher / domain fixtures for the actions."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import Services, use_services
from bot.runner.prepare import prepare_database, prepare_store
from bot.web.app import create_app
from lifecycle.commerce.orders import OrderDesk
from lifecycle.commerce.shoppers import Shoppers
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.knowledge.source import KnowledgeSource
from lifecycle.mail.links import MailLinks
from lifecycle.mail.queue import MailQueue
from lifecycle.mail.service import Mailings
from lifecycle.people.feedback import FeedbackStore
from lifecycle.people.playbooks import Playbooks
from lifecycle.people.voc.analyser import FeedbackAnalyser
from lifecycle.settings import LOCALES_DIR, PROJECT_ROOT, Settings
from lifecycle.shop.facts import Shop
from lifecycle.shop.loader import ShopSource, load_shop
from lifecycle.shop.speech import Catalogs
from lifecycle.storage.database import Database

TEST_KEY = "test-secret-key-0123456789"
LINKS = IdentityLinks(TEST_KEY)  # what the web app signs with in the tests

pytest_plugins = ["tests.stack"]  # the running-product fixtures for tests/e2e and tests/browser

# A Wednesday at 10:00 in Rome: agents are at work.
OFFICE_HOURS = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
# A Sunday: nobody is.
WEEKEND = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def shop_dir(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(PROJECT_ROOT / "data" / "shop", target)
    return no_holdout(target)


def no_holdout(shop_dir: Path) -> Path:
    """The demo shop with every eligible customer messaged: a test about a message must not depend on
    its visitor id landing in the 10% holdout. Holdout tests set the share themselves."""
    playbooks = shop_dir / "playbooks.yml"
    text = playbooks.read_text(encoding="utf-8")
    assert "holdout_percent: 10" in text
    playbooks.write_text(text.replace("holdout_percent: 10", "holdout_percent: 0"), encoding="utf-8")
    return shop_dir


@pytest.fixture
def shop(shop_dir: Path) -> Shop:
    return load_shop(shop_dir)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = prepare_database(f"sqlite:///{tmp_path / 'lifecycle.db'}")
    yield db
    db.dispose()


def prepared_app(settings: Settings) -> FastAPI:
    """The web app over a store prepared as `make run` prepares it (migrated, catalog loaded)."""
    prepare_store(settings)
    return create_app(settings)


@pytest.fixture
def store(database: Database, shop: Shop) -> ConversationRecorder:
    lifecycle_store = ConversationRecorder(database, LINKS)
    lifecycle_store.sync_catalog(shop.products)
    return lifecycle_store


VOC_DIR = PROJECT_ROOT / "data" / "voc"


@functools.cache
def analyser() -> FeedbackAnalyser:
    """One analyser per test run: training its models takes a few seconds."""
    return FeedbackAnalyser(VOC_DIR)


@pytest.fixture
def services(shop_dir: Path, store: ConversationRecorder) -> Iterator[Services]:
    svc = Services(ShopSource(shop_dir), store, Shoppers(store.db), FeedbackStore(store.db, VOC_DIR, analyser()),
                   Playbooks(store.db), now=lambda: OFFICE_HOURS, knowledge=KnowledgeSource(shop_dir, store.db),
                   order_desk=OrderDesk(store.db),
                   mailings=Mailings(store.db, MailQueue(store.db, "DeskWorks <hello@deskworks.example>",
                                                         "deskworks.example"), MailLinks("m" * 32),
                                     Catalogs(LOCALES_DIR), "https://shop.example"))
    use_services(svc)
    yield svc
    use_services(None)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


TrackerFactory = Callable[..., Tracker]


SENDER = "conversation-0123456789abcdef"  # a widget's conversation secret
VISITOR = "visitor-1"  # the shop's visitor id, linked to SENDER by a signed token


@pytest.fixture
def tracker_for() -> TrackerFactory:
    """A tracker whose latest message is `text`, classified as `intent`, from `visitor` (signed), in a
    conversation that has so far been in English unless `slots` says otherwise."""

    def build(text: str, intent: str, sender: str = SENDER, slots: dict[str, Any] | None = None,
              metadata: dict[str, Any] | None = None, entities: list[dict[str, Any]] | None = None,
              events: list[dict[str, Any]] | None = None, visitor: str | None = VISITOR) -> Tracker:
        signed = {"identity": LINKS.sign(visitor, sender)} if visitor else {}
        latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or [],
                  "metadata": {**signed, **(metadata or {})}}
        return Tracker(sender, {"language": "en", **(slots or {})}, latest, events or [], False, None, {},
                       "action_listen")

    return build


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [message["text"] for message in dispatcher.messages if message.get("text")]


REPORT: list = []  # lines for the end-of-run summary: held-out intent F1, VoC accuracy, timings


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    for line in REPORT:
        terminalreporter.write_line(line)
