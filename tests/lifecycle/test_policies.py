from decimal import Decimal

from lifecycle.shop.facts import Shop
from lifecycle.shop.policies import return_label_price, shipping_cost, shipping_for
from lifecycle.understanding.places import find_country


def test_finds_countries_by_name_alias_and_upper_case_code() -> None:
    assert find_country("how much is shipping to Poland?") == "PL"
    assert find_country("spedizione in Italia") == "IT"
    assert find_country("do you deliver to the UK") == "GB"
    assert find_country("ship it to SE please") == "SE"
    assert find_country("is it free?") is None  # "it" is not Italy


def test_shipping_by_zone(shop: Shop) -> None:
    poland = shipping_for(shop, "PL")
    assert poland.standard is not None and poland.express is not None
    assert poland.standard.price_eur == Decimal("5.90") and poland.standard.days == "2-4"
    assert poland.express.price_eur == Decimal("13.90")
    germany = shipping_for(shop, "DE")
    assert germany.standard is not None
    assert germany.zone == "other_EU" and germany.standard.price_eur == Decimal("9.90") and germany.express is None
    assert shipping_for(shop, "CH").shipped is False


def test_cart_shipping_cost_honours_free_threshold(shop: Shop) -> None:
    assert shipping_cost(shop, "SE", Decimal("98.99")) == Decimal("6.90")
    assert shipping_cost(shop, "SE", Decimal("99.00")) == Decimal("0.00")
    assert shipping_cost(shop, "US", Decimal("500")) is None


def test_return_label_is_free_only_in_italy_and_poland(shop: Shop) -> None:
    assert return_label_price(shop, "IT") == Decimal("0.00")
    assert return_label_price(shop, "PL") == Decimal("0.00")
    assert return_label_price(shop, "SE") == Decimal("4.90")
