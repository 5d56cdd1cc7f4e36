"""The shop data's base model and the cart offer that both shop.yml and playbooks.yml use.

Its own module so that `facts` (shop.yml) and `playbooks` (playbooks.yml) each build on it
without importing each other.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field


class Strict(BaseModel):
    class Config:
        extra = "forbid"  # a misspelt key ("expres:") is an error naming it, not a silently missing section
        allow_mutation = False


class CartOffer(Strict):
    code: str = Field(..., min_length=1)
    percent_off: Decimal = Field(..., gt=0, lt=100)
    min_cart_eur: Decimal = Field(..., ge=0)
    valid_hours: Annotated[int, Field(gt=0)]
    once_per_customer: bool = True
