"""Mail settings: a local mailbox by default, the shop's SMTP server in production, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lifecycle.settings import SettingsError, load_settings

PASSWORD = "s3cret-smtp-pass"


def test_the_embedded_profile_mails_its_own_local_mailbox(tmp_path: Path) -> None:
    mail = load_settings({"SHOPMATE_VAR_DIR": str(tmp_path), "SHOPMATE_MAIL_PORT": "8125"}).mail
    assert mail.enabled and mail.local_mailbox and (mail.host, mail.port) == ("127.0.0.1", 8125)
    assert mail.public_url == "http://localhost:8000"


def test_a_shops_smtp_server_gets_starttls_and_its_domain_names_the_message_ids(tmp_path: Path) -> None:
    mail = load_settings({"SHOPMATE_VAR_DIR": str(tmp_path), "SHOPMATE_SMTP_HOST": "smtp.deskworks.example",
                          "SHOPMATE_MAIL_FROM": "DeskWorks <hello@deskworks.example>",
                          "SHOPMATE_SMTP_USER": "hello", "SHOPMATE_SMTP_PASSWORD": PASSWORD}).mail
    assert mail.enabled and not mail.local_mailbox and mail.starttls and mail.port == 587
    assert mail.domain == "deskworks.example"


@pytest.mark.parametrize("env, message", [
    ({"SHOPMATE_SMTP_HOST": "smtp.deskworks.example"}, "SHOPMATE_MAIL_FROM"),
    ({"SHOPMATE_SMTP_HOST": "smtp.deskworks.example", "SHOPMATE_MAIL_FROM": "hello@deskworks.example",
      "SHOPMATE_SMTP_PASSWORD": PASSWORD}, "both SHOPMATE_SMTP_USER and SHOPMATE_SMTP_PASSWORD"),
    ({"SHOPMATE_SMTP_HOST": "smtp.deskworks.example", "SHOPMATE_MAIL_FROM": "hello@deskworks.example",
      "SHOPMATE_SMTP_USER": "u", "SHOPMATE_SMTP_PASSWORD": PASSWORD, "SHOPMATE_SMTP_STARTTLS": "off"}, "in clear"),
    ({"SHOPMATE_MAIL_FROM": "not an address"}, "must be an address"),
    ({"SHOPMATE_PUBLIC_URL": "shop.example"}, "SHOPMATE_PUBLIC_URL"),
])
def test_mail_settings_say_what_to_fix_and_never_echo_the_password(tmp_path: Path, env: dict[str, str],
                                                                   message: str) -> None:
    with pytest.raises(SettingsError, match=message) as error:
        load_settings({"SHOPMATE_VAR_DIR": str(tmp_path), **env})
    assert PASSWORD not in str(error.value)
