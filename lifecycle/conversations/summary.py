"""What a conversation was about: the products discussed and the summary an agent reads.

One place for "the products discussed", shared by the hand-off summary and the
support console's transcript, and for which intents count as the bot failing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lifecycle.storage.models import (
    Comparison,
    ComparisonItem,
    Conversation,
    Customer,
    Interaction,
    ProductRecord,
    ProductView,
)

# The intents that mean the assistant could not help: counted as failures in the
# console and the reason a hand-off offered right after one is "after_fallback".
FALLBACK_INTENTS = ("nlu_fallback", "out_of_scope")
SUMMARY_QUESTIONS = 5


def products_discussed(session: Session, conversation_id: int) -> list[str]:
    """Names of the products asked about or compared, first mention first, each once."""
    viewed = session.execute(
        select(ProductView.id, ProductView.sku).where(ProductView.conversation_id == conversation_id)
        .order_by(ProductView.id)).all()
    compared = session.execute(
        select(Comparison.id, ComparisonItem.sku).join(ComparisonItem, ComparisonItem.comparison_id == Comparison.id)
        .where(Comparison.conversation_id == conversation_id)
        .order_by(Comparison.at, Comparison.id, ComparisonItem.position)).all()
    skus = [sku for _, sku in viewed] + [sku for _, sku in compared]
    names = dict(session.execute(select(ProductRecord.sku, ProductRecord.name)
                                 .where(ProductRecord.sku.in_(set(skus)))).all())
    return list(dict.fromkeys(names.get(sku, sku) for sku in skus))


def summarise(session: Session, conversation: Conversation) -> str:
    """A few lines for the agent: the shopper's own words, the products, the stage.

    The agent reads this before speaking so the shopper never has to repeat
    themselves; that is what makes the transfer warm rather than cold.
    """
    questions: list[str] = list(session.execute(
        select(Interaction.text).where(Interaction.conversation_id == conversation.id, Interaction.kind == "user",
                                       Interaction.text.is_not(None))
        .order_by(Interaction.at.desc(), Interaction.id.desc()).limit(SUMMARY_QUESTIONS)).scalars())
    products = products_discussed(session, conversation.id)
    customer = session.get(Customer, conversation.customer_id)
    lines = [
        "Asked: " + (" | ".join(reversed(questions)) if questions else "(nothing yet)"),
        "Products discussed: " + (", ".join(products) if products else "none"),
        f"Lifecycle stage: {customer.stage}",
    ]
    return "\n".join(lines)
