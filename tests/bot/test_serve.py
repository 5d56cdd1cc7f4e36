from pathlib import Path

import pytest

from bot import serve


def test_bad_shop_data_stops_the_start_naming_file_row_and_field(
        shop_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    catalog = shop_dir / "catalog.csv"
    catalog.write_text(catalog.read_text().replace("HS-100,Calla Wired USB Headset,headset,29.90,300",
                                                   "HS-100,Calla Wired USB Headset,headset,29.90,-3"))
    monkeypatch.setenv("SHOPMATE_SHOP_DIR", str(shop_dir))
    monkeypatch.setenv("SHOPMATE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("SHOPMATE_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setattr(serve, "ensure_model", lambda: pytest.fail("must stop before training"))
    assert serve.main() == 2
    error = capsys.readouterr().err
    assert "cannot start" in error and "catalog.csv" in error and "row 5" in error and "'stock'" in error


def test_a_database_url_that_is_not_a_url_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("SHOPMATE_DATABASE_URL", "var/shopmate.db")
    assert serve.main() == 2
    assert "SHOPMATE_DATABASE_URL must be an SQLAlchemy URL" in capsys.readouterr().err


def test_rasa_gets_a_token_that_starts_with_a_dash_as_one_argument(tmp_path: Path) -> None:
    """A secret may start with '-': it must reach Rasa as the token, not as an option."""
    from bot.processes import embedded_services
    from lifecycle.settings import load_settings

    settings = load_settings({"SHOPMATE_VAR_DIR": str(tmp_path), "SHOPMATE_RASA_TOKEN": "-starts-with-a-dash-0123"})
    rasa = next(service for service in embedded_services(Path("model.tar.gz"), settings)
                if service.name == "rasa")
    assert "--auth-token=-starts-with-a-dash-0123" in rasa.command
    made = load_settings({"SHOPMATE_VAR_DIR": str(tmp_path / "made")})
    assert all(not secret.startswith("-") for secret in (made.rasa_token, made.action_token, made.secret_key))
