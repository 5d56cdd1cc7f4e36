"""The action server's connections to the shop data and the lifecycle store.

Built on first use, not at import time, so importing the actions (tests, `rasa run
actions`) touches no database; tests swap in their own with `use_services`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from lifecycle.commerce.orders import OrderDesk
from lifecycle.commerce.shoppers import Shoppers
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.knowledge import KnowledgeBase
from lifecycle.knowledge.source import KnowledgeSource
from lifecycle.mail.links import MailLinks
from lifecycle.mail.queue import MailQueue
from lifecycle.mail.service import Mailings
from lifecycle.people.accounts import Accounts
from lifecycle.people.feedback import FeedbackStore
from lifecycle.people.playbooks import Playbooks
from lifecycle.settings import LOCALES_DIR, Settings, load_settings
from lifecycle.shop.catalog import Catalog
from lifecycle.shop.facts import Shop
from lifecycle.shop.loader import ShopSource
from lifecycle.shop.speech import Catalogs, Voice
from lifecycle.storage.database import Database
from lifecycle.understanding.lexicon import lexicon
from lifecycle.webhooks import Outbox


@dataclass
class Services:
    shop_source: ShopSource
    recorder: ConversationRecorder
    shoppers: Shoppers
    feedback: FeedbackStore
    playbooks: Playbooks  # the facts the lifecycle playbooks' messages show
    catalogs: Catalogs = field(default_factory=lambda: Catalogs(LOCALES_DIR))
    accounts: Accounts | None = None  # who is online in the console, for live hand-off
    now: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc))
    knowledge: KnowledgeSource | None = None  # the shop's own FAQ and pages (lifecycle/knowledge)
    order_desk: OrderDesk | None = None  # orders after the sale (lifecycle/commerce/orders)
    mailings: Mailings | None = None  # e-mail to shoppers (lifecycle/mail); None without an SMTP server
    _catalog: Catalog | None = None

    def voice(self, language: str) -> Voice:
        return self.catalogs.voice(language, self.shop.texts)

    @property
    def shop(self) -> Shop:
        return self.shop_source.get()

    @property
    def knowledge_base(self) -> KnowledgeBase:
        assert self.knowledge is not None
        return self.knowledge.get(self.shop)

    @property
    def orders(self) -> OrderDesk:
        assert self.order_desk is not None
        return self.order_desk

    @property
    def catalog(self) -> Catalog:
        shop = self.shop
        if self._catalog is None or self._catalog.shop is not shop:
            self._catalog = Catalog(shop, lexicon().common)
        return self._catalog


_services: Services | None = None


def services() -> Services:
    global _services
    if _services is None:
        settings = load_settings()
        database = Database.from_url(settings.database_url)
        outbox = Outbox(database, settings.webhook_url, settings.webhook_secret) if settings.webhook_url else None
        recorder = ConversationRecorder(database, IdentityLinks(settings.secret_key), outbox)
        _services = Services(ShopSource(settings.shop_dir, settings.catalog), recorder, Shoppers(database),
                             FeedbackStore(database, settings.voc_dir, outbox=outbox), Playbooks(database),
                             Catalogs(settings.locales_dir), Accounts(database),
                             knowledge=KnowledgeSource(settings.shop_dir, database),
                             order_desk=OrderDesk(database, outbox=outbox), mailings=mailings(settings, database))
    return _services


def mailings(settings: Settings, database: Database) -> Mailings | None:
    """The web app sends what is queued here; without an SMTP server nothing is queued."""
    if not settings.mail.enabled:
        return None
    return Mailings(database, MailQueue(database, settings.mail.sender, settings.mail.domain),
                    MailLinks(settings.secret_key), Catalogs(settings.locales_dir), settings.mail.public_url)


def use_services(replacement: Services | None) -> None:
    global _services
    _services = replacement
