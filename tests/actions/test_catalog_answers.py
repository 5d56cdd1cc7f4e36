"""Attributes, lists, arithmetic, follow-ups and unknowns, as the shopper reads them."""

from rasa_sdk.executor import CollectingDispatcher

from actions.advice import ActionSuperlative
from actions.checkout import ActionDiscountCode
from actions.faq import ActionLoyalty
from actions.lists import ActionProductList
from actions.products import ActionProductFacts
from actions.services import Services
from tests.conftest import TrackerFactory, texts


async def test_any_attribute_and_yes_no(services: Services, dispatcher: CollectingDispatcher,
                                        tracker_for: TrackerFactory) -> None:
    facts = ActionProductFacts()
    await facts.run(dispatcher, tracker_for("how bright is the glow key light?", "ask_product_rating"), {})
    await facts.run(dispatcher, tracker_for("does the lumo hd have autofocus?", "ask_product_specs"), {})
    await facts.run(dispatcher, tracker_for("does the lumo room ptz have hdmi", "ask_product_specs"), {})
    await facts.run(dispatcher, tracker_for("how many people is the echo room for", "ask_product_specs"), {})
    bright, autofocus, hdmi, people = texts(dispatcher)
    assert "2,500 lumen" in bright and "rate" not in bright
    assert autofocus.startswith("No") and "fixed focus" in autofocus
    assert hdmi.startswith("Yes") and "HDMI" in hdmi
    assert "12 people" in people


async def test_follow_up_keeps_the_question(services: Services, dispatcher: CollectingDispatcher,
                                            tracker_for: TrackerFactory) -> None:
    events = await ActionProductFacts().run(
        dispatcher, tracker_for("how much does the calla wireless anc weigh", "ask_product_specs"), {})
    asked = next(e["value"] for e in events if e["name"] == "asked")
    await ActionProductFacts().run(dispatcher, tracker_for("and the calla duo?", "product_info",
                                                           slots={"asked": asked}), {})
    assert "210 g" in texts(dispatcher)[0] and "160 g" in texts(dispatcher)[1]
    await ActionProductFacts().run(dispatcher, tracker_for("does it have anc?", "ask_product_specs",
                                                           slots={"products": ["HS-200"]}), {})
    assert texts(dispatcher)[2].startswith("Yes") and "active noise cancelling" in texts(dispatcher)[2]


async def test_lists_with_buttons_and_superlatives(services: Services, dispatcher: CollectingDispatcher,
                                                   tracker_for: TrackerFactory) -> None:
    events = await ActionProductList().run(dispatcher, tracker_for("which webcams have autofocus?",
                                                                   "ask_product_list"), {})
    assert "Lumo Pro 4K Webcam" in texts(dispatcher)[0] and "Lumo HD" not in texts(dispatcher)[0]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == '/product_info{"sku":"CAM-200"}'
    assert events[0]["value"] == ["CAM-200"]
    await ActionSuperlative().run(dispatcher, tracker_for("what's the lightest headset", "ask_superlative"), {})
    assert "Calla Wired USB Headset" in texts(dispatcher)[1] and "140" in texts(dispatcher)[1]


async def test_arithmetic_from_the_data(services: Services, dispatcher: CollectingDispatcher,
                                        tracker_for: TrackerFactory) -> None:
    await ActionLoyalty().run(dispatcher, tracker_for("how many points is a 75 euro order?", "ask_loyalty"), {})
    await ActionLoyalty().run(dispatcher, tracker_for("what are 300 points worth", "ask_loyalty"), {})
    await ActionProductFacts().run(dispatcher, tracker_for(
        "what will the lumo hd cost with shipping to romania?", "ask_product_price"), {})
    await ActionProductFacts().run(dispatcher, tracker_for(
        "how much more is the lumo pro 4k than the lumo hd", "ask_product_price"), {})
    points, worth, total, difference = texts(dispatcher)
    assert "75 points" in points and "€15.00" in worth
    assert "€49.90 + €6.90" in total and "€56.80" in total
    assert "€79.10" in difference


async def test_unknowns_are_said_plainly(services: Services, dispatcher: CollectingDispatcher,
                                         tracker_for: TrackerFactory) -> None:
    await ActionDiscountCode().run(dispatcher, tracker_for("do you have a discount for teachers?",
                                                           "ask_discount_code"), {})
    await ActionProductFacts().run(dispatcher, tracker_for("is the calla wireless anc waterproof?",
                                                           "ask_product_specs"), {})
    teachers, waterproof = texts(dispatcher)
    assert teachers.startswith("No: our shop has no teacher discount") and "person" in teachers
    assert "doesn't say" in waterproof and "person" in waterproof


async def test_comparatives_quantities_and_ranges(services: Services, dispatcher: CollectingDispatcher,
                                                  tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for("which is heavier, the calla duo or the calla wired?",
                                                           "compare_products"), {})
    await ActionProductFacts().run(dispatcher, tracker_for("how much for three lumo hd webcams?",
                                                           "ask_product_price"), {})
    await ActionProductList().run(dispatcher, tracker_for("webcams between 50 and 200 euros", "ask_product_list"), {})
    await ActionProductFacts().run(dispatcher, tracker_for("does the echo mini need to be plugged in",
                                                           "ask_product_specs"), {})
    heavier, three, between, plugged = texts(dispatcher)
    assert heavier.startswith("The Calla Duo Office Headset is heavier: 160 g") and "140 g" in heavier
    assert "€149.70" in three and "ships free" in three
    assert "Lumo Pro 4K Webcam" in between and "Lumo HD Webcam (" not in between and "Room PTZ" not in between
    assert "battery" in plugged


async def test_points_for_the_product_just_discussed(services: Services, dispatcher: CollectingDispatcher,
                                                     tracker_for: TrackerFactory) -> None:
    await ActionLoyalty().run(dispatcher, tracker_for("how many points is that worth?", "ask_loyalty",
                                                      slots={"products": ["CAM-200"]}), {})
    assert "129 points" in texts(dispatcher)[0]


async def test_differences_filters_in_superlatives_express_and_open_questions(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for(
        "whats the difference in weight between the calla wired and calla duo", "compare_products"), {})
    await ActionSuperlative().run(dispatcher, tracker_for("cheapest thing with bluetooth?", "ask_superlative"), {})
    await ActionProductFacts().run(dispatcher, tracker_for("express to poland for the lumo hd, total?",
                                                           "product_info"), {})
    await ActionProductFacts().run(dispatcher, tracker_for("what colour is the calla duo", "ask_product_specs"), {})
    weight, bluetooth, express, colour = texts(dispatcher)
    assert "20 g" in weight and "€" not in weight
    assert "Echo Mini Speakerphone" in bluetooth and "Calla Wired" not in bluetooth
    assert "€13.90 express" in express and "€63.80" in express
    assert "doesn't say" in colour and not colour.startswith("No")


async def test_a_brand_for_an_attribute_answers_each_model_and_totals_say_days(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    await ActionProductFacts().run(dispatcher, tracker_for("how heavy are the calla headsets", "ask_product_specs"), {})
    wired, wireless, duo = texts(dispatcher)
    assert "140 g" in wired and "210 g" in wireless and "160 g" in duo
    await ActionProductFacts().run(dispatcher, tracker_for("how long does shipping to italy take for the lumo hd?",
                                                           "ask_shipping"), {})
    assert "€54.80" in texts(dispatcher)[3] and "2-3 business days" in texts(dispatcher)[3]
    await ActionProductFacts().run(dispatcher, tracker_for("does the echo mini work with teams", "product_info"), {})
    assert texts(dispatcher)[4].startswith("No: the Echo Mini Speakerphone has no Microsoft Teams certified")


async def test_a_list_question_without_a_product_name_is_a_list(
        services: Services, dispatcher: CollectingDispatcher, tracker_for: TrackerFactory) -> None:
    tracker = tracker_for("do you have any 4k cameras in stock", "product_info")
    events = await ActionProductFacts().run(dispatcher, tracker, {})
    assert {"event": "followup", "name": "action_product_list"} in [
        {"event": e["event"], "name": e.get("name")} for e in events]  # Rasa runs the list action next
    await ActionProductList().run(dispatcher, tracker, {})
    await ActionProductList().run(dispatcher, tracker_for("which products are out of stock", "ask_product_list"), {})
    cameras, sold_out = texts(dispatcher)
    assert "Lumo Pro 4K Webcam" in cameras and "Lumo Room PTZ Camera" in cameras and "Lumo HD" not in cameras
    assert "Calla Duo Office Headset" in sold_out and "Lumo HD" not in sold_out
