"""`make run` and `make run-prod`: check the shop data, prepare the store, train if needed, start everything.

Runs in the foreground; Ctrl-C (or SIGTERM) stops every process it started. The embedded
profile runs one action server, one Rasa process and the web app on SQLite; the production
profile (`--production`) starts PostgreSQL and Redis under var/, migrates once, then runs
N action servers and N Rasa processes behind nginx (bot/runner/deploy/production.py).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable

from bot.runner.deploy.postgres import PostgresError
from bot.runner.deploy.production import Backing, cluster, production_env, start_backing
from bot.runner.deploy.redis import RedisError
from bot.runner.mailbox import Mailbox
from bot.runner.prepare import keep_private, prepare_store
from bot.runner.processes import Stack, busy_ports, embedded_services
from bot.runner.train import ensure_model
from lifecycle.settings import Settings, SettingsError, load_settings
from lifecycle.shop.loader import ShopDataError

MAX_RESTARTS = 5  # a process that dies is started again, unless it keeps dying
RESTART_WINDOW_SECONDS = 600


def runtime_env(settings: Settings) -> dict[str, str]:
    """What the children need spelt out: endpoints.yml reads these, and every child loads the same settings."""
    return {"SHOPMATE_ACTION_URL": settings.action_url, "SHOPMATE_TRACKER_DB": str(settings.tracker_db),
            "SHOPMATE_RASA_URL": settings.rasa_url, "SHOPMATE_ACTION_TOKEN": settings.action_token}


def _prepare(settings: Settings) -> None:
    print("[run] checking shop data and preparing the lifecycle store (migrations)...", flush=True)
    shop = prepare_store(settings)
    if not settings.mail.enabled and (mailing := [p.id for p in shop.playbooks.playbooks if p.uses_email]):
        raise SettingsError(f"playbook {', '.join(mailing)} sends e-mail (playbooks.yml `channel`) but no SMTP server "
                            "is set: set SHOPMATE_SMTP_HOST and SHOPMATE_MAIL_FROM (README, \"E-mail\"), or give it "
                            "`channel: chat`")
    print(f"[run] {shop.policies.shop.name}: {len(shop.products)} products loaded; store at "
          f"{settings.database_url.split('@')[-1]}", flush=True)


def _check_ports(settings: Settings, production: bool) -> None:
    ports, host = settings.ports, settings.bind_host
    wanted = [(host, ports.web)] if production else [(settings.actions_host, ports.actions), (host, ports.rasa),
                                                      (host, ports.web)]
    if settings.mail.local_mailbox:
        wanted.append((settings.mail.host, settings.mail.port))
    if busy := busy_ports(wanted):
        raise SettingsError(f"port {', '.join(map(str, busy))} is already in use (is another `make run` running?): "
                            "stop it, or choose free ports with SHOPMATE_WEB_PORT, SHOPMATE_RASA_PORT and "
                            "SHOPMATE_ACTIONS_PORT")


def main(argv: list[str] | None = None) -> int:
    production = "--production" in (sys.argv[1:] if argv is None else argv)
    backing: Backing | None = None
    os.umask(0o077)  # before the settings make var/secrets: every file from here on is its owner's only
    try:
        if production:
            env = production_env(os.environ)
            before_backing = load_settings(env)
            _check_ports(before_backing, production)
            # PostgreSQL runs as its own user and must enter var/ (0711) before initdb reads its
            # password file there; an embedded `make run` left var/ 0700.
            keep_private(before_backing.var_dir, traversable=True)
            print("[run] production profile: starting PostgreSQL and Redis under "
                  f"{env['SHOPMATE_VAR_DIR']}...", flush=True)
            backing = start_backing(before_backing)
            env.update(backing.env)
            settings = load_settings(env)
        else:
            env = dict(os.environ)
            settings = load_settings()
            _check_ports(settings, production)
        keep_private(settings.var_dir, traversable=production)
        _prepare(settings)
    except (SettingsError, ShopDataError, PostgresError, RedisError) as error:
        if backing:
            backing.stop()
        print(f"[run] cannot start: {error}", file=sys.stderr)
        return 2
    if settings.dev_api_key:
        print(f"[run] SHOPMATE_API_KEY is not set: the shop events API accepts the development key "
              f"'{settings.api_key}' (the production profile refuses it)", flush=True)
    model = ensure_model()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    ports = settings.ports
    if production:
        layout = cluster(model, settings, settings.var_dir / "nginx")
        stack = Stack(layout.services, {**env, **layout.env})
        banner = (f"Shopmate (production profile, {settings.processes} Rasa processes behind nginx) is up: "
                  f"shop page and widget {layout.public_url}/ , console {layout.public_url}/console , "
                  f"chat API {layout.public_url}/webhooks/rest/webhook ; the shop events API key is in "
                  f"{settings.var_dir / 'secrets' / 'api-key'} unless SHOPMATE_API_KEY is set.")
    else:
        stack = Stack(embedded_services(model, settings), runtime_env(settings))
        banner = (f"Shopmate is up: shop page and widget http://localhost:{ports.web}/ , "
                  f"console http://localhost:{ports.web}/console (users: make user NAME=ann ROLE=support), "
                  f"chat API http://localhost:{ports.rasa}/webhooks/rest/webhook .")
    mailbox = None
    if settings.mail.local_mailbox:  # e-mail stays on this machine: var/mail/*.eml and the console's E-mail page
        mailbox = Mailbox(settings.mail.port, settings.var_dir / "mail", settings.mail.host).start()
        banner += f" E-mail goes to the local mailbox on port {settings.mail.port} (var/mail/, console: E-mail)."
    try:
        return supervise(stack, banner)
    finally:
        if mailbox:
            mailbox.stop()
        if backing:
            print("[run] stopping Redis and PostgreSQL...", flush=True)
            backing.stop()


def supervise(stack: Stack, banner: str, now: Callable[[], float] = time.monotonic) -> int:
    """Start the stack and keep it running until Ctrl-C: a process that dies is restarted."""
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        stack.cancel()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        stack.start()
        print(f"\n[run] {banner} Ctrl-C stops everything.\n", flush=True)
        restarts: list[float] = []
        while not stopping:
            if (dead := stack.failed()) is not None:
                code = dead.process.returncode if dead.process else None
                restarts = [t for t in restarts if now() - t < RESTART_WINDOW_SECONDS]
                if len(restarts) >= MAX_RESTARTS:
                    print(f"[run] {dead.name} stopped unexpectedly (exit {code}) {len(restarts) + 1} times in "
                          f"{RESTART_WINDOW_SECONDS // 60} minutes; stopping the others", file=sys.stderr)
                    return 1
                print(f"[run] {dead.name} stopped unexpectedly (exit {code}); starting it again", file=sys.stderr)
                restarts.append(now())
                stack.restart(dead)
            time.sleep(0.5)
        return 0
    except RuntimeError as error:
        if stopping:
            return 0
        print(f"[run] start-up failed: {error}", file=sys.stderr)
        return 1
    finally:
        print("[run] stopping...", flush=True)
        stack.stop()
        print("[run] all processes stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
