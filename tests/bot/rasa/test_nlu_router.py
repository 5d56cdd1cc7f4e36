"""The catalog router corrects "not a shop question" only on evidence from the catalog."""

import pytest

from bot.rasa.nlu import product_entities, route
from lifecycle.shop.catalog import Catalog
from lifecycle.shop.facts import Shop
from lifecycle.understanding import understand
from lifecycle.understanding.lexicon import lexicon


@pytest.mark.parametrize("text, intent, routed", [
    ("how wide is the lumo pro's angle", "out_of_scope", "product_info"),
    ("vista video bar room size?", "compare_products", "product_info"),
    ("what lights do you sell?", "what_do_you_sell", "ask_product_list"),
    ("is there a black friday sale", "what_do_you_sell", "ask_discount_code"),
    ("how many points for a 29.90 order", "out_of_scope", "ask_loyalty"),
    ("how many people is it good for", "out_of_scope", "product_info"),
    ("what will the lumo hd cost shipped to italy", "ask_shipping", "product_info"),
    ("show me cheap stuff", "out_of_scope", "ask_product_list"),
    ("how heavy is it", "greet", "product_info"),
    ("vista video bar: does it need a power socket", "recommend_product", "product_info"),
    ("hello", "greet", None),
    ("thanks, bye", "goodbye", None),
    ("who wrote hamlet?", "out_of_scope", None),
    ("what do you sell?", "what_do_you_sell", None),
    ("compare the lumo hd and the lumo pro", "compare_products", None),
    ("how much is shipping to italy?", "ask_shipping", None),
    ("sure, write to anna.rossi@example.it", "greet", "leave_email"),
    ("mój mail: jan@wp.pl, dzięki", "thank", "leave_email"),
    ("does the lumo hd work with mac? reply to bo@telia.se", "product_info", "leave_email"),
    ("is there an @ key on the deskpad?", "product_info", None),
])
def test_routes_only_on_catalog_evidence(shop: Shop, text: str, intent: str, routed: str | None) -> None:
    assert route(text, intent, Catalog(shop)) == routed


@pytest.mark.parametrize("text, intent, confidence, routed", [
    # An order number makes it an order question, whatever else the message holds (issue 23).
    ("has my order DW-10425 shipped yet? my email is sam@example.com", "leave_email", 1.0, "ask_order_status"),
    ("czy zwrot pieniędzy za zamówienie DW-10423 został wysłany?", "ask_returns", 0.8, "ask_refund"),
    ("jag vill avbeställa DW-10422, postnummer 11122", "ask_shipping", 0.6, "cancel_order"),
    ("voglio restituire la lampada dell'ordine DW-10424", "product_info", 0.7, "request_return"),
    ("I want to cancel DW-10425", "cancel_order", 0.9, None),
    # An unsure order intent needs a word about an order; a request for gift wrap is not a refund.
    ("would you wrap my present nicely for a birthday?", "ask_refund", 0.43, "out_of_scope"),
    ("was my refund paid?", "ask_refund", 0.43, None),
    ("the parcel you sent never came", "ask_order_status", 0.45, None),
])
def test_order_questions_are_routed_by_the_order_number_and_their_words(
        shop: Shop, text: str, intent: str, confidence: float, routed: str | None) -> None:
    assert route(text, intent, Catalog(shop), confidence=confidence) == routed


@pytest.mark.parametrize(("text", "named"), [
    ("vale la pena l'Echo Room?", [("l'Echo Room", "SP-200")]),
    ("calla wirelss or kalla duo, which one", [("calla wirelss", "HS-200"), ("kalla duo", "HS-300")]),
    ("is VB-100 any good", [("VB-100", "VB-100")]),
    ("what lamps do you have", []),
])
def test_named_products_are_rasa_entities_on_whole_tokens(shop: Shop, text: str,
                                                          named: list[tuple[str, str]]) -> None:
    entities = product_entities(text, understand(text, Catalog(shop, lexicon().common)))
    assert [(text[e["start"]:e["end"]], e["value"]) for e in entities] == named
    assert all(e["entity"] == "product" and e["extractor"] == "CatalogRouter" for e in entities)


@pytest.mark.parametrize(("text", "intent", "confidence", "answers"), [
    ("do you offer gift wrapping?", "out_of_scope", 0.8, True),  # the classifier knows no such question
    ("potete incartare l'ordine come regalo?", "nlu_fallback", 0.3, True),
    ("säljer ni presentkort?", "ask_payment", 0.35, True),  # an unsure typed intent yields
    ("how much is shipping to Italy?", "ask_shipping", 0.9, False),  # a typed policy keeps its figures
    ("can I pay in bitcoin?", "out_of_scope", 0.7, False),  # a near miss is not answered
    ("is the lumo pro gift wrapped?", "out_of_scope", 0.6, False),  # a product named: the catalog's
    ("show me the speakerphones", "out_of_scope", 0.4, False),  # a category: a list, not the showroom
    ("does it have an app?", "out_of_scope", 0.4, False),  # a follow-up on the product discussed
])
def test_the_shops_own_answers_take_only_what_no_typed_answer_takes(
        shop: Shop, text: str, intent: str, confidence: float, answers: bool) -> None:
    from bot.rasa.nlu import shop_answers
    from lifecycle.knowledge.source import build
    from lifecycle.settings import PROJECT_ROOT

    catalog = Catalog(shop, lexicon().common)
    knowledge = build(PROJECT_ROOT / "data" / "shop", shop)
    assert shop_answers(text, intent, confidence, understand(text, catalog), knowledge, shop) is answers


# Written before the words that route them (lifecycle/understanding/languages: by_email, cart).
@pytest.mark.parametrize("text, intent, routed", [
    ("could you email me my cart so I can buy later?", "out_of_scope", "send_by_email"),
    ("send the basket to my e-mail please", "ask_shipping", "send_by_email"),
    ("send my cart to ann.lee@example.com", "leave_email", "send_by_email"),
    ("puoi mandarmi il carrello per email?", "out_of_scope", "send_by_email"),
    ("skicka min varukorg via mejl tack", "out_of_scope", "send_by_email"),
    ("wyślij mi koszyk mailem", "out_of_scope", "send_by_email"),
    ("trimite-mi coșul pe email, te rog", "out_of_scope", "send_by_email"),
    ("what's the total of my cart?", "ask_shipping", None),
    ("can I get the invoice by email?", "out_of_scope", None),
    ("write to ann.lee@example.com about my question", "leave_email", "leave_email"),
])
def test_a_cart_asked_for_by_email_is_its_own_request(shop: Shop, text: str, intent: str, routed: str | None) -> None:
    assert route(text, intent, Catalog(shop)) == routed
