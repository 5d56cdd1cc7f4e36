"""`/widget/hello`: a due playbook's message comes back for the widget, said by Rasa; bad input is refused."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.web.rasa_client import RasaError
from lifecycle.storage.models import Conversation, Customer, PlaybookSend
from tests.web import state

CHAT = "0123456789abcdef0123456789abcdef"


class SayingRasa:
    """Stands in for Rasa's trigger_intent; tests/e2e/test_playbooks.py asks the real one."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, str, Any, bool]] = []
        self.fail = fail

    def trigger_intent(self, sender_id: str, intent: str, entities: dict | None = None, push: bool = True) -> list:
        self.calls.append((sender_id, intent, entities, push))
        if self.fail:
            raise RasaError("Rasa at http://127.0.0.1:1 is not reachable")
        return [{"recipient_id": sender_id, "text": "Hi, welcome to DeskWorks!"}]


def test_a_first_visit_is_greeted_through_rasa_and_recorded_once(web: TestClient) -> None:
    state(web).rasa = rasa = SayingRasa()
    identity = state(web).links.sign("shop-visitor-7", CHAT)
    body = {"conversation": CHAT, "identity": identity, "language": "it-IT"}
    first = web.post("/widget/hello", json=body)
    assert first.status_code == 200 and first.json()["messages"][0]["text"] == "Hi, welcome to DeskWorks!"
    assert rasa.calls == [(CHAT, "EXTERNAL_playbook", {"playbook": "first_visit", "page_language": "it"}, False)]
    assert web.post("/widget/hello", json=body).json() == {"messages": []}  # once
    with state(web).database.session() as session:
        owner = session.execute(select(Customer.visitor_id).join(Conversation, Conversation.customer_id == Customer.id)
                                .where(Conversation.sender_id == CHAT)).scalar_one()
        assert owner == "shop-visitor-7"  # the greeting's conversation is the signed visitor's
        assert session.execute(select(PlaybookSend.status)).scalars().all() == ["sent"]


def test_a_forged_identity_is_an_anonymous_visitor(web: TestClient) -> None:
    state(web).rasa = SayingRasa()
    forged = state(web).links.sign("shop-visitor-7", "another-conversation-secret-000")
    web.post("/widget/hello", json={"conversation": CHAT, "identity": forged})
    with state(web).database.session() as session:
        visitors = session.execute(select(Customer.visitor_id)).scalars().all()
    assert "shop-visitor-7" not in visitors and len(visitors) == 1


def test_when_rasa_cannot_say_it_the_send_does_not_count(web: TestClient) -> None:
    state(web).rasa = SayingRasa(fail=True)
    assert web.post("/widget/hello", json={"conversation": CHAT}).json() == {"messages": []}
    with state(web).database.session() as session:
        assert session.execute(select(PlaybookSend.status)).scalars().all() == ["failed"]
    state(web).rasa = SayingRasa()
    assert web.post("/widget/hello", json={"conversation": CHAT}).json()["messages"]  # tried again


def test_a_client_reloading_without_end_is_throttled(web: TestClient) -> None:
    state(web).rasa = SayingRasa()
    codes = [web.post("/widget/hello", json={"conversation": CHAT}).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
    assert web.post("/widget/hello", json={"conversation": "another" + CHAT}).status_code == 200


def test_bad_input_gets_a_clear_error(web: TestClient) -> None:
    assert web.post("/widget/hello", json={"conversation": "short"}).status_code == 422
    assert web.post("/widget/hello", json={"conversation": CHAT, "identity": "x" * 1001}).status_code == 422
    assert web.post("/widget/hello", json={"conversation": CHAT, "language": 5}).status_code == 422
    assert web.post("/widget/hello", content=b"not json", headers={"Content-Type": "application/json"}
                    ).status_code == 422
