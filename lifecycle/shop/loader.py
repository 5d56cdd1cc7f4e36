"""Loading the shop's facts from `data/shop/`, and reloading them when a file changes.

A shop owner edits `shop.yml` or the catalog (any format `formats` reads) and the answers follow without
retraining. A mistake in them must stop the start with the file, row and field to fix
rather than surface later as a wrong answer to a shopper.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from lifecycle.shop.facts import Product, Shop, ShopPolicies
from lifecycle.shop.files import replace_atomically
from lifecycle.shop.formats import CatalogFileError, Imported, read_catalog, read_text
from lifecycle.shop.language import LANGUAGES
from lifecycle.shop.playbooks import PlaybookBook
from lifecycle.shop.translations import TranslationError, load_texts, report_missing
from lifecycle.shop.updates import FILE as UPDATES
from lifecycle.shop.updates import apply_updates, load_updates
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


def load_yaml(path: Path, model: type[Model], expected: str) -> Model:
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
    return load_yaml(path, ShopPolicies, "a mapping of sections (shop, shipping, returns, ...)")


def load_playbooks(path: Path) -> PlaybookBook:
    """The shop's lifecycle playbooks; a shop without the file has none (cart recovery still runs)."""
    if not path.exists():
        return PlaybookBook(playbooks=[])
    return load_yaml(path, PlaybookBook, "a mapping with holdout_percent, attribution_days and playbooks")


def load_vocabulary(path: Path) -> Vocabulary:
    """The shop's words for its attributes and specs; a shop without the file can still be asked about
    prices, stock and its policies."""
    if not path.exists():
        return Vocabulary()
    return load_yaml(path, Vocabulary, "a mapping with attributes and specs")


def load_catalog(path: Path, vocabulary: Vocabulary | None = None) -> list[Product]:
    """The products of a catalog file in any of the formats `lifecycle.shop.formats` reads. Bad rows
    are skipped and logged with their lines; a file with no good product stops the start."""
    try:
        imported = read_catalog(path, vocabulary)
    except CatalogFileError as error:
        raise ShopDataError(str(error)) from None
    if not imported.products:
        raise ShopDataError(f"{path}: the catalog has no products" +
                            (f" that load: {imported.summary()}" if imported.skipped else ""))
    (logger.warning if imported.skipped else logger.info)("%s: %s", path, imported.summary())
    return imported.products


def _with_category_words(policies: ShopPolicies, products: list[Product], where: Path) -> ShopPolicies:
    """A category shop.yml gives no words for is known by its own name ("t-shirt"), so an imported
    catalog works at once; the log says which to describe for shoppers' other words."""
    unnamed = sorted({p.category for p in products} - set(policies.categories))
    if not unnamed:
        return policies
    logger.warning("%s: categories has no words for %s; shoppers must name them as the catalog does until you "
                   "list their words in each language", where, ", ".join(unnamed))
    return policies.copy(update={"categories": {**policies.categories, **{c: [c] for c in unnamed}}})


def replace_catalog(shop_dir: Path, catalog: Path | None, content: bytes) -> Imported:
    """Validate a new export and swap it in for the catalog file at once (a temporary file renamed
    over it), so every process's `ShopSource` reloads the whole new catalog or keeps the old one.
    A file that is no catalog, or has no good row, changes nothing and says what to fix."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ShopDataError(f"the catalog is not UTF-8 text ({error.reason} at byte {error.start}); export it as "
                            "UTF-8") from None
    try:
        imported = read_text(text, load_vocabulary(shop_dir / VOCABULARY))
    except CatalogFileError as error:
        raise ShopDataError(str(error)) from None
    if not imported.products:
        raise ShopDataError(f"the catalog has no products that load: {imported.summary()}")
    target = catalog_file(shop_dir, catalog)
    replace_atomically(target, content)
    (shop_dir / UPDATES).unlink(missing_ok=True)  # the new export is the whole truth again
    logger.info("%s replaced: %s", target, imported.summary())
    return imported


def catalog_file(shop_dir: Path, catalog: Path | None = None) -> Path:
    """The catalog to load: the one a setting names (SHOPMATE_CATALOG), else the shop's catalog.csv."""
    return catalog or shop_dir / "catalog.csv"


def load_shop(shop_dir: Path, catalog: Path | None = None) -> Shop:
    """The validated shop with its translations; texts without one are logged, by language."""
    vocabulary = load_vocabulary(shop_dir / VOCABULARY)
    policies = load_policies(shop_dir / "shop.yml")
    products = apply_updates(load_catalog(catalog_file(shop_dir, catalog), vocabulary), load_updates(shop_dir))
    policies = _with_category_words(policies, products, shop_dir / "shop.yml")
    default = policies.warranty.default_years  # a product that states none has the shop's warranty
    products = [p if p.warranty_years is not None else p.copy(update={"warranty_years": default}) for p in products]
    unknown = sorted(set(policies.shop.languages) - set(LANGUAGES))
    if unknown:
        raise ShopDataError(f"{shop_dir / 'shop.yml'}: shop.languages has {', '.join(unknown)}; Shopmate speaks "
                            f"{', '.join(LANGUAGES)}")
    try:
        texts = load_texts(shop_dir / TRANSLATIONS, policies.shop.languages)
    except TranslationError as error:
        raise ShopDataError(str(error)) from None
    shop = Shop(policies, products, texts, load_playbooks(shop_dir / PLAYBOOKS), vocabulary)
    report_missing(shop, texts, shop_dir / TRANSLATIONS)
    return shop


def _files(shop_dir: Path, catalog: Path | None = None) -> list[Path]:
    optional = [path for path in (shop_dir / PLAYBOOKS, shop_dir / VOCABULARY, shop_dir / UPDATES) if path.exists()]
    return [shop_dir / "shop.yml", catalog_file(shop_dir, catalog), *optional,
            *sorted((shop_dir / TRANSLATIONS).glob("*.yml"))]


class ShopSource:
    """Reloads the shop when a file changes, so edits reach a running action server."""

    def __init__(self, shop_dir: Path, catalog: Path | None = None) -> None:
        self._dir = shop_dir
        self._catalog = catalog
        self._stamp: tuple[float, ...] = ()
        self._shop: Shop | None = None

    def get(self) -> Shop:
        stamp = tuple(path.stat().st_mtime_ns for path in _files(self._dir, self._catalog))
        if self._shop is None or stamp != self._stamp:
            try:
                self._shop = load_shop(self._dir, self._catalog)
            except ShopDataError:
                if self._shop is None:
                    raise
                # A half-saved or wrong edit must not take the assistant down: keep
                # answering from the last good version and say what is wrong.
                logger.exception("shop data changed but cannot be loaded; still using the previous version")
            self._stamp = stamp
        return self._shop
