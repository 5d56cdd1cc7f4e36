"""Loading the shop's facts from `data/shop/`, and reloading them when a file changes.

A shop owner edits `shop.yml` or `catalog.csv` and the answers follow without
retraining. A mistake in them must stop the start with the file, row and field to fix
rather than surface later as a wrong answer to a shopper.
"""

from __future__ import annotations

import csv
import logging
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from lifecycle.shop.facts import Product, Shop, ShopPolicies
from lifecycle.shop.language import LANGUAGES
from lifecycle.shop.playbooks import PlaybookBook
from lifecycle.shop.translations import TranslationError, load_texts, report_missing
from lifecycle.shop.vocabulary import Vocabulary

TRANSLATIONS = "translations"  # data/shop/translations/<lang>.yml
PLAYBOOKS = "playbooks.yml"
VOCABULARY = "vocabulary.yml"  # how shoppers name the catalog's attributes and specs

logger = logging.getLogger(__name__)


class ShopDataError(ValueError):
    """The shop's data files are wrong; the message names the file, row and field."""


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"field '{where}': {first['msg']}"


def _line_of(text: str, loc: tuple) -> int | None:
    """The line of shop.yml where the field a validation error names is written (or its parent,
    for a missing one), so "expres:" is reported where it was typed."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((key, value) for key, value in node.value if str(key.value) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            pair = (node.value[part], node.value[part])
        else:
            pair = None
        if pair is None:
            break
        line, node = pair[0].start_mark.line + 1, pair[1]
    return line


Model = TypeVar("Model", bound=BaseModel)


def _load_yaml(path: Path, model: type[Model], expected: str) -> Model:
    """A YAML file of shop data as its validated model; errors name the file, line and field."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
    except FileNotFoundError:
        raise ShopDataError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise ShopDataError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ShopDataError(f"{path}: expected {expected}")
    try:
        return model.parse_obj(raw)
    except ValidationError as error:
        line = _line_of(text, error.errors()[0]["loc"])
        raise ShopDataError(f"{path}{f', line {line}' if line else ''}: {_describe(error)}") from None


def load_policies(path: Path) -> ShopPolicies:
    return _load_yaml(path, ShopPolicies, "a mapping of sections (shop, shipping, returns, ...)")


def load_playbooks(path: Path) -> PlaybookBook:
    """The shop's lifecycle playbooks; a shop without the file has none (cart recovery still runs)."""
    if not path.exists():
        return PlaybookBook(playbooks=[])
    return _load_yaml(path, PlaybookBook, "a mapping with holdout_percent, attribution_days and playbooks")


def load_vocabulary(path: Path) -> Vocabulary:
    """The shop's words for its attributes and specs; a shop without the file can still be asked about
    prices, stock and its policies."""
    if not path.exists():
        return Vocabulary()
    return _load_yaml(path, Vocabulary, "a mapping with attributes and specs")


def load_catalog(path: Path, vocabulary: Vocabulary | None = None) -> list[Product]:
    """The products of catalog.csv. A column that is not one of the standard fields is one of the
    shop's own typed attributes, and must be declared in vocabulary.yml (`vocabulary`) with its words."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ShopDataError(f"{path}: file not found") from None
    reader = csv.DictReader(text.splitlines())
    header = list(reader.fieldnames or [])
    missing = {name for name, spec in Product.__fields__.items() if spec.required} - set(header)
    if missing:
        raise ShopDataError(f"{path}: header lacks column(s) {', '.join(sorted(missing))}")
    declared = (vocabulary or Vocabulary()).attributes
    own = [column for column in header if column not in Product.__fields__]
    if undeclared := [column for column in own if column not in declared]:
        raise ShopDataError(f"{path}: column(s) {', '.join(undeclared)} are not catalog fields; to make one "
                            f"askable, declare it under attributes in {VOCABULARY} with its words")
    if absent := sorted(set(declared) - set(header) - set(Product.__fields__)):
        raise ShopDataError(f"{path.with_name(VOCABULARY)}: attributes names {', '.join(absent)}, which "
                            f"{path.name} has no column for")
    products: list[Product] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(reader, start=2):
        where = f"{path}: row {row_number} (sku {row.get('sku')!r})"
        fields = {key: value for key, value in row.items() if key not in own}
        try:
            fields["attributes"] = {key: _typed(key, row[key], declared[key].type) for key in own
                                    if (row[key] or "").strip()}
        except ValueError as error:
            raise ShopDataError(f"{where}, {error}") from None
        try:
            product = Product.parse_obj(fields)
        except ValidationError as error:
            raise ShopDataError(f"{where}, {_describe(error)}") from None
        if product.sku in seen:
            raise ShopDataError(
                f"{path}: row {row_number}, field 'sku': {product.sku} already used on row {seen[product.sku]}"
            )
        seen[product.sku] = row_number
        products.append(product)
    if not products:
        raise ShopDataError(f"{path}: the catalog has no products")
    return products


def _typed(column: str, value: str, kind: str) -> Decimal | str:
    if kind == "text":
        return value.strip()
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValueError(f"field {column!r}: {value.strip()!r} is not a number ({VOCABULARY} declares the column a "
                         "number; write it like 1.8, or declare `type: text`)")
    return number


def load_shop(shop_dir: Path) -> Shop:
    """The validated shop with its translations; texts without one are logged, by language."""
    vocabulary = load_vocabulary(shop_dir / VOCABULARY)
    policies, products = load_policies(shop_dir / "shop.yml"), load_catalog(shop_dir / "catalog.csv", vocabulary)
    unnamed = sorted({p.category for p in products} - set(policies.categories))
    if unnamed:
        raise ShopDataError(f"{shop_dir / 'shop.yml'}: categories has no words for {', '.join(unnamed)} "
                            "(catalog.csv uses them): list the words shoppers use for each")
    unknown = sorted(set(policies.shop.languages) - set(LANGUAGES))
    if unknown:
        raise ShopDataError(f"{shop_dir / 'shop.yml'}: shop.languages has {', '.join(unknown)}; Shopmate speaks "
                            f"{', '.join(LANGUAGES)}")
    try:
        texts = load_texts(shop_dir / TRANSLATIONS, policies.shop.languages)
    except TranslationError as error:
        raise ShopDataError(str(error)) from None
    shop = Shop(policies, products, texts, load_playbooks(shop_dir / PLAYBOOKS), vocabulary)
    report_missing(shop, texts)
    return shop


def _files(shop_dir: Path) -> list[Path]:
    optional = [path for path in (shop_dir / PLAYBOOKS, shop_dir / VOCABULARY) if path.exists()]
    return [shop_dir / "shop.yml", shop_dir / "catalog.csv", *optional,
            *sorted((shop_dir / TRANSLATIONS).glob("*.yml"))]


class ShopSource:
    """Reloads the shop when a file changes, so edits reach a running action server."""

    def __init__(self, shop_dir: Path) -> None:
        self._dir = shop_dir
        self._stamp: tuple[float, ...] = ()
        self._shop: Shop | None = None

    def get(self) -> Shop:
        stamp = tuple(path.stat().st_mtime_ns for path in _files(self._dir))
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
