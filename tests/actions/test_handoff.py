from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.handoff import ActionHandoff, ActionLeaveEmail
from actions.services import Services
from lifecycle.people.accounts import Accounts
from lifecycle.storage.models import Handoff
from tests.conftest import OFFICE_HOURS, SENDER, WEEKEND, TrackerFactory, texts


async def test_an_online_agent_takes_over_and_the_assistant_pauses(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    services.accounts = Accounts(services.recorder.db)
    services.accounts.create_user("ann", "a long enough password", "support")
    services.accounts.session(services.accounts.login("ann", "a long enough password", OFFICE_HOURS), OFFICE_HOURS)
    services.recorder.record_user_message(SENDER, "how much is the lumo pro?", "ask_product_price", 0.99)
    services.recorder.record_product_views(SENDER, ["CAM-200"], "price")
    events = await ActionHandoff().run(dispatcher, tracker_for("I want a person", "request_human"), {})
    assert texts(dispatcher)[0].startswith("A colleague will join this chat in a moment.")
    assert [e["event"] for e in events] == ["slot", "pause"]
    with services.recorder.db.session() as session:
        handoff = session.execute(select(Handoff)).scalar_one()
        assert handoff.within_hours is True and handoff.reason == "requested" and handoff.status == "waiting"
        assert "how much is the lumo pro?" in handoff.summary and "Lumo Pro 4K Webcam" in handoff.summary


async def test_in_office_hours_with_nobody_online_no_colleague_is_promised(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    services.accounts = Accounts(services.recorder.db)  # no console user has been seen
    events = await ActionHandoff().run(dispatcher, tracker_for("I want a person", "request_human"), {})
    assert texts(dispatcher)[0].startswith("Our colleagues are all busy right now.")
    assert "support@deskworks.example" in texts(dispatcher)[0] and "colleague will join" not in texts(dispatcher)[0]
    assert [e["event"] for e in events] == ["slot"]
    assert texts(dispatcher)[1] == "You can also leave your e-mail address here, and a colleague will write to you."
    with services.recorder.db.session() as session:
        assert session.execute(select(Handoff.status)).scalar_one() == "open"


async def test_an_address_left_after_the_request_makes_it_a_ticket(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    services.accounts = Accounts(services.recorder.db)
    await ActionHandoff().run(dispatcher, tracker_for("I want a person", "request_human"), {})
    dispatcher.messages.clear()
    await ActionLeaveEmail().run(dispatcher, tracker_for("ok: Anna.Rossi@Example.IT.", "leave_email"), {})
    assert texts(dispatcher) == ["Thank you: a colleague will write to Anna.Rossi@example.it about this chat. "
                                 "They work Monday to Friday, 09:00-18:00 CET."]
    with services.recorder.db.session() as session:
        handoff = session.execute(select(Handoff)).scalar_one()  # the request itself, not a second one
        assert (handoff.contact_email, handoff.status, handoff.reason) == ("Anna.Rossi@example.it", "open",
                                                                           "requested")


async def test_a_mistyped_address_is_named_and_nothing_is_stored(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionLeaveEmail().run(dispatcher, tracker_for("anna@gmail", "leave_email"), {})
    assert texts(dispatcher) == ['"anna@gmail" doesn\'t look like a complete e-mail address. Could you check it? '
                                 "It should look like name@example.com."]
    with services.recorder.db.session() as session:
        assert session.execute(select(Handoff)).first() is None


async def test_an_address_without_a_request_is_a_ticket_in_the_shoppers_language(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionLeaveEmail().run(dispatcher, tracker_for("scrivetemi a luca@libero.it", "leave_email",
                                                         slots={"language": "it"}), {})
    assert texts(dispatcher)[0].startswith("Grazie: un collega scriverà a luca@libero.it")
    with services.recorder.db.session() as session:
        handoff = session.execute(select(Handoff)).scalar_one()
        assert (handoff.contact_email, handoff.reason, handoff.status) == ("luca@libero.it", "email", "open")


async def test_handoff_outside_hours_points_to_email(services: Services, dispatcher: CollectingDispatcher,
                                                     tracker_for: TrackerFactory) -> None:
    services.now = lambda: WEEKEND
    fallback_then_request = [
        {"event": "user", "text": "tax return?", "parse_data": {"intent": {"name": "out_of_scope"}}},
        {"event": "user", "text": "a person please", "parse_data": {"intent": {"name": "request_human"}}},
    ]
    await ActionHandoff().run(dispatcher, tracker_for("a person please", "request_human",
                                                      events=fallback_then_request), {})
    assert "nobody is online right now" in texts(dispatcher)[0]
    assert "support@deskworks.example" in texts(dispatcher)[0]
    with services.recorder.db.session() as session:
        handoff = session.execute(select(Handoff)).scalar_one()
        assert handoff.within_hours is False and handoff.reason == "after_fallback"
