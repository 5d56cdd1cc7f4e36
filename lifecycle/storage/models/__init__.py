"""The lifecycle store's tables, one module per concept, sharing one Base so Alembic sees one schema.

Only `lifecycle`'s own packages use these; `bot/` and `actions/` go through the services.
"""

from lifecycle.storage.models.base import Base, Json, UtcDateTime
from lifecycle.storage.models.commerce import (
    Cart,
    CartRecovery,
    Family,
    LoyaltyEntry,
    MarketingSpend,
    Order,
    OrderProofAttempt,
    OrderRequest,
    Referral,
    ShopEvent,
)
from lifecycle.storage.models.conversations import (
    Comparison,
    ComparisonItem,
    Conversation,
    ConversationEvent,
    Customer,
    Handoff,
    HandoffStatus,
    Interaction,
    ProductRecord,
    ProductView,
    StageTransition,
)
from lifecycle.storage.models.knowledge import FaqVersion
from lifecycle.storage.models.mail import EmailConsent, MailMessage
from lifecycle.storage.models.people import (
    ROLES,
    CannedReply,
    ConsoleSession,
    ConsoleUser,
    ConversationReview,
    ConversationTag,
    Feedback,
    FeedbackTheme,
)
from lifecycle.storage.models.playbooks import PlaybookSend
from lifecycle.storage.models.webhooks import WebhookMessage

__all__ = [
    "WebhookMessage",
    "EmailConsent", "MailMessage",
    "OrderProofAttempt",
    "OrderRequest",
    "FaqVersion",
    "Base", "Json", "UtcDateTime", "PlaybookSend",
    "Cart", "CartRecovery", "Family", "LoyaltyEntry", "MarketingSpend", "Order", "Referral", "ShopEvent",
    "Comparison", "ComparisonItem", "Conversation", "ConversationEvent", "Customer", "Handoff", "HandoffStatus",
    "Interaction",
    "ProductRecord", "ProductView", "StageTransition",
    "ROLES", "CannedReply", "ConsoleSession", "ConsoleUser", "ConversationReview", "ConversationTag", "Feedback",
    "FeedbackTheme",
]
