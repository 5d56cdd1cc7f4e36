from decimal import Decimal
from pathlib import Path

import pytest

from lifecycle.shop.facts import Shop
from lifecycle.shop.loader import ShopDataError, ShopSource, load_shop


def test_loads_the_demo_shop(shop_dir: Path) -> None:
    shop = load_shop(shop_dir)
    assert shop.policies.shop.name == "DeskWorks"
    assert len(shop.products) == 11
    assert shop.by_sku["CAM-200"].price_eur == Decimal("129.00")
    assert shop.by_sku["HS-300"].in_stock is False
    assert shop.policies.shipping.standard["PL"].price_eur == Decimal("5.90")
    assert shop.policies.payment.cash_on_delivery_offered is False
    assert shop.policies.payment.by_country["RO"] == []


def test_a_bad_row_is_skipped_and_logged_with_file_line_and_field(shop_dir: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    catalog = shop_dir / "catalog.csv"
    catalog.write_text(catalog.read_text().replace("129.00", "cheap"))
    shop = load_shop(shop_dir)
    assert len(shop.products) == 10 and "CAM-200" not in shop.by_sku
    logged = caplog.text
    assert "catalog.csv" in logged and "skipped 1 rows" in logged and "line 3" in logged
    assert "CAM-200" in logged and "price_eur" in logged


def test_a_duplicate_sku_is_skipped(shop_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    catalog = shop_dir / "catalog.csv"
    catalog.write_text(catalog.read_text().replace("CAM-300,", "CAM-200,"))
    shop = load_shop(shop_dir)
    assert len(shop.products) == 10 and "line 4: sku 'CAM-200': already used on line 3" in caplog.text


def test_a_catalog_with_no_good_row_stops_the_start(shop_dir: Path) -> None:
    catalog = shop_dir / "catalog.csv"
    catalog.write_text(catalog.read_text().splitlines()[0] + "\nCAM-1,x,webcam,free,1,4,1,2\n")
    with pytest.raises(ShopDataError, match="no products that load.*line 2"):
        load_shop(shop_dir)


def test_missing_policy_field_is_named(shop_dir: Path) -> None:
    policies = shop_dir / "shop.yml"
    policies.write_text(policies.read_text().replace("  window_days: 30", "  window_days: thirty"))
    with pytest.raises(ShopDataError, match=r"shop.yml, line \d+: field 'returns.window_days'"):
        load_shop(shop_dir)


def test_unreadable_agent_hours_are_refused(shop_dir: Path) -> None:
    policies = shop_dir / "shop.yml"
    policies.write_text(policies.read_text().replace("Monday to Friday, 09:00-18:00 CET", "office hours"))
    with pytest.raises(ShopDataError, match="support.human_agents"):
        load_shop(shop_dir)


def test_edits_reach_a_running_process_and_bad_edits_keep_the_last_good_shop(shop_dir: Path) -> None:
    source = ShopSource(shop_dir)
    assert source.get().policies.shipping.free_from_eur == Decimal("99.00")
    policies = shop_dir / "shop.yml"
    text = policies.read_text()
    policies.write_text(text.replace("free_from_eur: 99.00", "free_from_eur: 79.00"))
    assert source.get().policies.shipping.free_from_eur == Decimal("79.00")
    policies.write_text("shop: [broken")
    assert source.get().policies.shipping.free_from_eur == Decimal("79.00")


def test_a_misspelt_key_in_shop_yml_is_named(shop_dir: Path) -> None:
    path = shop_dir / "shop.yml"
    path.write_text(path.read_text().replace("  express:", "  expres:", 1))
    line = path.read_text().splitlines().index("  expres:") + 1
    with pytest.raises(ShopDataError,
                       match=rf"shop.yml, line {line}: field 'shipping.expres'.*extra fields not permitted"):
        load_shop(shop_dir)


def test_an_unknown_catalog_column_is_named(shop_dir: Path) -> None:
    path = shop_dir / "catalog.csv"
    lines = path.read_text().splitlines()
    lines[0] += ",colour"
    lines[1:] = [line + ",black" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ShopDataError, match="colour"):
        load_shop(shop_dir)


def test_a_category_without_words_is_known_by_its_name_and_logged(shop_dir: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    path = shop_dir / "shop.yml"
    text = path.read_text()
    start = text.index("  monitor: [")
    end = text.index("\n", text.index("]", start))
    path.write_text(text[:start] + text[end + 1:])
    shop = load_shop(shop_dir)  # an imported catalog's categories work before anyone describes them
    assert shop.policies.categories["monitor"] == ["monitor"]
    assert "categories has no words for monitor" in caplog.text


def test_rules_once_in_code_are_shop_data(shop: Shop) -> None:
    """Express is never free, nothing ships outside the EU, and the monthly bonus: all from shop.yml."""
    from lifecycle.shop.policies import shipping_for, ships_free

    assert ships_free(shop, Decimal("150")) and not ships_free(shop, Decimal("150"), "express")
    assert not shipping_for(shop, "US").shipped
    assert shop.policies.loyalty.monthly_bonus.purchases == 3 and shop.policies.loyalty.monthly_bonus.points == 150
