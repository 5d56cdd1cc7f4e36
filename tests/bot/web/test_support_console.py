"""The support team's console over HTTP: queue filters in the URL, pages by key, owners, canned
replies for a chat in its language, the pulse, presence and display names, escaped search hits."""

from __future__ import annotations

from fastapi.testclient import TestClient

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.people.accounts import Accounts
from tests.bot.web.conftest import PASSWORD
from tests.bot.web.test_console import csrf, listed, login
from tests.bot.web.test_live_console import RecordingRasa
from tests.web import state


def shoppers(web: TestClient, count: int) -> ConversationRecorder:
    recorder = ConversationRecorder(state(web).database, state(web).links)
    for n in range(count):
        recorder.record_user_message(f"chat-{n}", f"question number {n}", "ask_shipping", 0.9)
    return recorder


def test_lists_page_by_key_and_keep_their_filters(web: TestClient) -> None:
    shoppers(web, 120)
    login(web, "sam")
    first = web.get("/console/conversations", params={"intent": "ask_shipping"}).text
    assert listed(first) == 50 and "First page" not in first
    next_link = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "intent=ask_shipping" in next_link and "after=" in next_link
    second = web.get(next_link).text
    third = web.get(second.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")).text
    assert listed(second) == 50 and listed(third) == 20 and 'rel="next"' not in third and "First page" in third
    shown = [page.split('<a href="/console/conversations/')[1:] for page in (first, second, third)]
    ids = [int(row.split('"')[0]) for page in shown for row in page]
    assert sorted(ids, reverse=True) == ids and len(set(ids)) == 120
    broken = web.get("/console/conversations", params={"after": "garbage!"})
    assert broken.status_code == 422 and "page link is broken" in broken.text


def test_an_admin_assigns_the_agent_finds_it_in_mine_and_the_timeline_says_so(web: TestClient) -> None:
    Accounts(state(web).database).create_user("ada", PASSWORD, "admin")
    recorder = shoppers(web, 1)
    recorder.request_handoff("chat-0", "requested", True)
    login(web, "ada")
    token = csrf(web, "/console/queue")
    assert web.post("/console/conversations/1/assign", data={"csrf_token": token, "to": "nobody-here"}
                    ).status_code == 403
    moved = web.post("/console/conversations/1/assign", data={"csrf_token": token, "to": "sam",
                                                              "back": "/console/queue?owner=anyone"},
                     follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/console/queue?owner=anyone"
    login(web, "sam")
    assert "question number 0" in web.get("/console/queue", params={"owner": "me"}).text
    assert "question number 0" not in web.get("/console/queue", params={"owner": "unassigned"}).text
    assert "ada assigned it to sam" in web.get("/console/conversations/1").text
    token = csrf(web, "/console/queue")
    assert web.post("/console/conversations/1/assign", data={"csrf_token": token, "to": "ada"}).status_code == 403
    assert web.get("/console/queue", params={"channel": "fax"}).status_code == 422


def test_canned_replies_come_in_the_chats_language_with_its_values(web: TestClient) -> None:
    state(web).rasa = RecordingRasa()
    recorder = ConversationRecorder(state(web).database, state(web).links)
    recorder.record_user_message("chat-it", "voglio parlare con una persona", "request_human", 0.9,
                                 metadata={"language": "it"})
    recorder.record_language("chat-it", "it")
    handoff = recorder.request_handoff("chat-it", "requested", True, live=True).id
    Accounts(state(web).database).set_display_name("sam", "Samuele")
    login(web, "sam")
    replies = {r["shortcut"]: r for r in web.get(f"/console/live/{handoff}/canned").json()["replies"]}
    assert replies["hello"]["language"] == "it"
    assert replies["hello"]["text"] == "Ciao {first_name}, sono Samuele di DeskWorks. Come posso aiutarti oggi?"
    assert "{order_id}" in replies["order"]["text"]  # no order: left for the agent to fill


def test_admins_edit_canned_replies_and_a_mistake_is_explained(web: TestClient) -> None:
    Accounts(state(web).database).create_user("ada", PASSWORD, "admin")
    login(web, "ada")
    token = csrf(web, "/console/canned")
    wrong = web.post("/console/canned", data={"csrf_token": token, "shortcut": "bye", "language": "en",
                                              "text": "Bye {customer}"})
    assert wrong.status_code == 422 and "unknown variable {customer}" in wrong.text and "Bye {customer}" in wrong.text
    web.post("/console/canned", data={"csrf_token": token, "shortcut": "bye", "language": "en",
                                      "text": "Bye <b>{first_name}</b>"})
    page = web.get("/console/canned").text
    assert "/bye" in page and "Bye &lt;b&gt;{first_name}&lt;/b&gt;" in page
    login(web, "sam")
    assert web.get("/console/canned").status_code == 403


def test_the_pulse_presence_and_display_name(web: TestClient) -> None:
    recorder = shoppers(web, 2)
    recorder.request_handoff("chat-0", "requested", True, live=True)
    login(web, "sam")
    pulse = web.get("/console/pulse").json()
    assert (pulse["waiting"], pulse["open"], pulse["presence"], pulse["mine"]) == (1, 1, "online", {})
    token = csrf(web, "/console/queue")
    web.post("/console/presence", data={"csrf_token": token, "presence": "away"})
    assert web.get("/console/pulse").json()["presence"] == "away"
    assert Accounts(state(web).database).agents_online() == []
    assert web.post("/console/presence", data={"csrf_token": token, "presence": "asleep"}).status_code == 422
    refused = web.post("/console/profile", data={"csrf_token": token, "display_name": "<script>"})
    assert refused.status_code == 422 and "&lt;script&gt;" in refused.text
    web.post("/console/profile", data={"csrf_token": token, "display_name": "Sam"})
    assert Accounts(state(web).database).profile("sam") == ("Sam", "away")


def test_search_hits_are_highlighted_and_never_rendered_as_html(web: TestClient) -> None:
    recorder = ConversationRecorder(state(web).database, state(web).links)
    recorder.record_user_message("chat-x", "<img src=x onerror=alert(1)> where is my parcel", "ask_order", 0.9)
    login(web, "sam")
    page = web.get("/console/conversations", params={"q": "parcel"}).text
    assert "<mark>parcel</mark>" in page and "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert web.get("/console/conversations", params={"q": "***"}).status_code == 422


def test_done_returns_to_the_filtered_queue_and_never_off_the_console(web: TestClient) -> None:
    recorder = shoppers(web, 2)
    recorder.request_handoff("chat-0", "requested", False)
    recorder.request_handoff("chat-1", "requested", False)
    login(web, "sam")
    token = csrf(web, "/console/queue")
    done = web.post("/console/queue/1/done", data={"csrf_token": token}, follow_redirects=False,
                    headers={"Referer": "http://127.0.0.1:8000/console/queue?channel=note&language=en"})
    assert done.status_code == 303 and done.headers["location"] == "/console/queue?channel=note&language=en"
    away = web.post("/console/queue/2/done", data={"csrf_token": token}, follow_redirects=False,
                    headers={"Referer": "https://evil.example/console/queue"})
    assert away.headers["location"] == "/console/queue"  # only ever a path on this console
    assert web.post("/console/queue/2/done", data={"csrf_token": token}).status_code == 409  # already done
