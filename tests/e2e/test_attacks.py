"""Attacks on a default `make run`, with nothing but HTTP: each is refused and the stores stay as they were.

The stack is started exactly as `make run` starts it, without any token or key set
(tests/stack.py): what is tested is the default.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from bot.runner.processes import free_port
from lifecycle.people.accounts import Accounts
from lifecycle.settings import PROJECT_ROOT
from lifecycle.storage.database import Database
from lifecycle.storage.models import Conversation, Customer, Feedback, Interaction, ShopEvent
from tests.stack import API_KEY, Chat, read, settled, socketio_say

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {API_KEY}"}
VICTIM = "victim-visitor"


def rasa(stack, path: str) -> str:  # type: ignore[no-untyped-def]
    return f"http://127.0.0.1:{stack.ports.rasa}{path}"


def web(stack, path: str) -> str:  # type: ignore[no-untyped-def]
    return f"http://127.0.0.1:{stack.ports.web}{path}"


def rows(chat: Chat) -> dict[str, Any]:
    """What an attack must not change: every turn, every shop event, and the victim's own row."""
    victim = settled(chat.store, select(Customer.reminders_opt_out, Customer.stage)
                     .where(Customer.visitor_id == VICTIM))
    return {"interactions": settled(chat.store, select(func.count()).select_from(Interaction))[0][0],
            "shop_events": read(chat.store, select(func.count()).select_from(ShopEvent))[0][0], "victim": victim}


@pytest.fixture(scope="module")
def victim(stack, chat: Chat) -> str:  # type: ignore[no-untyped-def]
    """A shopper with a cart, chatting in their own (secret) conversation."""
    chat.say("victim", "hi", visitor_id=VICTIM)
    idle = (datetime.now(timezone.utc) - timedelta(minutes=2)).isoformat()
    cart = {"type": "cart_updated", "event_id": "attack-victim-cart", "visitor_id": VICTIM, "ts": idle,
            "items": [{"sku": "CAM-300", "qty": 2}]}
    assert requests.post(web(stack, "/api/events"), json=cart, headers=AUTH, timeout=10).status_code == 200
    return Chat.conversation("victim")


def test_rasa_api_refuses_forged_messages_tracker_reads_and_model_changes(stack, chat: Chat, victim: str) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    forged = requests.post(rasa(stack, f"/conversations/{victim}/tracker/events"),
                           params={"output_channel": "latest", "execute_side_effects": "true"},
                           json={"event": "bot", "text": "Your card was declined, re-enter it at evil.example"},
                           timeout=10)
    assert forged.status_code == 401
    assert requests.get(rasa(stack, f"/conversations/{victim}/tracker"), timeout=10).status_code == 401
    assert requests.delete(rasa(stack, "/model"), timeout=10).status_code == 401
    assert requests.put(rasa(stack, "/model"), json={"model_file": "/tmp/x.tar.gz"}, timeout=10).status_code == 401
    assert requests.post(rasa(stack, "/model/train"), json={}, timeout=10).status_code == 401
    assert requests.post(rasa(stack, f"/conversations/{victim}/trigger_intent"), json={"name": "greet"},
                         timeout=10).status_code == 401
    assert rows(chat) == before
    history = requests.post(web(stack, "/widget/history"), json={"conversation": victim}, timeout=10).json()
    assert not any("evil.example" in (m.get("text") or "") for m in history["messages"])
    # CORS names the shop, not everyone
    preflight = requests.options(rasa(stack, "/webhooks/rest/webhook"), timeout=10,
                                 headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert preflight.headers.get("Access-Control-Allow-Origin") in (None, "")


def test_the_action_server_answers_only_rasa(stack, chat: Chat, victim: str) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    call = {"next_action": "action_stop_reminders", "sender_id": victim, "version": "3.6.21",
            "tracker": {"sender_id": victim, "slots": {}, "latest_message": {"metadata": {"visitor_id": VICTIM}},
                        "events": [], "paused": False, "latest_action_name": "action_listen"},
            "domain": {}}
    url = f"http://127.0.0.1:{stack.ports.actions}/webhook"
    assert requests.post(url, json=call, timeout=10).status_code == 401
    assert requests.post(url, params={"token": "guess"}, json=call, timeout=10).status_code == 401
    assert rows(chat) == before and before["victim"] == [(False, "awareness")]


def test_a_visitor_id_sent_by_the_client_is_never_believed(stack, chat: Chat, victim: str) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    spoof = {"sender": Chat.conversation("attacker"), "metadata": {"visitor_id": VICTIM}}
    cart = requests.post(rasa(stack, "/webhooks/rest/webhook"), json={**spoof, "message": "what is in my cart and "
                                                                      "what will shipping cost?"}, timeout=60).json()
    assert not any("CAM-300" in (m.get("text") or "") or "Echo" in (m.get("text") or "") for m in cart)
    # a real link, but made for the victim's conversation, replayed in the attacker's
    stolen = chat.links.sign(VICTIM, victim)
    replay = {"sender": Chat.conversation("attacker"), "metadata": {"identity": stolen}}
    requests.post(rasa(stack, "/webhooks/rest/webhook"), json={**replay, "message": "stop sending me cart reminders"},
                  timeout=60)
    requests.post(rasa(stack, "/webhooks/rest/webhook"), json={**spoof, "message": "stop sending me cart reminders"},
                  timeout=60)
    assert rows(chat)["victim"] == before["victim"] == [(False, "awareness")]
    owners = settled(chat.store, select(Customer.visitor_id).where(Customer.visitor_id.like("anon-%")))
    assert owners, "the attacker's conversation belongs to an anonymous visitor"


def test_socket_io_with_a_spoofed_visitor_stays_anonymous(stack, chat: Chat, victim: str) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    replies = socketio_say(stack, "feedfacefeedfacefeedfacefeedface", "stop sending me cart reminders",
                           {"visitor_id": VICTIM, "identity": "v1.forged.token.1.x"})
    assert replies, "the attacker still gets an answer, as an anonymous visitor"
    assert rows(chat)["victim"] == before["victim"]


def test_history_needs_the_secret_not_a_visitor_id(stack, victim: str) -> None:  # type: ignore[no-untyped-def]
    assert requests.post(web(stack, "/widget/history"), json={"conversation": VICTIM}, timeout=10).status_code == 422
    guessed = requests.post(web(stack, "/widget/history"), json={"conversation": "0" * 32}, timeout=10)
    assert guessed.status_code == 200 and guessed.json() == {"messages": []}
    assert "Access-Control-Allow-Origin" not in guessed.headers
    own = requests.post(web(stack, "/widget/history"), json={"conversation": victim}, timeout=10).json()
    assert own["messages"] and own["messages"][0]["text"] == "hi"


def test_demo_events_need_the_shop_page_cookie(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    order = {"type": "order_placed", "visitor_id": VICTIM, "items": [{"sku": "CAM-200", "qty": 1}], "total_eur": "1"}
    assert requests.post(web(stack, "/demo/events"), json=order, timeout=10).status_code == 403
    assert rows(chat) == before


def test_huge_chat_text_is_refused_and_does_not_stall_other_shoppers(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    before = rows(chat)
    megabyte = requests.post(rasa(stack, "/webhooks/rest/webhook"),
                             json={"sender": Chat.conversation("flood"), "message": "a" * 1_100_000}, timeout=60)
    assert megabyte.status_code == 413
    timings: dict[str, float] = {}

    def long_message() -> None:
        started = time.monotonic()
        reply = requests.post(rasa(stack, "/webhooks/rest/webhook"), timeout=60,
                              json={"sender": Chat.conversation("flood"), "message": "word " * 20_000}).json()
        timings["long"] = time.monotonic() - started
        timings["told"] = float("too long" in reply[0]["text"])

    flood = threading.Thread(target=long_message)
    flood.start()
    started = time.monotonic()
    assert chat.text("bystander", "hi")
    timings["hi"] = time.monotonic() - started
    flood.join()
    print(f"\n[attack] 100 KB message answered in {timings['long']:.2f} s; a bystander's 'hi' meanwhile in "
          f"{timings['hi']:.2f} s")
    assert timings["told"] == 1.0 and timings["long"] < 5 and timings["hi"] < 5, timings
    flood_rows = read(chat.store, select(func.count()).select_from(Interaction).join(Conversation)
                      .where(Conversation.sender_id == Chat.conversation("flood")))
    assert flood_rows == [(0,)] and rows(chat)["shop_events"] == before["shop_events"]  # nothing of it stored
    cart = {"type": "cart_updated", "event_id": "huge-cart", "visitor_id": "v",
            "items": [{"sku": "CAM-100", "qty": 1}] * 10_000}
    assert requests.post(web(stack, "/api/events"), json=cart, headers=AUTH, timeout=10).status_code in (413, 422)


def _login_from(port: int, source: str, username: str, password: str) -> int:
    """A login POST from another loopback address (127.0.0.2): the flood is throttled per address too."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        connection.request("GET", "/console/login")
        page = connection.getresponse()
        html = page.read().decode()
        cookie = page.getheader("set-cookie", "").split(";")[0]
        token = html.split('name="csrf_token" value="')[1].split('"')[0]
        body = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": password})
        connection.request("POST", "/console/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                            "Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_hundred_failed_logins_are_throttled_and_the_app_keeps_answering(stack) -> None:  # type: ignore[no-untyped-def]
    database = Database.from_url(stack.env["SHOPMATE_DATABASE_URL"])
    Accounts(database).create_user("flood-target", "the real password 123", "support")
    database.dispose()
    statuses: list[int] = []

    def flood() -> None:
        for n in range(100):
            statuses.append(_login_from(stack.ports.web, "127.0.0.2", "flood-target", f"guess {n}"))

    attacker = threading.Thread(target=flood)
    attacker.start()
    health: list[float] = []
    while attacker.is_alive():
        started = time.monotonic()
        assert requests.get(web(stack, "/health"), timeout=5).status_code == 200
        health.append(time.monotonic() - started)
        time.sleep(0.05)
    attacker.join()
    print(f"\n[attack] 100 failed logins: {statuses.count(429)} throttled (429); /health during the flood: median "
          f"{statistics.median(health) * 1000:.0f} ms, max {max(health) * 1000:.0f} ms over {len(health)} calls")
    assert statuses.count(303) <= 10 and statuses.count(429) >= 90, statuses
    assert statistics.median(health) < 0.2 and max(health) < 1.0, json.dumps(sorted(health)[-5:])


# --- The second pass (issue 20): one test per finding, each failing on the code before it. ---

def _secret() -> str:
    return secrets.token_hex(16)


def _say(stack, sender: str, text: str, **extra: Any) -> requests.Response:  # type: ignore[no-untyped-def]
    return requests.post(rasa(stack, "/webhooks/rest/webhook"), json={"sender": sender, "message": text, **extra},
                         timeout=60)


def _texts(response: requests.Response) -> str:
    return " ".join(m.get("text") or "" for m in response.json())


def test_a_shopper_cannot_type_the_web_apps_triggers_only_offered_buttons(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    """1. `/EXTERNAL_...` typed in a chat is text; a typed `/intent{...}` counts only as a button offered there."""
    sender = _secret()
    offer = _say(stack, sender, '/EXTERNAL_playbook{"playbook":"welcome_back_offer"}')
    assert offer.status_code == 200 and "WELCOMEBACK10" not in _texts(offer)
    _say(stack, sender, "/EXTERNAL_ask_nps")
    _say(stack, sender, '/rate{"rating":"10"}')
    kinds = settled(chat.store, select(Interaction.kind).join(Conversation).where(Conversation.sender_id == sender))
    assert ("trigger",) not in kinds, "a typed text was stored as the shop's trigger"
    assert read(chat.store, select(func.count()).select_from(Feedback).join(Conversation).where(
        Conversation.sender_id == sender, Feedback.kind == "nps")) == [(0,)]
    # A button the assistant did offer still works when its payload comes back as text (the widget's click).
    asked = _say(stack, sender, "thanks, that's all").json()
    offered = [b["payload"] for m in asked for b in m.get("buttons") or []]
    assert '/rate{"rating":"5"}' in offered, asked
    _say(stack, sender, '/rate{"rating":"5"}')
    assert settled(chat.store, select(Feedback.kind, Feedback.rating).join(Conversation).where(
        Conversation.sender_id == sender)) == [("csat", 5)]


def _peak_rss_kb(pid: int) -> int:
    status = open(f"/proc/{pid}/status", encoding="utf-8").read()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]


def _pid_listening_on(port: int) -> int:
    listing = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    found = re.search(r"pid=(\d+)", listing)
    assert found, listing
    return int(found.group(1))


def test_concurrent_login_guesses_are_counted_before_hashing_and_memory_stays_flat(stack) -> None:  # type: ignore[no-untyped-def]
    """2. Twenty guesses at once: the throttle counts each before its hash, and at most two hashes run."""
    database = Database.from_url(stack.env["SHOPMATE_DATABASE_URL"])
    Accounts(database).create_user("race-target", "the real password 456", "support")
    database.dispose()
    web_pid = _pid_listening_on(stack.ports.web)
    before = _peak_rss_kb(web_pid)
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda n=n: statuses.append(
        _login_from(stack.ports.web, "127.0.0.3", "race-target", f"guess {n}"))) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    grown_mb = (_peak_rss_kb(web_pid) - before) / 1024
    print(f"\n[attack] 20 concurrent logins: {statuses.count(429)} throttled; web app peak memory grew "
          f"{grown_mb:.0f} MB")
    assert statuses.count(429) >= 15 and statuses.count(303) <= 5, statuses
    assert grown_mb < 3 * 64 + 60, f"peak RSS grew {grown_mb:.0f} MB: hashes ran unbounded"


def _processes_cmdlines() -> list[str]:
    lines = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                lines.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                continue
    return lines


def test_no_token_key_or_conversation_secret_in_logs_error_texts_or_the_process_list(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    """3. A scripted session, with Rasa killed in the middle: every log line, error body and command
    line is searched for Rasa's token, the action token, the signing key, the API key and the secrets."""
    settings = stack.settings
    sender = _secret()
    bodies: list[str] = []
    assert _say(stack, sender, "hi").status_code == 200
    bodies.append(requests.post(web(stack, "/widget/history"), json={"conversation": sender}, timeout=10).text)
    bodies.append(requests.post(web(stack, "/widget/hello"), json={"conversation": sender}, timeout=60).text)
    bodies.append(requests.post(web(stack, "/api/events"), headers=AUTH, timeout=10,
                                json={"type": "cart_updated", "event_id": f"log-{sender}", "visitor_id": "log-visitor",
                                      "items": [{"sku": "CAM-100", "qty": 1}],
                                      "ts": (datetime.now(timezone.utc) - timedelta(minutes=3)).isoformat()}).text)
    chat.say("log-visitor", "hi", visitor_id="log-visitor")  # a conversation the cart reminder goes to
    os.kill(_pid_listening_on(stack.ports.rasa), signal.SIGKILL)  # the outage
    outage = _secret()
    bodies.append(requests.post(web(stack, "/widget/hello"), json={"conversation": outage}, timeout=60).text)
    time.sleep(3)  # the timer tries the cart reminder against the dead Rasa
    deadline = time.monotonic() + 240
    while not any("rasa is ready again" in line for line in stack.output):
        assert time.monotonic() < deadline, "".join(stack.output[-40:])
        time.sleep(1)
    assert _say(stack, sender, "hi again").status_code == 200
    logs = "".join(stack.output)
    assert "not reachable" in logs or "Rasa answered" in logs, "the outage left no trace in the logs"
    everything = logs + "\n".join(bodies) + "\n".join(_processes_cmdlines())
    for name, secret in {"Rasa's token": settings.rasa_token, "the action token": settings.action_token,
                         "the signing key": settings.secret_key, "the API key": API_KEY,
                         "a conversation secret": sender, "the outage's conversation secret": outage}.items():
        assert secret not in everything, f"{name} is in a log line, an error body or a command line"


def test_personal_data_on_disk_is_for_its_owner_only(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    """4. The stores, the journal and the secrets: 0600 files in 0700 folders."""
    chat.say("perm-check", "hi")
    var = Path(stack.env["SHOPMATE_VAR_DIR"])
    assert var.stat().st_mode & 0o077 == 0, oct(var.stat().st_mode)
    private = [var / "shopmate.db", var / "tracker.db", *var.glob("outbox/*.jsonl"), *var.glob("secrets/*"),
               var / "outbox", var / "secrets"]
    assert len(private) > 6
    loose = {str(path): oct(path.stat().st_mode & 0o777) for path in private if path.stat().st_mode & 0o077}
    assert not loose, loose


def test_forget_leaves_nothing_on_disk_and_export_has_everything(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    """5. After `make forget`, no file under var/ holds the visitor id, their words, address or family."""
    visitor, phrase, email, family = "forget-me-v7731", "my parrot Quetzalcoatl chewed the cable", \
        "quetzal.forget@example.org", "Zyxwvut household"
    sender = Chat.conversation("forget-me")
    chat.say("forget-me", f"hi, {phrase}", visitor_id=visitor)
    chat.say("forget-me", f"my e-mail is {email}", visitor_id=visitor)
    now = datetime.now(timezone.utc).isoformat()
    events = [{"type": "family_joined", "event_id": "forget-family", "visitor_id": visitor, "family": family,
               "ts": now},
              {"type": "referral", "event_id": "forget-referral", "visitor_id": "forget-referrer",
               "invited_visitor_id": visitor, "ts": now}]
    assert requests.post(web(stack, "/api/events"), json=events, headers=AUTH, timeout=10).status_code == 200
    settled(chat.store, select(func.count()).select_from(Interaction))
    environment = {**os.environ, **stack.env}
    exported = subprocess.run([sys.executable, "-m", "bot.runner.cli", "export", visitor], env=environment,
                              capture_output=True, text=True, timeout=120)
    assert exported.returncode == 0, exported.stderr
    assert {"playbook_sends", "feedback", "orders"} <= set(json.loads(exported.stdout))
    time.sleep(3)  # the broker's journal segment of these turns is recorded and rolls over
    chat.say("someone-else", "hi")
    forgotten = subprocess.run([sys.executable, "-m", "bot.runner.cli", "forget", visitor], env=environment,
                               capture_output=True, text=True, timeout=120)
    assert forgotten.returncode == 0, forgotten.stderr
    time.sleep(3)
    needles = {"visitor id": visitor, "message": "Quetzalcoatl", "e-mail": email, "family": family,
               "conversation secret": sender}
    var = Path(stack.env["SHOPMATE_VAR_DIR"])
    found = {f"{name} in {path.relative_to(var)}" for path in var.rglob("*") if path.is_file()
             for name, needle in needles.items() if needle.encode() in path.read_bytes()}
    assert not found, found


def test_the_image_leaves_secrets_and_data_out_and_only_nginx_names_the_client(tmp_path: Path) -> None:
    """6. The Dockerfile's `COPY . .` goes through .dockerignore; behind nginx, X-Forwarded-For is nginx's."""
    import pathspec

    from bot.runner.deploy.nginx import Layout, render

    ignore = (PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    spec = pathspec.PathSpec.from_lines("gitwildmatch", ignore)
    for path in ("deploy/production.env", "var/secrets/rasa-token", "var/shopmate.db", "var/tracker.db",
                 "var/outbox/broker-1-0.jsonl", ".venv/bin/python", "models/x.tar.gz", ".git/config"):
        assert spec.match_file(path), f"{path} would be copied into the image"
    for path in ("bot/web/app.py", "data/shop/shop.yml", "deploy/production.env.example", "requirements.lock"):
        assert not spec.match_file(path), f"{path} is needed in the image"
    compose = (PROJECT_ROOT / "deploy" / "compose.yml").read_text(encoding="utf-8")
    assert '"--forwarded-allow-ips", "*"' not in compose
    for config in ((PROJECT_ROOT / "deploy" / "nginx.compose.conf").read_text(encoding="utf-8"),
                   render(Layout("127.0.0.1", 8000, 8001, (5005,), (5055,), 5006, 5056), tmp_path)):
        assert "$proxy_add_x_forwarded_for" not in config and "X-Forwarded-For $remote_addr" in config


def test_a_network_bind_needs_a_real_api_key(tmp_path: Path) -> None:
    """7. `SHOPMATE_BIND=0.0.0.0 make run` with the development key refuses to start, saying what to set."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SHOPMATE_")}
    environment.update({"SHOPMATE_VAR_DIR": str(tmp_path), "SHOPMATE_BIND": "0.0.0.0",
                        "SHOPMATE_WEB_PORT": str(free_port()), "SHOPMATE_RASA_PORT": str(free_port()),
                        "SHOPMATE_ACTIONS_PORT": str(free_port())})
    process = subprocess.Popen([sys.executable, "-m", "bot.runner.serve"], cwd=PROJECT_ROOT, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail("started on 0.0.0.0 with the development key:\n" + output[-2000:])
    assert process.returncode == 2 and "SHOPMATE_API_KEY" in output, output


def test_chat_is_limited_per_conversation_and_socket_io_takes_only_the_shops_origins(stack) -> None:  # type: ignore[no-untyped-def]
    """8. A flood in one conversation gets 429 and a sentence to show; a foreign page cannot open the socket."""
    import socketio

    sender = _secret()
    statuses = [_say(stack, sender, "hi") for _ in range(40)]  # the default allows 30 a minute
    refused = [r for r in statuses if r.status_code == 429]
    assert refused, [r.status_code for r in statuses]
    assert "faster than I can read" in refused[0].json()[0]["text"] and int(refused[0].headers["Retry-After"]) >= 1
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(f"http://127.0.0.1:{stack.ports.rasa}", transports=["polling"],
                       headers={"Origin": "https://evil.example"})
    # (polling: the WebSocket client library adds an Origin of its own before the one given here)
    shop = socketio.Client(reconnection=False)
    shop.connect(f"http://127.0.0.1:{stack.ports.rasa}", transports=["polling"],
                 headers={"Origin": stack.settings.shop_origins[0]})
    shop.disconnect()


MALFORMED = ["", "[]", "null", "1", '"x"', "{", "{}", '{"sender": 1, "message": "hi"}', '{"sender": "s-1"}',
             '{"sender": "s-1", "message": 5}', '{"sender": "s-1", "message": ["hi"]}', '{"message": "hi"}',
             '{"sender": "", "message": "hi"}', '{"sender": "s-1", "message": "hi", "metadata": "x"}',
             '{"sender": "s-1", "message": "hi", "metadata": [1]}', '{"sender": {"a": 1}, "message": "hi"}',
             '{"sender": "s-1", "message": null}', "true", '{"sender": "s-1", "message": {"text": "hi"}}',
             '{"sender": "s 1 with spaces", "message": "hi"}', "\u00ff\u00fe", '{"sender": "s-1", "message": "hi"'
             ', "input_channel": "console"}']


def test_malformed_chat_bodies_get_a_4xx_saying_why_and_ancient_events_are_refused(stack) -> None:  # type: ignore[no-untyped-def]
    """10. Every malformed chat body is a 4xx with a reason, never a 500; an event dated 1970 is refused."""
    answers = {body: requests.post(rasa(stack, "/webhooks/rest/webhook"), data=body.encode(), timeout=30,
                                   headers={"Content-Type": "application/json"}) for body in MALFORMED}
    wrong = {body: r.status_code for body, r in answers.items() if not 400 <= r.status_code < 500}
    assert not wrong, wrong
    assert all(r.text for r in answers.values())
    old = {"type": "product_view", "event_id": "ancient-view", "visitor_id": "v-ancient", "sku": "CAM-100",
           "ts": "1970-01-01T00:00:00Z"}
    refused = requests.post(web(stack, "/api/events"), json=old, headers=AUTH, timeout=10)
    assert refused.status_code == 422 and "years ago" in refused.text


@pytest.mark.postgres
@pytest.mark.redis
def test_a_rasa_process_killed_under_load_gives_no_shopper_an_error_and_no_turn_twice(production) -> None:  # type: ignore[no-untyped-def]
    """9. `make run-prod`, ten shoppers over REST, one Rasa process killed: nginx sends each message the
    dead process held to the other (with one request id, so a turn it already recorded is not run twice)."""
    from tests.e2e.production import pid_listening_on, say

    script = ["hi", "how much is shipping to Italy?", "tell me about the Lumo HD Webcam", "is it in stock?",
              "what payment methods do you accept?", "thanks"]
    sent: dict[str, int] = {}
    failures: list[str] = []
    stop = threading.Event()

    def shopper(number: int) -> None:
        sender = f"kill-{number}-{secrets.token_hex(8)}"
        sent[sender] = 0
        while not stop.is_set():
            started = time.monotonic()
            try:
                response = say(production.url, sender, script[sent[sender] % len(script)])
                if response.status_code != 200 or not response.json():
                    failures.append(f"{response.status_code} {response.text[:80]}")
            except requests.RequestException as error:
                failures.append(f"{type(error).__name__} after {time.monotonic() - started:.0f} s at "
                                f"{time.strftime('%H:%M:%S')} ({sender})")
            sent[sender] += 1

    workers = [threading.Thread(target=shopper, args=(n,)) for n in range(10)]
    for worker in workers:
        worker.start()
    time.sleep(4)
    os.kill(pid_listening_on(production.rasa_ports()[1], production.output), signal.SIGKILL)
    time.sleep(8)
    stop.set()
    for worker in workers:
        worker.join(120)
    total = sum(sent.values())
    # The killed process's journal is replayed by its successor: count once that has happened too.
    production.wait_for_output("rasa-2 is ready again", 240)
    database = production.database()
    try:  # the replay records in the background: wait for it (a busy machine takes seconds), never forever
        deadline = time.monotonic() + 30
        while True:
            with database.reading() as session:
                recorded = session.execute(
                    select(func.count()).select_from(Interaction).join(Conversation)
                    .where(Conversation.sender_id.in_(list(sent)), Interaction.kind == "user")).scalar_one()
            if recorded >= total or time.monotonic() > deadline:
                break
            time.sleep(1)
    finally:
        database.dispose()
    print(f"\n[attack] Rasa process killed under load: {total} messages, {len(failures)} errors, {recorded} turns")
    trouble = [line for line in production.output if "ERROR" in line or "Lock" in line]
    assert total > 30 and not failures, (failures[:10], trouble[-30:])
    assert recorded == total, f"{total} messages sent, {recorded} user turns recorded"
    logs = "".join(path.read_text(errors="replace") for path in (production.folder / "nginx").glob("*.log"))
    assert production.secret("rasa-token") not in logs and production.secret("action-token") not in logs


def test_a_message_sent_again_with_its_id_is_answered_from_the_record_not_twice(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    """9. The widget sends a message again when its connection dropped before the answer: same id, one turn."""
    sender = _secret()
    first = _say(stack, sender, "how much is shipping to Italy?", metadata={"message_id": "m-0001-retry"})
    again = _say(stack, sender, "how much is shipping to Italy?", metadata={"message_id": "m-0001-retry"})
    assert first.status_code == again.status_code == 200
    assert _texts(again) == _texts(first) and "Italy" in _texts(first)
    turns = settled(chat.store, select(Interaction.kind).join(Conversation).where(
        Conversation.sender_id == sender, Interaction.kind == "user"))
    assert len(turns) == 1
