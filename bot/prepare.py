"""Get the lifecycle store ready before anything serves: validate shop data, migrate, load the catalog."""

from __future__ import annotations

from lifecycle.db import Database, migrate
from lifecycle.settings import Settings
from lifecycle.shop import Shop, load_shop
from lifecycle.store import LifecycleStore


def prepare_store(settings: Settings) -> Shop:
    """Raises ShopDataError (naming file, row and field) before any process starts."""
    shop = load_shop(settings.shop_dir)
    database = Database.from_url(settings.database_url)
    try:
        migrate(database.engine)
        LifecycleStore(database).sync_catalog(shop.products)
    finally:
        database.dispose()
    return shop
