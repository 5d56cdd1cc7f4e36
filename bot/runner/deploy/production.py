"""The production profile on one machine (`make run-prod`): the layout a cluster uses, started locally.

PostgreSQL holds Rasa's tracker store and the lifecycle store; Redis is Rasa's lock store
(several Rasa processes must not handle one conversation at once) and socket.io's
manager (a push through any process reaches a widget on any other); N Rasa processes
and N action servers sit behind nginx, the only public listener. This module decides
the addresses and secrets and starts PostgreSQL and Redis; `bot.runner.serve` migrates once
and then starts the processes, as in the embedded profile. docs/deploy.md maps each
piece to a cluster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.runner.deploy import nginx
from bot.runner.deploy.postgres import LocalPostgres
from bot.runner.deploy.redis import LocalRedis
from bot.runner.processes import LOCAL, Service, action_service, free_ports, rasa_service, web_service
from lifecycle.settings import PROJECT_ROOT, SECRETS, Settings, stored_secret

ENDPOINTS = str(PROJECT_ROOT / "deploy" / "endpoints.production.yml")
CREDENTIALS = str(PROJECT_ROOT / "deploy" / "credentials.production.yml")
DATABASES = ("shopmate", "rasa")
APP_ROLE = "shopmate"


@dataclass
class Backing:
    """PostgreSQL and Redis as started here, and the environment every child process needs."""

    postgres: LocalPostgres
    redis: LocalRedis
    env: dict[str, str]

    def stop(self) -> None:
        self.redis.stop()
        self.postgres.stop()


def production_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The production profile's secrets, from the environment or made once in var/secrets.

    A cluster brings its own (and `load_settings` refuses to start without them); on one
    machine `make run-prod` keeps them beside the data, like `make run`, so it needs no setup.
    """
    env = dict(environ)
    var_dir = Path(env.get("SHOPMATE_VAR_DIR") or PROJECT_ROOT / "var")
    env["SHOPMATE_VAR_DIR"] = str(var_dir)
    env["SHOPMATE_PROFILE"] = "production"
    for name, file in {**SECRETS, "SHOPMATE_API_KEY": "api-key"}.items():
        if not env.get(name):
            env[name] = stored_secret(var_dir, file)
    return env


def start_backing(settings: Settings) -> Backing:
    """Start PostgreSQL and Redis under var/ (made on first use) and say how to reach them."""
    var_dir = settings.var_dir
    postgres = LocalPostgres(var_dir / "postgres", settings.postgres_port, stored_secret(var_dir, "postgres-superuser"))
    redis = LocalRedis(var_dir / "redis", settings.redis_port, stored_secret(var_dir, "redis"))
    postgres.start()
    try:
        login = postgres.ensure_databases(APP_ROLE, stored_secret(var_dir, "postgres-shopmate"), list(DATABASES))
        redis.start()
    except Exception:
        postgres.stop()
        raise
    children = {
        "SHOPMATE_DATABASE_URL": login.url("shopmate"),
        "SHOPMATE_TRACKER_URL": login.url("rasa"),
        # deploy/endpoints.production.yml and credentials.production.yml read these (Rasa substitutes ${...}).
        "SHOPMATE_PG_HOST": login.host, "SHOPMATE_PG_PORT": str(login.port), "SHOPMATE_PG_USER": login.user,
        "SHOPMATE_PG_PASSWORD": login.password, "SHOPMATE_PG_TRACKER_DB": "rasa",
        "SHOPMATE_REDIS_HOST": "127.0.0.1", "SHOPMATE_REDIS_PORT": str(redis.port),
        "SHOPMATE_REDIS_PASSWORD": redis.password, "SHOPMATE_REDIS_URL": redis.url(2),
    }
    return Backing(postgres, redis, children)


@dataclass(frozen=True)
class Cluster:
    services: list[Service]
    env: dict[str, str]
    public_url: str


def cluster(model: Path, settings: Settings, folder: Path) -> Cluster:
    """N action servers, N Rasa processes, the web app and nginx, on loopback ports behind nginx."""
    count = settings.processes
    ports = [port for port in free_ports(2 * count + 4) if port != settings.ports.web]
    rasa_ports, action_ports = tuple(ports[:count]), tuple(ports[count:2 * count])
    web_port, internal_rasa, internal_actions = ports[2 * count:2 * count + 3]
    layout = nginx.Layout(public_host=settings.bind_host, public_port=settings.ports.web, web_port=web_port,
                          rasa_ports=rasa_ports, action_ports=action_ports, internal_rasa_port=internal_rasa,
                          internal_actions_port=internal_actions)
    public = f"http://localhost:{layout.public_port}"
    services = [action_service(f"actions-{i + 1}", port) for i, port in enumerate(action_ports)]
    services += [rasa_service(f"rasa-{i + 1}", model, settings, port, "127.0.0.1", ENDPOINTS, CREDENTIALS)
                 for i, port in enumerate(rasa_ports)]
    services.append(web_service("127.0.0.1", layout.web_port, behind_proxy=True))
    services.append(Service("nginx", nginx.prepare(layout, folder), f"{LOCAL}:{layout.public_port}/health"))
    env = {"SHOPMATE_RASA_URL": f"{LOCAL}:{layout.internal_rasa_port}",
           "SHOPMATE_ACTION_URL": f"{LOCAL}:{layout.internal_actions_port}/webhook",
           "SHOPMATE_CHAT_URL": settings.chat_url or public, "SHOPMATE_SHOP_ORIGINS": ",".join(settings.shop_origins),
           "SHOPMATE_BEHIND_PROXY": "1",  # Rasa's chat limits count by the address nginx saw
           # A Rasa process killed mid-turn leaves its conversation's Redis lock behind: the process
           # nginx retries the message on waits for it to expire (Rasa's default 60 s, past a shopper's
           # patience). A turn takes a second or two; 10 s still covers a slow one.
           "TICKET_LOCK_LIFETIME": "10"}
    return Cluster(services, env, public)
