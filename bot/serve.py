"""`make run`: check the shop data, prepare the store, train if needed, start everything.

Runs in the foreground; Ctrl-C (or SIGTERM) stops all three processes.
"""

from __future__ import annotations

import signal
import sys
import time

from bot.prepare import prepare_store
from bot.processes import Stack
from bot.train import ensure_model
from lifecycle.settings import Settings, SettingsError, load_settings
from lifecycle.shop.loader import ShopDataError

MAX_RESTARTS = 5  # a process that dies is started again, unless it keeps dying
RESTART_WINDOW_SECONDS = 600


def runtime_env(settings: Settings) -> dict[str, str]:
    """What the children need spelt out: endpoints.yml reads these, and every child loads the same settings."""
    return {"SHOPMATE_ACTION_URL": settings.action_url, "SHOPMATE_TRACKER_DB": str(settings.tracker_db),
            "SHOPMATE_RASA_URL": settings.rasa_url, "SHOPMATE_ACTION_TOKEN": settings.action_token}


def main() -> int:
    try:
        settings = load_settings()
        print("[run] checking shop data and preparing the lifecycle store...", flush=True)
        shop = prepare_store(settings)
    except (SettingsError, ShopDataError) as error:
        print(f"[run] cannot start: {error}", file=sys.stderr)
        return 2
    print(f"[run] {shop.policies.shop.name}: {len(shop.products)} products loaded; store at "
          f"{settings.database_url.split('@')[-1]}", flush=True)
    if settings.dev_api_key:
        print(f"[run] SHOPMATE_API_KEY is not set: the shop events API accepts the development key "
              f"'{settings.api_key}' (the production profile refuses it)", flush=True)
    model = ensure_model()
    ports = settings.ports
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(model, settings, runtime_env(settings))
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        stack.start()
        print(f"\n[run] Shopmate is up: shop page and widget http://localhost:{ports.web}/ , "
              f"console http://localhost:{ports.web}/console (users: make user NAME=ann ROLE=support), "
              f"chat API http://localhost:{ports.rasa}/webhooks/rest/webhook . Ctrl-C stops everything.\n",
              flush=True)
        restarts: list[float] = []
        while not stopping:
            if (dead := stack.failed()) is not None:
                code = dead.process.returncode if dead.process else None
                restarts = [t for t in restarts if time.monotonic() - t < RESTART_WINDOW_SECONDS]
                if len(restarts) >= MAX_RESTARTS:
                    print(f"[run] {dead.name} stopped unexpectedly (exit {code}) {len(restarts) + 1} times in "
                          f"{RESTART_WINDOW_SECONDS // 60} minutes; stopping the others", file=sys.stderr)
                    return 1
                print(f"[run] {dead.name} stopped unexpectedly (exit {code}); starting it again", file=sys.stderr)
                restarts.append(time.monotonic())
                stack.restart(dead)
            time.sleep(0.5)
        return 0
    except RuntimeError as error:
        print(f"[run] start-up failed: {error}", file=sys.stderr)
        return 1
    finally:
        print("[run] stopping...", flush=True)
        stack.stop()
        print("[run] all processes stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
