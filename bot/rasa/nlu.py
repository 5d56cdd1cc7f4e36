"""A Rasa NLU component (config.yml, after the FallbackClassifier) that routes by the shop's catalog.

The classifier learns sentence shapes from a few hundred examples per language; the catalog is the closed list of
what a shopper can mean. When a message names a product, a category or a feature and the
classifier still chose "not a shop question" (`out_of_scope`, a low-confidence
`nlu_fallback`, the shop's self-introduction) or a product intent that cannot work with
what was named (a comparison of one product), the intent is corrected from that evidence:
"how wide is the lumo pro's angle" is a product question whatever the classifier thought.
The correction is narrow by design (a list of wrong-intent, evidence pairs below), logged
in the message's metadata as `routed_from`, and recorded with the corrected intent.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from lifecycle.knowledge import KnowledgeBase
from lifecycle.knowledge.source import KnowledgeSource
from lifecycle.settings import load_settings
from lifecycle.shop.catalog import Catalog
from lifecycle.shop.facts import Shop
from lifecycle.shop.language import fold
from lifecycle.shop.loader import ShopSource
from lifecycle.storage.database import Database
from lifecycle.understanding import Query, understand
from lifecycle.understanding.addresses import find_address
from lifecycle.understanding.advice import find_category, parse_need
from lifecycle.understanding.attributes import asked_features, find_attribute, find_superlative
from lifecycle.understanding.lexicon import lexicon
from lifecycle.understanding.orders import find_order_number
from lifecycle.understanding.places import find_country
from lifecycle.understanding.variants import variant_question

# The name `rasa test nlu` reports the product entities under (tests/nlu/heldout annotates them).
EXTRACTOR = "CatalogRouter"


def product_entities(text: str, query: Query) -> list[dict[str, Any]]:
    """The products a message names, as Rasa entities with the SKU as value: the same reading the
    actions make (`lifecycle.understanding`), so the console and `rasa test nlu` see it. The
    entity is not in the domain: the dialogue policies never depend on a catalog that changes."""
    entities = []
    for start, end, sku in query.named_at:
        while start > 0 and not text[start - 1].isspace():  # "l'Echo Mini": Rasa's token is "l'Echo"
            start -= 1
        entities.append({"entity": "product", "start": start, "end": end, "value": sku, "confidence": 1.0,
                         "extractor": EXTRACTOR})
    return entities


# Intents that never ask about a product: with a product, an attribute or a country in the message,
# they are the classifier's mistake ("how heavy is it" read as a greeting by its character n-grams).
NOT_SHOP = {"out_of_scope", "nlu_fallback", "what_do_you_sell", "bot_identity", "greet", "goodbye", "thank"}
SHIPPING = {"ask_shipping", "ask_free_shipping", "ask_express"}
# A policy topic the language files name, and its intent, for a message too misspelt to classify.
TOPIC_INTENTS = {"shipping": "ask_shipping", "returns": "ask_returns", "payment": "ask_payment",
                 "warranty": "ask_warranty"}
# Intents only this component sets, never the classifier: they have no NLU examples by design.
ROUTED_ONLY = ("ask_shop_answer", "send_by_email")
UNSURE = 0.5  # below this the classifier's typed intent yields to a confident FAQ or page match
PRODUCT_FACTS = {"product_info", "ask_product_price", "ask_product_stock", "ask_product_specs", "ask_product_rating",
                 "ask_warranty", "compare_products"}
LISTS = {"ask_product_list", "recommend_product", "ask_superlative"}
ORDERS = {"ask_order_status", "ask_refund", "request_return", "cancel_order"}


def _about_an_order(text: str, intent: str, shop: Shop) -> str | None:
    """A message with an order number asks about that order, whatever else it holds (an e-mail address
    to prove it, the word "shipping"): what it asks is the classifier's order intent, else its words."""
    if intent in ORDERS or not find_order_number(text, shop.policies.orders.number_pattern):
        return None
    words, folded = lexicon(), fold(text)
    for key, routed in (("refund", "ask_refund"), ("cancel", "cancel_order"), ("returns", "request_return")):
        if words.has(key, folded):
            return routed
    return "ask_order_status"


def _by_query(query: Query, intent: str) -> str | None:
    """What the message's shape settles whatever the classifier chose: an aggregate or a measured
    filter is a list question, a group size or points for a named product is about that product,
    "by tomorrow" with a country asks for the quickest delivery."""
    if intent == "ask_express" and not query.fastest and "shipping" in query.topics:
        return "ask_shipping"  # "can I pay with Satispay and what's shipping to Italy": nothing about speed
    if not query.products and not query.ambiguous:
        if query.aggregate and intent not in LISTS | {"ask_loyalty", "ask_loyalty_points"}:
            return "ask_product_list"
        if query.aggregate and intent in LISTS:
            return "ask_product_list" if intent != "ask_product_list" else None
        # A group size is a recommendation's own need; any other measure filters a list.
        if query.measures and intent != "ask_product_list" and \
                (intent not in LISTS or any(m.attribute != "max_people" for m in query.measures)):
            return "ask_product_list"
        if query.fastest and query.country and intent not in {"request_human", "ask_returns", "ask_payment",
                                                               "ask_express", "leave_email"}:
            return "ask_express"
        if intent in SHIPPING and query.country and query.pointing and not query.fastest:
            return "product_info"  # "the second one, what's shipping to Italy?": that product's total
        return None
    if intent in PRODUCT_FACTS:
        return None
    if query.points or (query.people and not query.cost) or query.quantity > 1 or \
            any(facet.startswith("spec:") for facet in query.facets) or \
            (query.country and (query.wants_total or "shipping" in query.topics) and intent in LISTS):
        return "product_info"  # "lumo hd webcam plus wysyłka do szwecji, razem?" is that webcam's total
    return None


# Words that make an unsure order intent believable: "would you wrap my present?" is not a refund.
ORDER_EVIDENCE = ("purchase", "shipping", "returns", "refund", "cancel", "parcel")


def route(text: str, intent: str, catalog: Catalog, query: Query | None = None,
          confidence: float = 1.0) -> str | None:
    """The intent the catalog's evidence calls for, or None to keep the classifier's."""
    if intent in ORDERS:
        folded = fold(text)
        if confidence < UNSURE and not find_order_number(text, catalog.shop.policies.orders.number_pattern) and \
                not any(lexicon().has(key, folded) for key in ORDER_EVIDENCE):
            return "out_of_scope"  # an unsure guess with nothing about an order: "I can't help", and "did you mean"
        return None
    if about_order := _about_an_order(text, intent, catalog.shop):
        return about_order
    folded = fold(text)
    address = find_address(text)
    if lexicon().has("the_cart", folded) and (lexicon().has("by_email", folded) or
                                              (address and lexicon().has("send", folded))):
        return "send_by_email"  # "email me my cart", "send my cart to ann@example.com": double opt-in, not a ticket
    if address:  # an address in any language is one to reply to, whatever the words around it
        return "leave_email"
    shop = catalog.shop
    query = query or understand(text, catalog)
    words, folded = lexicon(), fold(text)
    if routed := _by_query(query, intent):
        return routed
    named = len(query.products) + len(query.ambiguous)
    first = catalog.get(query.products[0]) if query.products else None
    if named and intent not in PRODUCT_FACTS and first and variant_question(text, first).asked:
        return "product_info"  # "is the trekker 45 on sale?", "which sizes of the storm jacket are left?"
    if named and intent in SHIPPING and not ({"shipping", "duration"} & set(query.topics) or query.fastest
                                             or query.country):
        return "product_info"  # "quanto costa la storm shell jacket": a price, whatever the classifier read
    if named:
        if intent in NOT_SHOP or intent == "ask_product_list" and named == 1 and not find_category(text, shop):
            return "product_info"
        if intent == "compare_products" and named < 2 and not query.difference:
            return "product_info"
        if intent in SHIPPING and find_country(text):
            return "product_info"  # "what will the Lumo HD cost with shipping to Romania?"
        if intent == "recommend_product" and find_attribute(text, shop):
            return "product_info"  # "vista video bar: does it need a power socket?" asks about that product
        return None
    if intent in SHIPPING and query.country and query.pointing and query.cost:
        return "product_info"  # "what will it cost with shipping to Italy?": the product discussed last
    if intent in {"ask_guest_checkout", "ask_contact"} and query.country and "shipping" in query.topics:
        return "ask_shipping"  # "can you send an order to London?"
    if intent == "ask_product_list" and query.pointing and not words.has("listing", folded) and \
            words.find("yes_no", folded[:6]):
        return "product_info"  # "does it have a webcam?" asks about the product discussed
    if intent == "ask_superlative" and not find_superlative(text, shop) and not words.has("bargain", folded) and \
            (find_category(text, shop) or asked_features(text, shop)):
        return "ask_product_list"  # "any camera with optical zoom?": nothing to rank, a list to filter
    if intent not in NOT_SHOP:
        return None
    if words.has("discount", folded):
        return "ask_discount_code"
    if topic := words.misspelt(tuple(TOPIC_INTENTS), folded):
        return TOPIC_INTENTS[topic]  # "hw mch is shiping to polnd", "ile dni na zwort"
    if query.points:
        return "ask_loyalty"
    if "warranty" in query.facets and not query.products:
        return "ask_warranty"  # "if the webcam breaks, is it covered?"
    people = parse_need(text, shop).people
    about_catalog = find_category(text, shop) or asked_features(text, shop) or find_superlative(text, shop) or \
        (people is not None and people > 1) or words.has("bargain", folded)
    talks_products = about_catalog or "stock" in query.facets
    pointing = query.pointing or words.opens_with("follow_up", folded)  # "and to Poland?", "e in Polonia?"
    # "anything in stock?" is a list; "got it on the shelf?" asks about the product discussed.
    if talks_products and (words.has("listing", folded) or not pointing) and (about_catalog or not pointing):
        return "ask_product_list"  # "säljer ni skärmar", "vreo cameră cu zoom optic?"
    if pointing and (talks_products or query.facets or query.country):
        return "product_info"  # a follow-up: "how many people is it good for?", "and italy?"
    return None


def shop_answers(text: str, intent: str, confidence: float, query: Query, knowledge: KnowledgeBase,
                 shop: Shop) -> bool:
    """Whether the shop's own FAQ or pages answer the message: only where no typed answer does
    (the classifier found no shop question, or hardly one) and no product is named, so shipping,
    returns and product facts keep their exact figures; nor a follow-up on the product discussed, nor
    a message naming a category ("show me the speakerphones" is a list, not the showroom)."""
    if query.products or query.ambiguous or query.pointing or intent == "leave_email" or find_category(text, shop):
        return False
    if intent not in NOT_SHOP and confidence >= UNSURE and not knowledge.is_example(text):
        return False  # an entry's own question (its "did you mean" button) is always the entry's
    match = knowledge.search(text)
    return match is not None and match.confident


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CatalogRouter(GraphComponent):
    def __init__(self, source: ShopSource, knowledge: KnowledgeSource | None = None) -> None:
        self.source = source
        self.knowledge = knowledge
        self._catalog: Catalog | None = None

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CatalogRouter:
        settings = load_settings()
        return cls(ShopSource(settings.shop_dir, settings.catalog),
                   KnowledgeSource(settings.shop_dir, Database.from_url(settings.database_url)))

    def _current(self) -> Catalog:
        shop = self.source.get()
        if self._catalog is None or self._catalog.shop is not shop:
            self._catalog = Catalog(shop, lexicon().common)
        return self._catalog

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get("intent") or {}
            text = message.get("text") or ""
            name = intent.get("name")
            if not text or not name:
                continue
            catalog = self._current()
            query = understand(text, catalog)  # read once, for the intent and the entities
            confidence = float(intent.get("confidence") or 0.0)
            routed = route(text, name, catalog, query, confidence)
            # Judged on the classifier's own reading: a policy topic guessed from a misspelling
            # ("fattura" read as a payment question) yields to an FAQ entry that has the words.
            if self.knowledge is not None and (routed or name) not in {"leave_email", "send_by_email", *ORDERS} and \
                    shop_answers(text, name, confidence, query,
                                 self.knowledge.get(catalog.shop), catalog.shop):
                routed = "ask_shop_answer"
            if routed and routed != name:
                message.set("intent", {"name": routed, "confidence": 1.0, "routed_from": name},
                            add_to_output=True)
            if products := product_entities(text, query):
                message.set("entities", [*(message.get("entities") or []), *products], add_to_output=True)
        return messages
