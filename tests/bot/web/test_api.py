"""The shop events, spend and metrics API over HTTP (FastAPI TestClient, a private store)."""

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lifecycle.settings import load_settings
from lifecycle.storage.models import Cart, ShopEvent
from tests.web import state

KEY = {"Authorization": "Bearer test-key-0123456789"}


@pytest.fixture
def web(api: TestClient) -> TestClient:
    return api


def count(web: TestClient, model) -> int:  # type: ignore[no-untyped-def]
    with state(web).database.session() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_events_need_the_api_key(web: TestClient) -> None:
    event = {"type": "page_view", "event_id": "e1", "visitor_id": "v"}
    assert web.post("/api/events", json=event).status_code == 401
    assert web.post("/api/events", json=event, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert web.get("/api/metrics").status_code == 401
    assert count(web, ShopEvent) == 0


def test_one_event_or_a_list_and_repeats_are_not_counted_twice(web: TestClient) -> None:
    cart = {"type": "cart_updated", "event_id": "c1", "visitor_id": "v", "items": [{"sku": "CAM-200", "qty": 1}]}
    assert web.post("/api/events", json=cart, headers=KEY).json() == {"accepted": 1, "duplicates": 0}
    both = [cart, {"type": "checkout_started", "event_id": "k1", "visitor_id": "v"}]
    assert web.post("/api/events", json=both, headers=KEY).json() == {"accepted": 1, "duplicates": 1}
    assert count(web, ShopEvent) == 2
    with state(web).database.session() as session:
        assert session.execute(select(Cart.status)).scalar_one() == "checkout"


def test_bad_event_gets_422_naming_the_field_and_nothing_is_stored(web: TestClient) -> None:
    batch = [{"type": "page_view", "event_id": "p1", "visitor_id": "v"},
             {"type": "order_placed", "event_id": "o1", "visitor_id": "v", "order_id": "A1",
              "items": [{"sku": "CAM-200", "qty": 1}]}]
    response = web.post("/api/events", json=batch, headers=KEY)
    assert response.status_code == 422
    assert response.json()["detail"] == ["event 1, field 'total_eur': field required"]
    unknown = web.post("/api/events", headers=KEY, json={"type": "cart_updated", "event_id": "c", "visitor_id": "v",
                                                          "items": [{"sku": "XX-999", "qty": 1}]})
    assert unknown.status_code == 422 and "'XX-999' is not in the catalog" in unknown.json()["detail"][0]
    assert web.post("/api/events", headers=KEY, json={"type": "shipped"}).status_code == 422
    assert web.post("/api/events", headers=KEY, content=b"not json").status_code == 422
    assert count(web, ShopEvent) == 0


def test_metrics_and_spend(web: TestClient) -> None:
    day = (datetime.now(timezone.utc) - timedelta(days=2)).isoformat()
    events = [{"type": "page_view", "event_id": f"p{v}", "visitor_id": v, "ts": day} for v in "abcd"] + [
        {"type": "order_placed", "event_id": "o1", "visitor_id": "a", "order_id": "A-1", "ts": day,
         "items": [{"sku": "CAM-100", "qty": 1}], "total_eur": "49.90"}]
    assert web.post("/api/events", json=events, headers=KEY).status_code == 200
    start = (datetime.now(timezone.utc) - timedelta(days=7)).isoformat()
    spend = {"period_start": start, "period_end": datetime.now(timezone.utc).isoformat(), "amount_eur": "20.00",
             "impressions": 200}
    assert web.post("/api/spend", json=spend, headers=KEY).status_code == 201
    bad = web.post("/api/spend", json={**spend, "period_end": start}, headers=KEY)
    assert bad.status_code == 422 and "period_end" in str(bad.json())
    result = web.get("/api/metrics", params={"from": start}, headers=KEY).json()
    assert result["aov_eur"] == 49.9 and result["conversion_rate"] == 0.25
    assert result["cac_eur"] == 20.0 and result["cost_per_impression_eur"] == 0.1
    assert result["customers_per_stage"]["conversion"] == 1
    assert web.get("/api/metrics", params={"from": start, "to": start}, headers=KEY).status_code == 422


def test_openapi_describes_the_api(web: TestClient) -> None:
    paths = web.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/spend", "/api/metrics"} <= set(paths)
    assert web.get("/docs").status_code == 200


def test_production_profile_refuses_the_development_key(shop_dir: Path) -> None:
    from lifecycle.settings import SettingsError

    with pytest.raises(SettingsError, match="SHOPMATE_API_KEY"):
        load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_PROFILE": "production"})
