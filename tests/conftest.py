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
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import Services, use_services
from lifecycle.db import Database, migrate
from lifecycle.feedback import FeedbackStore
from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop import Shop, ShopSource, load_shop
from lifecycle.shopper import Shoppers
from lifecycle.store import LifecycleStore
from lifecycle.voc import FeedbackAnalyser

pytest_plugins = ["tests.stack"]  # the running-product fixtures for tests/e2e and tests/browser

# A Wednesday at 10:00 in Rome: agents are at work.
OFFICE_HOURS = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
# A Sunday: nobody is.
WEEKEND = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def shop_dir(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(PROJECT_ROOT / "data" / "shop", target)
    return target


@pytest.fixture
def shop(shop_dir: Path) -> Shop:
    return load_shop(shop_dir)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database.from_url(f"sqlite:///{tmp_path / 'lifecycle.db'}")
    migrate(db.engine)
    yield db
    db.dispose()


@pytest.fixture
def store(database: Database, shop: Shop) -> LifecycleStore:
    lifecycle_store = LifecycleStore(database)
    lifecycle_store.sync_catalog(shop.products)
    return lifecycle_store


@functools.cache
def analyser() -> FeedbackAnalyser:
    """One analyser per test run: building the spaCy pipelines takes a second."""
    return FeedbackAnalyser()


@pytest.fixture
def services(shop_dir: Path, store: LifecycleStore) -> Iterator[Services]:
    svc = Services(ShopSource(shop_dir), store, Shoppers(store.db), FeedbackStore(store.db, analyser()),
                   now=lambda: OFFICE_HOURS)
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


@pytest.fixture
def tracker_for() -> TrackerFactory:
    """A tracker whose latest message is `text`, classified as `intent`."""

    def build(text: str, intent: str, sender: str = "visitor-1", slots: dict[str, Any] | None = None,
              metadata: dict[str, Any] | None = None, entities: list[dict[str, Any]] | None = None,
              events: list[dict[str, Any]] | None = None) -> Tracker:
        latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or [],
                  "metadata": metadata or {}}
        return Tracker(sender, slots or {}, latest, events or [], False, None, {}, "action_listen")

    return build


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [message["text"] for message in dispatcher.messages if message.get("text")]
