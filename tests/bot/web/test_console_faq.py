"""Issue 28's loop: an admin turns an unanswered question into an FAQ entry in the console, and the
assistant answers a shopper's paraphrase of it at once, with no restart and no retraining."""

import time

from fastapi.testclient import TestClient
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import ActionShopAnswer
from actions.services import Services
from lifecycle.knowledge.edits import FaqEdits
from lifecycle.knowledge.source import KnowledgeSource
from lifecycle.people.accounts import Accounts
from tests.bot.web.conftest import PASSWORD
from tests.bot.web.test_console import csrf, login
from tests.conftest import TrackerFactory, texts
from tests.web import state


async def test_an_entry_saved_in_the_console_answers_a_paraphrase_within_the_minute(
        web: TestClient, services: Services, tracker_for: TrackerFactory, dispatcher: CollectingDispatcher) -> None:
    # The console's store is the one the action server reads (one lifecycle store per shop).
    services.knowledge = KnowledgeSource(state(web).settings.shop_dir, state(web).database)
    Accounts(state(web).database).create_user("ada", PASSWORD, "admin")
    login(web, "ada")
    editor = web.get("/console/faq/edit", params={"question": "do you do engraving on headsets?"})
    assert editor.status_code == 200 and "do you do engraving on headsets?" in editor.text
    await ActionShopAnswer().run(dispatcher, tracker_for("can you engrave my initials on it?", "ask_shop_answer",
                                                         slots={"language": "en"}), {})
    assert "person" in texts(dispatcher)[-1]  # nothing answers it yet
    saved = web.post("/console/faq", data={
        "csrf_token": csrf(web, "/console/faq/edit"), "id": "engraving", "language": "en",
        "questions": "do you do engraving on headsets?\ncan you engrave a name?",
        "answer": "Yes: laser engraving of up to 20 characters on any headset, 9 EUR, adds one day.", "links": ""},
        follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/console/faq?saved=engraving"
    started = time.monotonic()
    dispatcher.messages.clear()
    time.sleep(1.1)  # each process looks for changes at most once a second
    await ActionShopAnswer().run(dispatcher, tracker_for("could you engrave my name on it?", "ask_shop_answer",
                                                         slots={"language": "en"}), {})
    assert "laser engraving of up to 20 characters" in texts(dispatcher)[-1]
    assert time.monotonic() - started < 60
    history = FaqEdits(state(web).database).history("engraving")
    assert [(v.author, v.deleted) for v in history] == [("ada", False)]
    assert "engraving" in web.get("/console/faq").text


def test_the_editor_is_for_admins_and_says_what_to_fix(web: TestClient) -> None:
    login(web, "sam")
    assert web.get("/console/faq").status_code == 403
    assert web.post("/console/faq", data={"id": "x"}).status_code == 403
    Accounts(state(web).database).create_user("ada", PASSWORD, "admin")
    login(web, "ada")
    bad = web.post("/console/faq", data={"csrf_token": csrf(web, "/console/faq/edit"), "id": "Bad Id!",
                                         "language": "en", "questions": "anything?", "answer": "something"})
    assert bad.status_code == 422 and "Not saved: id:" in bad.text
    forged = web.post("/console/faq", data={"csrf_token": "nope", "id": "ok", "language": "en",
                                            "questions": "q?", "answer": "an answer"})
    assert forged.status_code == 403
    script = web.post("/console/faq", data={"csrf_token": csrf(web, "/console/faq/edit"), "id": "xss",
                                            "language": "en", "questions": "<script>alert(1)</script> here?",
                                            "answer": "fine answer"}, follow_redirects=True)
    assert "<script>alert(1)</script>" not in script.text and "&lt;script&gt;" in script.text


def test_the_webhooks_page_is_for_admins_and_says_how_to_configure(web: TestClient) -> None:
    login(web, "sam")
    assert web.get("/console/webhooks").status_code == 403
    Accounts(state(web).database).create_user("ada", PASSWORD, "admin")
    login(web, "ada")
    page = web.get("/console/webhooks")
    assert page.status_code == 200 and "SHOPMATE_WEBHOOK_URL" in page.text
