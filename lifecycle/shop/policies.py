"""Answers to policy questions, worked out from shop.yml for a given country.

Kept apart from the wording (the actions own that) so the same figures serve the
chat, the cart-recovery message and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lifecycle.shop.facts import Rate, Shop
from lifecycle.shop.geo import in_eu

OTHER_EU = "other_EU"


@dataclass(frozen=True)
class ShippingQuote:
    country: str
    shipped: bool
    standard: Rate | None
    express: Rate | None
    free_from_eur: Decimal
    zone: str  # the shop.yml key the rate came from: a country code or other_EU


OUTSIDE_EU = "outside_EU"


def shipping_for(shop: Shop, country: str) -> ShippingQuote:
    """The rates for a country: its own, else the other-EU rate, else shop.yml's `outside_EU`
    (a rate, or "not shipped")."""
    shipping = shop.policies.shipping
    if country in shipping.standard:
        zone, rate = country, shipping.standard[country]
    elif in_eu(country):
        zone, rate = OTHER_EU, shipping.standard[OTHER_EU]
    elif isinstance(shipping.outside_EU, Rate):
        zone, rate = OUTSIDE_EU, shipping.outside_EU
    else:
        return ShippingQuote(country, False, None, None, shipping.free_from_eur, OUTSIDE_EU)
    return ShippingQuote(country, True, rate, shipping.express.get(country), shipping.free_from_eur, zone)


def ships_free(shop: Shop, cart_total_eur: Decimal, service: str = "standard") -> bool:
    """The free-shipping rule: from shop.yml's threshold, for the services it applies to."""
    shipping = shop.policies.shipping
    return service in shipping.free_applies_to and cart_total_eur >= shipping.free_from_eur


def ships_outside_eu(shop: Shop) -> bool:
    return isinstance(shop.policies.shipping.outside_EU, Rate)


def free_shipping_gap(shop: Shop, cart_total_eur: Decimal) -> Decimal:
    """How much more the cart needs to ship free; zero when it already does."""
    return max(Decimal("0.00"), shop.policies.shipping.free_from_eur - cart_total_eur)


def shipping_cost(shop: Shop, country: str, cart_total_eur: Decimal) -> Decimal | None:
    """Standard shipping for a cart; None where the shop does not ship."""
    quote = shipping_for(shop, country)
    if not quote.shipped or quote.standard is None:
        return None
    return Decimal("0.00") if ships_free(shop, cart_total_eur) else quote.standard.price_eur


def return_label_price(shop: Shop, country: str) -> Decimal:
    returns = shop.policies.returns
    return Decimal("0.00") if country in returns.free_label_in else returns.label_price_eur


def local_payment_methods(shop: Shop, country: str) -> list[str]:
    return list(shop.policies.payment.by_country.get(country, []))


def express_countries(shop: Shop) -> list[str]:
    return list(shop.policies.shipping.express)
