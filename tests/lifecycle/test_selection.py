"""Typed attributes, lists, filters and picks over the demo catalog."""

from lifecycle.shop.attributes import BY_KEY
from lifecycle.shop.facts import Shop
from lifecycle.understanding.attributes import asked_features, find_attribute, find_superlative, has_feature
from lifecycle.understanding.pointing import pick_from
from lifecycle.understanding.selection import parse_selection, select


def skus(shop: Shop, text: str) -> list[str]:
    return [product.sku for product in select(shop, parse_selection(text, shop))]


def test_attributes_are_typed_and_found_in_questions(shop: Shop) -> None:
    assert shop.by_sku["HS-200"].weight_g == 210 and shop.by_sku["HS-200"].wireless
    assert shop.by_sku["LT-100"].lumen == 2500 and shop.by_sku["LT-100"].battery_hours is None
    assert find_attribute("how bright is it?", shop) == BY_KEY["lumen"]
    assert find_attribute("how many people is it for?", shop) == BY_KEY["max_people"]
    assert find_attribute("what does it weigh", shop) == BY_KEY["weight_g"]
    assert find_superlative("the lightest headset", shop) == (BY_KEY["weight_g"], False)


def test_yes_no_features_come_from_the_catalog_not_neighbours(shop: Shop) -> None:
    noise = asked_features("does it have noise cancelling?", shop)
    assert has_feature(shop.by_sku["HS-200"], noise, shop) == "active noise cancelling"
    assert has_feature(shop.by_sku["HS-100"], noise, shop) is None  # a noise-reducing mic is not noise cancelling
    assert has_feature(shop.by_sku["CAM-300"], asked_features("hdmi?", shop), shop) == "HDMI"
    assert has_feature(shop.by_sku["HS-100"], asked_features("is it wireless", shop), shop) is None
    assert asked_features("is it waterproof", shop) == frozenset()


def test_lists_filter_on_category_price_features_and_attributes(shop: Shop) -> None:
    assert skus(shop, "what speakerphones do you have") == ["SP-100", "SP-200"]
    assert skus(shop, "which webcams have autofocus") == ["CAM-200"]
    assert skus(shop, "webcams under 60 euros with autofocus") == []
    assert skus(shop, "speakerphones with a battery") == ["SP-100"]
    assert skus(shop, "cameras that film in 4k") == ["CAM-200", "CAM-300"]
    assert skus(shop, "the lightest headset") == ["HS-100", "HS-300", "HS-200"]


def test_the_first_one_and_the_cheaper_of_the_two(shop: Shop) -> None:
    shown = [shop.by_sku["CAM-200"], shop.by_sku["CAM-100"]]
    assert pick_from("the first one", shown) == [shop.by_sku["CAM-200"]]
    assert pick_from("is the cheaper of the two in stock", shown) == [shop.by_sku["CAM-100"]]
    assert pick_from("is it in stock", shown) == []


def test_loyalty_arithmetic_is_one_rule(shop: Shop) -> None:
    rules = shop.policies.loyalty
    assert rules.points_for(__import__("decimal").Decimal("75.90")) == 75
    assert rules.vouchers_for(250)[0] == 2 and str(rules.vouchers_for(250)[1]) == "10"
