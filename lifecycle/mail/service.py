"""The mail service: what the web app's timers and pages ask of e-mail. Each method is one transaction.

A cart reminder by e-mail is queued in the same transaction that marks the reminder sent, so a
reminder is never both lost and counted, nor mailed twice. Caps, holdout and the opt-out were
already applied when the cart was claimed (lifecycle.commerce.recovery), whatever the channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from lifecycle.commerce.apply import open_cart
from lifecycle.commerce.recovery import latest_conversation, latest_conversation_id, reached
from lifecycle.customers import playbooks as rules
from lifecycle.customers.identity import customer_for
from lifecycle.customers.playbooks import person_has_the_chat
from lifecycle.mail import consent
from lifecycle.mail.compose import cart_reminder, confirm_address, note, order_follow_up
from lifecycle.mail.links import BadLink, MailLinks
from lifecycle.mail.queue import MailQueue
from lifecycle.shop.facts import Shop
from lifecycle.shop.playbooks import Playbook
from lifecycle.shop.speech import Catalogs
from lifecycle.storage.database import Database
from lifecycle.storage.models import (
    Cart,
    CartRecovery,
    Conversation,
    Customer,
    EmailConsent,
    Feedback,
    Interaction,
    Order,
    PlaybookSend,
)
from lifecycle.values import to_eur

NO_CONSENT = "no e-mail address with consent"


@dataclass(frozen=True)
class CartByEmail:
    """What came of a shopper's "send me my cart by e-mail"."""

    outcome: str  # sent, confirm_sent, confirm_pending, ask, no_cart, bounced
    address: str | None = None


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
            self._mail_cart(session, shop, customer, cart, address, recovery.offer_code, "cart_recovery", now)
            if recovery.sent_at is None:  # by e-mail first (or only)
                recovery.channel, recovery.sent_at = "email", now
                recovery.attempts += 1
            recovery.status, recovery.error, recovery.emailed_at, recovery.email_due_at = "sent", None, now, None
            reached(session, recovery, "email")
            return True

    def _mail_cart(self, session: Session, shop: Shop, customer: Customer, cart: Cart, address: str,
                   offer_code: str | None, playbook: str | None, now: datetime) -> None:
        agreed = session.execute(select(EmailConsent.id).where(EmailConsent.customer_id == customer.id,
                                                               EmailConsent.email == address)).scalar_one()
        voice = self.catalogs.voice(customer.language or "en", shop.texts)
        draft = cart_reminder(
            voice, shop, list(cart.items), to_eur(cart.total_cents), offer_code, address,
            cart_url=f"{self.public_url}/mail/cart/{self.links.token('cart', cart.id)}",
            unsubscribe_url=f"{self.public_url}/mail/unsubscribe/{self.links.token('unsubscribe', agreed)}",
            playbook=playbook)
        self.queue.add(session, customer.id, draft, now)

    def cart_by_email(self, shop: Shop, visitor_id: str, address: str | None, now: datetime) -> CartByEmail:
        """The shopper asked in the chat for their cart by e-mail, with or without an address. Their
        consent is recorded with the chat as its source; a new address gets one confirmation link
        (double opt-in), never a second, and the cart follows once it is confirmed."""
        with self.db.session() as session:
            customer = customer_for(session, visitor_id, now)
            cart = open_cart(session, customer)
            if cart is None or not cart.items:
                return CartByEmail("no_cart")
            address = address or consent.usable_address(session, customer.id)
            if address is None:
                waiting = consent.awaiting_confirmation(session, customer.id)
                return CartByEmail("confirm_pending", waiting) if waiting else CartByEmail("ask")
            row = consent.record(session, customer.id, address, "chat", now)
            if row.bounced_at is not None:
                return CartByEmail("bounced", row.email)
            if row.confirmed_at is not None:
                self._mail_cart(session, shop, customer, cart, row.email, None, None, now)
                return CartByEmail("sent", row.email)
            if row.confirmation_sent_at is not None:
                return CartByEmail("confirm_pending", row.email)
            session.flush()
            voice = self.catalogs.voice(customer.language or "en", shop.texts)
            self.queue.add(session, customer.id, confirm_address(
                voice, shop, row.email, f"{self.public_url}/mail/confirm/{self.links.token('confirm', row.id)}"), now)
            row.confirmation_sent_at = now
            return CartByEmail("confirm_sent", row.email)

    def confirm(self, shop: Shop, token: str, now: datetime) -> str | None:
        """The confirmation link was followed: the address is usable, and an open cart is mailed to it.
        The address, or None for a consent that is gone (forgotten)."""
        consent_id = self.links.read("confirm", token)
        with self.db.session() as session:
            row = session.get(EmailConsent, consent_id)
            if row is None:
                return None
            if row.confirmed_at is None:
                row.confirmed_at = now
                customer = session.get(Customer, row.customer_id)
                cart = open_cart(session, customer) if customer is not None else None
                if customer is not None and cart is not None and cart.items and row.unsubscribed_at is None:
                    self._mail_cart(session, shop, customer, cart, row.email, None, None, now)
            return str(row.email)

    def playbook_mails(self, shop: Shop, now: datetime, limit: int = 200) -> int:
        """The e-mail-only playbooks (order follow-up) for customers who can be mailed: decided with the
        chat's rules (trigger, cap, holdout, opt-out, no message while a person has the chat), the
        decision's channel "email". Returns how many were queued."""
        playbooks = shop.playbooks.active("email")
        if not playbooks:
            return 0
        queued = 0
        with self.db.session() as session:
            mailable = session.execute(select(EmailConsent.customer_id).where(
                EmailConsent.confirmed_at.is_not(None), EmailConsent.unsubscribed_at.is_(None),
                EmailConsent.bounced_at.is_(None)).distinct().limit(limit)).scalars().all()
            for customer_id in mailable:
                customer = session.get(Customer, customer_id)
                address = consent.usable_address(session, customer_id) if customer is not None else None
                if customer is None or address is None:
                    continue
                latest = latest_conversation_id(session, customer.id)
                decision = rules.decide(session, shop.playbooks, playbooks, customer, latest,
                                        shop.policies.cart_recovery.idle_minutes, now)
                if decision is None or decision.held_out:
                    continue
                send = session.get(PlaybookSend, decision.send_id)
                playbook = next(p for p in playbooks if p.id == decision.playbook)
                if self._compose(session, shop, customer, address, playbook, decision.offer_code, now):
                    send.channel = "email"
                    queued += 1
                else:  # nothing to say (no product to review): counted as not delivered, like the chat's
                    send.status = "failed"
        return queued

    def _compose(self, session: Session, shop: Shop, customer: Customer, address: str, playbook: Playbook,
                 offer_code: str | None, now: datetime) -> bool:
        if playbook.message == "order_follow_up":
            self._order_follow_up(session, shop, customer, address, now)
            return True
        voice = self.catalogs.voice(customer.language or "en", shop.texts)
        name = shop.policies.shop.name
        agreed = session.execute(select(EmailConsent.id).where(EmailConsent.customer_id == customer.id,
                                                               EmailConsent.email == address)).scalar_one()
        unsubscribe = f"{self.public_url}/mail/unsubscribe/{self.links.token('unsubscribe', agreed)}"
        visit = (voice.say("Visit the shop"), f"{self.public_url}/?lang={voice.language}#chat")
        if playbook.message == "welcome_offer" and playbook.offer is not None and offer_code:
            offer = playbook.offer
            text = voice.say("Good to see you again! Here's {percent}% off your next order with code {code}, valid "
                             "for {hours} hours.", percent=voice.number(offer.percent_off), code=offer_code,
                             hours=offer.valid_hours)
            subject = voice.say("A welcome back from {shop}", shop=name)
        elif playbook.message == "review_request":
            skus = session.execute(select(Order.items).where(Order.customer_id == customer.id)
                                   .order_by(Order.placed_at.desc())).scalars().first() or []
            if not skus:
                return False
            product = shop.name_of(str(skus[0]["sku"]))
            text = voice.say("Thank you for the great rating! Would you write a review of your {product}? It helps "
                             "other shoppers choose. And if a friend might like {shop}, invite them: you both get "
                             "{points} loyalty points when they place their first order.", product=product,
                             shop=name, points=shop.policies.loyalty.referral_points_each)
            subject = voice.say("Would you review your {product}?", product=product)
        else:
            return False
        self.queue.add(session, customer.id, note(voice, shop, playbook.id, subject, [text], address, visit,
                                                  unsubscribe), now)
        return True

    def _order_follow_up(self, session: Session, shop: Shop, customer: Customer, address: str, now: datetime) -> None:
        order = session.execute(select(Order).where(Order.customer_id == customer.id, Order.delivered_at.is_not(None))
                                .order_by(Order.delivered_at.desc())).scalars().first()
        if order is None:
            return
        ask = order.nps_requested_at is None  # the chat has not asked yet: the mail asks, once
        if ask:
            order.nps_requested_at = now
        agreed = session.execute(select(EmailConsent.id).where(EmailConsent.customer_id == customer.id,
                                                               EmailConsent.email == address)).scalar_one()
        voice = self.catalogs.voice(customer.language or "en", shop.texts)
        products = [shop.name_of(str(item["sku"])) for item in order.items or []]
        self.queue.add(session, customer.id, order_follow_up(
            voice, shop, products or [order.order_ref], address,
            f"{self.public_url}/mail/nps/{self.links.token('nps', order.id)}" if ask else None,
            f"{self.public_url}/mail/unsubscribe/{self.links.token('unsubscribe', agreed)}"), now)

    def nps_order(self, token: str) -> tuple[str, str | None, bool]:
        """The visitor whose order a mail's NPS link names, their latest chat (where a rating is filed),
        and whether they have already given a score since it was asked (one per question)."""
        order_id = self.links.read("nps", token)
        with self.db.reading() as session:
            row = session.execute(select(Customer.visitor_id, Customer.id, Order.nps_requested_at)
                                  .join(Order, Order.customer_id == Customer.id).where(Order.id == order_id)).first()
            if row is None:
                raise BadLink("this order is no longer known here")
            visitor, customer_id, asked = row
            answered = asked is not None and session.execute(select(Feedback.id).where(
                Feedback.customer_id == customer_id, Feedback.kind == "nps", Feedback.created_at >= asked)).first()
            return str(visitor), latest_conversation(session, customer_id), bool(answered)

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
        cart_id = self.links.read("cart", token)
        with self.db.reading() as session:
            row = session.execute(select(Cart, Customer.language).join(Customer, Customer.id == Cart.customer_id)
                                  .where(Cart.id == cart_id)).first()
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
    return person_has_the_chat(session, latest_conversation_id(session, customer_id))
