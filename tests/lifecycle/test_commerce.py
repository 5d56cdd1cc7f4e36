"""Shop events applied to the store: carts, orders, stages, loyalty, all-or-nothing batches."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from lifecycle.commerce.events import EventRejected, EventsInvalid, parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.customers import loyalty, stages
from lifecycle.shop.facts import Shop
from lifecycle.storage.database import Database
from lifecycle.storage.models import Cart, Customer, Order, ShopEvent, StageTransition

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=timezone.utc)  # a Monday


def ev(kind: str, visitor: str, at: datetime = T0, n: int = 1, **fields) -> dict:  # type: ignore[no-untyped-def]
    return {"type": kind, "event_id": f"{kind}-{visitor}-{n}", "visitor_id": visitor, "ts": at.isoformat(), **fields}


def order(visitor: str, ref: str, total: str, at: datetime = T0, sku: str = "CAM-200", **more) -> dict:  # type: ignore[no-untyped-def]
    return ev("order_placed", visitor, at, n=hash(ref) % 10**6, order_id=ref, items=[{"sku": sku, "qty": 1}],
              total_eur=total, **more)


def apply(database: Database, shop: Shop, *events: dict) -> None:
    Commerce(database).apply(parse_events(list(events)), shop, now=T0 + timedelta(days=40))


def customer(database: Database, visitor: str) -> Customer:
    with database.session() as session:
        return session.execute(select(Customer).where(Customer.visitor_id == visitor)).scalar_one()


def test_repeated_event_ids_are_ignored(database: Database, shop: Shop) -> None:
    result = Commerce(database).apply(parse_events([ev("page_view", "v"), ev("page_view", "v")]), shop)
    assert (result.accepted, result.duplicates) == (1, 1)
    again = Commerce(database).apply(parse_events(ev("page_view", "v")), shop)
    assert (again.accepted, again.duplicates) == (0, 1)


def test_a_bad_event_rejects_the_whole_batch(database: Database, shop: Shop) -> None:
    batch = [ev("page_view", "v"), ev("cart_updated", "v", items=[{"sku": "NOPE-1", "qty": 1}])]
    with pytest.raises(EventRejected, match=r"event 1, field 'items.0.sku': 'NOPE-1' is not in the catalog"):
        Commerce(database).apply(parse_events(batch), shop)
    with database.session() as session:
        assert session.execute(select(func.count()).select_from(ShopEvent)).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(Customer)).scalar_one() == 0


def test_validation_names_the_field() -> None:
    with pytest.raises(EventsInvalid) as error:
        parse_events([{"type": "order_placed", "event_id": "e", "visitor_id": "v", "order_id": "o",
                       "items": [{"sku": "CAM-100", "qty": 1}], "total_eur": "-1"}])
    assert error.value.problems == ["event 0, field 'total_eur': ensure this value is greater than or equal to 0"]


def test_cart_is_priced_from_the_catalog_and_closed_by_the_order(database: Database, shop: Shop) -> None:
    apply(database, shop, ev("cart_updated", "v", items=[{"sku": "CAM-200", "qty": 2}, {"sku": "LT-100", "qty": 1}]))
    with database.session() as session:
        cart = session.execute(select(Cart)).scalar_one()
        assert (cart.status, cart.total_cents) == ("open", 2 * 12900 + 5900)
    apply(database, shop, order("v", "o-1", "317.00"))
    with database.session() as session:
        assert session.execute(select(Cart.status)).scalar_one() == "ordered"
        assert session.execute(select(Order.cart_id)).scalar_one() == cart.id


def test_stages_move_forward_with_reasons(database: Database, shop: Shop) -> None:
    apply(database, shop, ev("page_view", "v", T0), ev("product_view", "v", T0 + timedelta(minutes=1), sku="HS-200"),
          order("v", "o-1", "149.00", T0 + timedelta(minutes=5)),
          ev("newsletter_signup", "v", T0 + timedelta(minutes=6)),
          ev("review_written", "v", T0 + timedelta(days=3), sku="HS-200", rating=5))
    with database.session() as session:
        moves = session.execute(select(StageTransition.from_stage, StageTransition.to_stage, StageTransition.reason)
                                .order_by(StageTransition.id)).all()
    assert moves == [
        (None, "awareness", "first contact"),
        ("awareness", "engagement", "viewed HS-200 in the shop"),
        ("engagement", "conversion", "first order"),
        ("conversion", "retention", "signed up for the newsletter after an order"),
        ("retention", "advocacy", "reviewed HS-200"),
    ]


def test_quiet_retained_customers_are_flagged_and_a_new_order_clears_the_flag(database: Database, shop: Shop) -> None:
    apply(database, shop, order("v", "o-1", "50.00", T0), order("v", "o-2", "50.00", T0 + timedelta(days=1)))
    assert customer(database, "v").stage == "retention"
    with database.session() as session:
        assert stages.flag_quiet_customers(session, T0 + timedelta(days=30), after_days=60) == 0
        assert stages.flag_quiet_customers(session, T0 + timedelta(days=70), after_days=60) == 1
        assert stages.flag_quiet_customers(session, T0 + timedelta(days=71), after_days=60) == 0
    assert customer(database, "v").reengage_flagged_at is not None
    apply(database, shop, order("v", "o-3", "50.00", T0 + timedelta(days=72)))
    assert customer(database, "v").reengage_flagged_at is None


def test_loyalty_points_from_events(database: Database, shop: Shop) -> None:
    apply(database, shop, ev("loyalty_joined", "v"), ev("profile_completed", "v"), ev("loyalty_joined", "v", n=2),
          order("v", "o-1", "129.90", T0), order("v", "o-2", "10.00", T0 + timedelta(days=1)),
          order("v", "o-3", "10.00", T0 + timedelta(days=2)))
    with database.session() as session:
        person = session.execute(select(Customer).where(Customer.visitor_id == "v")).scalar_one()
        # 100 welcome (once) + 50 profile + 129 + 10 + 10 per euro + 150 for three purchases in June
        assert loyalty.balance(session, person) == 100 + 50 + 129 + 10 + 10 + 150


def test_referral_pays_both_on_the_first_purchase_only(database: Database, shop: Shop) -> None:
    apply(database, shop, ev("referral", "anna", invited_visitor_id="ben"), order("ben", "o-1", "20.00"),
          order("ben", "o-2", "20.00", T0 + timedelta(days=1)))
    with database.session() as session:
        anna, ben = (session.execute(select(Customer).where(Customer.visitor_id == v)).scalar_one()
                     for v in ("anna", "ben"))
        assert loyalty.balance(session, anna) == 200
        assert loyalty.balance(session, ben) == 200 + 20 + 20
        assert anna.stage == "advocacy"


def test_family_pools_points_up_to_the_limit_and_redeems_in_steps(database: Database, shop: Shop) -> None:
    members = [f"m{i}" for i in range(4)]
    apply(database, shop, *[ev("family_joined", m, family="Rossi") for m in members],
          *[ev("loyalty_joined", m) for m in members])
    with database.session() as session:
        first = session.execute(select(Customer).where(Customer.visitor_id == "m0")).scalar_one()
        assert loyalty.standing(session, first, shop.policies.loyalty).points == 400
    with pytest.raises(EventRejected, match="maximum of 4 members"):
        apply(database, shop, ev("family_joined", "m4", family="Rossi"))
    with pytest.raises(EventRejected, match="steps of 100"):
        apply(database, shop, ev("points_redeemed", "m0", points=150))
    with pytest.raises(EventRejected, match="only 400 points available"):
        apply(database, shop, ev("points_redeemed", "m0", points=500))
    apply(database, shop, ev("points_redeemed", "m0", points=300))
    with database.session() as session:
        first = session.execute(select(Customer).where(Customer.visitor_id == "m1")).scalar_one()
        standing = loyalty.standing(session, first, shop.policies.loyalty)
        assert (standing.points, standing.vouchers, standing.family_members) == (100, 1, 4)


def test_a_cart_of_variants_is_priced_by_each_variant(shop_dir, database: Database) -> None:  # type: ignore[no-untyped-def]
    """A shop with sizes puts the variant's SKU in the cart (the L tee costs more than the S)."""
    import shutil
    from pathlib import Path

    from lifecycle.shop.loader import load_shop

    export = Path(__file__).parent / "shop" / "catalogs" / "shopify_products_export.csv"
    shutil.copy(export, shop_dir / "catalog.csv")
    apparel = load_shop(shop_dir)
    apply(database, apparel, ev("cart_updated", "v", items=[{"sku": "NP-TEE-S-BLU", "qty": 1},
                                                            {"sku": "NP-TEE-L-RED", "qty": 2}]),
          ev("product_view", "v", n=2, sku="NP-TEE-L-RED"))
    with database.session() as session:
        assert session.execute(select(Cart.total_cents)).scalar_one() == 4500 + 2 * 4900
    with pytest.raises(EventRejected, match="NP-TEE-XXL"):
        apply(database, apparel, ev("cart_updated", "w", items=[{"sku": "NP-TEE-XXL", "qty": 1}]))


def test_the_shops_first_name_is_kept_for_the_agents_and_a_later_event_without_it_keeps_it(
        database: Database, shop: Shop) -> None:
    apply(database, shop, ev("newsletter_signup", "v-g", email="giulia@example.it", first_name=" Giulia "))
    apply(database, shop, order("v-g", "G-1", "49.90", at=T0 + timedelta(days=1)))
    assert customer(database, "v-g").first_name == "Giulia"
    with pytest.raises(EventsInvalid, match="first_name"):
        parse_events([ev("newsletter_signup", "v-h", first_name="x" * 41)])
