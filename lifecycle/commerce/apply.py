"""Applying the shop's events to the store: carts, orders, stages, recovery and loyalty.

Runs inside the caller's transaction (`Commerce.apply`): an event that cannot be applied
(an unknown SKU, a full family account, more points redeemed than held) raises and the
whole batch is rolled back. An event_id seen before is skipped, so a shop can resend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lifecycle.commerce import recovery
from lifecycle.commerce.events import (
    CartItem,
    CartUpdated,
    CheckoutStarted,
    EventRejected,
    FamilyJoined,
    LoyaltyJoined,
    NewsletterSignup,
    OrderCancelled,
    OrderDelivered,
    OrderPlaced,
    OrderShipped,
    PointsRedeemed,
    ProductViewed,
    ProfileCompleted,
    ReferralMade,
    RefundIssued,
    ReturnAuthorised,
    ReviewWritten,
)
from lifecycle.customers import loyalty, stages
from lifecycle.customers.identity import customer_for
from lifecycle.mail import consent
from lifecycle.shop.facts import Shop
from lifecycle.storage.models import Cart, Customer, Family, Order, OrderRequest, Referral, ShopEvent
from lifecycle.values import to_cents


@dataclass(frozen=True)
class Applied:
    accepted: int
    duplicates: int


def open_cart(session: Session, customer: Customer) -> Cart | None:
    """The customer's cart in progress (open or in checkout), if any."""
    return session.execute(select(Cart).where(Cart.customer_id == customer.id, Cart.status.in_(("open", "checkout")))
                           .order_by(Cart.id.desc())).scalars().first()


def apply_events(session: Session, events: list[Any], shop: Shop, now: datetime) -> Applied:
    accepted = duplicates = 0
    seen: set[str] = set()
    for index, event in enumerate(events):
        if event.event_id in seen or session.execute(
                select(ShopEvent.id).where(ShopEvent.event_id == event.event_id)).first():
            duplicates += 1
            continue
        seen.add(event.event_id)
        at = event.at(now)
        customer = customer_for(session, event.visitor_id, at)
        if event.customer_id:
            customer.customer_ref = event.customer_id
        session.add(ShopEvent(event_id=event.event_id, type=event.type, customer_id=customer.id, ts=at,
                              payload=event.dict(exclude={"event_id", "visitor_id", "type", "ts"},
                                                 exclude_none=True) or None))
        _Apply(session, shop, customer, at, index).run(event)
        accepted += 1
    return Applied(accepted, duplicates)


class _Apply:
    def __init__(self, session: Session, shop: Shop, customer: Customer, at: datetime, index: int) -> None:
        self.session, self.shop, self.customer, self.at, self.index = session, shop, customer, at, index
        self.rules = shop.policies.loyalty

    def run(self, event: Any) -> None:
        handler = getattr(self, f"on_{event.type}", None)
        if handler is not None:
            handler(event)

    def _reject(self, field: str, message: str) -> NoReturn:
        raise EventRejected(self.index, field, message)

    def _priced(self, items: list[CartItem], field: str = "items") -> tuple[list[dict[str, Any]], int]:
        priced: list[dict[str, Any]] = []
        total = 0
        for position, item in enumerate(items):
            price = self.shop.price_of(item.sku)
            if price is None:
                raise EventRejected(self.index, f"{field}.{position}.sku", f"{item.sku!r} is not in the catalog")
            cents = to_cents(price)
            priced.append({"sku": item.sku, "qty": item.qty, "price_cents": cents})
            total += cents * item.qty
        return priced, total

    def on_product_view(self, event: ProductViewed) -> None:
        if self.shop.product_of(event.sku) is None:
            self._reject("sku", f"{event.sku!r} is not in the catalog")
        stages.on_engagement(self.session, self.customer, f"viewed {event.sku} in the shop", self.at)

    def on_cart_updated(self, event: CartUpdated) -> None:
        items, total = self._priced(event.items)
        cart = open_cart(self.session, self.customer)
        if cart is None and not items:
            return
        if cart is None:
            cart = Cart(customer_id=self.customer.id, created_at=self.at, status="open")
            self.session.add(cart)
        cart.items, cart.total_cents, cart.updated_at = items, total, self.at
        if not items:
            cart.status = "emptied"

    def on_checkout_started(self, event: CheckoutStarted) -> None:
        cart = open_cart(self.session, self.customer)
        if cart is not None:
            cart.status, cart.updated_at = "checkout", self.at

    def on_order_placed(self, event: OrderPlaced) -> None:
        if self.session.execute(select(Order.id).where(Order.order_ref == event.order_id)).first():
            self._reject("order_id", f"order {event.order_id!r} was already recorded under another event_id")
        items, _ = self._priced(event.items)
        cart = open_cart(self.session, self.customer)
        first = not self.session.execute(select(Order.id).where(Order.customer_id == self.customer.id)).first()
        order = Order(order_ref=event.order_id, customer_id=self.customer.id, cart_id=cart.id if cart else None,
                      items=items, total_cents=to_cents(event.total_eur),
                      discount_code=event.discount_code, placed_at=self.at,
                      email=event.email.lower() if event.email else None, postcode=event.postcode)
        self.session.add(order)
        self.customer.first_name = event.first_name or self.customer.first_name
        if event.email and event.marketing_consent:
            consent.record(self.session, self.customer.id, event.email, "order_placed", self.at)
        if cart is not None:
            cart.status, cart.updated_at = "ordered", self.at
        self.session.flush()
        recovery.attribute_order(self.session, self.customer.id, order,
                                 self.shop.policies.lifecycle.recovery_attribution_days)
        stages.on_order(self.session, self.customer, first,
                        "first order" if first else "repeat order", self.at)
        loyalty.award(self.session, self.customer, loyalty.order_points(self.rules, event.total_eur), "purchase",
                      event.order_id, self.at)
        self._three_in_a_month()
        if first:
            self._reward_referral()

    def _order(self, order_id: str) -> Order:
        order = self.session.execute(select(Order).where(Order.order_ref == order_id)).scalars().first()
        if order is None or order.customer_id != self.customer.id:
            self._reject("order_id", f"no order {order_id!r} of this visitor was reported (send order_placed first)")
        return order

    def on_order_delivered(self, event: OrderDelivered) -> None:
        order = self._order(event.order_id)
        if order.delivered_at is None:
            order.delivered_at = self.at

    def on_order_shipped(self, event: OrderShipped) -> None:
        order = self._order(event.order_id)
        if order.cancelled_at is not None:
            self._reject("order_id", f"order {event.order_id!r} was cancelled; a cancelled order does not ship")
        order.shipped_at = order.shipped_at or self.at
        order.carrier, order.tracking_number = event.carrier, event.tracking_number
        order.tracking_url, order.expected_delivery = event.tracking_url, event.expected_delivery

    def on_order_cancelled(self, event: OrderCancelled) -> None:
        order = self._order(event.order_id)
        if order.shipped_at is not None:
            self._reject("order_id", f"order {event.order_id!r} has shipped; after shipping it is a return")
        if order.cancelled_at is None:
            order.cancelled_at, order.cancel_reason = self.at, event.reason
        self._answer_requests(order, "cancel")

    def on_return_authorised(self, event: ReturnAuthorised) -> None:
        order = self._order(event.order_id)
        ordered = {item["sku"]: item["qty"] for item in order.items}
        for position, item in enumerate(event.items):
            if ordered.get(item.sku, 0) < item.qty:
                self._reject(f"items.{position}.sku", f"order {event.order_id!r} has no {item.qty} x {item.sku!r}")
        order.returns = [*(order.returns or []), {"items": [i.dict() for i in event.items],
                                                   "label_url": event.label_url, "at": self.at.isoformat()}]
        self._answer_requests(order, "return")

    def _answer_requests(self, order: Order, kind: str) -> None:
        """The shop answered: the chat that asked is told on the timer's next tick."""
        self.session.execute(update(OrderRequest).where(OrderRequest.order_id == order.id, OrderRequest.kind == kind,
                                                        OrderRequest.answered_at.is_(None))
                             .values(answered_at=self.at))

    def on_refund_issued(self, event: RefundIssued) -> None:
        order = self._order(event.order_id)
        refunded = (order.refunded_cents or 0) + to_cents(event.amount_eur)
        if refunded > order.total_cents:
            self._reject("amount_eur", f"refunds of order {event.order_id!r} would exceed its total")
        order.refunded_cents, order.refunded_at = refunded, self.at

    def _three_in_a_month(self) -> None:
        start = self.at.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
        count = self.session.execute(select(func.count()).select_from(Order).where(
            Order.customer_id == self.customer.id, Order.placed_at >= start, Order.placed_at < end)).scalar_one()
        bonus = self.rules.monthly_bonus
        if count >= bonus.purchases:  # the ledger reason keeps its first name so a month is never paid twice
            loyalty.award(self.session, self.customer, bonus.points, "three_in_a_month",
                          start.strftime("%Y-%m"), self.at)

    def _reward_referral(self) -> None:
        referral = self.session.execute(select(Referral).where(
            Referral.invited_id == self.customer.id, Referral.rewarded_at.is_(None))).scalars().first()
        if referral is None:
            return
        referral.rewarded_at = self.at
        referrer = self.session.get(Customer, referral.referrer_id)
        for person in (referrer, self.customer):
            loyalty.award(self.session, person, self.rules.referral_points_each, "referral", str(referral.id), self.at)

    def on_newsletter_signup(self, event: NewsletterSignup) -> None:
        stages.on_newsletter(self.session, self.customer, self.at)
        self.customer.first_name = event.first_name or self.customer.first_name
        if event.email and event.marketing_consent:
            consent.record(self.session, self.customer.id, event.email, "newsletter_signup", self.at)

    def on_review_written(self, event: ReviewWritten) -> None:
        if self.shop.product_of(event.sku) is None:
            self._reject("sku", f"{event.sku!r} is not in the catalog")
        stages.on_advocacy(self.session, self.customer, f"reviewed {event.sku}", self.at)

    def on_referral(self, event: ReferralMade) -> None:
        if event.invited_visitor_id == event.visitor_id:
            self._reject("invited_visitor_id", "a customer cannot refer themselves")
        invited = customer_for(self.session, event.invited_visitor_id, self.at)
        if self.session.execute(select(Referral.id).where(Referral.invited_id == invited.id)).first():
            self._reject("invited_visitor_id", f"{event.invited_visitor_id!r} was already referred")
        self.session.add(Referral(referrer_id=self.customer.id, invited_id=invited.id, created_at=self.at))
        stages.on_advocacy(self.session, self.customer, f"referred {event.invited_visitor_id}", self.at)

    def on_loyalty_joined(self, event: LoyaltyJoined) -> None:
        loyalty.award(self.session, self.customer, self.rules.welcome_points, "welcome", "welcome", self.at)

    def on_profile_completed(self, event: ProfileCompleted) -> None:
        loyalty.award(self.session, self.customer, self.rules.profile_points, "profile", "profile", self.at)

    def on_family_joined(self, event: FamilyJoined) -> None:
        family = self.session.execute(select(Family).where(Family.name == event.family)).scalars().first()
        if family is None:
            family = Family(name=event.family, created_at=self.at)
            self.session.add(family)
            self.session.flush()
        size = self.session.execute(select(func.count()).select_from(Customer).where(
            Customer.family_id == family.id, Customer.id != self.customer.id)).scalar_one()
        if size >= self.rules.family_account_members_max:
            self._reject("family", f"family {event.family!r} already has the maximum of "
                                   f"{self.rules.family_account_members_max} members")
        self.customer.family_id = family.id

    def on_points_redeemed(self, event: PointsRedeemed) -> None:
        step = self.rules.redeem_points
        if event.points % step:
            self._reject("points", f"points are redeemed in steps of {step} ({self.rules.redeem})")
        held = loyalty.balance(self.session, self.customer)
        if event.points > held:
            self._reject("points", f"only {held} points available")
        loyalty.award(self.session, self.customer, -event.points, "redeemed", event.event_id, self.at)
