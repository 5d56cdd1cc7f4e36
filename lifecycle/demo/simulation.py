"""A seeded stretch of shop life (visitors from the five markets chatting, comparing, buying,
abandoning carts, asking for people, leaving feedback) written through the same services
the running product uses, in time order, so the consoles show what a real shop's would.

Time is simulated: every call gets its `at`, and the commerce timer's work (cart reminders,
NPS questions, quiet customers) is claimed as the clock passes, as the web app's timer does.
The same seed and end date give the same rows.

Playbooks are decided by the product's own rules at each visit's start (as the widget's
/widget/hello does), with the shop's holdout. What a message does to a shopper is this
simulation's assumption, stated here so nobody reads the demo's uplift as evidence: a
welcome back or a welcome-back offer makes buying on that visit more likely (+0.2, +0.3),
an introduction makes chatting more likely, a review request makes a review or a referral
more likely, an order follow-up gets an NPS answer more often than not.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.conversations.recorder import ConversationRecorder, Turn
from lifecycle.demo.phrases import AGENT_LINES, MAIL_DOMAINS, SHOPPER_THANKS, Phrases
from lifecycle.people.feedback import FeedbackStore
from lifecycle.people.live import RETURNED, LiveChats
from lifecycle.people.playbooks import Playbooks
from lifecycle.shop.catalog import Catalog
from lifecycle.shop.facts import Shop

MARKETS = {"en": 34, "it": 20, "sv": 14, "pl": 18, "ro": 14}  # share of visitors per language
AGENTS = ("ann", "ben")
FAQ = {"ask_shipping": 5, "ask_payment": 3, "ask_returns": 3, "ask_free_shipping": 2, "ask_discount_code": 2,
       "ask_express": 1, "ask_warranty": 1, "ask_guest_checkout": 1, "ask_contact": 1, "ask_loyalty": 1,
       "ask_loyalty_points": 1}
PRODUCT = {"product_info": 3, "ask_product_price": 3, "ask_product_stock": 2, "ask_product_specs": 2,
           "ask_product_rating": 1, "recommend_product": 3, "ask_superlative": 1, "ask_product_list": 2}
QUESTION_KIND = {"ask_product_price": "price", "ask_product_stock": "stock", "ask_product_specs": "specs",
                 "ask_product_rating": "rating"}
CSAT_WEIGHTS = {True: [3, 3, 3, 2, 1], False: [1, 1, 2, 5, 9]}  # 1..5, after a fallback or not
NPS_WEIGHTS = [2, 1, 1, 1, 1, 2, 3, 5, 8, 10, 9]  # 0..10
HOURS = list(range(24))
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 9, 9, 8, 8, 8, 8, 9, 10, 10, 8, 5, 2]


@dataclass
class Visitor:
    number: int
    id: str
    language: str
    category: str
    buyer: float  # how likely this person is to buy what they put in the cart
    visits: int = 0
    orders: int = 0
    waiting_cart: list[tuple[str, int]] | None = None  # an abandoned cart, to buy on a return visit
    reminded: bool = False  # the timer reminded them of that cart
    offer: str | None = None  # the reminder's code for that cart
    bought: list[str] = field(default_factory=list)
    undelivered: list[tuple[str, datetime]] = field(default_factory=list)  # orders the carrier has not brought yet
    nudge: float = 0.0  # a playbook's message on this visit makes buying more likely
    advocate: float = 0.0  # a review request makes a review or referral more likely
    offer_code: str | None = None  # a welcome-back offer to use


@dataclass
class DemoSummary:
    visitors: int = 0
    visits: int = 0
    conversations: int = 0
    questions: int = 0
    fallbacks: int = 0
    handoffs: int = 0
    live_chats: int = 0
    tickets: int = 0
    orders: int = 0
    abandoned_carts: int = 0
    reminders: int = 0
    playbook_messages: int = 0
    held_out: int = 0
    recovered_orders: int = 0
    feedback: int = 0


class Simulation:
    def __init__(self, recorder: ConversationRecorder, commerce: Commerce, feedback: FeedbackStore,
                 live: LiveChats, playbooks: Playbooks, shop: Shop, phrases: Phrases, actions: dict[str, str],
                 claim_minutes: int = 5) -> None:
        self.recorder, self.commerce, self.feedback, self.live = recorder, commerce, feedback, live
        self.playbooks = playbooks
        self.shop, self.catalog, self.phrases, self.actions = shop, Catalog(shop), phrases, actions
        self.claim_minutes = claim_minutes
        self.summary = DemoSummary()
        self._by_id: dict[str, Visitor] = {}
        self._by_sender: dict[str, Visitor] = {}
        self._events = 0

    def run(self, seed: int, end: datetime, days: int, visitors: int,
            progress: Callable[[str], None] = lambda line: None) -> DemoSummary:
        rng = random.Random(seed)
        start = end - timedelta(days=days)
        self.rng, self.start, self.end, self.seed = rng, start, end, seed
        queue: list[tuple[datetime, int, int]] = []
        people = []
        for number in range(visitors):
            language = rng.choices(list(MARKETS), list(MARKETS.values()))[0]
            visitor = Visitor(number, f"demo-{seed}-{number:04d}", language, rng.choice(self.shop.categories),
                              rng.uniform(0.2, 0.8))
            people.append(visitor)
            self._by_id[visitor.id] = visitor
            day = days * rng.random() ** 0.8  # a growing shop: more first visits lately
            heapq.heappush(queue, (self._at_hour(start + timedelta(days=day)), number, number))
        self.summary.visitors = visitors
        self._spend(start, end)
        order = visitors
        shown = -1
        while queue:
            at, _, number = heapq.heappop(queue)
            if at >= end:
                continue
            self._tick(at)
            again = self._visit(people[number], at)
            if again is not None and again < end:
                order += 1
                heapq.heappush(queue, (again, order, number))
            done = int(10 * (at - start) / (end - start))
            if done != shown:
                shown = done
                progress(f"demo data: day {(at - start).days + 1} of {days}, {self.summary.conversations} "
                         f"conversations, {self.summary.orders} orders so far")
        self._tick(end)
        return self.summary

    # -- the clock ----------------------------------------------------------------------

    def _at_hour(self, day: datetime) -> datetime:
        hour = self.rng.choices(HOURS, HOUR_WEIGHTS)[0]
        return day.replace(hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60), microsecond=0)

    def _tick(self, now: datetime) -> None:
        """What the web app's timer would have done by `now`: reminders, NPS questions, quiet flags."""
        work = self.commerce.claim_due_work(self.shop, now)
        for claim in work.reminders:
            self.commerce.reminder_sent(claim.recovery_id, now)
            self.summary.reminders += 1
            if claim.conversation:
                self.recorder.record_action(claim.conversation, "action_cart_reminder", now)
            visitor = self._by_id.get(claim.visitor_id)
            if visitor is not None:
                visitor.reminded, visitor.offer = True, claim.offer_code
        for _, conversation in work.nps_requests:
            visitor = self._by_sender.get(conversation)
            if visitor is not None and self.rng.random() < 0.55:
                self.recorder.record_action(conversation, "action_ask_nps", now)
                score = self.rng.choices(range(11), NPS_WEIGHTS)[0]
                self.feedback.rating(conversation, visitor.id, "nps", score, now + timedelta(minutes=1))
                self.summary.feedback += 1

    def _spend(self, start: datetime, end: datetime) -> None:
        week = start
        while week < end:
            self.commerce.record_spend(week, min(week + timedelta(days=7), end),
                                       Decimal(self.rng.randrange(250, 600)), self.rng.randrange(2000, 6000),
                                       "newsletter")
            week += timedelta(days=7)

    # -- one visit ------------------------------------------------------------------------

    def _visit(self, visitor: Visitor, at: datetime) -> datetime | None:
        """One visit to the shop; when the visitor comes back, if they do."""
        visitor.visits += 1
        self.summary.visits += 1
        sender = f"{visitor.id}-visit-{visitor.visits}"  # a widget secret: 16+ characters
        clock = at
        delivered = [(ref, placed) for ref, placed in visitor.undelivered if placed + timedelta(days=3) <= at]
        for ref, placed in delivered:
            visitor.undelivered.remove((ref, placed))
            self._shop_events(visitor, [{"type": "order_delivered", "order_id": ref}], placed + timedelta(days=3))
        self._shop_events(visitor, [{"type": "page_view", "url": "/"}], clock)
        chat = 0.7 if visitor.visits == 1 else 0.45
        message = self._arrive(visitor, sender, clock)
        if message == "introduction":
            chat += 0.15
        if self.rng.random() < chat:
            clock = self._chat(visitor, sender, clock)
        ordered = self._shop(visitor, clock + timedelta(minutes=1))
        if visitor.waiting_cart:
            chance, low, high = 0.55, 0.5, 4
        elif ordered:
            chance, low, high = 0.45, 10, 40
        else:
            chance, low, high = 0.3, 2, 20
        if self.rng.random() >= chance:
            return None
        return self._at_hour(at + timedelta(days=self.rng.uniform(low, high)))

    def _arrive(self, visitor: Visitor, sender: str, at: datetime) -> str | None:
        """The widget loads: the playbook due, as the product decides it; its assumed effect."""
        decision = self.playbooks.on_arrival(self.shop, sender, visitor.id, at)
        if decision is None:
            return None
        if decision.held_out:
            self.summary.held_out += 1
            return None
        self.summary.playbook_messages += 1
        self._by_sender[sender] = visitor
        self.recorder.record_action(sender, "action_playbook", at)
        if decision.message == "welcome_back":
            visitor.nudge = 0.2
        elif decision.message == "welcome_offer":
            visitor.nudge, visitor.offer_code = 0.3, decision.offer_code
        elif decision.message == "review_request":
            visitor.advocate = 0.3
        elif decision.message == "order_follow_up" and self.rng.random() < 0.6:
            self.feedback.rating(sender, visitor.id, "nps", self.rng.choices(range(11), NPS_WEIGHTS)[0],
                                 at + timedelta(minutes=1))
            self.summary.feedback += 1
        return decision.message

    def _say(self, visitor: Visitor, sender: str, text: str, intent: str, at: datetime,
             confidence: float | None = None) -> None:
        self.recorder.record_user_message(
            sender, text, intent, confidence or round(self.rng.uniform(0.62, 0.99), 2), at,
            identity=self.recorder.links.sign(visitor.id, sender), channel="socketio",
            metadata={"language": visitor.language})
        self.recorder.record_action(sender, self.actions.get(intent, "action_cannot_help"),
                                    at + timedelta(seconds=1))

    def _chat(self, visitor: Visitor, sender: str, at: datetime) -> datetime:
        rng, language = self.rng, visitor.language
        self._by_sender[sender] = visitor
        self.summary.conversations += 1
        clock = at
        if rng.random() < 0.3:
            self._say(visitor, sender, rng.choice(self.phrases.examples(language, "greet")), "greet", clock)
            clock += timedelta(seconds=rng.randint(10, 40))
        self.recorder.record_language(sender, language, visitor.id, clock)
        # The share the assistant could not answer falls over the period, as the FAQ is improved.
        fallback_rate = 0.13 - 0.08 * (clock - self.start) / (self.end - self.start)
        fell_back = False
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            clock += timedelta(seconds=rng.randint(30, 150))
            roll = rng.random()
            if roll < fallback_rate:
                fell_back = True
                self.summary.fallbacks += 1
                unsure = rng.random() < 0.5
                self._say(visitor, sender, rng.choice(self.phrases.examples(language, "out_of_scope")),
                          "nlu_fallback" if unsure else "out_of_scope", clock,
                          round(rng.uniform(0.1, 0.29), 2) if unsure else None)
                continue
            self.summary.questions += 1
            if roll < 0.45:
                intent = rng.choices(list(FAQ), list(FAQ.values()))[0]
                self._say(visitor, sender, rng.choice(self.phrases.examples(language, intent)), intent, clock)
                self.recorder.record_question(sender, intent.removeprefix("ask_"), visitor.id, clock)
            elif roll < 0.9:
                intent = rng.choices(list(PRODUCT), list(PRODUCT.values()))[0]
                text = rng.choice(self.phrases.examples(language, intent))
                self._say(visitor, sender, text, intent, clock)
                skus = [p.sku for p in self.catalog.find(text).products] or [self._product(visitor)]
                self.recorder.record_product_views(sender, skus, QUESTION_KIND.get(intent, "facts"), visitor.id,
                                                   clock)
            else:
                text = rng.choice(self.phrases.examples(language, "compare_products"))
                self._say(visitor, sender, text, "compare_products", clock)
                skus = [p.sku for p in self.catalog.find(text).products]
                if len(skus) < 2:
                    same_kind = self._skus(visitor.category)
                    skus = rng.sample(same_kind if len(same_kind) > 1 else sorted(self.shop.by_sku), 2)
                self.recorder.record_comparison(sender, skus, visitor.id, clock)
        if rng.random() < (0.3 if fell_back else 0.03):
            clock = self._handoff(visitor, sender, clock + timedelta(seconds=30),
                                  "after_fallback" if fell_back else "requested")
        if rng.random() < 0.45:
            clock += timedelta(seconds=rng.randint(20, 90))
            rating = rng.choices(range(1, 6), CSAT_WEIGHTS[fell_back])[0]
            self.feedback.rating(sender, visitor.id, "csat", rating, clock)
            self.summary.feedback += 1
            if rng.random() < 0.3:
                polarity = "positive" if rating >= 4 else "negative" if rating <= 2 else "neutral"
                texts = self.phrases.feedback[language].get(polarity) or self.phrases.feedback[language]["positive"]
                self.feedback.text(sender, visitor.id, rng.choice(texts), language, clock + timedelta(seconds=40))
                self.summary.feedback += 1
        if rng.random() < 0.4:
            clock += timedelta(seconds=rng.randint(10, 60))
            intent = rng.choice(["thank", "goodbye"])
            self._say(visitor, sender, rng.choice(self.phrases.examples(language, intent)), intent, clock)
        return clock

    def _handoff(self, visitor: Visitor, sender: str, at: datetime, reason: str) -> datetime:
        rng, language = self.rng, visitor.language
        self._say(visitor, sender, rng.choice(self.phrases.examples(language, "request_human")), "request_human", at)
        self.summary.handoffs += 1
        within_hours = self.shop.policies.support.agent_hours.is_open(at)
        online = within_hours and rng.random() < 0.75
        handoff = self.recorder.request_handoff(sender, reason, within_hours, visitor.id, live=online, at=at)
        if online and rng.random() < 0.8:
            agent = rng.choice(AGENTS)
            clock = at + timedelta(seconds=rng.randint(20, 420))
            self.live.claim(handoff.id, agent, clock)
            for n, line in enumerate(AGENT_LINES[language]):
                clock += timedelta(seconds=rng.randint(20, 150))
                self.recorder.record_turns([Turn("agent", sender, clock, text=line.format(agent=agent.title()),
                                                 payload={"agent": agent.title()})])
                if n == 0:
                    self.live.replied(handoff.id, agent, clock)
                    clock += timedelta(seconds=rng.randint(20, 90))
                    self._say(visitor, sender, rng.choice(self.phrases.examples(language, "ask_product_stock")),
                              "ask_product_stock", clock)
            clock += timedelta(seconds=rng.randint(10, 60))
            self._say(visitor, sender, SHOPPER_THANKS[language], "thank", clock)
            self.live.end(handoff.id, agent, RETURNED, clock + timedelta(seconds=30))
            self.summary.live_chats += 1
            return clock + timedelta(seconds=30)
        clock = at
        if online:  # nobody claimed it in time
            clock = at + timedelta(minutes=self.claim_minutes)
            self.live.expire_waiting(clock, clock)
        if rng.random() < 0.4:
            clock += timedelta(seconds=rng.randint(20, 120))
            address = f"shopper{visitor.number}@{MAIL_DOMAINS[language]}"
            self._say(visitor, sender, address, "leave_email", clock)
            self.recorder.leave_email(sender, address, within_hours, visitor.id, clock)
            self.summary.tickets += 1
        return clock

    # -- the shop's own events ------------------------------------------------------------

    def _skus(self, category: str) -> list[str]:
        return sorted(p.sku for p in self.shop.products if p.category == category)

    def _product(self, visitor: Visitor) -> str:
        return self.rng.choice(self._skus(visitor.category))

    def _shop_events(self, visitor: Visitor, events: list[dict[str, Any]], at: datetime) -> None:
        body = []
        for n, event in enumerate(events):
            self._events += 1
            body.append({**event, "event_id": f"demo-{self.seed}-e{self._events}", "visitor_id": visitor.id,
                         "ts": (at + timedelta(seconds=20 * n)).isoformat()})
        self.commerce.apply(parse_events(body), self.shop, at)

    def _shop(self, visitor: Visitor, at: datetime) -> bool:
        """Browsing, cart and order; True when the visitor ordered."""
        rng = self.rng
        events: list[dict[str, Any]] = [{"type": "product_view", "sku": self._product(visitor)}
                                        for _ in range(rng.randint(0, 3))]
        items: list[tuple[str, int]] | None = None
        code = None
        nudge, visitor.nudge = visitor.nudge, 0.0
        advocate, visitor.advocate = visitor.advocate, 0.0
        if visitor.waiting_cart and rng.random() < 0.6 + nudge:
            items, code = visitor.waiting_cart, visitor.offer or visitor.offer_code
            self.summary.recovered_orders += visitor.reminded
        elif rng.random() < 0.3 + 0.2 * visitor.buyer + nudge:
            choices = self._skus(visitor.category)
            items = [(sku, 1) for sku in rng.sample(choices, min(len(choices), rng.choice([1, 1, 2])))]
            events.append({"type": "cart_updated", "items": [{"sku": s, "qty": q} for s, q in items]})
            code = visitor.offer_code
            if rng.random() >= visitor.buyer + nudge:
                visitor.waiting_cart, visitor.reminded, visitor.offer = items, False, None
                self.summary.abandoned_carts += 1
                self._shop_events(visitor, events, at)
                return False
        ordered = items is not None
        if items is not None:
            visitor.orders += 1
            total = sum((self.shop.by_sku[s].price_eur * q for s, q in items), Decimal("0"))
            if code:
                total = (total * (100 - self._percent_off(code)) / 100).quantize(Decimal("0.01"))
            events += [{"type": "checkout_started"},
                       {"type": "order_placed", "order_id": f"{visitor.id}-o{visitor.orders}",
                        "items": [{"sku": s, "qty": q} for s, q in items], "total_eur": str(total),
                        **({"discount_code": code} if code else {})}]
            visitor.bought += [s for s, _ in items]
            visitor.undelivered.append((f"{visitor.id}-o{visitor.orders}", at))
            visitor.waiting_cart, visitor.reminded, visitor.offer, visitor.offer_code = None, False, None, None
            self.summary.orders += 1
        elif visitor.bought and rng.random() < 0.3 + advocate:
            events.append({"type": "review_written", "sku": rng.choice(visitor.bought),
                           "rating": rng.choices(range(1, 6), [1, 1, 2, 6, 10])[0]})
        if visitor.orders and rng.random() < 0.04 + advocate / 2:
            events.append({"type": "referral", "invited_visitor_id": f"{visitor.id}-friend{visitor.visits}"})
        if visitor.visits == 1 and rng.random() < 0.08:
            events.append({"type": "newsletter_signup"})
        if events:
            self._shop_events(visitor, events, at)
        return ordered

    def _percent_off(self, code: str) -> Decimal:
        offers = [self.shop.policies.cart_recovery.offer, *(p.offer for p in self.shop.playbooks.playbooks)]
        return next((offer.percent_off for offer in offers if offer and offer.code == code), Decimal(0))
