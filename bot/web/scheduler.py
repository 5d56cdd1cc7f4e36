"""The web app's timers: find abandoned carts within a minute, ask NPS after orders, flag quiet customers.

APScheduler runs `tick` in a background thread. Claims are committed before Rasa is
called, and a cart's reminder row is unique, so a crash or a second web app instance
can never send a cart two reminders; a failed push is retried on later ticks.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import requests
from apscheduler.schedulers.background import BackgroundScheduler

from bot.web.console.snapshots import Snapshots
from bot.web.rasa_client import RasaClient, RasaError, back_to_the_assistant
from lifecycle.commerce.orders import OrderDesk
from lifecycle.commerce.service import Commerce
from lifecycle.mail.queue import MailQueue, Send
from lifecycle.mail.service import NO_CONSENT, Mailings
from lifecycle.people.feedback import FeedbackStore
from lifecycle.people.live import LiveChats
from lifecycle.people.privacy import PersonalData
from lifecycle.shop.loader import ShopSource
from lifecycle.shop.speech import Catalogs
from lifecycle.webhooks import Outbox

logger = logging.getLogger(__name__)
REMINDER_INTENT = "EXTERNAL_cart_reminder"
NPS_INTENT = "EXTERNAL_ask_nps"
ORDER_NEWS_INTENT = "EXTERNAL_order_update"


class Triggers(Protocol):
    """What the timer needs of Rasa: triggering an intent in a conversation (`RasaClient` does)."""

    def trigger_intent(self, sender_id: str, intent: str, entities: dict | None = None) -> list: ...


def tick(commerce: Commerce, shop_source: ShopSource, rasa: Triggers, now: datetime | None = None,
         mailings: Mailings | None = None) -> int:
    """One pass: remind newly abandoned carts in the cart playbook's channel; returns how many reminders went out."""
    now = now or datetime.now(timezone.utc)
    shop = shop_source.get()
    due = commerce.claim_due_work(shop, now)
    for order_id, conversation in due.nps_requests:  # asked once; a failure is logged, not retried (NPS is optional)
        try:
            rasa.trigger_intent(conversation, NPS_INTENT, {"order_id": order_id})
        except RasaError as error:
            logger.warning("order %s: NPS question not delivered (%s)", order_id, error)
    playbook = next((p for p in shop.playbooks.playbooks if p.message == "cart_reminder"), None)
    channel = playbook.channel if playbook is not None and mailings is not None else "chat"
    sent = 0
    for claim in due.reminders:
        if channel == "email" or (channel == "chat_then_email" and claim.conversation is None):
            if mailings is not None and mailings.cart_reminder(shop, claim.recovery_id, now):
                sent += 1
            else:
                commerce.reminder_failed(claim.recovery_id, NO_CONSENT if claim.conversation is None or
                                         channel == "email" else "the cart changed")
            continue
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
        if channel == "chat_then_email" and mailings is not None and playbook is not None:
            mailings.follow_up_after(claim.recovery_id, now + timedelta(minutes=playbook.email_after_minutes))
        sent += 1
    if mailings is not None and channel == "chat_then_email":
        for recovery_id in mailings.due_follow_ups(now):
            if mailings.cart_reminder(shop, recovery_id, now):
                sent += 1
            else:
                mailings.drop_follow_up(recovery_id)
    return sent


def unclaimed(live: LiveChats, shop_source: ShopSource, catalogs: Catalogs, rasa: RasaClient, claim_minutes: int,
              now: datetime | None = None) -> int:
    """Shoppers nobody claimed in time are told so, in their language, and get the assistant back."""
    now = now or datetime.now(timezone.utc)
    shop = shop_source.get()
    support = shop.policies.support
    told = 0
    for chat in live.expire_waiting(now - timedelta(minutes=claim_minutes), now):
        voice = catalogs.voice(chat.language or "en", shop.texts)
        text = voice.say("Sorry, none of our colleagues could take this chat in time. Leave your e-mail address "
                         "here and they'll write to you, or e-mail {email} or call {phone}.", email=support.email,
                         phone=support.phone)
        try:
            rasa.add_events(chat.sender_id, [*back_to_the_assistant(chat.language), {"event": "bot", "text": text},
                                             {"event": "action", "name": "action_listen"}])
            told += 1
        except RasaError as error:
            logger.warning("hand-off %s: the shopper could not be told nobody came (%s)", chat.handoff_id, error)
    return told


def start(commerce: Commerce, shop_source: ShopSource, rasa: RasaClient, interval_seconds: float,
          personal_data: PersonalData | None = None, retention_days: int = 0,
          live: tuple[LiveChats, Catalogs, int] | None = None, outbox: Outbox | None = None,
          orders: OrderDesk | None = None, feedback: FeedbackStore | None = None,
          mail: tuple[Mailings, Send] | None = None) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    mailings = mail[0] if mail is not None else None
    if mail is not None:
        scheduler.add_job(send_mail, "interval", seconds=WEBHOOK_SECONDS, args=(mail[0].queue, mail[1]),
                          max_instances=1, coalesce=True, id="mail")
        scheduler.add_job(mail_playbooks, "interval", seconds=PLAYBOOK_MAIL_SECONDS, args=(mail[0], shop_source),
                          max_instances=1, coalesce=True, id="mail-playbooks")
    if feedback is not None:
        scheduler.add_job(analyse_feedback, "interval", seconds=WEBHOOK_SECONDS, args=(feedback,), max_instances=1,
                          coalesce=True, id="feedback-analysis")
    if orders is not None:
        scheduler.add_job(tell_order_news, "interval", seconds=WEBHOOK_SECONDS, args=(orders, rasa), max_instances=1,
                          coalesce=True, id="order-news")
    if outbox is not None:
        scheduler.add_job(deliver_webhooks, "interval", seconds=WEBHOOK_SECONDS, args=(outbox,), max_instances=1,
                          coalesce=True, id="webhooks", next_run_time=datetime.now(timezone.utc))
    if live is not None:
        chats, catalogs, claim_minutes = live
        scheduler.add_job(_safe_unclaimed, "interval", seconds=30, args=(chats, shop_source, catalogs, rasa,
                                                                           claim_minutes),
                          max_instances=1, coalesce=True, id="live-timeout")
    scheduler.add_job(_safe_tick, "interval", seconds=interval_seconds, args=(commerce, shop_source, rasa, mailings),
                      max_instances=1, coalesce=True, id="cart-recovery")
    if personal_data is not None and retention_days > 0:
        scheduler.add_job(expire, "interval", hours=1, args=(personal_data, retention_days), max_instances=1,
                          coalesce=True, id="retention", next_run_time=datetime.now(timezone.utc))
    scheduler.start()
    return scheduler


WEBHOOK_SECONDS = 5


def post_webhook(url: str, body: bytes, headers: dict[str, str]) -> int:
    """One attempt; a redirect is not followed (the signature is for the configured address)."""
    return requests.post(url, data=body, headers=headers, timeout=10, allow_redirects=False).status_code


def deliver_webhooks(outbox: Outbox) -> int:
    try:
        return outbox.deliver_due(post_webhook)
    except Exception:  # the timer must survive a bad pass (database busy)
        logger.exception("webhook delivery pass failed")
        return 0


PLAYBOOK_MAIL_SECONDS = 60


def mail_playbooks(mailings: Mailings, shop_source: ShopSource) -> int:
    """The e-mail-only playbooks (order follow-up): decided for mailable customers once a minute."""
    try:
        return mailings.playbook_mails(shop_source.get(), datetime.now(timezone.utc))
    except Exception:  # the timer must survive a bad pass; the next one decides again
        logger.exception("e-mail playbooks pass failed")
        return 0


def send_mail(queue: MailQueue, send: Send) -> int:
    try:
        return queue.send_due(send)
    except Exception:  # the timer must survive a bad pass (database busy); the mail waits for the next one
        logger.exception("mail sending pass failed")
        return 0


def analyse_feedback(feedback: FeedbackStore) -> int:
    """The chat's feedback texts, analysed a few seconds after the shopper sent them."""
    try:
        return feedback.analyse_waiting()
    except Exception:  # the timer must survive a bad pass; the texts wait for the next one
        logger.exception("feedback analysis pass failed")
        return 0


def tell_order_news(orders: OrderDesk, rasa: Triggers) -> int:
    """Say in the chat that asked that the shop cancelled the order or authorised the return."""
    told = 0
    try:
        for news in orders.claim_news():
            try:
                rasa.trigger_intent(news.sender_id, ORDER_NEWS_INTENT,
                                    {"order_number": news.order_ref, "order_news": news.kind})
                told += 1
            except RasaError as error:
                logger.warning("order %s: the shop's answer not said in the chat (%s); will retry", news.order_ref,
                               error)
                orders.news_not_told(news.request_id)
    except Exception:  # the timer must survive a bad pass
        logger.exception("order news pass failed")
    return told


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


def _safe_unclaimed(live: LiveChats, shop_source: ShopSource, catalogs: Catalogs, rasa: RasaClient,
                    claim_minutes: int) -> None:
    try:
        unclaimed(live, shop_source, catalogs, rasa, claim_minutes)
    except Exception:  # the timer must survive a bad pass
        logger.exception("live hand-off timeout pass failed")


def _safe_tick(commerce: Commerce, shop_source: ShopSource, rasa: RasaClient, mailings: Mailings | None) -> None:
    try:
        tick(commerce, shop_source, rasa, mailings=mailings)
    except Exception:  # the timer must survive a bad tick (database busy, shop data being edited)
        logger.exception("cart-recovery tick failed")


INSIGHTS_SECONDS = 60


def keep_fresh(scheduler: BackgroundScheduler, snapshots: Snapshots[Any]) -> None:
    """Recompute the Insights periods marketers are looking at before their snapshots go stale."""
    def refresh() -> None:
        try:
            snapshots.refresh()
        except Exception:  # a failed refresh leaves the last snapshot; the page recomputes if it is too old
            logger.exception("refreshing the Insights snapshots failed")
    scheduler.add_job(refresh, "interval", seconds=INSIGHTS_SECONDS, max_instances=1, coalesce=True)
