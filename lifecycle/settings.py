"""Settings for every Shopmate process, read from the environment in one place.

Each process (Rasa's event broker, the action server, the web app, the runner, the
tests) calls `load_settings()` instead of reading `os.environ` itself, so a wrong value
fails the same way everywhere, with a message that says which variable to fix.
`lifecycle`'s own packages never import this module: the processes pass what they need
(a database URL, a folder) down, which keeps them testable with tmp paths.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = PROJECT_ROOT / "data" / "locales"  # message catalogs: shopmate.pot, <lang>/LC_MESSAGES/shopmate.po


class SettingsError(ValueError):
    """A setting in the environment cannot be used; the message names the variable."""


DEV_API_KEY = "dev-shop-key"
MAX_BODY_BYTES = 1_000_000  # every HTTP body (Rasa, action server, web app) is refused above this
MAX_CATALOG_BYTES = 100 * 1024 * 1024  # ... but a catalog export posted to /api/catalog (10,000 products: ~30 MB)
PROFILES = ("embedded", "production")


@dataclass(frozen=True)
class Ports:
    actions: int = 5055
    rasa: int = 5005
    web: int = 8000


@dataclass(frozen=True)
class MailSettings:
    """Where e-mail goes. The embedded profile sends to its own local mailbox (bot/runner/mailbox.py),
    which keeps every message in var/mail/; production sends through the shop's SMTP server, and
    without one a playbook with an e-mail channel is refused at start."""

    host: str = ""  # "" : no SMTP server, no e-mail
    port: int = 8025
    username: str = ""
    password: str = ""  # never logged, never shown
    starttls: bool = False
    sender: str = "Shopmate <shopmate@localhost>"  # the From header
    public_url: str = "http://localhost:8000"  # where the links in a mail point (unsubscribe, cart)
    local_mailbox: bool = False  # `make run` starts the mailbox on 127.0.0.1:port

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    @property
    def domain(self) -> str:
        """Message-ID's right-hand side: the From address's domain."""
        address = self.sender.rsplit("<", 1)[-1].rstrip(">")
        return address.rsplit("@", 1)[-1] or "localhost"


@dataclass(frozen=True)
class Settings:
    database_url: str
    shop_dir: Path
    var_dir: Path
    catalog: Path | None = None  # a catalog export elsewhere (SHOPMATE_CATALOG); else shop_dir/catalog.csv
    voc_dir: Path = PROJECT_ROOT / "data" / "voc"
    locales_dir: Path = LOCALES_DIR
    profile: str = "embedded"
    api_key: str = DEV_API_KEY
    rasa_url: str = "http://localhost:5005"
    rasa_token: str = ""  # guards Rasa's HTTP API (--auth-token); the web app sends it
    recovery_interval_seconds: float = 20.0
    claim_minutes: int = 5  # a shopper waiting this long for a person is told nobody could take the chat
    scheduler: bool = True
    ports: Ports = Ports()
    bind_host: str = "127.0.0.1"  # Rasa and the web app; behind nginx in production, 0.0.0.0 to serve a LAN
    actions_host: str = "127.0.0.1"  # the action server answers Rasa only; a cluster sets its own address
    action_url: str = "http://127.0.0.1:5055/webhook"
    action_token: str = ""  # Rasa sends it with every action call (endpoints.yml); the action server checks it
    secret_key: str = ""  # signs the link between a visitor and a conversation (and the visitor cookie)
    shop_origins: tuple[str, ...] = ("http://localhost:8000", "http://127.0.0.1:8000")  # CORS for Rasa's API
    retention_days: int = 0  # conversations older than this are deleted; 0 keeps them
    tracker_db: Path = PROJECT_ROOT / "var" / "tracker.db"
    tracker_store_url: str = ""  # Rasa's tracker store elsewhere (PostgreSQL in production); else tracker_db
    chat_url: str = ""  # where the widget connects (socket.io): Rasa itself, or nginx in production
    processes: int = 1  # Rasa processes and action servers in the production profile
    postgres_port: int = 5433  # the production profile's local PostgreSQL (make run-prod)
    redis_port: int = 6380  # the production profile's local Redis (make run-prod)
    model_cache_dir: Path = Path.home() / ".cache" / "shopmate" / "models"
    chat_per_conversation: int = 30  # chat messages a minute one conversation may send (REST and socket.io)
    chat_per_address: int = 600  # ... and one client address (an office or a carrier's NAT shares one)
    behind_proxy: bool = False  # Rasa's channels read the client address from nginx's X-Forwarded-For
    webhook_url: str = ""  # the shop's endpoint for webhooks (hand-offs, tickets, feedback); "" sends none
    webhook_secret: str = ""  # Standard Webhooks signing secret, "whsec_" + base64
    mail: MailSettings = MailSettings()

    @property
    def dev_api_key(self) -> bool:
        return self.api_key == DEV_API_KEY

    @property
    def tracker_url(self) -> str:
        """Rasa's tracker store as an SQLAlchemy URL (personal-data requests and retention reach it)."""
        return self.tracker_store_url or f"sqlite:///{self.tracker_db}"

    @property
    def widget_server(self) -> str:
        return self.chat_url or self.rasa_url

    @property
    def catalog_path(self) -> Path:
        return self.catalog or self.shop_dir / "catalog.csv"

    @property
    def shop_path(self) -> Path:
        return self.shop_dir / "shop.yml"


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingsError(f"{name}={raw!r} must be a TCP port number from 1 to 65535")
    return int(raw)


def _folder(env: Mapping[str, str], name: str, default: Path, needs: str) -> Path:
    path = Path(env.get(name) or default)
    if not path.is_dir():
        raise SettingsError(f"{name}={path} is not a directory with {needs}")
    return path


SECRETS = {"SHOPMATE_RASA_TOKEN": "rasa-token", "SHOPMATE_ACTION_TOKEN": "action-token",
           "SHOPMATE_SECRET_KEY": "secret-key"}


def stored_secret(var_dir: Path, name: str) -> str:
    """A secret made once and kept in var/secrets/<name> (readable by its owner only).

    Every process of one installation reads the same file, so `make run` needs no setup.
    Hex: a secret starting with '-' would read as a command-line option.
    """
    path = var_dir / "secrets" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    made = secrets.token_hex(32)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(made)
    return made


def _secret(env: Mapping[str, str], name: str, profile: str, var_dir: Path) -> str:
    """A secret from the environment; in the embedded profile, one made once and kept in var/secrets/.

    Rasa's API is never open; production must bring its own (and refuses to start without).
    """
    value = env.get(name) or ""
    if value:
        if len(value) < 16:
            raise SettingsError(f"{name} must be a secret of 16+ characters")
        return value
    if profile == "production":
        raise SettingsError(f"the production profile needs {name} set to a secret of 16+ characters")
    return stored_secret(var_dir, SECRETS[name])


def _origins(env: Mapping[str, str], web_port: int) -> tuple[str, ...]:
    raw = env.get("SHOPMATE_SHOP_ORIGINS") or f"http://localhost:{web_port},http://127.0.0.1:{web_port}"
    origins = tuple(origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip())
    bad = [origin for origin in origins if origin == "*" or "://" not in origin]
    if bad or not origins:
        raise SettingsError(f"SHOPMATE_SHOP_ORIGINS must list the shop's origins, e.g. https://shop.example "
                            f"(comma-separated, no '*'); got {raw!r}")
    return origins


LOOPBACK = ("127.", "localhost", "::1")


def _per_minute(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise SettingsError(f"{name}={raw!r} must be a whole number of messages a minute from 1 to 1000000")
    return int(raw)


def _bind(env: Mapping[str, str], api_key: str) -> str:
    """Where Rasa and the web app listen. Off loopback, anyone on the network reaches the shop events
    API, so the development key (known to everyone who read the README) is refused there."""
    host = env.get("SHOPMATE_BIND") or "127.0.0.1"
    if not host.startswith(LOOPBACK) and (api_key == DEV_API_KEY or len(api_key) < 16):
        raise SettingsError(f"SHOPMATE_BIND={host} serves the network: set SHOPMATE_API_KEY to a secret of 16+ "
                            "characters first (the development key is public), or bind 127.0.0.1")
    return host


def _mail(env: Mapping[str, str], profile: str, web_port: int) -> MailSettings:
    """SHOPMATE_SMTP_* and SHOPMATE_MAIL_FROM, checked together; the password is never echoed."""
    host = (env.get("SHOPMATE_SMTP_HOST") or "").strip()
    public_url = (env.get("SHOPMATE_PUBLIC_URL") or f"http://localhost:{web_port}").rstrip("/")
    if "://" not in public_url:
        raise SettingsError(f"SHOPMATE_PUBLIC_URL={public_url!r} must be the shop's address for links in e-mail, "
                            "e.g. https://shop.example")
    sender = (env.get("SHOPMATE_MAIL_FROM") or "").strip()
    if sender and (len(sender) > 200 or "\n" in sender or "\r" in sender
                   or "@" not in parseaddr(sender)[1] or " " in parseaddr(sender)[1]):
        raise SettingsError(f"SHOPMATE_MAIL_FROM={sender!r} must be an address, "
                            "e.g. \"DeskWorks <hello@deskworks.example>\"")
    if not host:
        if profile == "production":
            return MailSettings(public_url=public_url)  # no e-mail until the shop's SMTP server is set
        return MailSettings(host="127.0.0.1", port=_port(env, "SHOPMATE_MAIL_PORT", 8025),
                            sender=sender or MailSettings.sender, public_url=public_url, local_mailbox=True)
    if not sender:
        raise SettingsError("SHOPMATE_SMTP_HOST is set: set SHOPMATE_MAIL_FROM too, the address shoppers see "
                            "the mail from (e.g. \"DeskWorks <hello@deskworks.example>\")")
    username, password = env.get("SHOPMATE_SMTP_USER") or "", env.get("SHOPMATE_SMTP_PASSWORD") or ""
    if bool(username) != bool(password):
        raise SettingsError("set both SHOPMATE_SMTP_USER and SHOPMATE_SMTP_PASSWORD, or neither")
    flag = (env.get("SHOPMATE_SMTP_STARTTLS") or "").lower()
    starttls = flag in {"1", "true", "yes", "on"} if flag else not host.startswith(LOOPBACK)
    if password and not starttls and not host.startswith(LOOPBACK):
        raise SettingsError("SHOPMATE_SMTP_STARTTLS is off: the SMTP password would cross the network in clear; "
                            "turn STARTTLS on (port 587)")
    return MailSettings(host=host, port=_port(env, "SHOPMATE_SMTP_PORT", 587), username=username,
                        password=password, starttls=starttls, sender=sender, public_url=public_url)


def _webhook(env: Mapping[str, str]) -> tuple[str, str]:
    """The shop's webhook endpoint and its signing secret, checked together (the secret is never shown)."""
    url, secret = (env.get("SHOPMATE_WEBHOOK_URL") or "").strip(), (env.get("SHOPMATE_WEBHOOK_SECRET") or "").strip()
    if not url:
        return "", ""
    local = url.startswith(("http://127.0.0.1", "http://localhost"))
    if not (url.startswith("https://") or local) or len(url) > 2000 or any(c.isspace() for c in url):
        raise SettingsError("SHOPMATE_WEBHOOK_URL must be an https:// address (http:// only for 127.0.0.1 or "
                            "localhost), at most 2000 characters")
    try:
        key = base64.b64decode(secret.removeprefix("whsec_") + "==", validate=False) if secret.startswith("whsec_") \
            else b""
    except ValueError:
        key = b""
    if len(key) < 24:
        raise SettingsError("SHOPMATE_WEBHOOK_SECRET must be set with SHOPMATE_WEBHOOK_URL: 'whsec_' followed by "
                            "base64 of at least 24 random bytes (python -c \"import base64, secrets; "
                            "print('whsec_' + base64.b64encode(secrets.token_bytes(32)).decode())\")")
    return url, secret


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    webhook_url, webhook_secret = _webhook(env)
    var_dir = Path(env.get("SHOPMATE_VAR_DIR") or PROJECT_ROOT / "var")
    database_url = env.get("SHOPMATE_DATABASE_URL") or f"sqlite:///{var_dir / 'shopmate.db'}"
    if "://" not in database_url:
        raise SettingsError(
            "SHOPMATE_DATABASE_URL must be an SQLAlchemy URL such as "
            "sqlite:///var/shopmate.db or postgresql+psycopg2://user@host/db"
        )
    shop_dir = _folder(env, "SHOPMATE_SHOP_DIR", PROJECT_ROOT / "data" / "shop", "shop.yml and catalog.csv")
    catalog = Path(env["SHOPMATE_CATALOG"]).expanduser().resolve() if env.get("SHOPMATE_CATALOG") else None
    if catalog is not None and not catalog.is_file():
        raise SettingsError(f"SHOPMATE_CATALOG={catalog} is not a file: point it at your platform's catalog export "
                            "(Shopify product CSV, Google Merchant Center TSV or XML feed, WooCommerce product CSV)")
    voc_dir = _folder(env, "SHOPMATE_VOC_DIR", PROJECT_ROOT / "data" / "voc", "themes.yml and sentiment.yml")
    profile = env.get("SHOPMATE_PROFILE") or "embedded"
    if profile not in PROFILES:
        raise SettingsError(f"SHOPMATE_PROFILE={profile!r} must be one of {', '.join(PROFILES)}")
    api_key = env.get("SHOPMATE_API_KEY") or DEV_API_KEY
    if profile == "production" and (api_key == DEV_API_KEY or len(api_key) < 16):
        raise SettingsError("the production profile needs SHOPMATE_API_KEY set to a secret of 16+ characters "
                            "(not the development key)")
    try:
        interval = float(env.get("SHOPMATE_RECOVERY_INTERVAL") or 20)
    except ValueError:
        raise SettingsError("SHOPMATE_RECOVERY_INTERVAL must be a number of seconds, e.g. 20") from None
    if not 0.5 <= interval <= 60:
        raise SettingsError("SHOPMATE_RECOVERY_INTERVAL must be between 0.5 and 60 seconds (carts are found "
                            "within a minute)")
    ports = Ports(_port(env, "SHOPMATE_ACTIONS_PORT", 5055), _port(env, "SHOPMATE_RASA_PORT", 5005),
                  _port(env, "SHOPMATE_WEB_PORT", 8000))
    retention = env.get("SHOPMATE_RETENTION_DAYS") or "0"
    if not retention.isdigit():
        raise SettingsError("SHOPMATE_RETENTION_DAYS must be a whole number of days (0 keeps conversations)")
    claim_minutes = env.get("SHOPMATE_CLAIM_MINUTES") or "5"
    if not claim_minutes.isdigit() or not 1 <= int(claim_minutes) <= 120:
        raise SettingsError("SHOPMATE_CLAIM_MINUTES must be a whole number of minutes from 1 to 120 (how long a "
                            "shopper waits for an agent to claim the chat)")
    processes = env.get("SHOPMATE_PROCESSES") or str(os.cpu_count() or 1)
    if not processes.isdigit() or not 1 <= int(processes) <= 32:
        raise SettingsError(f"SHOPMATE_PROCESSES={processes!r} must be a number of processes from 1 to 32")
    cache = env.get("SHOPMATE_MODEL_CACHE") or Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shopmate" \
        / "models"
    return Settings(
        database_url=database_url, shop_dir=shop_dir, catalog=catalog, var_dir=var_dir, voc_dir=voc_dir,
        profile=profile,
        api_key=api_key, rasa_url=(env.get("SHOPMATE_RASA_URL") or f"http://localhost:{ports.rasa}").rstrip("/"),
        recovery_interval_seconds=interval, claim_minutes=int(claim_minutes),
        rasa_token=_secret(env, "SHOPMATE_RASA_TOKEN", profile, var_dir),
        action_token=_secret(env, "SHOPMATE_ACTION_TOKEN", profile, var_dir),
        secret_key=_secret(env, "SHOPMATE_SECRET_KEY", profile, var_dir), shop_origins=_origins(env, ports.web),
        actions_host=env.get("SHOPMATE_ACTIONS_HOST") or "127.0.0.1", retention_days=int(retention),
        bind_host=_bind(env, api_key),
        chat_per_conversation=_per_minute(env, "SHOPMATE_CHAT_PER_CONVERSATION", 30),
        chat_per_address=_per_minute(env, "SHOPMATE_CHAT_PER_ADDRESS", 600),
        behind_proxy=(env.get("SHOPMATE_BEHIND_PROXY") or "").lower() in {"1", "true", "yes", "on"},
        webhook_url=webhook_url, webhook_secret=webhook_secret, mail=_mail(env, profile, ports.web),
        scheduler=(env.get("SHOPMATE_SCHEDULER") or "on").lower() not in {"off", "0", "false", "no"},
        ports=ports, action_url=env.get("SHOPMATE_ACTION_URL") or f"http://127.0.0.1:{ports.actions}/webhook",
        tracker_db=Path(env.get("SHOPMATE_TRACKER_DB") or var_dir / "tracker.db"), model_cache_dir=Path(cache),
        tracker_store_url=env.get("SHOPMATE_TRACKER_URL") or "",
        chat_url=(env.get("SHOPMATE_CHAT_URL") or "").rstrip("/"),
        processes=int(processes), postgres_port=_port(env, "SHOPMATE_POSTGRES_PORT", 5433),
        redis_port=_port(env, "SHOPMATE_REDIS_PORT", 6380))
