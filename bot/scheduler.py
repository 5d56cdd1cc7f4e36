"""The web app's timers: find abandoned carts within a minute, ask NPS after orders, flag quiet customers.

APScheduler runs `tick` in a background thread. Claims are committed before Rasa is
called, and a cart's reminder row is unique, so a crash or a second web app instance
can never send a cart two reminders; a failed push is retried on later ticks.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from apscheduler.schedulers.background import BackgroundScheduler

from bot.rasa_client import RasaClient, RasaError
from lifecycle.commerce.service import Commerce
from lifecycle.people.privacy import PersonalData
from lifecycle.shop.loader import ShopSource

logger = logging.getLogger(__name__)
REMINDER_INTENT = "EXTERNAL_cart_reminder"
NPS_INTENT = "EXTERNAL_ask_nps"


def tick(commerce: Commerce, shop_source: ShopSource, rasa: RasaClient, now: datetime | None = None) -> int:
    """One pass: remind newly abandoned carts; returns how many reminders reached Rasa."""
    now = now or datetime.now(timezone.utc)
    due = commerce.claim_due_work(shop_source.get(), now)
    for order_id, conversation in due.nps_requests:  # asked once; a failure is logged, not retried (NPS is optional)
        try:
            rasa.trigger_intent(conversation, NPS_INTENT, {"order_id": order_id})
        except RasaError as error:
            logger.warning("order %s: NPS question not delivered (%s)", order_id, error)
    sent = 0
    for claim in due.reminders:
        if claim.conversation is None:
            commerce.reminder_failed(claim.recovery_id, "the visitor has no chat to be reminded in yet")
            continue
        try:
            rasa.trigger_intent(claim.conversation, REMINDER_INTENT, {"cart_id": claim.cart_id})
        except RasaError as error:
            logger.warning("cart %s: reminder not delivered (%s); will retry", claim.cart_id, error)
            commerce.reminder_failed(claim.recovery_id, str(error))
            continue
        commerce.reminder_sent(claim.recovery_id, datetime.now(timezone.utc))
        sent += 1
    return sent


def start(commerce: Commerce, shop_source: ShopSource, rasa: RasaClient, interval_seconds: float,
          personal_data: PersonalData | None = None, retention_days: int = 0) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(_safe_tick, "interval", seconds=interval_seconds, args=(commerce, shop_source, rasa),
                      max_instances=1, coalesce=True, id="cart-recovery")
    if personal_data is not None and retention_days > 0:
        scheduler.add_job(expire, "interval", hours=1, args=(personal_data, retention_days), max_instances=1,
                          coalesce=True, id="retention", next_run_time=datetime.now(timezone.utc))
    scheduler.start()
    return scheduler


def expire(personal_data: PersonalData, retention_days: int, now: datetime | None = None) -> int:
    """Delete conversations older than the retention setting, in both stores (hourly)."""
    try:
        cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=retention_days)
        deleted = personal_data.expire_conversations(cutoff)
    except Exception:  # the timer must survive a bad pass
        logger.exception("retention pass failed")
        return 0
    if deleted:
        logger.info("retention: deleted %d conversation(s) older than %d days", deleted, retention_days)
    return deleted


def _safe_tick(commerce: Commerce, shop_source: ShopSource, rasa: RasaClient) -> None:
    try:
        tick(commerce, shop_source, rasa)
    except Exception:  # the timer must survive a bad tick (database busy, shop data being edited)
        logger.exception("cart-recovery tick failed")
