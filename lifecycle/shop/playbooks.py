"""The lifecycle playbooks as shop data (`data/shop/playbooks.yml`): which message a customer gets at
which stage, after which event, how often, with which offer, and how much of them is held out.

A playbook names one of the assistant's messages (`MESSAGES`: each is worded in the message
catalogs, every language, and knows the facts it shows); the shop decides when it goes out.
Cart recovery is one of them: its timing and offer stay in shop.yml's `cart_recovery`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, root_validator, validator

from lifecycle.shop.base import CartOffer, Strict
from lifecycle.values import STAGES

# What a trigger can follow: the latest time each happened to the customer (lifecycle.playbooks.facts).
EVENTS = ("first_visit", "product_view", "comparison", "cart_abandoned", "order_placed", "order_delivered",
          "reengage_flagged", "promoter")
# Each message's wording lives in the catalogs (actions/playbooks.py); `delivery` says when it can go out.
MESSAGES = {"introduction": "arrival", "welcome_back": "arrival", "cart_reminder": "timer",
            "order_follow_up": "arrival", "welcome_offer": "arrival", "review_request": "arrival"}
_ID = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
# Where a playbook's message goes: the chat, e-mail (to an address with consent), or the chat and then,
# if the shopper has not come back after `email_after_minutes`, e-mail.
CHANNELS = ("chat", "email", "chat_then_email")
# The messages with an e-mail (lifecycle.mail.compose); the first visit and welcome back need the visit itself.
EMAIL_MESSAGES = ("cart_reminder", "order_follow_up", "welcome_offer", "review_request")


class Trigger(Strict):
    stage: list[Literal[STAGES]]  # type: ignore[valid-type]  # the customer is in one of these
    event: Literal[EVENTS]  # type: ignore[valid-type]
    min_days: float = Field(0, ge=0)  # the event happened at least this long ago
    max_days: float = Field(..., gt=0)  # and at most this long ago
    unless: list[Literal[EVENTS]] = []  # type: ignore[valid-type]  # none of these since the event
    returning: bool = False  # only on a later visit than the event's (another chat, or 30+ minutes on)

    @root_validator(skip_on_failure=True)
    def _window(cls, values: dict) -> dict:
        if values["min_days"] >= values["max_days"]:
            raise ValueError("min_days must be less than max_days")
        if not values["stage"]:
            raise ValueError("stage needs at least one lifecycle stage")
        return values


class Cap(Strict):
    times: Annotated[int, Field(ge=1, le=100)] = 1
    per_days: int | None = Field(None, ge=1, le=3650)  # None: ever


class Playbook(Strict):
    id: str
    message: str
    trigger: Trigger
    offer: CartOffer | None = None
    cap: Cap = Cap(per_days=None)
    respects_opt_out: bool = True
    enabled: bool = True
    channel: Literal[CHANNELS] = "chat"  # type: ignore[valid-type]
    email_after_minutes: int = Field(60, ge=5, le=7 * 24 * 60)  # chat_then_email's wait

    @validator("id")
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be 2-40 lower-case letters, digits or _, starting with a letter")
        return value

    @validator("message")
    def _message(cls, value: str) -> str:
        if value not in MESSAGES:
            raise ValueError(f"unknown message {value!r}; the assistant has {', '.join(MESSAGES)}")
        return value

    @root_validator(skip_on_failure=True)
    def _channel(cls, values: dict) -> dict:
        if values["channel"] != "chat" and values["message"] not in EMAIL_MESSAGES:
            raise ValueError(f"channel {values['channel']!r}: the {values['message']!r} message has no e-mail yet; "
                             f"e-mail is written for {', '.join(EMAIL_MESSAGES)}")
        if values["channel"] == "chat_then_email" and values["message"] != "cart_reminder":
            raise ValueError("chat_then_email is for the cart reminder; an arrival message goes by `chat` or `email`")
        return values

    @property
    def uses_email(self) -> bool:
        return self.enabled and self.channel != "chat"

    @property
    def delivery(self) -> str:
        return MESSAGES[self.message]


class Diagnosis(Strict):
    """When Insights calls a stage's figure a problem (docs/lifecycle.md has the reasoning)."""

    new_contacts_drop_percent: Annotated[int, Field(ge=1, le=100)] = 20  # vs the previous period
    questions_without_view_percent: Annotated[int, Field(ge=1, le=100)] = 60
    cart_abandonment_percent: Annotated[int, Field(ge=1, le=100)] = 70
    repeat_buyers_below_percent: Annotated[int, Field(ge=1, le=100)] = 20
    referrals_below_percent: Annotated[int, Field(ge=1, le=100)] = 2  # of buyers


class PlaybookBook(Strict):
    holdout_percent: Annotated[int, Field(ge=0, le=50)] = 10
    attribution_days: Annotated[int, Field(ge=1, le=90)] = 7
    diagnosis: Diagnosis = Diagnosis()
    playbooks: list[Playbook]

    @validator("playbooks")
    def _unique(cls, value: list[Playbook]) -> list[Playbook]:
        seen: set[str] = set()
        for playbook in value:
            if playbook.id in seen:
                raise ValueError(f"playbook id {playbook.id!r} is used twice")
            seen.add(playbook.id)
            if playbook.message == "cart_reminder" and playbook.offer is not None:
                raise ValueError(f"{playbook.id}: the cart reminder's offer is shop.yml's cart_recovery.offer")
        return value

    def get(self, playbook_id: str) -> Playbook | None:
        return next((p for p in self.playbooks if p.id == playbook_id), None)

    def active(self, delivery: str) -> list[Playbook]:
        """The enabled playbooks said in the chat on arrival ("arrival") or by the timer ("timer"), and
        those sent only by e-mail ("email": the mail timer decides them, not a visit)."""
        if delivery == "email":
            return [p for p in self.playbooks if p.enabled and p.channel == "email" and p.delivery == "arrival"]
        return [p for p in self.playbooks if p.enabled and p.delivery == delivery
                and not (delivery == "arrival" and p.channel == "email")]
