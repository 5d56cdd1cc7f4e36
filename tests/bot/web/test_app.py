from pathlib import Path

from fastapi.testclient import TestClient

from lifecycle.settings import load_settings
from tests.conftest import prepared_app


def client(shop_dir: Path, tmp_path: Path) -> TestClient:
    settings = load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path),
                              "SHOPMATE_SCHEDULER": "off"})
    return TestClient(prepared_app(settings))


def test_shop_page_embeds_the_widget_and_lists_the_catalog(shop_dir: Path, tmp_path: Path) -> None:
    response = client(shop_dir, tmp_path).get("/")
    assert response.status_code == 200
    assert '<script src="/static/shopmate-widget.js"' in response.text
    assert "Lumo Pro 4K Webcam" in response.text and "€129.00" in response.text


def test_shop_text_is_escaped(shop_dir: Path, tmp_path: Path) -> None:
    catalog = shop_dir / "catalog.csv"
    catalog.write_text(catalog.read_text().replace("Glow Key Light", "Glow <script>alert(1)</script>"))
    response = client(shop_dir, tmp_path).get("/")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_widget_assets_are_served(shop_dir: Path, tmp_path: Path) -> None:
    web = client(shop_dir, tmp_path)
    assert web.get("/health").json() == {"status": "ok"}
    widget = web.get("/static/shopmate-widget.js")
    assert widget.status_code == 200 and "session_request" in widget.text
    assert "innerHTML" not in widget.text  # every message is inserted as text
    assert web.get("/vendor/socket.io.min.js").status_code == 200


def test_the_demo_shop_page_takes_a_market_language(shop_dir: Path, tmp_path: Path) -> None:
    web = client(shop_dir, tmp_path)
    assert '<html lang="it">' in web.get("/", params={"lang": "it"}).text
    assert '<html lang="en">' in web.get("/", params={"lang": "<script>"}).text
    labels = web.get("/widget/labels", params={"lang": "pl-PL"}).json()
    assert labels["open"] == "Napisz do nas" and labels["language"] == "pl"


def test_demo_product_images_are_drawn_and_names_are_checked(web: TestClient) -> None:
    image = web.get("/demo/images/storm-shell-jacket.svg")
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/svg+xml")
    assert ">SSJ</text>" in image.text
    assert web.get("/demo/images/%3Cscript%3E.svg").status_code == 404
