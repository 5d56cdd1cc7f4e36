"""Real questions over REST to the running stack; facts in the replies, rows in the store."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import delete, select

from lifecycle.storage.models import (
    Comparison,
    ComparisonItem,
    ConsoleSession,
    Conversation,
    Customer,
    Handoff,
    Interaction,
    ProductView,
)
from tests.stack import Chat, eventually, read, settled, socketio_say

pytestmark = pytest.mark.e2e


def test_faq_answers_come_from_shop_data(chat: Chat) -> None:
    payment = chat.text("e2e-faq", "which payment methods can I use in Italy?")
    assert "Satispay" in payment and "PayPal" in payment and "Cash on delivery is not offered" in payment
    shipping = chat.text("e2e-faq", "how much is shipping to Poland?")
    assert "€5.90" in shipping and "2-4 business days" in shipping
    assert "€6.90" in chat.text("e2e-faq", "how long does delivery to Sweden take and what does it cost?")
    assert "don't ship to" in chat.text("e2e-faq", "do you deliver to the United States?")
    returns = chat.text("e2e-faq", "what is your return policy?")
    assert "30 days" in returns and "14 days" in returns
    assert "no account needed" in chat.text("e2e-faq", "can I buy without an account?")


def test_product_facts_by_partial_and_misspelt_names(chat: Chat) -> None:
    assert "€129.00" in chat.text("e2e-products", "how much is the lumo pro?")
    assert "55 available" in chat.text("e2e-products", "is the calla wirless in stock?")
    assert "out of stock" in chat.text("e2e-products", "is the Calla Duo available?")
    assert "4.5/5 from 178 reviews" in chat.text("e2e-products", "how is the Echo Room rated?")


def test_comparison_text_and_table(chat: Chat) -> None:
    messages = chat.say("e2e-compare", "compare the lumo hd and the lumo pro", visitor_id="visitor-compare")
    text = next(m["text"] for m in messages if m.get("text"))
    table = next(m["custom"]["data"] for m in messages if m.get("custom"))
    assert "Cheapest: Lumo HD Webcam. Best rated: Lumo Pro 4K Webcam." in text
    assert table["type"] == "comparison" and [p["sku"] for p in table["products"]] == ["CAM-100", "CAM-200"]
    rows = read(chat.store, select(ComparisonItem.sku).join(Comparison).join(Conversation)
                .where(Conversation.sender_id == chat.conversation("e2e-compare")).order_by(ComparisonItem.position))
    assert rows == [("CAM-100",), ("CAM-200",)]
    stage = read(chat.store, select(Customer.stage).where(Customer.visitor_id == "visitor-compare"))
    assert stage == [("engagement",)]


def test_a_tax_return_is_out_of_scope_not_a_shop_return(chat: Chat) -> None:
    messages = chat.say("e2e-oos", "how do I file my tax return?")
    assert "can't help with that" in messages[0]["text"]
    assert "30 days" not in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"]][0] == "/request_human"


def test_gibberish_gets_no_guessed_fact(chat: Chat) -> None:
    messages = chat.say("e2e-gibberish", "qwzx plorf vantuk drimble")
    assert "€" not in messages[0]["text"]
    assert "/request_human" in [b["payload"] for b in messages[0].get("buttons", [])]


def test_every_turn_lands_in_the_store_including_plain_responses(chat: Chat) -> None:
    chat.say("e2e-turns", "hi", visitor_id="visitor-turns")
    chat.say("e2e-turns", "how much is the glow key light?", visitor_id="visitor-turns")
    chat.say("e2e-turns", "thanks, bye", visitor_id="visitor-turns")
    def recorded() -> None:  # the broker records a moment after the reply
        rows = read(chat.store, select(Interaction.kind, Interaction.intent, Interaction.action, Interaction.text)
                    .join(Conversation).where(Conversation.sender_id == chat.conversation("e2e-turns"))
                    .order_by(Interaction.id))
        users = [(intent, text) for kind, intent, _, text in rows if kind == "user"]
        bots = [(action, text) for kind, _, action, text in rows if kind == "bot"]
        assert [intent for intent, _ in users][:2] == ["greet", "ask_product_price"]
        assert ("action_product_facts", "The Glow Key Light (LT-100) costs €59.00; it is in stock (150 available).") \
            in bots
        assert any(action in {"action_goodbye", "action_you_are_welcome"} for action, _ in bots)  # a plain response

    eventually(recorded)
    views = read(chat.store, select(ProductView.sku).join(Conversation)
                 .where(Conversation.sender_id == chat.conversation("e2e-turns")))
    assert views == [("LT-100",)]


def test_warm_handoff_is_recorded_with_a_summary(chat: Chat) -> None:
    with chat.store.db.session() as session:  # nobody at the console (browser tests log agents in)
        session.execute(delete(ConsoleSession))
    chat.say("e2e-handoff", "how much is the vista video bar?")
    reply = chat.text("e2e-handoff", "I want to talk to a person")
    assert "support@deskworks.example" in reply  # nobody is at the console: no colleague is promised
    summary = read(chat.store, select(Handoff.summary).join(Conversation)
                   .where(Conversation.sender_id == chat.conversation("e2e-handoff")))[0][0]
    assert "how much is the vista video bar?" in summary and "Vista Video Bar" in summary
    mistyped = chat.text("e2e-handoff", "you can write to anna@gmail")
    assert "doesn't look like a complete e-mail address" in mistyped and "anna@gmail" in mistyped
    assert "a colleague will write to anna.rossi@gmail.com" in chat.text("e2e-handoff", "sorry: anna.rossi@gmail.com")
    ticket = read(chat.store, select(Handoff.contact_email, Handoff.status).join(Conversation)
                  .where(Conversation.sender_id == chat.conversation("e2e-handoff")))
    assert ticket == [("anna.rossi@gmail.com", "open")]
    polish = chat.text("e2e-ticket-pl", "proszę o kontakt mailowy na jan.kowalski@wp.pl")
    assert polish.startswith("Dziękujemy: konsultant napisze na jan.kowalski@wp.pl")


def test_web_app_serves_the_widget_page(stack) -> None:  # type: ignore[no-untyped-def]
    page = requests.get(f"http://127.0.0.1:{stack.ports.web}/", timeout=10)
    assert page.status_code == 200 and "shopmate-widget.js" in page.text


def test_socketio_channel_answers_the_widget_session(stack, chat: Chat) -> None:  # type: ignore[no-untyped-def]
    """The widget's protocol: session_request, then user_uttered with metadata, then bot_uttered in the room."""
    secret = "0123456789abcdef0123456789abcdef"
    replies = socketio_say(stack, secret, "what do you sell?", {"identity": chat.links.sign("widget-visitor", secret)})
    assert replies and "DeskWorks sells" in replies[0]["text"]
    owner = settled(chat.store, select(Customer.visitor_id).join(Conversation, Conversation.customer_id == Customer.id)
                    .where(Conversation.sender_id == secret))
    assert owner == [("widget-visitor",)]
