"""The mail service: what the web app's timers and pages ask of e-mail. Each method is one transaction.

A cart reminder by e-mail is queued in the same transaction that marks the reminder sent, so a
reminder is never both lost and counted, nor mailed twice. Caps, holdout and the opt-out were
already applied when the cart was claimed (lifecycle.commerce.recovery), whatever the channel.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from lifecycle.commerce.recovery import reached
from lifecycle.customers.playbooks import person_has_the_chat
from lifecycle.mail import consent
from lifecycle.mail.compose import cart_reminder
from lifecycle.mail.links import MailLinks
from lifecycle.mail.queue import MailQueue
from lifecycle.shop.facts import Shop
from lifecycle.shop.speech import Catalogs
from lifecycle.storage.database import Database
from lifecycle.storage.models import Cart, CartRecovery, Conversation, Customer, EmailConsent, Interaction
from lifecycle.values import to_eur

NO_CONSENT = "no e-mail address with consent"


class Mailings:
    def __init__(self, database: Database, queue: MailQueue, links: MailLinks, catalogs: Catalogs,
                 public_url: str) -> None:
        self.db = database
        self.queue = queue
        self.links = links
        self.catalogs = catalogs
        self.public_url = public_url.rstrip("/")

    def cart_reminder(self, shop: Shop, recovery_id: int, now: datetime) -> bool:
        """Queue the reminder e-mail of a claimed cart; False when there is no address to send it to
        (or the cart was ordered or emptied meanwhile)."""
        with self.db.session() as session:
            row = session.execute(select(CartRecovery, Cart, Customer).join(Cart, Cart.id == CartRecovery.cart_id)
                                  .join(Customer, Customer.id == CartRecovery.customer_id)
                                  .where(CartRecovery.id == recovery_id)).first()
            if row is None:
                return False
            recovery, cart, customer = row
            address = consent.usable_address(session, customer.id)
            if address is None or cart.status != "open" or not cart.items or _with_a_person(session, customer.id):
                return False
            agreed = session.execute(select(EmailConsent.id).where(EmailConsent.customer_id == customer.id,
                                                                   EmailConsent.email == address)).scalar_one()
            voice = self.catalogs.voice(customer.language or "en", shop.texts)
            draft = cart_reminder(
                voice, shop, list(cart.items), to_eur(cart.total_cents), recovery.offer_code, address,
                cart_url=f"{self.public_url}/mail/cart/{self.links.token('cart', recovery.id)}",
                unsubscribe_url=f"{self.public_url}/mail/unsubscribe/{self.links.token('unsubscribe', agreed)}")
            self.queue.add(session, customer.id, draft, now)
            if recovery.sent_at is None:  # by e-mail first (or only)
                recovery.channel, recovery.sent_at = "email", now
                recovery.attempts += 1
            recovery.status, recovery.error, recovery.emailed_at, recovery.email_due_at = "sent", None, now, None
            reached(session, recovery, "email")
            return True

    def follow_up_after(self, recovery_id: int, due: datetime) -> None:
        """chat_then_email: the reminder reached the chat; e-mail it at `due` unless they come back."""
        with self.db.session() as session:
            recovery = session.get(CartRecovery, recovery_id)
            if recovery is not None:
                recovery.email_due_at = due

    def due_follow_ups(self, now: datetime) -> list[int]:
        """Chat reminders whose e-mail is due: the cart is still open and the shopper has not come back
        since the cart was claimed (no message in any of their chats, no visit the shop reported)."""
        came_back = exists().where(Conversation.customer_id == CartRecovery.customer_id,
                                   Interaction.conversation_id == Conversation.id, Interaction.kind == "user",
                                   Interaction.at > CartRecovery.created_at)
        with self.db.reading() as session:
            return list(session.execute(
                select(CartRecovery.id).join(Cart, Cart.id == CartRecovery.cart_id)
                .join(Customer, Customer.id == CartRecovery.customer_id)
                .where(CartRecovery.email_due_at <= now, CartRecovery.emailed_at.is_(None), Cart.status == "open",
                       Customer.last_seen_at <= CartRecovery.created_at, ~came_back)).scalars())

    def drop_follow_up(self, recovery_id: int) -> None:
        with self.db.session() as session:
            recovery = session.get(CartRecovery, recovery_id)
            if recovery is not None:
                recovery.email_due_at = None

    def cart_items(self, token: str) -> tuple[list[tuple[str, int]], str | None]:
        """The items of the cart a mail's link names while it is still open ([] once ordered or emptied),
        and the language the mail was written in (the page and the chat open in it)."""
        recovery_id = self.links.read("cart", token)
        with self.db.reading() as session:
            row = session.execute(select(Cart, Customer.language).join(CartRecovery, CartRecovery.cart_id == Cart.id)
                                  .join(Customer, Customer.id == Cart.customer_id)
                                  .where(CartRecovery.id == recovery_id)).first()
            if row is None:
                return [], None
            cart, language = row
            items = [(str(item["sku"]), int(item["qty"])) for item in cart.items or []] if cart.status == "open" else []
            return items, language

    def unsubscribe(self, token: str, now: datetime) -> bool:
        """The one-click unsubscribe; True also when it had been done before (the link says it is done)."""
        consent_id = self.links.read("unsubscribe", token)
        with self.db.session() as session:
            row = session.get(EmailConsent, consent_id)
            if row is None:  # forgotten: nothing is mailed to it anyway
                return True
            if row.unsubscribed_at is None:
                row.unsubscribed_at = now
            return True


def _with_a_person(session: Session, customer_id: int) -> bool:
    """No playbook message, in any channel, while a person has the customer's latest chat."""
    latest = session.execute(select(Conversation.id).where(Conversation.customer_id == customer_id)
                             .order_by(Conversation.last_event_at.desc(), Conversation.id.desc())).scalar()
    return person_has_the_chat(session, latest)
