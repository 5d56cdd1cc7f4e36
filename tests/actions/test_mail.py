"""'Send me my cart by e-mail' in the chat: double opt-in for a new address, one confirmation mail only."""

from __future__ import annotations

from sqlalchemy import select

from actions.handoff import ActionLeaveEmail
from actions.mail import ActionSendByEmail
from actions.services import Services
from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.storage.models import EmailConsent, MailMessage
from tests.conftest import VISITOR, TrackerFactory, texts


def sent(services: Services) -> list[tuple[str, str]]:
    with services.recorder.db.reading() as session:
        return [(m.kind, m.to_address) for m in session.execute(select(MailMessage).order_by(MailMessage.id)).scalars()]


def with_cart(services: Services) -> None:
    Commerce(services.recorder.db).apply(parse_events({
        "type": "cart_updated", "event_id": "c-1", "visitor_id": VISITOR, "items": [{"sku": "CAM-200", "qty": 1}]}),
        services.shop)


async def test_a_new_address_gets_one_confirmation_then_the_cart_once_confirmed(services: Services,
                                                                               tracker_for: TrackerFactory) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    with_cart(services)
    asked = CollectingDispatcher()
    events = await ActionSendByEmail().run(asked, tracker_for("email me my cart", "send_by_email"), {})
    assert texts(asked) == ["Which e-mail address should I send your cart to? I'll send a link to confirm it first."]
    assert {"event": "slot", "name": "email_for", "value": "cart", "timestamp": None} in events

    # The address comes next, alone: classified as an address to reply to, it is the cart's address.
    given = CollectingDispatcher()
    await ActionLeaveEmail().run(given, tracker_for("zoe@example.com", "leave_email", slots={"email_for": "cart"}), {})
    assert texts(given) == ["I've sent a link to zoe@example.com: open it to confirm the address, and your cart "
                            "follows by e-mail."]
    assert sent(services) == [("confirm_address", "zoe@example.com")]

    again = CollectingDispatcher()
    await ActionSendByEmail().run(again, tracker_for("send my cart to zoe@example.com", "send_by_email"), {})
    assert "already sent a confirmation link" in texts(again)[0]
    no_address = CollectingDispatcher()  # asked again without the address: the pending one is named, not asked for
    await ActionSendByEmail().run(no_address, tracker_for("email me my cart", "send_by_email"), {})
    assert texts(no_address) == ["I've already sent a confirmation link to zoe@example.com: open it, and your cart "
                                 "follows by e-mail."]
    assert sent(services) == [("confirm_address", "zoe@example.com")]  # never a second confirmation mail

    with services.recorder.db.reading() as session:
        consent = session.execute(select(EmailConsent)).scalar_one()
        assert (consent.source, consent.confirmed_at) == ("chat", None)
        consent_id = consent.id
    token = services.mailings.links.token("confirm", consent_id)  # type: ignore[union-attr]
    assert services.mailings.confirm(services.shop, token, services.now()) == "zoe@example.com"  # type: ignore[union-attr]
    assert sent(services) == [("confirm_address", "zoe@example.com"), ("cart_requested", "zoe@example.com")]

    later = CollectingDispatcher()
    await ActionSendByEmail().run(later, tracker_for("email me my cart", "send_by_email"), {})
    assert texts(later) == ["Done: your cart is on its way to zoe@example.com."]  # confirmed: no question now
    assert len(sent(services)) == 3


async def test_nothing_to_send_without_a_cart_and_a_broken_address_is_named(services: Services,
                                                                            tracker_for: TrackerFactory) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    empty = CollectingDispatcher()
    await ActionSendByEmail().run(empty, tracker_for("email me my cart", "send_by_email"), {})
    assert texts(empty) == ["Your cart is empty, so there is nothing to send yet."]
    with_cart(services)
    broken = CollectingDispatcher()
    await ActionSendByEmail().run(broken, tracker_for("send my cart to zoe@example", "send_by_email"), {})
    assert "doesn't look like a complete e-mail address" in texts(broken)[0]
    assert sent(services) == []
