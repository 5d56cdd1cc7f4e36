"""Benchmark: the support and marketing consoles over 100,000 conversations and 1,000,000 messages.

For each profile (embedded: SQLite; production: a real PostgreSQL started for the run) it fills a
fresh store (bench.volume), builds the web app on it, logs an admin in, and times real HTTP
requests through the app: the queue page, a filtered list page, its 20th page (by key), a
transcript, two searches (a common and a rare word), and Insights for 90 days and 12 months.
It prints p50 and p95 per page against the goals, and the ratio to a baseline measured in the same
run (the console's login page, which touches no shop data), because these machines are noisy.

    .venv/bin/python -m bench.console [--profiles embedded,production] [--conversations 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from bench.volume import bench_now, generate
from bot.runner.deploy.postgres import scratch
from bot.runner.prepare import prepare_store
from bot.runner.processes import free_port
from bot.web.app import create_app
from bot.web.console import insights
from lifecycle.people.accounts import Accounts
from lifecycle.settings import PROJECT_ROOT, load_settings
from lifecycle.storage.database import Database, migrate

PASSWORD = "bench password 0123"
GOALS = {"list": 0.100, "transcript": 0.100, "search": 0.300, "insights": 0.500}


def timed(get: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def run_profile(name: str, url: str, folder: Path, conversations: int, messages: int, repeat: int) -> None:
    database = Database.from_url(url)
    migrate(database.engine)
    generate(database, conversations, messages, bench_now(), progress=lambda line: print(f"[{name}] {line}",
                                                                                          flush=True))
    settings = load_settings({"SHOPMATE_VAR_DIR": str(folder), "SHOPMATE_DATABASE_URL": url,
                              "SHOPMATE_SCHEDULER": "off", "SHOPMATE_SHOP_DIR": str(PROJECT_ROOT / "data" / "shop")})
    prepare_store(settings)
    Accounts(database).create_user("bench-admin", PASSWORD, "admin")
    app = create_app(settings)
    with TestClient(app) as web:
        page = web.get("/console/login").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        web.post("/console/login", data={"csrf_token": token, "username": "bench-admin", "password": PASSWORD})

        def ok(path: str) -> Callable[[], object]:
            def get() -> object:
                response = web.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status_code}")
                return response
            return get

        deep = "/console/conversations?language=it&fallback="
        cursor_page = "/console/conversations?language=it"
        for _ in range(19):  # follow "Next page" 19 times: the 20th page, by key
            html = web.get(cursor_page).text
            cursor_page = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
        rng = random.Random(3)
        transcripts = [f"/console/conversations/{rng.randrange(1, conversations + 1)}" for _ in range(repeat)]
        pages = [
            ("baseline: login page", "list", ok("/console/login")),
            ("queue, open tab", "list", ok("/console/queue")),
            ("conversations, Italian (filtered)", "list", ok(deep)),
            ("conversations, 20th page by key", "list", ok(cursor_page)),
            ("feedback, text only (filtered)", "list", ok("/console/feedback?kind=text")),
            ("transcript", "transcript", lambda: ok(transcripts[rng.randrange(len(transcripts))])()),
            ("search, common word (delivery)", "search", ok("/console/conversations?q=delivery")),
            ("search, rare word (warranty)", "search", ok("/console/conversations?q=warranty")),
            ("Insights, 90 days", "insights", ok("/console/insights?days=90")),
            ("Insights, 12 months", "insights", ok("/console/insights?days=365")),
        ]
        baseline = 0.0
        print(f"\n[{name}] {'page':38} {'p50 ms':>8} {'p95 ms':>8} {'x base':>7} {'goal p95':>9}")
        for label, kind, get in pages:
            get()  # warm: templates compiled, caches filled, as on a server that has been up
            times = timed(get, repeat if kind != "insights" else max(5, repeat // 4))
            p50, high = statistics.median(times), p95(times)
            if label.startswith("baseline"):
                baseline = p50
                print(f"[{name}] {label:38} {p50 * 1000:8.1f} {high * 1000:8.1f}")
                continue
            goal = GOALS[kind]
            print(f"[{name}] {label:38} {p50 * 1000:8.1f} {high * 1000:8.1f} {p50 / baseline:7.1f} "
                  f"{goal * 1000:6.0f} {'met' if high <= goal else 'MISSED'}", flush=True)
        # What a snapshot costs to compute (the page above is served from it): the figures and charts, cold.
        compute = insights.computer(app)
        for days in (90, 365):
            times = timed(lambda d=days: compute(bench_now() - timedelta(days=d), bench_now()), 3)  # type: ignore[misc]
            print(f"[{name}] {f'Insights {days} days, computed (snapshot)':38} {statistics.median(times) * 1000:8.1f} "
                  f"{max(times) * 1000:8.1f} {statistics.median(times) / baseline:7.1f}   (off the request)",
                  flush=True)
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="embedded,production")
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("SHOPMATE_SCHEDULER", "off")
    with tempfile.TemporaryDirectory(prefix="shopmate-bench-") as folder:
        for profile in args.profiles.split(","):
            here = Path(folder) / profile
            here.mkdir()
            if profile == "embedded":
                run_profile(profile, f"sqlite:///{here / 'shopmate.db'}", here, args.conversations, args.messages,
                            args.repeat)
            elif profile == "production":
                with scratch(here, free_port(), "shopmate") as url:
                    run_profile(profile, url, here, args.conversations, args.messages, args.repeat)
            else:
                raise SystemExit(f"unknown profile {profile!r}: use embedded and/or production")


if __name__ == "__main__":
    main()
