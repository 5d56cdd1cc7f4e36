from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.advice import ActionRecommend, ActionSuperlative
from actions.products import ActionCompare, ActionProductFacts
from actions.services import Services
from lifecycle.storage.models import Comparison, ProductView
from tests.conftest import TrackerFactory, texts


async def test_price_of_a_partly_named_product_is_stated_and_recorded(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    events = await ActionProductFacts().run(
        dispatcher, tracker_for("how much is the lumo pro?", "ask_product_price"), {})
    assert texts(dispatcher) == ["The Lumo Pro 4K Webcam (CAM-200) costs €129.00; it is in stock (40 available)."]
    assert events[0]["name"] == "products" and events[0]["value"] == ["CAM-200"]
    with services.recorder.db.session() as session:
        assert session.execute(select(ProductView.sku, ProductView.question)).all() == [("CAM-200", "price")]


async def test_out_of_stock_is_said_plainly(services: Services, dispatcher: CollectingDispatcher,
                                            tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for("is the calla duo in stock?", "ask_product_stock"), {})
    assert texts(dispatcher) == ["Sorry, the Calla Duo Office Headset is out of stock right now."]


async def test_misspelt_name_specs_rating_and_warranty(services: Services, dispatcher: CollectingDispatcher,
                                                       tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for("specs of the calla wirless", "ask_product_specs"), {})
    await ActionProductFacts().run(dispatcher, tracker_for("how is it rated?", "ask_product_rating",
                                                           slots={"products": ["HS-200"]}), {})
    await ActionProductFacts().run(dispatcher, tracker_for("warranty of the echo room", "ask_warranty"), {})
    specs, rating, warranty = texts(dispatcher)
    assert "active noise cancelling" in specs and "30 hours battery" in specs
    assert rating == "Shoppers rate the Calla Wireless ANC Headset 4.7/5 from 967 reviews."
    assert warranty == "The Echo Room Speakerphone comes with a 3-year warranty."


async def test_general_warranty_lists_the_longer_ones(services: Services, dispatcher: CollectingDispatcher,
                                                      tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for("how long is the warranty?", "ask_warranty"), {})
    reply = texts(dispatcher)[0]
    assert reply.startswith("Every product comes with a warranty of 2 years; some have longer: "
                            "Lumo Pro 4K Webcam (3 years)")
    assert "Lumo Pro 4K Webcam (3 years)" in reply and "Calla Wired" not in reply


async def test_ambiguous_name_asks_with_buttons(services: Services, dispatcher: CollectingDispatcher,
                                                tracker_for: TrackerFactory) -> None:
    events = await ActionProductFacts().run(dispatcher, tracker_for("price of the lumo", "ask_product_price"), {})
    message = dispatcher.messages[0]
    assert "Which one do you mean?" in message["text"]
    assert [b["payload"] for b in message["buttons"]][0] == '/ask_product_price{"sku":"CAM-100"}'
    assert events == []


async def test_sku_entity_from_a_button_resolves(services: Services, dispatcher: CollectingDispatcher,
                                                 tracker_for: TrackerFactory) -> None:
    tracker = tracker_for('/ask_product_price{"sku":"CAM-300"}', "ask_product_price",
                          entities=[{"entity": "sku", "value": "CAM-300"}])
    await ActionProductFacts().run(dispatcher, tracker, {})
    assert "€599.00" in texts(dispatcher)[0]


async def test_unknown_product_is_not_guessed(services: Services, dispatcher: CollectingDispatcher,
                                              tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for("how much is the iPhone 15?", "ask_product_price"), {})
    assert texts(dispatcher)[0].startswith("I couldn't find that product in our catalog")
    assert "€" not in texts(dispatcher)[0]


async def test_comparison_as_text_and_table(services: Services, dispatcher: CollectingDispatcher,
                                            tracker_for: TrackerFactory) -> None:
    await ActionCompare().run(dispatcher, tracker_for("compare lumo hd vs lumo pro", "compare_products"), {})
    message = dispatcher.messages[0]
    assert ("Lumo HD Webcam: €49.90, rated 4.2/5 from 312 reviews, in stock (120 available), warranty 2 years"
            in message["text"])
    assert "Cheapest: Lumo HD Webcam. Best rated: Lumo Pro 4K Webcam." in message["text"]
    table = message["custom"]["data"]
    assert table["type"] == "comparison"
    assert [p["sku"] for p in table["products"]] == ["CAM-100", "CAM-200"]
    rows = {row["label"]: row["values"] for row in table["rows"]}
    assert rows["Price"] == ["€49.90", "€129.00"] and rows["Warranty"] == ["2 years", "3 years"]
    with services.recorder.db.session() as session:
        assert session.execute(select(Comparison)).scalar_one().skus == ["CAM-100", "CAM-200"]


async def test_compare_it_with_uses_the_product_discussed(services: Services, dispatcher: CollectingDispatcher,
                                                          tracker_for: TrackerFactory) -> None:
    await ActionCompare().run(dispatcher, tracker_for("compare it with the calla duo", "compare_products",
                                                      slots={"products": ["HS-200"]}), {})
    table = dispatcher.messages[0]["custom"]["data"]
    assert [p["sku"] for p in table["products"]] == ["HS-200", "HS-300"]
    assert table["rows"][2]["values"] == ["in stock (55 available)", "out of stock right now"]


async def test_recommendation_gives_reasons(services: Services, dispatcher: CollectingDispatcher,
                                            tracker_for: TrackerFactory) -> None:
    await ActionRecommend().run(dispatcher, tracker_for("I need a wireless headset with noise cancelling",
                                                        "recommend_product"), {})
    reply = texts(dispatcher)[0]
    assert "1. Calla Wireless ANC Headset (€149.00): active noise cancelling; wireless; rated 4.7/5" in reply


async def test_superlative(services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionSuperlative().run(dispatcher, tracker_for("what's your cheapest webcam?", "ask_superlative"), {})
    assert texts(dispatcher)[0].startswith("Among our webcams, the lowest price: the Lumo HD Webcam (€49.90")
