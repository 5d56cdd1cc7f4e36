"""Settings for every Shopmate process, read from the environment in one place.

Each process (Rasa's event broker, the action server, the web app, the tests) calls
`load_settings()` instead of reading `os.environ` itself, so a wrong value fails the
same way everywhere, with a message that says which variable to fix.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting in the environment cannot be used; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    shop_dir: Path
    var_dir: Path

    @property
    def catalog_path(self) -> Path:
        return self.shop_dir / "catalog.csv"

    @property
    def shop_path(self) -> Path:
        return self.shop_dir / "shop.yml"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    var_dir = Path(env.get("SHOPMATE_VAR_DIR") or PROJECT_ROOT / "var")
    database_url = env.get("SHOPMATE_DATABASE_URL") or f"sqlite:///{var_dir / 'shopmate.db'}"
    if "://" not in database_url:
        raise SettingsError(
            "SHOPMATE_DATABASE_URL must be an SQLAlchemy URL such as "
            "sqlite:///var/shopmate.db or postgresql+psycopg2://user@host/db"
        )
    shop_dir = Path(env.get("SHOPMATE_SHOP_DIR") or PROJECT_ROOT / "data" / "shop")
    if not shop_dir.is_dir():
        raise SettingsError(f"SHOPMATE_SHOP_DIR={shop_dir} is not a directory with shop.yml and catalog.csv")
    return Settings(database_url=database_url, shop_dir=shop_dir, var_dir=var_dir)
