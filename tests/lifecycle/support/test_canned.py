"""Canned replies: the shop's file seeds them once; admins' edits are checked; a chat gets its language."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from lifecycle.people.canned import Canned, CannedError, CannedReplies, check, fill, load_defaults
from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.language import LANGUAGES
from lifecycle.storage.database import Database

NOW = datetime(2026, 12, 3, 10, tzinfo=timezone.utc)


def test_the_demo_shops_file_has_every_shortcut_in_every_language() -> None:
    replies = load_defaults(PROJECT_ROOT / "data" / "shop" / "canned_replies.yml")
    shortcuts = {r.shortcut for r in replies}
    assert len(shortcuts) >= 4
    assert {(s, lang) for s in shortcuts for lang in LANGUAGES} == {(r.shortcut, r.language) for r in replies}


@pytest.mark.parametrize(("shortcut", "language", "text", "error"), [
    ("Hello There", "en", "Hi", "lower-case"),
    ("hello", "de", "Hallo", "language 'de'"),
    ("hello", "en", "Hi {name}", "unknown variable {name}"),
    ("hello", "en", "Hi {first_name", "brace is not closed"),
    ("hello", "en", "   ", "1 to 1000"),
])
def test_a_mistake_is_named(shortcut: str, language: str, text: str, error: str) -> None:
    with pytest.raises(CannedError, match=error.replace("{", r"\{").replace("(", r"\(")):
        check(shortcut, language, text)


def test_a_file_mistake_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "canned_replies.yml"
    path.write_text("hello:\n  en: 'Hi {customer}'\n", encoding="utf-8")
    with pytest.raises(CannedError, match=r"canned_replies.yml: /hello \(en\): unknown variable"):
        load_defaults(path)


def test_a_missing_value_stays_visible_for_the_agent_to_fill() -> None:
    assert fill("Hi {first_name}, order {order_id}. {agent}", {"first_name": "Giulia", "order_id": "",
                                                               "agent": "Ann"}) == "Hi Giulia, order {order_id}. Ann"


def test_the_file_seeds_an_empty_store_once_then_admins_own_the_replies(database: Database) -> None:
    replies = CannedReplies(database)
    assert replies.seed([Canned("hello", "en", "Hi {first_name}"), Canned("hello", "it", "Ciao {first_name}")]) == 2
    replies.save("bye", "en", "Bye from {agent}", "ada", NOW)
    assert replies.delete("hello", "en")
    assert replies.seed([Canned("hello", "en", "Hi")]) == 0  # the store has replies: the file is not read again
    chat = {r.shortcut: r for r in replies.for_chat("it", {"first_name": "Giulia", "agent": "Ann"})}
    assert (chat["hello"].language, chat["hello"].text) == ("it", "Ciao Giulia")
    assert (chat["bye"].language, chat["bye"].text) == ("en", "Bye from Ann")  # no Italian: English
    with pytest.raises(CannedError):
        replies.save("bye", "en", "{oops}", "ada", NOW)
    assert [r.text for r in replies.all() if r.shortcut == "bye"] == ["Bye from {agent}"]


def test_a_mistake_in_the_shops_file_stops_the_preparation_before_anything_serves(shop_dir: Path,
                                                                                  tmp_path: Path) -> None:
    from bot.runner.prepare import prepare_store
    from lifecycle.settings import load_settings
    from lifecycle.shop.loader import ShopDataError

    (shop_dir / "canned_replies.yml").write_text("hello:\n  en: 'Hi {customer}'\n", encoding="utf-8")
    settings = load_settings({"SHOPMATE_SHOP_DIR": str(shop_dir), "SHOPMATE_VAR_DIR": str(tmp_path / "var")})
    with pytest.raises(ShopDataError, match=r"canned_replies.yml: /hello \(en\): unknown variable"):
        prepare_store(settings)
