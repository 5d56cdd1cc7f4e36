"""Price and stock changes the shop sends between exports (`product_updated` events).

They are kept beside the catalog in `updates.json`, written with one rename, and laid over the
export when the shop loads, so every process sees them as it sees a new catalog. A new export
supersedes them (`loader.replace_catalog` removes the file): it is the shop's whole truth again."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, root_validator

from lifecycle.shop.base import Strict
from lifecycle.shop.facts import SKU_PATTERN, Product, Variant
from lifecycle.shop.files import replace_atomically
from lifecycle.shop.formats.records import RowError, build

FILE = "updates.json"
TYPE = "product_updated"


class ProductUpdate(Strict):
    type: Literal["product_updated"]
    event_id: str = Field(..., min_length=1, max_length=200)
    sku: str = Field(..., regex=SKU_PATTERN)  # a product's or a variant's
    price_eur: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    compare_at_eur: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    stock: int | None = Field(None, ge=0, le=10_000_000)

    @root_validator(skip_on_failure=True)
    def _changes_something(cls, values: dict[str, Any]) -> dict[str, Any]:
        if all(values.get(key) is None for key in ("price_eur", "compare_at_eur", "stock")):
            raise ValueError("give price_eur, compare_at_eur or stock")
        return values

    def changes(self) -> dict[str, Any]:
        return {key: value for key, value in (("price_eur", self.price_eur), ("compare_at_eur", self.compare_at_eur),
                                              ("stock", self.stock)) if value is not None}


def take_updates(body: Any) -> tuple[list[ProductUpdate], list[Any], list[str]]:
    """The product updates in an events body, the other events, and what is wrong with the updates."""
    items = body if isinstance(body, list) else [body]
    updates, rest, problems = [], [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or item.get("type") != TYPE:
            rest.append(item)
            continue
        try:
            updates.append(ProductUpdate.parse_obj(item))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "event"
            problems.append(f"event {index}, field '{where}': {first['msg']}")
    return updates, rest, problems


def load_updates(shop_dir: Path) -> dict[str, dict[str, Any]]:
    path = shop_dir / FILE
    if not path.exists():
        return {}
    changes: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return changes


def record_updates(shop_dir: Path, updates: Iterable[ProductUpdate], known: set[str]) -> None:
    """Merge `updates` (later ones win) into the file; an SKU the catalog does not have is refused."""
    updates = list(updates)
    if unknown := sorted({u.sku for u in updates} - known):
        raise ValueError(f"no product or variant has SKU {', '.join(unknown)}")
    changes = load_updates(shop_dir)
    for update in updates:
        changes[update.sku] = {**changes.get(update.sku, {}), **{k: str(v) for k, v in update.changes().items()}}
    replace_atomically(shop_dir / FILE, json.dumps(changes, indent=1, sort_keys=True).encode())


def _typed(change: dict[str, Any]) -> dict[str, Any]:
    return {key: int(value) if key == "stock" else Decimal(value) for key, value in change.items()}


def apply_updates(products: list[Product], changes: dict[str, dict[str, Any]]) -> list[Product]:
    if not changes:
        return products
    updated = []
    for product in products:
        if product.sku in changes and not product.variants:
            product = product.copy(update=_typed(changes[product.sku]))
        elif any(v.sku in changes for v in product.variants):
            variants: list[Variant] = [v.copy(update=_typed(changes[v.sku])) if v.sku in changes else v
                                       for v in product.variants]
            try:
                product = build(product.dict(exclude={"variants"}), variants)
            except RowError:
                pass  # an update that breaks the product leaves it as exported
        updated.append(product)
    return updated


def known_skus(products: Iterable[Product]) -> set[str]:
    return {sku for product in products for sku in (product.sku, *(v.sku for v in product.variants))}
