from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.handoff import ActionHandoff
from actions.services import Services
from lifecycle.storage.models import Handoff
from tests.conftest import SENDER, WEEKEND, TrackerFactory, texts


async def test_handoff_in_office_hours_is_recorded_with_summary(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    services.recorder.record_user_message(SENDER, "how much is the lumo pro?", "ask_product_price", 0.99)
    services.recorder.record_product_views(SENDER, ["CAM-200"], "price")
    events = await ActionHandoff().run(dispatcher, tracker_for("I want a person", "request_human"), {})
    assert "passing you to a colleague now" in texts(dispatcher)[0]
    assert "Monday to Friday, 09:00-18:00 CET" in texts(dispatcher)[0]
    assert events[0]["name"] == "handoff_requested"
    with services.recorder.db.session() as session:
        handoff = session.execute(select(Handoff)).scalar_one()
        assert handoff.within_hours is True and handoff.reason == "requested"
        assert "how much is the lumo pro?" in handoff.summary and "Lumo Pro 4K Webcam" in handoff.summary


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
