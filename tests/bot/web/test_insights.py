"""Insights with `make demo-data`'s activity: every plotted value is the store's own SQL figure,
and the demo data is the same for the same seed."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import distinct, func, select

from bot.runner.demo_data import DemoDataRefused, end_of_yesterday, load_demo
from lifecycle.settings import load_settings
from lifecycle.storage.database import Database
from lifecycle.storage.models import (
    CartRecovery,
    Conversation,
    Handoff,
    Interaction,
    Order,
    PlaybookSend,
    ShopEvent,
)
from tests.bot.web.conftest import PASSWORD
from tests.web import state

DAYS, VISITORS, SEED = 28, 120, 3
FALLBACKS = ("nlu_fallback", "out_of_scope")
MARK = re.compile(r'class="mark" data-series="([^"]*)" data-x="([^"]*)" data-value="([^"]*)"')


@pytest.fixture
def demo(web: TestClient) -> TestClient:
    playbooks = state(web).settings.shop_dir / "playbooks.yml"  # the demo shop's holdout, as make demo-data has
    playbooks.write_text(playbooks.read_text().replace("holdout_percent: 0", "holdout_percent: 10"))
    load_demo(state(web).settings, SEED, DAYS, VISITORS, progress=False)
    web.post("/console/login", data={"username": "mia", "password": PASSWORD,
                                      "csrf_token": _login_token(web)})
    return web


def _login_token(web: TestClient) -> str:
    web.get("/console/login")
    return web.cookies.get("shopmate_login_csrf") or ""


def _marks(page: str, key: str) -> dict[tuple[str, date], float]:
    svg = page.split(f'data-chart="{key}"', 1)[1].split("</svg>", 1)[0]
    return {(series, date.fromisoformat(x)): float(value.replace(",", "")) for series, x, value in MARK.findall(svg)}


def _week(monday: date, first: date, last: date) -> tuple[datetime, datetime]:
    start = datetime.combine(max(monday, first), time(), timezone.utc)
    end = datetime.combine(min(monday + timedelta(days=7), last + timedelta(days=1)), time(), timezone.utc)
    return start, end


def test_every_plotted_value_is_the_stores_figure(demo: TestClient) -> None:
    last = end_of_yesterday().date() - timedelta(days=1)
    first = last - timedelta(days=DAYS - 1)
    page = demo.get("/console/insights", params={"from": first.isoformat(), "to": last.isoformat()})
    assert page.status_code == 200
    html = page.text
    engine = state(demo).database.engine
    with engine.connect() as db:
        def user_turns(start: datetime, end: datetime, *where: object) -> int:
            return db.execute(select(func.count()).select_from(Interaction).where(
                Interaction.kind == "user", Interaction.at >= start, Interaction.at < end, *where)).scalar_one()

        questions = _marks(html, "questions")
        period = _week(first, first, last)[0], _week(last, first, last)[1]
        asked = Counter(dict(db.execute(select(Interaction.intent, func.count()).where(
            Interaction.kind == "user", Interaction.at >= period[0], Interaction.at < period[1],
            Interaction.intent.startswith("ask_") | Interaction.intent.in_(
                ("product_info", "compare_products", "recommend_product", "request_human")))
            .group_by(Interaction.intent)).all()))
        plotted = {series for series, _ in questions}
        assert len(plotted) == 6 and min(asked[s] for s in plotted) >= sorted(asked.values())[-6]
        assert len(questions) >= 6 * 4
        for (intent, monday), value in questions.items():
            assert value == user_turns(*_week(monday, first, last), Interaction.intent == intent)

        fallbacks = _marks(html, "fallbacks")
        assert sum(fallbacks.values()) > 0
        for (_, monday), value in fallbacks.items():
            assert value == user_turns(*_week(monday, first, last), Interaction.intent.in_(FALLBACKS))

        conversion = _marks(html, "conversion")
        assert len(conversion) >= 4
        for (_, monday), value in conversion.items():
            start, end = _week(monday, first, last)
            buyers = db.execute(select(func.count(distinct(Order.customer_id))).where(
                Order.placed_at >= start, Order.placed_at < end)).scalar_one()
            chatted = select(Conversation.customer_id).join(Interaction).where(
                Interaction.kind == "user", Interaction.at >= start, Interaction.at < end)
            visited = select(ShopEvent.customer_id).where(ShopEvent.ts >= start, ShopEvent.ts < end)
            interacted = db.execute(select(func.count()).select_from(chatted.union(visited).subquery())).scalar_one()
            assert value == pytest.approx(round(100 * buyers / interacted, 1), abs=0.05)

        recovered = _marks(html, "recovered")
        assert sum(recovered.values()) > 0
        for (_, monday), value in recovered.items():
            start, end = _week(monday, first, last)
            cents = db.execute(select(func.coalesce(func.sum(CartRecovery.recovered_cents), 0))
                               .join(Order, Order.id == CartRecovery.recovered_order_id)
                               .where(Order.placed_at >= start, Order.placed_at < end)).scalar_one()
            assert Decimal(str(value)) == Decimal(cents) / 100

        for (_, monday), value in _marks(html, "handoff_reply").items():
            start, end = _week(monday, first, last)
            waits = [(replied - asked_at).total_seconds() / 60 for asked_at, replied in db.execute(
                select(Handoff.requested_at, Handoff.first_reply_at).where(
                    Handoff.first_reply_at.is_not(None), Handoff.requested_at >= start, Handoff.requested_at < end))]
            assert value == round(sum(waits) / len(waits), 1)

        top = db.execute(select(func.lower(func.trim(Interaction.text)), func.count()).where(
            Interaction.kind == "user", Interaction.intent.in_(FALLBACKS), Interaction.at >= period[0],
            Interaction.at < period[1]).group_by(func.lower(func.trim(Interaction.text)))
            .order_by(func.count().desc(), func.lower(func.trim(Interaction.text)))).first()
    listed = html.split("Questions the assistant could not answer")[1].split("</tr>")[1]
    assert f"<td>{top[1]}</td>" in listed and top[0].replace("'", "&#39;") in listed

    exported = demo.get("/console/insights/conversion.csv", params={"from": first.isoformat(), "to": last.isoformat()})
    assert exported.headers["content-type"].startswith("text/csv")
    rows = [line.split(",") for line in exported.text.strip().splitlines()[1:]]
    assert {(date.fromisoformat(x), float(v)) for x, v in rows if v} == {(x, v) for (_, x), v in conversion.items()}


def test_every_chart_has_a_title_axis_labels_and_a_table(demo: TestClient) -> None:
    html = demo.get("/console/insights", params={"days": 30}).text
    charts = re.findall(r'<svg [^>]*data-chart="([a-z_]+)"', html)
    assert len(charts) == 11
    for key in charts:
        svg = html.split(f'data-chart="{key}"', 1)[1].split("</svg>", 1)[0]
        assert '<text x="60" y="18" font-size="14" font-weight="bold">' in svg  # the visible title
        assert "rotate(-90)" in svg  # the y axis label
        assert f'<table class="grid chart-table" data-chart="{key}">' in html
    assert demo.get("/console/insights", params={"days": 13}).status_code == 422
    assert demo.get("/console/insights", params={"from": "2026-02-30", "to": "2026-03-01"}).status_code == 422
    assert demo.get("/console/insights/nope.csv").status_code == 404


def test_the_playbook_table_shows_each_playbooks_sends_against_its_holdout(demo: TestClient) -> None:
    html = demo.get("/console/insights", params={"days": 30}).text
    table = html.split('<table class="grid playbooks">')[1].split("</table>")[0]
    rows = {name: re.findall(r"<td>([^<]*)</td>", row) for name, row in
            re.findall(r'<tr data-playbook="([a-z_]+)">(.*?)</tr>', table, re.S)}
    assert list(rows) == ["first_visit", "welcome_back", "cart_recovery", "order_follow_up", "welcome_back_offer",
                          "review_request"]
    with state(demo).database.reading() as session:
        counted = dict(session.execute(select(PlaybookSend.playbook, func.count()).where(
            PlaybookSend.held_out.is_(False), PlaybookSend.status == "sent").group_by(PlaybookSend.playbook)).all())
        held = dict(session.execute(select(PlaybookSend.playbook, func.count()).where(
            PlaybookSend.held_out.is_(True)).group_by(PlaybookSend.playbook)).all())
    first = rows["first_visit"]  # sent, replied, converted, revenue, rate, held out, rate held out, uplift
    assert int(first[0]) == counted["first_visit"] > 50 and int(first[5]) == held["first_visit"] > 0
    assert int(rows["welcome_back"][0]) == counted.get("welcome_back", 0) > 0
    assert first[7] != "–"  # both groups exist: an uplift is shown
    diagnosis = html.split('<table class="grid diagnosis">')[1].split("</table>")[0]
    assert diagnosis.count("<tr class=") == 5


def test_demo_data_is_the_same_for_a_seed_and_never_loaded_twice(shop_dir: Path, tmp_path: Path) -> None:
    figures = []
    end = end_of_yesterday()
    for run in ("a", "b"):
        settings = load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path / run)})
        summary = load_demo(settings, 11, 14, 60, end=end, progress=False)
        assert summary.conversations > 20 and summary.orders > 5 and summary.feedback > 10
        database = Database.from_url(settings.database_url)
        with database.reading() as session:
            orders = session.execute(select(Order.order_ref, Order.total_cents, Order.placed_at)
                                     .order_by(Order.order_ref)).all()
            said = session.execute(select(Interaction.text, Interaction.at).order_by(Interaction.id)).all()
        database.dispose()
        figures.append((asdict(summary), orders, said))
    assert figures[0] == figures[1]
    with pytest.raises(DemoDataRefused, match="already has the demo data of seed 11"):
        load_demo(settings, 11, 14, 60, end=end, progress=False)
