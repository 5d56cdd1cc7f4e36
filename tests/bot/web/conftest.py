"""The console's web app for the console tests: a prepared store, a support and a marketing user."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lifecycle.people.accounts import Accounts
from lifecycle.settings import load_settings
from tests.conftest import prepared_app
from tests.web import state

PASSWORD = "correct horse battery"


@pytest.fixture
def web(shop_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path),
                              "SHOPMATE_SCHEDULER": "off"})
    with TestClient(prepared_app(settings)) as client:
        accounts = Accounts(state(client).database)
        accounts.create_user("sam", PASSWORD, "support")
        accounts.create_user("mia", PASSWORD, "marketing")
        yield client


API_KEY = "test-key-0123456789"


@pytest.fixture
def api(shop_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    """The web app with a known API key, for the shop's HTTP API."""
    settings = load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path),
                              "SHOPMATE_API_KEY": API_KEY, "SHOPMATE_SCHEDULER": "off"})
    with TestClient(prepared_app(settings)) as client:
        yield client
