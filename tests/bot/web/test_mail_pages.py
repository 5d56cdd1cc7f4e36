"""The public pages a mail links to: a GET never changes anything, a POST does it once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lifecycle.commerce.events import parse_events
from lifecycle.settings import load_settings
from lifecycle.storage.models import Feedback, Order
from tests.conftest import prepared_app
from tests.web import state


@pytest.fixture
def web(shop_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path),
                              "SHOPMATE_SCHEDULER": "off"})
    with TestClient(prepared_app(settings), client=("127.0.0.1", 50000)) as client:
        yield client


def test_an_nps_link_records_the_score_once_and_only_when_sent(web: TestClient) -> None:
    app = state(web)
    app.commerce.apply(parse_events([
        {"type": "order_placed", "event_id": "o-1", "visitor_id": "ola", "order_id": "N-1",
         "items": [{"sku": "CAM-100", "qty": 1}], "total_eur": "49.90"}]), app.shop_source.get())
    with app.database.session() as session:
        order = session.execute(select(Order)).scalar_one()
        order.nps_requested_at = order.placed_at  # the follow-up mail asked
        token = app.mailings.links.token("nps", order.id)

    def scores() -> list[int]:
        with app.database.reading() as session:
            return list(session.execute(select(Feedback.rating).where(Feedback.kind == "nps")).scalars())

    page = web.get(f"/mail/nps/{token}", params={"score": "9"})
    assert page.status_code == 200 and "<strong>9</strong>" in page.text and scores() == []  # a GET only asks
    assert web.post(f"/mail/nps/{token}", data={"score": "9"}).status_code == 200
    assert web.post(f"/mail/nps/{token}", data={"score": "2"}).status_code == 200
    assert scores() == [9]  # once per question
    assert web.get(f"/mail/nps/{token}", params={"score": "11"}).status_code == 400
    assert web.post(f"/mail/nps/{token[:-2]}xx", data={"score": "9"}).status_code == 400  # a changed link
    assert web.get("/mail/confirm/1.2.nope").status_code == 400
