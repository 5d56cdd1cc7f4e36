import sys
from pathlib import Path

import pytest

from bot.runner import serve


def test_bad_shop_data_stops_the_start_naming_file_line_and_field(
        shop_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    policies = shop_dir / "shop.yml"
    policies.write_text(policies.read_text().replace("  window_days: 30", "  window_days: thirty"))
    monkeypatch.setenv("SHOPMATE_SHOP_DIR", str(shop_dir))
    monkeypatch.setenv("SHOPMATE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("SHOPMATE_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setattr(serve, "ensure_model", lambda: pytest.fail("must stop before training"))
    assert serve.main() == 2
    error = capsys.readouterr().err
    assert "cannot start" in error and "shop.yml, line" in error and "'returns.window_days'" in error


def test_a_database_url_that_is_not_a_url_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("SHOPMATE_DATABASE_URL", "var/shopmate.db")
    assert serve.main() == 2
    assert "SHOPMATE_DATABASE_URL must be an SQLAlchemy URL" in capsys.readouterr().err


def test_rasa_gets_its_token_in_process_as_one_argument_never_on_its_command_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ps` shows every local user a command line; a secret may also start with '-', and must reach
    Rasa as the token, not as an option."""
    from bot.rasa import run as rasa_run
    from bot.runner.processes import embedded_services
    from lifecycle.settings import load_settings

    environment = {"SHOPMATE_VAR_DIR": str(tmp_path), "SHOPMATE_RASA_TOKEN": "-starts-with-a-dash-0123"}
    settings = load_settings(environment)
    rasa = next(service for service in embedded_services(Path("model.tar.gz"), settings)
                if service.name == "rasa")
    assert not any("starts-with-a-dash" in argument for argument in rasa.command)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    seen: list[list[str]] = []
    monkeypatch.setattr(rasa_run, "rasa_main", lambda: seen.append(list(sys.argv)))
    rasa_run.main(rasa.command[3:])
    assert seen[0][:3] == ["rasa", "run", "--enable-api"]
    assert "--auth-token=-starts-with-a-dash-0123" in seen[0]
    made = load_settings({"SHOPMATE_VAR_DIR": str(tmp_path / "made")})
    assert all(not secret.startswith("-") for secret in (made.rasa_token, made.action_token, made.secret_key))


def test_a_port_another_program_holds_stops_the_start_with_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """A second `make run` used to report "up" (the first one's /health answered) while its own processes
    failed to bind."""
    import socket

    from bot.runner.processes import free_port

    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        taken = other.getsockname()[1]
        for name, value in {"SHOPMATE_VAR_DIR": str(tmp_path), "SHOPMATE_WEB_PORT": str(taken),
                            "SHOPMATE_RASA_PORT": str(free_port()), "SHOPMATE_ACTIONS_PORT": str(free_port())}.items():
            monkeypatch.setenv(name, value)
        assert serve.main([]) == 2
    error = capsys.readouterr().err
    assert f"port {taken} is already in use" in error and "SHOPMATE_WEB_PORT" in error


def test_a_playbook_that_mails_without_an_smtp_server_stops_the_production_start(
        shop_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from lifecycle.settings import SettingsError, load_settings

    path = shop_dir / "playbooks.yml"
    path.write_text(path.read_text().replace("    message: cart_reminder ", "    channel: chat_then_email\n"
                                                                          "    message: cart_reminder ", 1))
    settings = load_settings({"SHOPMATE_VAR_DIR": str(tmp_path), "SHOPMATE_SHOP_DIR": str(shop_dir),
                              "SHOPMATE_PROFILE": "production", "SHOPMATE_API_KEY": "k" * 24,
                              "SHOPMATE_RASA_TOKEN": "t" * 24, "SHOPMATE_ACTION_TOKEN": "a" * 24,
                              "SHOPMATE_SECRET_KEY": "s" * 24,
                              "SHOPMATE_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"})
    with pytest.raises(SettingsError, match="cart_recovery sends e-mail .* set SHOPMATE_SMTP_HOST"):
        serve._prepare(settings)
