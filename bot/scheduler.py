"""The web app's timers: find abandoned carts within a minute, ask NPS after orders, flag quiet customers.

APScheduler runs `tick` in a background thread. Claims are committed before Rasa is
called, and a cart's reminder row is unique, so a crash or a second web app instance
can never send a cart two reminders; a failed push is retried on later ticks.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from apscheduler.schedulers.background import BackgroundScheduler

from bot.rasa_client import RasaClient, RasaError
from lifecycle import recovery, stages
from lifecycle.db import Database
from lifecycle.shop import ShopSource

logger = logging.getLogger(__name__)
REMINDER_INTENT = "EXTERNAL_cart_reminder"
NPS_INTENT = "EXTERNAL_ask_nps"


def tick(database: Database, shop_source: ShopSource, rasa: RasaClient, now: datetime | None = None) -> int:
    """One pass: remind newly abandoned carts; returns how many reminders reached Rasa."""
    now = now or datetime.now(timezone.utc)
    shop = shop_source.get()
    with database.session() as session:
        claims = recovery.claim_abandoned(session, shop, now)
        nps = recovery.claim_nps_requests(session, now)
        stages.flag_quiet_customers(session, now, shop.policies.lifecycle.reengage_after_days)
    for order_id, visitor_id in nps:  # asked once; a failure is logged, not retried (NPS is optional)
        try:
            rasa.trigger_intent(visitor_id, NPS_INTENT, {"order_id": order_id})
        except RasaError as error:
            logger.warning("order %s: NPS question not delivered (%s)", order_id, error)
    sent = 0
    for claim in claims:
        try:
            rasa.trigger_intent(claim.visitor_id, REMINDER_INTENT, {"cart_id": claim.cart_id})
        except RasaError as error:
            logger.warning("cart %s: reminder not delivered (%s); will retry", claim.cart_id, error)
            with database.session() as session:
                recovery.mark_failed(session, claim.recovery_id, str(error))
            continue
        with database.session() as session:
            recovery.mark_sent(session, claim.recovery_id, datetime.now(timezone.utc))
        sent += 1
    return sent


def start(database: Database, shop_source: ShopSource, rasa: RasaClient,
          interval_seconds: float) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(_safe_tick, "interval", seconds=interval_seconds, args=(database, shop_source, rasa),
                      max_instances=1, coalesce=True, id="cart-recovery")
    scheduler.start()
    return scheduler


def _safe_tick(database: Database, shop_source: ShopSource, rasa: RasaClient) -> None:
    try:
        tick(database, shop_source, rasa)
    except Exception:  # the timer must survive a bad tick (database busy, shop data being edited)
        logger.exception("cart-recovery tick failed")
