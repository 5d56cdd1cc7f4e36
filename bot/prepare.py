"""Get the lifecycle store ready before anything serves: validate shop data, migrate, load the catalog.

The one place that migrates the schema: `make run` (bot.serve), `make user` (bot.cli)
and the tests call it once; the serving processes (Rasa's event broker, the action
server, the web app, several of each in production) only open the database.
"""

from __future__ import annotations

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.settings import Settings
from lifecycle.shop.facts import Shop
from lifecycle.shop.loader import load_shop
from lifecycle.storage.database import Database, migrate


def prepare_database(url: str) -> Database:
    """A migrated database; the caller disposes of it."""
    database = Database.from_url(url)
    migrate(database.engine)
    return database


def prepare_store(settings: Settings) -> Shop:
    """Raises ShopDataError (naming file, row and field) before any process starts."""
    shop = load_shop(settings.shop_dir)
    database = prepare_database(settings.database_url)
    try:
        ConversationRecorder(database, IdentityLinks(settings.secret_key)).sync_catalog(shop.products)
    finally:
        database.dispose()
    return shop
