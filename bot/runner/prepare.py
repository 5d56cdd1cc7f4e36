"""Get the lifecycle store ready before anything serves: validate shop data, migrate, load the catalog
and the first canned replies.

The one place that migrates the schema: `make run` (bot.runner.serve), `make user` (bot.runner.cli)
and the tests call it once; the serving processes (Rasa's event broker, the action
server, the web app, several of each in production) only open the database.
"""

from __future__ import annotations

from pathlib import Path

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.people.canned import CannedReplies, load_defaults
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
    shop = load_shop(settings.shop_dir, settings.catalog)
    canned = load_defaults(settings.shop_dir / "canned_replies.yml")
    database = prepare_database(settings.database_url)
    try:
        ConversationRecorder(database, IdentityLinks(settings.secret_key)).sync_catalog(shop.products)
        CannedReplies(database).seed(canned)  # the shop's first set, once: admins own them after
    finally:
        database.dispose()
    return shop


PRIVATE_FOLDERS = ("outbox", "secrets")  # the broker's journals (messages, identity tokens) and the keys


def keep_private(var_dir: Path, traversable: bool = False) -> None:
    """Personal data on disk for its owner only: what an older version left 0644 is closed (the
    caller has set the 077 umask first, before its settings made var/secrets, so every file from
    then on, its children's too, is created 0600).

    The stores, the journals and the secrets all live in var/. In the production profile
    PostgreSQL (its own user) and nginx's workers keep folders under var/, so there var/ may
    be entered but not listed (0711); each of those folders is private to its own user.
    """
    var_dir.mkdir(parents=True, exist_ok=True)
    var_dir.chmod(0o711 if traversable else 0o700)
    for path in var_dir.iterdir():
        if path.is_file():
            path.chmod(0o600)
        elif path.is_dir() and path.name in PRIVATE_FOLDERS:
            path.chmod(0o700)
            for inner in path.iterdir():
                if inner.is_file():
                    inner.chmod(0o600)
