"""`make run`: check the shop data, prepare the store, train if needed, start everything.

Runs in the foreground; Ctrl-C (or SIGTERM) stops all three processes.
"""

from __future__ import annotations

import os
import signal
import sys
import time

from bot.prepare import prepare_store
from bot.processes import Ports, Stack
from bot.train import ensure_model
from lifecycle.settings import SettingsError, load_settings
from lifecycle.shop import ShopDataError


def runtime_env(ports: Ports, var_dir: str) -> dict[str, str]:
    """Environment for the children; values already set by the user win."""
    defaults = {
        "SHOPMATE_ACTION_URL": f"http://127.0.0.1:{ports.actions}/webhook",
        "SHOPMATE_TRACKER_DB": os.path.join(var_dir, "tracker.db"),
        "SHOPMATE_RASA_URL": f"http://localhost:{ports.rasa}",
    }
    return {key: os.environ.get(key) or value for key, value in defaults.items()}


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
    if settings.rasa_token is None:
        print("[run] SHOPMATE_RASA_TOKEN is not set: Rasa's HTTP API (--enable-api) is open to anyone who can "
              "reach port 5005; set it before exposing the port", flush=True)
    if settings.dev_api_key:
        print(f"[run] SHOPMATE_API_KEY is not set: the shop events API accepts the development key "
              f"'{settings.api_key}' (the production profile refuses it)", flush=True)
    model = ensure_model()
    ports = Ports(int(os.environ.get("SHOPMATE_ACTIONS_PORT", 5055)), int(os.environ.get("SHOPMATE_RASA_PORT", 5005)),
                  int(os.environ.get("SHOPMATE_WEB_PORT", 8000)))
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(model, ports, runtime_env(ports, str(settings.var_dir)))
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
        while not stopping:
            if (dead := stack.failed()) is not None:
                print(f"[run] {dead.name} stopped unexpectedly (exit {dead.process.returncode}); "
                      "stopping the others", file=sys.stderr)
                return 1
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
