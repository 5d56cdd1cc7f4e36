"""Catalogs as shops export them (issue 22): Shopify's product CSV, Google Merchant Center's feed
as TSV and as RSS XML, WooCommerce's product CSV, and the native CSV. The files in `catalogs/`
were written by hand after each platform's documented export; one has deliberate errors."""

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.formats import CatalogFileError, read_catalog
from lifecycle.storage.models import ProductRecord

HERE = Path(__file__).parent / "catalogs"


def _by_name(path: Path) -> dict:
    imported = read_catalog(path)
    return {product.name: product for product in imported.products}


def test_shopify_export_groups_variants_by_handle_and_reads_metafields() -> None:
    imported = read_catalog(HERE / "shopify_products_export.csv")
    assert imported.format == "Shopify product CSV"
    products = {p.name: p for p in imported.products}
    assert sorted(products) == ["Enamel Camp Mug", "Trail Merino Tee"]
    tee = products["Trail Merino Tee"]
    assert [(v.sku, v.options, v.stock) for v in tee.variants] == [
        ("NP-TEE-S-BLU", {"Size": "S", "Color": "Blue"}, 4), ("NP-TEE-M-BLU", {"Size": "M", "Color": "Blue"}, 0),
        ("NP-TEE-M-RED", {"Size": "M", "Color": "Red"}, 7), ("NP-TEE-L-RED", {"Size": "L", "Color": "Red"}, 2)]
    assert tee.price_eur == Decimal("45.00") and tee.compare_at_eur == Decimal("55.00")
    assert tee.variants[3].price_eur == Decimal("49.00") and tee.variants[3].compare_at_eur is None
    assert tee.stock == 13 and tee.in_stock and tee.category == "t-shirt" and tee.brand == "Northpeak"
    assert tee.description == "A merino tee for long hikes. Odour resistant. Machine washable at 30°C."
    assert tee.image == "https://cdn.example.com/tee-blue.jpg"
    assert (tee.rating, tee.reviews, tee.warranty_years) == (4.6, 38, 2)
    assert tee.attributes == {"fabric_gsm": Decimal("160")}
    mug = products["Enamel Camp Mug"]
    assert mug.sku == "NP-MUG-1" and mug.variants == () and mug.stock == 25 and mug.weight_g == 280
    assert mug.rating == 4.1 and mug.warranty_years is None
    assert [(s.line, s.reason) for s in imported.skipped] == [(8, "Old Rain Jacket: status is draft, not active")]


def test_bad_rows_are_skipped_with_their_line_and_the_rest_loads() -> None:
    imported = read_catalog(HERE / "shopify_with_errors.csv")
    assert sorted(p.name for p in imported.products) == ["Trail Cap", "Wool Socks"]
    reasons = {s.line: s.reason for s in imported.skipped}
    assert set(reasons) == {3, 4, 6}
    assert "Variant Price" in reasons[3] and "'abc'" in reasons[3]
    assert "Title" in reasons[4]
    assert "Variant Inventory Qty" in reasons[6] and "-3" in reasons[6]
    socks = next(p for p in imported.products if p.name == "Wool Socks")
    assert [v.sku for v in socks.variants] == ["NP-SOX-39"] or socks.sku == "NP-SOX-39"
    assert "skipped 3 rows" in imported.summary() and "line 3" in imported.summary()


def test_merchant_center_tsv_groups_items_and_reads_sale_prices_weights_and_details() -> None:
    imported = read_catalog(HERE / "merchant_feed.tsv")
    assert imported.format == "Google Merchant Center feed (TSV)"
    products = {p.name: p for p in imported.products}
    assert sorted(products) == ["Steel Bottle 750 ml", "Storm Shell Jacket"]
    jacket = products["Storm Shell Jacket"]
    assert jacket.price_eur == Decimal("159.00") and jacket.compare_at_eur == Decimal("189.00")
    assert [(v.sku, v.options, v.in_stock) for v in jacket.variants] == [
        ("NP-JKT-S", {"color": "Black", "size": "S"}, True), ("NP-JKT-M", {"color": "Black", "size": "M"}, False)]
    assert jacket.url == "https://shop.example.com/p/storm-shell" and jacket.category == "jackets"
    assert jacket.in_stock and jacket.stock is None
    assert jacket.attributes == {"waterproof_rating": "20000 mm", "material": "nylon"}
    bottle = products["Steel Bottle 750 ml"]
    assert bottle.price_eur == Decimal("29.90") and bottle.weight_g == 410 and bottle.compare_at_eur is None
    assert [(s.line, "price" in s.reason) for s in imported.skipped] == [(5, True)]


def test_merchant_center_rss_xml_reads_the_g_namespace() -> None:
    imported = read_catalog(HERE / "merchant_feed.xml")
    assert imported.format == "Google Merchant Center feed (RSS XML)"
    products = {p.name: p for p in imported.products}
    tent, gloves = products["Ridge 2 Tent"], products["Grip Gloves"]
    assert tent.sku == "NP-TENT-2" and tent.price_eur == Decimal("329.00") and tent.weight_g == 1900
    assert tent.category == "tents" and tent.attributes == {"fabric_weight": "70 gsm"}
    assert [(v.options, v.price_eur, v.compare_at_eur, v.in_stock) for v in gloves.variants] == [
        ({"size": "S"}, Decimal("19.00"), Decimal("24.00"), True), ({"size": "L"}, Decimal("24.00"), None, False)]


def test_an_xml_feed_with_entities_is_refused_not_expanded(tmp_path: Path) -> None:
    bomb = tmp_path / "feed.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                    '<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>&b;</g:id></item></channel></rss>')
    with pytest.raises(CatalogFileError, match="entit"):
        read_catalog(bomb)


def test_woocommerce_export_joins_variations_to_their_parent() -> None:
    imported = read_catalog(HERE / "woocommerce_export.csv")
    assert imported.format == "WooCommerce product CSV"
    products = {p.name: p for p in imported.products}
    assert sorted(products) == ["Pom Beanie", "Summit Hoodie"]
    hoodie = products["Summit Hoodie"]
    assert [(v.sku, v.options, v.price_eur, v.compare_at_eur, v.stock) for v in hoodie.variants] == [
        ("WC-HOOD-S", {"Size": "S", "Color": "Green"}, Decimal("59.00"), Decimal("69.00"), 5),
        ("WC-HOOD-M", {"Size": "M", "Color": "Green"}, Decimal("69.00"), None, 0),
        ("WC-HOOD-L", {"Size": "L", "Color": "Green"}, Decimal("72.00"), None, 3)]
    assert hoodie.category == "hoodies" and hoodie.description == "Recycled fleece, brushed inside."
    assert hoodie.warranty_years == 2 and hoodie.variants[1].weight_g == 550
    assert products["Pom Beanie"].warranty_years == 1 and products["Pom Beanie"].stock == 14
    reasons = {s.line: s.reason for s in imported.skipped}
    assert set(reasons) == {7, 8} and "not published" in reasons[7] and "id:999" in reasons[8]


def test_the_native_csv_still_loads() -> None:
    imported = read_catalog(PROJECT_ROOT / "data" / "shop" / "catalog.csv")
    assert imported.format == "Shopmate CSV" and len(imported.products) == 11 and imported.skipped == []


def test_an_unknown_or_oversized_file_gets_a_clear_error(tmp_path: Path) -> None:
    odd = tmp_path / "catalog.csv"
    odd.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(CatalogFileError, match="Shopify.*Merchant Center.*WooCommerce"):
        read_catalog(odd)
    with pytest.raises(CatalogFileError, match="larger than"):
        read_catalog(HERE / "merchant_feed.tsv", max_bytes=100)


def test_constraints_on_optional_numbers_hold(tmp_path: Path) -> None:
    """A negative stock or weight is refused even where the field may be empty (pydantic 1 ignores
    constraints inside Annotated[...] | None, which the models used until now)."""
    rows = ("Handle,Title,Type,Variant SKU,Variant Price,Status,Rating (product.metafields.reviews.rating)\n"
            "a,Thing A,Cap,A-1,10.00,active,7\n")
    path = tmp_path / "export.csv"
    path.write_text(rows)
    imported = read_catalog(path)
    assert imported.products == [] and "rating" in imported.skipped[0].reason


def test_an_imported_catalog_is_kept_in_the_store(store: ConversationRecorder) -> None:
    """Long SKUs, no stock count and no reviews yet (a Merchant Center feed) fit the store's tables."""
    products = read_catalog(HERE / "merchant_feed.xml").products + read_catalog(
        HERE / "shopify_products_export.csv").products
    assert store.sync_catalog(products) == 4
    with store.db.reading() as session:
        rows = {row.sku: row for row in session.execute(select(ProductRecord)).scalars()}
    assert rows["GRIP"].stock is None and rows["NP-TENT-2"].rating is None and "trail-tee" in rows
