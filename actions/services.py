"""The action server's connections to the shop data and the lifecycle store.

Built on first use, not at import time, so importing the actions (tests, `rasa run
actions`) touches no database; tests swap in their own with `use_services`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from lifecycle.catalog import Catalog
from lifecycle.db import Database, migrate
from lifecycle.feedback import FeedbackStore
from lifecycle.settings import load_settings
from lifecycle.shop import Shop, ShopSource
from lifecycle.shopper import Shoppers
from lifecycle.store import LifecycleStore


@dataclass
class Services:
    shop_source: ShopSource
    store: LifecycleStore
    shoppers: Shoppers
    feedback: FeedbackStore
    now: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc))
    _catalog: Catalog | None = None

    @property
    def shop(self) -> Shop:
        return self.shop_source.get()

    @property
    def catalog(self) -> Catalog:
        shop = self.shop
        if self._catalog is None or self._catalog.shop is not shop:
            self._catalog = Catalog(shop)
        return self._catalog


_services: Services | None = None


def services() -> Services:
    global _services
    if _services is None:
        settings = load_settings()
        database = Database.from_url(settings.database_url)
        migrate(database.engine)
        _services = Services(ShopSource(settings.shop_dir), LifecycleStore(database), Shoppers(database),
                             FeedbackStore(database))
    return _services


def use_services(replacement: Services | None) -> None:
    global _services
    _services = replacement
