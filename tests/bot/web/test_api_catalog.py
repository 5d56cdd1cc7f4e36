"""POST /api/catalog: a shop sends its new export; it is validated, swapped in at once, and a bad
file changes nothing (issue 22)."""

from pathlib import Path

from fastapi.testclient import TestClient

KEY = {"Authorization": "Bearer test-key-0123456789"}
EXPORTS = Path(__file__).parents[2] / "lifecycle" / "shop" / "catalogs"


def _names(api: TestClient) -> set[str]:
    return {product.name for product in api.app.state.shop_source.get().products}  # type: ignore[attr-defined]


def test_a_new_export_replaces_the_catalog_at_once(api: TestClient, shop_dir: Path) -> None:
    body = (EXPORTS / "shopify_products_export.csv").read_bytes()
    answer = api.post("/api/catalog", content=body, headers={**KEY, "Content-Type": "text/csv"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"format": "Shopify product CSV", "products": 2, "variants": 4,
                             "skipped": [{"line": 8, "reason": "Old Rain Jacket: status is draft, not active"}]}
    assert _names(api) == {"Trail Merino Tee", "Enamel Camp Mug"}
    assert (shop_dir / "catalog.csv").read_bytes() == body
    assert not [p for p in shop_dir.iterdir() if p.name.startswith(".catalog-")]  # no temporary file left


def test_a_file_that_is_no_catalog_changes_nothing(api: TestClient, shop_dir: Path) -> None:
    before = (shop_dir / "catalog.csv").read_bytes()
    answer = api.post("/api/catalog", content=b"name;price\nmug;3\n", headers=KEY)
    assert answer.status_code == 422 and "Shopify" in answer.json()["detail"]
    rows = b"Handle,Title,Type,Variant Price,Status\nx,Broken,T-shirt,free,active\n"
    answer = api.post("/api/catalog", content=rows, headers=KEY)
    assert answer.status_code == 422 and "no products that load" in answer.json()["detail"]
    assert "line 2" in answer.json()["detail"] and "'free'" in answer.json()["detail"]
    assert (shop_dir / "catalog.csv").read_bytes() == before and "Lumo HD Webcam" in _names(api)


def test_the_catalog_needs_the_api_key_and_has_its_own_size_limit(api: TestClient) -> None:
    body = (EXPORTS / "shopify_products_export.csv").read_bytes()
    assert api.post("/api/catalog", content=body).status_code == 401
    header = "Handle,Title,Type,Variant SKU,Variant Price,Status\n"
    big = header + "".join(f"item-{n},Item number {n} of a big shop,Thing,SKU-{n},{n % 90 + 1}.50,active\n"
                           for n in range(40_000))
    assert len(big) > 2_000_000  # twice the limit of every other body
    answer = api.post("/api/catalog", content=big.encode(), headers=KEY)
    assert answer.status_code == 200 and answer.json()["products"] == 40_000
    assert api.post("/api/events", content=b"[" + b" " * 1_100_000 + b"]", headers=KEY).status_code == 413


def test_price_and_stock_changes_arrive_as_events(api: TestClient, shop_dir: Path) -> None:
    before = (shop_dir / "catalog.csv").read_bytes()
    update = {"type": "product_updated", "event_id": "upd-1", "sku": "CAM-100", "price_eur": "39.90", "stock": 0}
    answer = api.post("/api/events", json=update, headers=KEY)
    assert answer.status_code == 200, answer.text
    webcam = api.app.state.shop_source.get().by_sku["CAM-100"]  # type: ignore[attr-defined]
    assert str(webcam.price_eur) == "39.90" and not webcam.in_stock
    assert (shop_dir / "catalog.csv").read_bytes() == before  # the export stays as the shop sent it
    bad = {"type": "product_updated", "event_id": "upd-2", "sku": "CAM-100", "stock": -4}
    answer = api.post("/api/events", json=[bad], headers=KEY)
    assert answer.status_code == 422 and "stock" in answer.text


def test_a_variant_update_changes_its_product_and_a_new_export_supersedes_updates(api: TestClient) -> None:
    api.post("/api/catalog", content=(EXPORTS / "shopify_products_export.csv").read_bytes(), headers=KEY)
    update = {"type": "product_updated", "event_id": "upd-3", "sku": "NP-TEE-M-BLU", "stock": 5}
    assert api.post("/api/events", json=update, headers=KEY).status_code == 200
    tee = api.app.state.shop_source.get().by_sku["trail-tee"]  # type: ignore[attr-defined]
    assert tee.stock == 18 and next(v for v in tee.variants if v.sku == "NP-TEE-M-BLU").stock == 5
    unknown = {"type": "product_updated", "event_id": "upd-4", "sku": "NOPE-1", "stock": 5}
    answer = api.post("/api/events", json=unknown, headers=KEY)
    assert answer.status_code == 422 and "NOPE-1" in answer.text
    api.post("/api/catalog", content=(EXPORTS / "shopify_products_export.csv").read_bytes(), headers=KEY)
    tee = api.app.state.shop_source.get().by_sku["trail-tee"]  # type: ignore[attr-defined]
    assert tee.stock == 13
