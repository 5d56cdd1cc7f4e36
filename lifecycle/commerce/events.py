"""The shop's events (page views, carts, orders, ...) as validated data.

Validation happens here, once, so the web API, imports and tests reject the same
mistakes with the same messages; `lifecycle.commerce` applies valid events.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, ValidationError, constr, parse_obj_as, validator

from lifecycle.values import as_utc

if TYPE_CHECKING:  # pydantic's constr() builds a class at run time; to a type checker these are str
    Ident = str
    OrderRef = str
    FamilyName = str
    Sku = str
    Url = str
    Code = str
    Email = str
    FirstName = str
    Postcode = str
    Carrier = str
    Tracking = str
    Link = str
    Reason = str
else:
    Ident = constr(strip_whitespace=True, min_length=1, max_length=128)  # as long as the columns that hold them
    OrderRef = constr(strip_whitespace=True, min_length=1, max_length=64)
    FamilyName = constr(strip_whitespace=True, min_length=1, max_length=80)
    Sku = constr(strip_whitespace=True, min_length=1, max_length=100)  # lifecycle.shop.facts.SKU_PATTERN
    Url = constr(max_length=2000)
    Code = constr(max_length=32)
    Email = constr(strip_whitespace=True, min_length=3, max_length=254, regex=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    Postcode = constr(strip_whitespace=True, min_length=2, max_length=16, regex=r"^[A-Za-z0-9][A-Za-z0-9 -]*$")
    FirstName = constr(strip_whitespace=True, min_length=1, max_length=40)  # what agents greet them by
    Carrier = constr(strip_whitespace=True, min_length=1, max_length=40)
    Tracking = constr(strip_whitespace=True, min_length=3, max_length=64, regex=r"^[A-Za-z0-9-]+$")
    Link = constr(strip_whitespace=True, max_length=2000, regex=r"^https://[^\s<>\"']+$")
    Reason = constr(strip_whitespace=True, max_length=300)
FUTURE_TOLERANCE = timedelta(minutes=5)
# Imports of history are welcome back to this far; an older time is a broken clock or a default
# (1970), and would put a customer's first visit decades before the shop existed.
OLDEST_YEARS = 5
OLDEST = timedelta(days=365 * OLDEST_YEARS + 2)
MAX_ITEMS = 100  # lines per cart or order


class CartItem(BaseModel):
    sku: Sku
    qty: Annotated[int, Field(ge=1, le=999)]


class _Event(BaseModel):
    event_id: Ident
    visitor_id: Ident
    customer_id: Ident | None = None
    ts: datetime | None = Field(None, description=f"ISO 8601; default now; past times (up to {OLDEST_YEARS} years) "
                                                  "allowed for imports")

    class Config:
        extra = "forbid"

    @validator("ts")
    def _aware_and_not_future(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        now = datetime.now(timezone.utc)
        if value > now + FUTURE_TOLERANCE:
            raise ValueError("is in the future")
        if value < now - OLDEST:
            raise ValueError(f"is more than {OLDEST_YEARS} years ago: send the time the event happened, in ISO 8601")
        return value

    def at(self, now: datetime) -> datetime:
        return self.ts or now


class PageView(_Event):
    type: Literal["page_view"]
    url: Url | None = None


class ProductViewed(_Event):
    type: Literal["product_view"]
    sku: Sku


class CartUpdated(_Event):
    type: Literal["cart_updated"]
    items: list[CartItem] = Field(..., max_items=MAX_ITEMS,
                                  description="the whole cart after the change; [] empties it")


class CheckoutStarted(_Event):
    type: Literal["checkout_started"]


class OrderPlaced(_Event):
    type: Literal["order_placed"]
    order_id: OrderRef
    items: list[CartItem] = Field(..., min_items=1, max_items=MAX_ITEMS)
    total_eur: Annotated[Decimal, Field(ge=Decimal("0"), max_digits=12, decimal_places=2)]
    discount_code: Code | None = None
    # Personal data, for a shopper to prove the order in the chat (issue 23): in export and forget.
    email: Email | None = None
    postcode: Postcode | None = None
    first_name: FirstName | None = None  # for the agents' canned replies ({first_name})
    marketing_consent: bool = False  # the shopper ticked "e-mail me": the address may get the playbooks' mail


class OrderDelivered(_Event):
    """The carrier delivered an order the shop reported before (the retention follow-up waits for it)."""

    type: Literal["order_delivered"]
    order_id: OrderRef


class OrderShipped(_Event):
    """The shop handed the order to a carrier: the chat answers "where is my order?" from it."""

    type: Literal["order_shipped"]
    order_id: OrderRef
    carrier: Carrier
    tracking_number: Tracking
    tracking_url: Link | None = None
    expected_delivery: date | None = None


class OrderCancelled(_Event):
    type: Literal["order_cancelled"]
    order_id: OrderRef
    reason: Reason | None = None


class ReturnAuthorised(_Event):
    type: Literal["return_authorised"]
    order_id: OrderRef
    items: list[CartItem] = Field(..., min_items=1, max_items=MAX_ITEMS)
    label_url: Link | None = None


class RefundIssued(_Event):
    type: Literal["refund_issued"]
    order_id: OrderRef
    amount_eur: Annotated[Decimal, Field(gt=Decimal("0"), max_digits=12, decimal_places=2)]


class NewsletterSignup(_Event):
    type: Literal["newsletter_signup"]
    email: Email | None = None
    first_name: FirstName | None = None
    marketing_consent: bool = True  # a signup is consent unless the shop says otherwise


class ReviewWritten(_Event):
    type: Literal["review_written"]
    sku: Sku
    rating: Annotated[int, Field(ge=1, le=5)]


class ReferralMade(_Event):
    """The visitor (referrer) invited a friend, known to the shop by `invited_visitor_id`."""

    type: Literal["referral"]
    invited_visitor_id: Ident


class LoyaltyJoined(_Event):
    type: Literal["loyalty_joined"]


class ProfileCompleted(_Event):
    type: Literal["profile_completed"]


class FamilyJoined(_Event):
    type: Literal["family_joined"]
    family: FamilyName


class PointsRedeemed(_Event):
    type: Literal["points_redeemed"]
    points: Annotated[int, Field(gt=0)]


EVENT_MODELS = (
    PageView, ProductViewed, CartUpdated, CheckoutStarted, OrderPlaced, OrderDelivered, OrderShipped, OrderCancelled,
    ReturnAuthorised, RefundIssued, NewsletterSignup,
    ReviewWritten,
    ReferralMade, LoyaltyJoined, ProfileCompleted, FamilyJoined, PointsRedeemed,
)
# A Union built from a tuple is a run-time value to a type checker, hence the one ignore.
ShopEventIn = Annotated[Union[EVENT_MODELS], Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007
EVENT_TYPES = [model.__fields__["type"].type_.__args__[0] for model in EVENT_MODELS]
MAX_BATCH = 1000


class EventsInvalid(ValueError):
    """The body is not a valid event or list of events; `problems` say which field to fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_events(body: Any) -> list[Any]:
    """One event object or a list of them, each checked against the model for its `type`."""
    items = [body] if isinstance(body, dict) else body
    if not isinstance(items, list) or not items:
        raise EventsInvalid(["the body must be an event object or a non-empty list of events"])
    if len(items) > MAX_BATCH:
        raise EventsInvalid([f"at most {MAX_BATCH} events per request; got {len(items)}"])
    problems: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or item.get("type") not in EVENT_TYPES:
            given = item.get("type") if isinstance(item, dict) else type(item).__name__
            problems.append(f"event {index}, field 'type': {given!r} is not one of {', '.join(EVENT_TYPES)}")
    if problems:
        raise EventsInvalid(problems)
    try:
        return parse_obj_as(list[ShopEventIn], items)
    except ValidationError as error:
        raise EventsInvalid([_problem(e) for e in error.errors()]) from None


def _problem(error: Mapping[str, Any]) -> str:
    index, *path = error["loc"][1:]  # loc: (__root__, index, type-tag, field, ...)
    fields = [str(part) for part in path[1:]] or ["(event)"]
    return f"event {index}, field '{'.'.join(fields)}': {error['msg']}"


class EventRejected(ValueError):
    """An event is valid in shape but not against the shop (unknown SKU, full family, ...)."""

    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(f"event {index}, field '{field}': {message}")
        self.index = index
        self.field = field
