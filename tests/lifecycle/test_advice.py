from decimal import Decimal

from lifecycle.shop.facts import Shop
from lifecycle.understanding.advice import Need, find_superlative, parse_need, recommend, superlative


def test_parses_category_budget_people_noise_and_wireless(shop: Shop) -> None:
    assert parse_need("a headset for a noisy office under 100 euros", shop) == Need(
        "headset", Decimal("100"), None, True, False)
    assert parse_need("webcam for a room of 8 people", shop) == Need("webcam", None, 8, False, False)
    assert parse_need("speakerphone for six people, max 300€", shop).people == 6
    assert parse_need("speakerphone for six people, max 300€", shop).budget_eur == Decimal("300")
    assert parse_need("bluetooth headset", shop).wireless is True


def test_recommends_within_constraints_and_sets_out_of_stock_aside(shop: Shop) -> None:
    advice = recommend(shop, parse_need("headset for a noisy office under 100 euros", shop))
    assert [pick.product.sku for pick in advice.picks] == ["HS-100"]
    assert [p.sku for p in advice.out_of_stock_matches] == ["HS-300"]
    assert "feature:noise-reducing boom microphone" in advice.picks[0].reasons


def test_recommends_for_room_size(shop: Shop) -> None:
    advice = recommend(shop, parse_need("speakerphone for a meeting of 10", shop))
    assert [pick.product.sku for pick in advice.picks] == ["SP-200"]
    assert "people" in advice.picks[0].reasons


def test_nothing_fits_is_empty_not_a_guess(shop: Shop) -> None:
    assert recommend(shop, parse_need("webcam under 20 euros", shop)).picks == []


def test_superlatives(shop: Shop) -> None:
    def leader(text: str, category: str | None = None) -> str | None:
        ranking = find_superlative(text, shop)
        assert ranking is not None
        product = superlative(shop, ranking, category)
        return product.sku if product else None

    assert leader("cheapest webcam", "webcam") == "CAM-100"
    assert leader("best rated headset", "headset") == "HS-200"
    assert leader("widest field of view", "webcam") == "CAM-300"
    assert leader("cheapest") == "HS-100"
