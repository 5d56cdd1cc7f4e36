"""CSAT and NPS ratings and free-text feedback from the chat end up in the store."""

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.feedback import ActionAskCsat, ActionRecordRating, ActionSaveFeedback
from actions.services import Services
from lifecycle.storage.models import Feedback
from tests.conftest import TrackerFactory, texts


def stored(services: Services) -> list:
    with services.recorder.db.session() as session:
        return [(f.kind, f.rating, f.themes, f.sentiment, f.stage)
                for f in session.execute(select(Feedback).order_by(Feedback.id)).scalars()]


async def test_csat_is_asked_once_with_five_buttons(services: Services, dispatcher: CollectingDispatcher,
                                                    tracker_for: TrackerFactory) -> None:
    events = await ActionAskCsat().run(dispatcher, tracker_for("thanks", "thank"), {})
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["1", "2", "3", "4", "5"]
    assert {"csat_asked", "rating_scale"} <= {e["name"] for e in events}
    again = CollectingDispatcher()
    await ActionAskCsat().run(again, tracker_for("thanks", "thank", slots={"csat_asked": True}), {})
    assert again.messages == []


async def test_rating_from_a_button_and_out_of_range_refused(services: Services, dispatcher: CollectingDispatcher,
                                                             tracker_for: TrackerFactory) -> None:
    button = tracker_for('/rate{"rating":"2"}', "rate", slots={"rating_scale": "csat"},
                         entities=[{"entity": "rating", "value": "2"}])
    await ActionRecordRating().run(dispatcher, button, {})
    await ActionRecordRating().run(dispatcher, tracker_for("I'd give it 7", "rate", slots={"rating_scale": "csat"}), {})
    await ActionRecordRating().run(dispatcher, tracker_for("9", "rate", slots={"rating_scale": "nps"}), {})
    low, refused, nps = texts(dispatcher)
    assert "sorry we fell short" in low
    assert refused == "Sorry, that rating must be from 1 to 5. Please pick one of these."
    assert nps == "Thank you for rating us!"
    assert [(kind, rating) for kind, rating, *_ in stored(services)] == [("csat", 2), ("nps", 9)]


async def test_free_text_feedback_is_stored_then_analysed(services: Services, dispatcher: CollectingDispatcher,
                                                          tracker_for: TrackerFactory) -> None:
    tracker = tracker_for("the parcel was late and shipping is expensive", "give_feedback",
                          slots={"feedback_text": "The parcel was late and shipping is expensive"},
                          metadata={"language": "en-GB"})
    events = await ActionSaveFeedback().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["Thank you, I've passed your feedback on to the team."]
    ((kind, rating, themes, sentiment, stage),) = stored(services)
    assert kind == "text" and rating is None and themes == [] and sentiment is None  # the turn does not analyse
    assert services.feedback.analyse_waiting() == 1  # the web app's timer does (bot.web.scheduler)
    ((kind, rating, themes, sentiment, stage),) = stored(services)
    assert themes == ["shipping", "price"] and sentiment < 0
    assert services.feedback.analyse_waiting() == 0
    assert stage == "awareness"
    assert events[0]["name"] == "feedback_text" and events[0]["value"] is None
