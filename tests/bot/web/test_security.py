"""The web app's edges, as an attacker meets them: limits, identity, headers, throttles, roles."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.guards import LoginThrottle
from bot.web.identity import VISITOR_COOKIE
from lifecycle.people.accounts import Accounts
from lifecycle.settings import SettingsError, load_settings
from lifecycle.storage.models import Order, ShopEvent
from tests.conftest import prepared_app
from tests.web import state

PASSWORD = "correct horse battery"
KEY = {"Authorization": "Bearer test-key-0123456789"}
SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def web(shop_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path),
                              "SHOPMATE_SCHEDULER": "off", "SHOPMATE_API_KEY": "test-key-0123456789"})
    with TestClient(prepared_app(settings), client=("127.0.0.1", 50000)) as client:
        accounts = Accounts(state(client).database)
        for name, role in (("sam", "support"), ("mia", "marketing"), ("ada", "admin")):
            accounts.create_user(name, PASSWORD, role)
        yield client


def count(web: TestClient, model) -> int:  # type: ignore[no-untyped-def]
    with state(web).database.session() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def login(web: TestClient, user: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    token = web.get("/console/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    return web.post("/console/login", data={"csrf_token": token, "username": user, "password": password},
                    follow_redirects=False)


def test_a_body_over_a_megabyte_is_refused_before_it_is_read(web: TestClient) -> None:
    before = count(web, ShopEvent)
    big = b'{"type": "page_view", "event_id": "x", "visitor_id": "v", "url": "' + b"a" * 1_100_000 + b'"}'
    response = web.post("/api/events", content=big, headers={**KEY, "Content-Type": "application/json"})
    assert response.status_code == 413 and "over the limit" in response.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it arrives
        yield b'{"type": "page_view", "event_id": "y", "visitor_id": "v", "url": "'
        for _ in range(12):
            yield b"a" * 100_000
        yield b'"}'

    streamed = web.post("/api/events", content=chunks(), headers={**KEY, "Content-Type": "application/json"})
    assert streamed.status_code == 413, streamed.text
    assert count(web, ShopEvent) == before


def test_a_cart_of_ten_thousand_lines_is_refused(web: TestClient) -> None:
    items = [{"sku": "CAM-100", "qty": 1}] * 10_000
    response = web.post("/api/events", headers=KEY, json={"type": "cart_updated", "event_id": "big",
                                                          "visitor_id": "v", "items": items})
    assert response.status_code in (413, 422)
    small = [{"sku": "CAM-100", "qty": 1}] * 101
    refused = web.post("/api/events", headers=KEY, json={"type": "cart_updated", "event_id": "big2",
                                                         "visitor_id": "v", "items": small})
    assert refused.status_code == 422 and "100" in str(refused.json())
    assert count(web, ShopEvent) == 0


def test_the_widget_gets_a_signed_link_for_the_visitor_its_cookie_names(web: TestClient) -> None:
    page = web.get("/")
    visitor_cookie = page.cookies[VISITOR_COOKIE]
    assert "httponly" in page.headers["set-cookie"].lower()
    linked = web.post("/widget/identity", json={"conversation": SECRET}).json()
    assert linked["visitor_id"] == visitor_cookie.split(".")[0]
    assert state(web).links.verify(SECRET, linked["identity"]) == linked["visitor_id"]
    # a forged cookie (someone else's visitor id, no valid signature) gets a new visitor, not the victim
    web.cookies.set(VISITOR_COOKIE, "victim-visitor.0000")
    forged = web.post("/widget/identity", json={"conversation": SECRET}).json()
    assert forged["visitor_id"] != "victim-visitor"
    assert web.post("/widget/identity", json={"conversation": "short"}).status_code == 422


def test_the_shop_backend_signs_links_with_its_key(web: TestClient) -> None:
    body = {"visitor_id": "shop-customer-7", "conversation": SECRET}
    assert web.post("/api/identity", json=body).status_code == 401
    token = web.post("/api/identity", json=body, headers=KEY).json()["identity"]
    assert state(web).links.verify(SECRET, token) == "shop-customer-7"
    assert web.post("/api/identity", json={**body, "visitor_id": "anon-x"}, headers=KEY).status_code == 422


def test_history_needs_the_conversation_secret_and_is_not_shared_with_other_sites(web: TestClient) -> None:
    assert web.post("/widget/history", json={"conversation": "v-1"}).status_code == 422
    assert web.post("/widget/history", json={"conversation": "a b c d e f g h i j k l"}).status_code == 422
    assert web.post("/widget/history", json=[SECRET]).status_code == 422
    response = web.post("/widget/history", json={"conversation": SECRET})
    assert response.status_code == 200 and response.json() == {"messages": []}
    assert "access-control-allow-origin" not in response.headers


def test_demo_events_only_from_this_machine_for_the_cookie_visitor_priced_from_the_catalog(
        web: TestClient, shop_dir: Path, tmp_path: Path) -> None:
    event = {"type": "order_placed", "items": [{"sku": "CAM-200", "qty": 2}], "total_eur": "0.01",
             "visitor_id": "victim"}
    assert web.post("/demo/events", json=event).status_code == 403  # no visitor cookie yet
    web.get("/")
    assert web.post("/demo/events", json=event).status_code == 200
    with state(web).database.session() as session:
        order = session.execute(select(Order)).scalar_one()
        assert order.total_cents == 25800  # 2 x 129.00 from the catalog, not the 0.01 the browser sent
    settings = state(web).settings
    with TestClient(web.app, client=("203.0.113.9", 40000), cookies=dict(web.cookies)) as outside:
        assert outside.post("/demo/events", json=event).status_code == 403
    production = load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path / "p"),
                                "SHOPMATE_SCHEDULER": "off", "SHOPMATE_PROFILE": "production",
                                "SHOPMATE_API_KEY": "k" * 20, "SHOPMATE_RASA_TOKEN": "r" * 20,
                                "SHOPMATE_ACTION_TOKEN": "a" * 20, "SHOPMATE_SECRET_KEY": "s" * 20,
                                "SHOPMATE_DATABASE_URL": settings.database_url})
    with TestClient(prepared_app(production), client=("127.0.0.1", 1)) as prod:
        prod.get("/")
        assert prod.post("/demo/events", json=event).status_code == 404
        assert "secure" in prod.get("/").headers["set-cookie"].lower()


def test_production_refuses_to_start_without_its_secrets(shop_dir: Path, tmp_path: Path) -> None:
    base = {"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path), "SHOPMATE_PROFILE": "production",
            "SHOPMATE_API_KEY": "k" * 20, "SHOPMATE_ACTION_TOKEN": "a" * 20, "SHOPMATE_SECRET_KEY": "s" * 20}
    with pytest.raises(SettingsError, match="SHOPMATE_RASA_TOKEN"):
        load_settings(base)
    with pytest.raises(SettingsError, match="SHOPMATE_SHOP_ORIGINS"):
        load_settings({**base, "SHOPMATE_RASA_TOKEN": "r" * 20, "SHOPMATE_SHOP_ORIGINS": "*"})
    embedded = load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path / "e")})
    assert len(embedded.rasa_token) >= 32 and embedded.rasa_token != embedded.action_token
    again = load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path / "e")})
    assert again.rasa_token == embedded.rasa_token  # made once, kept in var/secrets
    assert (tmp_path / "e" / "secrets" / "rasa-token").stat().st_mode & 0o077 == 0


def test_console_pages_cannot_be_framed_and_the_shop_page_can(web: TestClient) -> None:
    console = web.get("/console/login")
    assert console.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in console.headers["content-security-policy"]
    assert console.headers["referrer-policy"] == "same-origin"
    shop = web.get("/")
    assert "x-frame-options" not in shop.headers and shop.headers["x-content-type-options"] == "nosniff"


def test_a_non_ascii_csrf_token_is_refused_not_a_crash(web: TestClient) -> None:
    web.get("/console/login")
    response = web.post("/console/login", data={"csrf_token": "é", "username": "sam", "password": PASSWORD},
                        follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("error=expired")


def test_failed_logins_are_throttled_per_user_and_the_app_keeps_answering(web: TestClient) -> None:
    for _ in range(5):
        assert login(web, "sam", "wrong password").status_code == 303
    started = time.monotonic()
    throttled = login(web, "sam")  # even the right password waits now
    assert throttled.status_code == 429 and "Too many failed logins" in throttled.text
    assert int(throttled.headers["retry-after"]) > 0
    assert web.get("/health").status_code == 200 and time.monotonic() - started < 2
    assert login(web, "mia").status_code == 303  # another user from elsewhere is not locked out


def test_login_throttle_per_address_and_window() -> None:
    now = [1000.0]
    throttle = LoginThrottle(per_address=3, per_user=100, window_seconds=60, clock=lambda: now[0])
    for name in ("a", "b", "c"):
        throttle.failed("198.51.100.7", name)
    assert throttle.wait_seconds("198.51.100.7", "d") > 0
    assert throttle.wait_seconds("198.51.100.8", "d") == 0
    now[0] += 61
    assert throttle.wait_seconds("198.51.100.7", "d") == 0


def test_an_attempt_is_counted_before_the_password_check_and_a_success_gives_it_back() -> None:
    throttle = LoginThrottle(per_address=3, per_user=100, window_seconds=60, clock=lambda: 1000.0)
    assert [throttle.attempt("198.51.100.7", f"user{n}") for n in range(4)][:3] == [0, 0, 0]
    assert throttle.attempt("198.51.100.7", "user9") > 0  # the fourth concurrent guess is refused up front
    office = LoginThrottle(per_address=3, per_user=100, window_seconds=60, clock=lambda: 1000.0)
    for _ in range(10):  # colleagues logging in all day from one address are not guessing
        assert office.attempt("192.0.2.1", "ann") == 0
        office.succeeded("ann", "192.0.2.1")


async def test_at_most_two_password_hashes_run_at_once_and_a_flood_is_refused() -> None:
    import asyncio

    from bot.guards import Busy, HashingSlots

    slots = HashingSlots(size=2, queue=2)
    running, most, refused = 0, 0, 0

    async def login() -> None:
        nonlocal running, most, refused
        try:
            async with slots.slot():
                running += 1
                most = max(most, running)
                await asyncio.sleep(0.05)
                running -= 1
        except Busy:
            refused += 1

    await asyncio.gather(*(login() for _ in range(10)))
    assert most == 2 and refused == 6


def test_rasa_client_errors_never_hold_the_token_or_the_conversation_secret() -> None:
    from bot.runner.processes import free_port
    from bot.web.rasa_client import RasaClient, RasaError

    token, secret = "rasa-token-0123456789abcdef", "conversation-secret-0123456789ab"
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2, token=token)  # nothing listens there
    for call in (lambda: client.trigger_intent(secret, "EXTERNAL_ask_nps"), lambda: client.add_events(secret, []),
                 lambda: client.run_action(secret, "action_ask_csat")):
        with pytest.raises(RasaError) as error:
            call()
        assert "not reachable" in str(error.value)
        assert token not in str(error.value) and secret not in str(error.value)


ROUTES = [  # (method, path, roles allowed)
    ("GET", "/console/conversations", {"support", "admin"}),
    ("GET", "/console/conversations/1", {"support", "admin"}),
    ("POST", "/console/conversations/1/review", {"support", "admin"}),
    ("GET", "/console/queue", {"support", "admin"}),
    ("POST", "/console/queue/1/done", {"support", "admin"}),
    ("POST", "/console/conversations/1/assign", {"support", "admin"}),
    ("GET", "/console/pulse", {"support", "admin"}),
    ("POST", "/console/presence", {"support", "admin"}),
    ("GET", "/console/live/1/canned", {"support", "admin"}),
    ("GET", "/console/canned", {"admin"}),
    ("POST", "/console/canned", {"admin"}),
    ("GET", "/console/profile", {"support", "marketing", "admin"}),
    ("POST", "/console/profile", {"support", "marketing", "admin"}),
    ("GET", "/console/feedback", {"marketing", "admin"}),
    ("GET", "/console/feedback.csv", {"marketing", "admin"}),
    ("GET", "/console/insights", {"marketing", "admin"}),
    ("GET", "/console/insights/conversion.csv", {"marketing", "admin"}),
    ("GET", "/console/people", {"admin"}),
    ("GET", "/console/people/export?visitor=nobody", {"admin"}),
    ("POST", "/console/people/forget", {"admin"}),
]


@pytest.mark.parametrize("role", ["support", "marketing", "admin", None])
def test_every_console_route_decides_by_role(web: TestClient, role: str | None) -> None:
    users = {"support": "sam", "marketing": "mia", "admin": "ada"}
    if role:
        login(web, users[role])
    for method, path, allowed in ROUTES:
        response = web.request(method, path, data={"csrf_token": "x"}, follow_redirects=False)
        if role is None:
            assert response.status_code == 303 and response.headers["location"] == "/console/login", path
        elif role in allowed:
            # allowed in: a page, a CSRF refusal for a forged form, or "no such thing" (never 401/403 by role)
            assert response.status_code in (200, 403, 404), (path, response.status_code)
            if response.status_code == 403:
                assert "form has expired" in response.text, path
        else:
            assert response.status_code == 403 and "this page is for" in response.text, (role, path)


def test_a_mail_is_shown_to_marketing_in_a_sandbox_with_its_script_escaped_and_never_to_support(
        web: TestClient) -> None:
    from lifecycle.customers.identity import customer_for
    from lifecycle.mail.queue import Draft
    from lifecycle.values import utcnow

    mailings = state(web).mailings
    with state(web).database.session() as session:
        customer = customer_for(session, "v-mail", utcnow())
        session.flush()
        mail = mailings.queue.add(session, customer.id, Draft(
            kind="cart_reminder", to_address="ann@example.com", language="en", subject="<b>Your cart</b>",
            text_body="text", html_body="<p style='color:red'>Hello</p><script>alert(1)</script>"))
        session.flush()
        mail_id = mail.id
    login(web, "sam")
    assert web.get(f"/console/mail/{mail_id}/html").status_code == 403
    login(web, "mia")
    page = web.get(f"/console/mail/{mail_id}")
    assert page.status_code == 200 and "&lt;b&gt;Your cart&lt;/b&gt;" in page.text  # the subject, escaped
    assert "frame-src 'self'" in page.headers["content-security-policy"]
    body = web.get(f"/console/mail/{mail_id}/html")
    policy = body.headers["content-security-policy"]
    assert "sandbox" in policy and "script-src" not in policy and "default-src 'none'" in policy
    assert body.headers["x-frame-options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in policy
