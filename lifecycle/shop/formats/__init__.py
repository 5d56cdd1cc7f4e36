"""Catalog files as shops export them, detected from the file: Shopify's product CSV, Google
Merchant Center's feed (TSV or RSS XML), WooCommerce's product CSV, and Shopmate's own CSV.

Each reader turns its rows into validated `facts.Product`s with their variants; a bad row is
skipped with its line and reason (`Imported.skipped`), a file that is no catalog at all raises
`CatalogFileError` with what to fix."""

from __future__ import annotations

import csv
from pathlib import Path

from lifecycle.shop.formats import merchant, native, shopify, woocommerce
from lifecycle.shop.formats.records import CatalogFileError, Imported, Skipped
from lifecycle.shop.vocabulary import Vocabulary

__all__ = ["MAX_BYTES", "CatalogFileError", "Imported", "Skipped", "read_catalog", "read_text"]

# A catalog of 10,000 products and 50,000 variants as a Shopify export is about 30 MB.
MAX_BYTES = 100 * 1024 * 1024
FORMATS = (f"{shopify.NAME}, {merchant.NAME} (TSV or RSS XML), {woocommerce.NAME}, or {native.NAME} "
           f"(columns {', '.join(sorted(native.HEADER))}, ...)")


def read_text(text: str, vocabulary: Vocabulary | None = None) -> Imported:
    """The catalog in `text`, in whichever of the formats it is."""
    vocabulary = vocabulary or Vocabulary()
    text = text.removeprefix("\ufeff")
    if text.lstrip().startswith("<"):
        return merchant.read_xml(text)
    first = text.split("\n", 1)[0]
    if "\t" in first:
        columns = {name.strip().removeprefix("g:") for name in first.split("\t")}
        if merchant.HEADER <= columns:
            return merchant.read_tsv(text)
    columns = {name.strip() for name in next(csv.reader([first]), [])}
    if shopify.HEADER <= columns:
        return shopify.read(text, vocabulary)
    if woocommerce.HEADER <= columns:
        return woocommerce.read(text, vocabulary)
    if native.HEADER <= columns:
        return native.read(text, vocabulary)
    raise CatalogFileError(f"not a catalog format Shopmate reads; export one of: {FORMATS}")


def read_catalog(path: Path, vocabulary: Vocabulary | None = None, max_bytes: int = MAX_BYTES) -> Imported:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise CatalogFileError(f"{path}: {size:,} bytes is larger than the limit of {max_bytes:,}")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogFileError(f"{path}: file not found") from None
    except UnicodeDecodeError as error:
        raise CatalogFileError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); export as UTF-8") \
            from None
    try:
        return read_text(text, vocabulary)
    except CatalogFileError as error:
        raise CatalogFileError(f"{path}: {error}") from None
