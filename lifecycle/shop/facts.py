"""The shop's facts as validated data: the catalog's products and shop.yml's policies.

Every figure the assistant states comes from these models, so their validators are
where a wrong price, a malformed agent-hours line or a bad voucher rule is caught,
before anything starts (see `lifecycle.shop.loader`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, validator

from lifecycle.shop.base import CartOffer as CartOffer  # shop.yml's cart_recovery.offer
from lifecycle.shop.base import Strict
from lifecycle.shop.hours import AgentHours
from lifecycle.shop.playbooks import PlaybookBook
from lifecycle.shop.vocabulary import Vocabulary

POWER_SOURCES = ("USB", "battery", "mains")
WIRELESS_LINKS = ("Bluetooth", "USB dongle", "Wi-Fi")
_REDEEM = re.compile(r"^(?P<points>\d+) points = (?P<eur>\d+(?:\.\d+)?) EUR voucher$")


# A product or variant id as shops write them ("CAM-200", "NP-TEE-S-BLU", a Shopify handle).
SKU_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/:#+-]{0,99}$"
_URL = r"^(?:https?://|/(?!/))[^\s<>\"']{1,2000}$"  # absolute, or on the shop's own site ("/images/x.jpg")


class Variant(Strict):
    """One size, colour or pack of a product, with its own price and stock."""

    sku: str = Field(..., regex=SKU_PATTERN)
    options: dict[str, str] = {}  # as the shop names them: {"Size": "M", "Color": "Blue"}
    price_eur: Decimal = Field(..., gt=0)
    compare_at_eur: Decimal | None = Field(None, gt=0)  # the price before a sale
    stock: int | None = Field(None, ge=0)  # None: the shop does not count it
    available: bool = True  # what the shop says when it does not count (a feed's availability)
    weight_g: int | None = Field(None, gt=0, le=1_000_000)
    image: str | None = Field(None, regex=_URL)

    @property
    def in_stock(self) -> bool:
        return self.stock > 0 if self.stock is not None else self.available

    @property
    def on_sale(self) -> bool:
        return self.compare_at_eur is not None and self.compare_at_eur > self.price_eur

    @property
    def label(self) -> str:
        """"M / Red": the option values, as the shop writes them."""
        return " / ".join(self.options.values())


class Product(Strict):
    sku: str = Field(..., regex=SKU_PATTERN)
    name: str = Field(..., min_length=2, max_length=300)
    category: str = Field(..., min_length=2)
    price_eur: Decimal = Field(..., gt=0)  # the lowest of its variants' prices
    stock: int | None = Field(None, ge=0)  # None: not counted (a feed's availability only)
    available: bool = True
    rating: float | None = Field(None, ge=0, le=5)
    reviews: Annotated[int, Field(ge=0)] = 0
    warranty_years: int | None = Field(None, ge=0, le=10)  # None: the shop's default
    # Typed attributes (data/shop/vocabulary.yml says how shoppers ask for each); empty = not applicable.
    weight_g: int | None = Field(None, gt=0, le=100_000)
    battery_hours: int | None = Field(None, gt=0, le=1000)
    lumen: int | None = Field(None, gt=0, le=100_000)
    video: str | None = None
    field_of_view_deg: int | None = Field(None, gt=0, le=360)
    max_people: int | None = Field(None, gt=0, le=1000)
    connectivity: tuple[str, ...] = ()
    power: str | None = None
    features: tuple[str, ...] = ()
    specs: tuple[str, ...] = ()  # the display line, as the shop writes it
    # The shop's own typed columns, declared with their words in vocabulary.yml ("cable_length_m": 1.8).
    attributes: dict[str, Decimal | str] = {}
    description: str = Field("", max_length=20_000)  # plain text (HTML is dropped on import)
    url: str | None = Field(None, regex=_URL)
    image: str | None = Field(None, regex=_URL)
    brand: str | None = None
    compare_at_eur: Decimal | None = Field(None, gt=0)  # the cheapest variant's price before a sale
    variants: tuple[Variant, ...] = ()  # empty for a product sold in one form

    @validator("specs", pre=True)
    def _split_specs(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(";") if part.strip())
        return tuple(value) if isinstance(value, (list, tuple)) else (str(value),)

    @validator("weight_g", "battery_hours", "lumen", "video", "field_of_view_deg", "max_people", "power", "stock",
               "rating", "warranty_years", "url", "image", "brand", "compare_at_eur", pre=True)
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @validator("connectivity", "features", pre=True)
    def _split_list(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split("|") if part.strip())
        return tuple(value) if isinstance(value, (list, tuple)) else ()

    @validator("power")
    def _known_power(cls, value: str | None) -> str | None:
        if value is not None and value not in POWER_SOURCES:
            raise ValueError(f"must be one of {', '.join(POWER_SOURCES)} (or empty)")
        return value

    @property
    def wireless(self) -> bool:
        return any(link in WIRELESS_LINKS for link in self.connectivity)

    @property
    def in_stock(self) -> bool:
        if self.variants:
            return any(variant.in_stock for variant in self.variants)
        return self.stock > 0 if self.stock is not None else self.available

    @property
    def on_sale(self) -> bool:
        return self.compare_at_eur is not None and self.compare_at_eur > self.price_eur


class Rate(Strict):
    price_eur: Decimal = Field(..., ge=0)
    days: str


class Shipping(Strict):
    free_from_eur: Decimal = Field(..., ge=0)
    free_applies_to: list[Literal["standard", "express"]] = ["standard"]
    standard: dict[str, Rate]
    express: dict[str, Rate] = {}
    outside_EU: Literal["not shipped"] | Rate  # a rate ships beyond the EU at that price

    @validator("standard")
    def _needs_other_eu(cls, value: dict[str, Rate]) -> dict[str, Rate]:
        if "other_EU" not in value:
            raise ValueError("needs an 'other_EU' rate for EU countries without their own")
        return value


class Returns(Strict):
    window_days: Annotated[int, Field(gt=0)]
    free_label_in: list[str]
    label_price_eur: Decimal = Field(..., ge=0)
    refund_within_days: Annotated[int, Field(gt=0)]
    condition: str


# An order number as most shops print it: a prefix of letters or "#", then digits ("DW-10421", "#1001").
# Without a prefix it would be read in every postcode; a shop whose numbers differ sets its own.
DEFAULT_ORDER_NUMBER = r"(?:#|[A-Z]{1,6}-?)\d{3,12}"


class OrdersPolicy(Strict):
    """After the sale: how the shop's order numbers look and how soon an order leaves the warehouse."""

    number_pattern: str = DEFAULT_ORDER_NUMBER
    dispatch_days: str = "1-2"  # business days from order to shipping, said while an order has not shipped

    @validator("number_pattern")
    def _compiles(cls, value: str) -> str:
        try:
            compiled = re.compile(value)
        except re.error as error:
            raise ValueError(f"is not a regular expression ({error})") from error
        if compiled.search("") is not None:
            raise ValueError("matches an empty text: it must match your order numbers only")
        return value

    @validator("dispatch_days")
    def _span(cls, value: str) -> str:
        if not re.fullmatch(r"\d{1,2}(?:-\d{1,2})?", value):
            raise ValueError("must be business days as '1' or '1-2'")
        return value


class Warranty(Strict):
    default_years: Annotated[int, Field(ge=0)]
    note: str | None = None


class Payment(Strict):
    everywhere: list[str]
    by_country: dict[str, list[str]]
    cash_on_delivery: str

    @validator("by_country", pre=True)
    def _none_is_empty(cls, value: dict[str, list[str] | None]) -> dict[str, list[str]]:
        return {country: list(methods or []) for country, methods in (value or {}).items()}

    @property
    def cash_on_delivery_offered(self) -> bool:
        return self.cash_on_delivery.strip().lower() not in {"not offered", "no", "false"}


class Checkout(Strict):
    guest_checkout: bool
    account_gives: list[str]


class Support(Strict):
    chat: str
    human_agents: str
    email: str = Field(..., regex=r"^[^@\s]+@[^@\s]+$")
    phone: str
    handoff: str

    @validator("human_agents")
    def _hours_readable(cls, value: str) -> str:
        AgentHours.parse(value)
        return value

    @property
    def agent_hours(self) -> AgentHours:
        return AgentHours.parse(self.human_agents)


class MonthlyBonus(Strict):
    purchases: Annotated[int, Field(ge=1)]  # this many purchases in one calendar month...
    points: Annotated[int, Field(ge=0)]  # ...earn this bonus, once a month


class Loyalty(Strict):
    points_per_eur: Annotated[int, Field(ge=0)]
    welcome_points: Annotated[int, Field(ge=0)]
    profile_points: Annotated[int, Field(ge=0)]
    referral_points_each: Annotated[int, Field(ge=0)]
    monthly_bonus: MonthlyBonus
    redeem: str
    family_account_members_max: Annotated[int, Field(ge=1)]

    @validator("redeem")
    def _redeem_readable(cls, value: str) -> str:
        if not _REDEEM.match(value.strip()):
            raise ValueError("must look like '100 points = 5 EUR voucher'")
        return value

    def _redeem_part(self, name: str) -> str:
        match = _REDEEM.match(self.redeem.strip())
        assert match is not None, "checked by _redeem_readable"
        return match[name]

    @property
    def redeem_points(self) -> int:
        return int(self._redeem_part("points"))

    @property
    def redeem_eur(self) -> Decimal:
        return Decimal(self._redeem_part("eur"))

    def points_for(self, total_eur: Decimal) -> int:
        """Points an order earns: per whole euro spent."""
        return int(total_eur) * self.points_per_eur

    def vouchers_for(self, points: int) -> tuple[int, Decimal]:
        """How many vouchers `points` redeem, and what they are worth together."""
        vouchers = max(points, 0) // self.redeem_points
        return vouchers, vouchers * self.redeem_eur


class CartRecoveryPolicy(Strict):
    idle_minutes: Annotated[int, Field(gt=0)]
    reminders_per_cart: Annotated[int, Field(ge=0, le=1)] = 1
    offer: CartOffer | None = None
    respects_opt_out: bool = True


class LifecyclePolicy(Strict):
    reengage_after_days: Annotated[int, Field(gt=0)] = 60
    expected_retention_years: Decimal = Field(Decimal("3"), gt=0)
    recovery_attribution_days: Annotated[int, Field(gt=0)] = 7


class ShopInfo(Strict):
    name: str
    sells: str
    currency: str
    languages: list[str]


def _folded_words(value: dict[str, list[str]]) -> dict[str, list[str]]:
    from lifecycle.shop.language import fold

    for category, words in value.items():
        if not words:
            raise ValueError(f"category '{category}' needs at least one word shoppers use for it")
    return {category: [fold(word).strip() for word in words] for category, words in value.items()}


class ShopPolicies(Strict):
    shop: ShopInfo
    categories: dict[str, list[str]]  # catalog category -> the words shoppers use for it, in every language
    shipping: Shipping
    returns: Returns
    warranty: Warranty
    payment: Payment
    checkout: Checkout
    support: Support
    loyalty: Loyalty
    cart_recovery: CartRecoveryPolicy
    lifecycle: LifecyclePolicy = LifecyclePolicy(expected_retention_years=Decimal("3"))
    orders: OrdersPolicy = OrdersPolicy()

    _fold_categories = validator("categories", allow_reuse=True)(_folded_words)


class Shop:
    """The validated shop: policies from shop.yml plus the catalog, in catalog order."""

    def __init__(self, policies: ShopPolicies, products: list[Product],
                 texts: dict[str, dict[str, str]] | None = None, playbooks: PlaybookBook | None = None,
                 vocabulary: Vocabulary | None = None) -> None:
        self.policies = policies
        self.playbooks = playbooks or PlaybookBook(playbooks=[])
        self.vocabulary = vocabulary or Vocabulary()
        self.products = products
        self.texts = texts or {}  # language -> English shop text -> translation (lifecycle.shop.translations)
        self.by_sku = {product.sku: product for product in products}
        # A shop with sizes puts the variant's SKU in carts and orders: each names its product.
        self.variants = {v.sku: (product, v) for product in products for v in product.variants}
        # A list query names a category most of the time; at 10,000 products scanning only that
        # category keeps its p95 within the 20 ms goal (docs/catalog.md).
        self.by_category: dict[str, list[Product]] = {}
        for product in products:
            self.by_category.setdefault(product.category, []).append(product)

    @property
    def categories(self) -> list[str]:
        return list(self.by_category)

    def product_of(self, sku: str) -> Product | None:
        """The product a product or variant SKU belongs to."""
        return self.by_sku.get(sku) or (self.variants[sku][0] if sku in self.variants else None)

    def price_of(self, sku: str) -> Decimal | None:
        """What one of `sku` costs: the variant's own price for a variant."""
        if sku in self.variants:
            return self.variants[sku][1].price_eur
        product = self.by_sku.get(sku)
        return product.price_eur if product else None

    def name_of(self, sku: str) -> str:
        """"Trail Merino Tee (L / Red)" for a variant; the SKU itself when the catalog no longer has it."""
        if sku in self.variants:
            product, variant = self.variants[sku]
            return f"{product.name} ({variant.label})" if variant.options else product.name
        return self.by_sku[sku].name if sku in self.by_sku else sku
