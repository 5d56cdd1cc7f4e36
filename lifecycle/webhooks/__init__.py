"""Webhooks to the shop (issue 23): signed with the Standard Webhooks scheme, sent from a durable outbox."""

from lifecycle.webhooks.outbox import Delivery, Outbox, Post

__all__ = ["Delivery", "Outbox", "Post"]
