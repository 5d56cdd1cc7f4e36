"""The shop's facts, loaded from `data/shop/` and validated before anything starts.

Every figure the assistant states comes from these two files, so a shop owner edits
`shop.yml` or `catalog.csv` and the answers follow without retraining. A mistake in
them must stop the start with the file, row and field to fix rather than surface
later as a wrong answer to a shopper.
"""

from __future__ import annotations

import csv
import logging
import re
from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, confloat, conint, validator

from lifecycle.handoff import AgentHours

logger = logging.getLogger(__name__)
_REDEEM = re.compile(r"^(?P<points>\d+) points = (?P<eur>\d+(?:\.\d+)?) EUR voucher$")


class ShopDataError(ValueError):
    """The shop's data files are wrong; the message names the file, row and field."""


class _Strict(BaseModel):
    class Config:
        extra = "ignore"
        allow_mutation = False


class Product(_Strict):
    sku: str = Field(..., regex=r"^[A-Z]{2,4}-\d{2,4}$")
    name: str = Field(..., min_length=2)
    category: str = Field(..., min_length=2)
    price_eur: Decimal = Field(..., gt=0)
    stock: conint(ge=0)  # type: ignore[valid-type]
    rating: confloat(ge=0, le=5)  # type: ignore[valid-type]
    reviews: conint(ge=0)  # type: ignore[valid-type]
    warranty_years: conint(ge=0, le=10)  # type: ignore[valid-type]
    specs: tuple[str, ...]

    @validator("specs", pre=True)
    def _split_specs(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(";") if part.strip())
        return tuple(value)  # type: ignore[arg-type]

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class Rate(_Strict):
    price_eur: Decimal = Field(..., ge=0)
    days: str


class Shipping(_Strict):
    free_from_eur: Decimal = Field(..., ge=0)
    standard: dict[str, Rate]
    express: dict[str, Rate] = {}
    outside_EU: str

    @validator("standard")
    def _needs_other_eu(cls, value: dict[str, Rate]) -> dict[str, Rate]:
        if "other_EU" not in value:
            raise ValueError("needs an 'other_EU' rate for EU countries without their own")
        return value


class Returns(_Strict):
    window_days: conint(gt=0)  # type: ignore[valid-type]
    free_label_in: list[str]
    label_price_eur: Decimal = Field(..., ge=0)
    refund_within_days: conint(gt=0)  # type: ignore[valid-type]
    condition: str


class Warranty(_Strict):
    default_years: conint(ge=0)  # type: ignore[valid-type]


class Payment(_Strict):
    everywhere: list[str]
    by_country: dict[str, list[str]]
    cash_on_delivery: str

    @validator("by_country", pre=True)
    def _none_is_empty(cls, value: dict[str, list[str] | None]) -> dict[str, list[str]]:
        return {country: list(methods or []) for country, methods in (value or {}).items()}

    @property
    def cash_on_delivery_offered(self) -> bool:
        return self.cash_on_delivery.strip().lower() not in {"not offered", "no", "false"}


class Checkout(_Strict):
    guest_checkout: bool
    account_gives: list[str]


class Support(_Strict):
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


class Loyalty(_Strict):
    points_per_eur: conint(ge=0)  # type: ignore[valid-type]
    welcome_points: conint(ge=0)  # type: ignore[valid-type]
    profile_points: conint(ge=0)  # type: ignore[valid-type]
    referral_points_each: conint(ge=0)  # type: ignore[valid-type]
    three_purchases_month_bonus: conint(ge=0)  # type: ignore[valid-type]
    redeem: str
    family_account_members_max: conint(ge=1)  # type: ignore[valid-type]

    @validator("redeem")
    def _redeem_readable(cls, value: str) -> str:
        if not _REDEEM.match(value.strip()):
            raise ValueError("must look like '100 points = 5 EUR voucher'")
        return value

    @property
    def redeem_points(self) -> int:
        return int(_REDEEM.match(self.redeem.strip())["points"])  # type: ignore[index]

    @property
    def redeem_eur(self) -> Decimal:
        return Decimal(_REDEEM.match(self.redeem.strip())["eur"])  # type: ignore[index]


class CartOffer(_Strict):
    code: str = Field(..., min_length=1)
    percent_off: Decimal = Field(..., gt=0, lt=100)
    min_cart_eur: Decimal = Field(..., ge=0)
    valid_hours: conint(gt=0)  # type: ignore[valid-type]
    once_per_customer: bool = True


class CartRecoveryPolicy(_Strict):
    idle_minutes: conint(gt=0)  # type: ignore[valid-type]
    reminders_per_cart: conint(ge=0, le=1) = 1  # type: ignore[valid-type]
    offer: CartOffer | None = None
    respects_opt_out: bool = True


class LifecyclePolicy(_Strict):
    reengage_after_days: conint(gt=0) = 60  # type: ignore[valid-type]
    expected_retention_years: Decimal = Field(Decimal("3"), gt=0)
    recovery_attribution_days: conint(gt=0) = 7  # type: ignore[valid-type]


class ShopInfo(_Strict):
    name: str
    sells: str
    currency: str
    languages: list[str]


class ShopPolicies(_Strict):
    shop: ShopInfo
    shipping: Shipping
    returns: Returns
    warranty: Warranty
    payment: Payment
    checkout: Checkout
    support: Support
    loyalty: Loyalty
    cart_recovery: CartRecoveryPolicy
    lifecycle: LifecyclePolicy = LifecyclePolicy()


class Shop:
    """The validated shop: policies from shop.yml plus the catalog, in catalog order."""

    def __init__(self, policies: ShopPolicies, products: list[Product]) -> None:
        self.policies = policies
        self.products = products
        self.by_sku = {product.sku: product for product in products}

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(product.category for product in self.products))


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"field '{where}': {first['msg']}"


def load_policies(path: Path) -> ShopPolicies:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ShopDataError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise ShopDataError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ShopDataError(f"{path}: expected a mapping of sections (shop, shipping, returns, ...)")
    try:
        return ShopPolicies.parse_obj(raw)
    except ValidationError as error:
        raise ShopDataError(f"{path}: {_describe(error)}") from None


def load_catalog(path: Path) -> list[Product]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ShopDataError(f"{path}: file not found") from None
    reader = csv.DictReader(text.splitlines())
    missing = set(Product.__fields__) - set(reader.fieldnames or [])
    if missing:
        raise ShopDataError(f"{path}: header lacks column(s) {', '.join(sorted(missing))}")
    products: list[Product] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(reader, start=2):
        try:
            product = Product.parse_obj(row)
        except ValidationError as error:
            raise ShopDataError(f"{path}: row {row_number} (sku {row.get('sku')!r}), {_describe(error)}") from None
        if product.sku in seen:
            raise ShopDataError(
                f"{path}: row {row_number}, field 'sku': {product.sku} already used on row {seen[product.sku]}"
            )
        seen[product.sku] = row_number
        products.append(product)
    if not products:
        raise ShopDataError(f"{path}: the catalog has no products")
    return products


def load_shop(shop_dir: Path) -> Shop:
    return Shop(load_policies(shop_dir / "shop.yml"), load_catalog(shop_dir / "catalog.csv"))


class ShopSource:
    """Reloads the shop when a file changes, so edits reach a running action server."""

    def __init__(self, shop_dir: Path) -> None:
        self._dir = shop_dir
        self._stamp: tuple[float, ...] = ()
        self._shop: Shop | None = None

    def get(self) -> Shop:
        stamp = tuple(
            (self._dir / name).stat().st_mtime_ns for name in ("shop.yml", "catalog.csv")
        )
        if self._shop is None or stamp != self._stamp:
            try:
                self._shop = load_shop(self._dir)
            except ShopDataError:
                if self._shop is None:
                    raise
                # A half-saved or wrong edit must not take the assistant down: keep
                # answering from the last good version and say what is wrong.
                logger.exception("shop data changed but cannot be loaded; still using the previous version")
            self._stamp = stamp
        return self._shop
