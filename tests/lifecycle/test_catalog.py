import pytest

from lifecycle.shop.catalog import Catalog
from lifecycle.shop.facts import Shop


@pytest.mark.parametrize(
    ("text", "skus"),
    [
        ("how much is the lumo pro?", ["CAM-200"]),
        ("is the calla wirless in stock", ["HS-200"]),
        ("Calla Duo Office Headset", ["HS-300"]),
        ("lummo room price", ["CAM-300"]),
        ("specs of hs200", ["HS-200"]),
        ("compare lumo hd, lumo pro 4k and CAM-300", ["CAM-100", "CAM-200", "CAM-300"]),
        ("calla duo vs calla wired", ["HS-300", "HS-100"]),
        ("the vista video bar", ["VB-100"]),
        ("how do I file a tax return", []),
    ],
)
def test_finds_products_by_partial_or_misspelt_name_or_sku(shop: Shop, text: str, skus: list) -> None:
    match = Catalog(shop).find(text)
    assert [p.sku for p in match.products] == skus
    assert match.ambiguous == []


def test_a_brand_alone_is_ambiguous_not_guessed(shop: Shop) -> None:
    match = Catalog(shop).find("tell me about the lumo")
    assert match.products == []
    assert [p.sku for p in match.ambiguous[0]] == ["CAM-100", "CAM-200", "CAM-300"]
