"""Rasa's Redis lock store, without the wait that never ends (deploy/endpoints.production.yml).

Rasa 3.6 serves one conversation's messages in ticket order across processes. A ticket
expires after TICKET_LOCK_LIFETIME so that a process killed mid-turn does not hold its
conversation for ever; but a ticket that expires *while it waits* (it was issued within a
second of the dead process's one, as nginx's retry of that very message is) is dropped from
the queue, and Rasa's loop then waits for a ticket that will never be served: measured, the
retried message hung until nginx gave up after 90 s. Here a waiter whose ticket expired takes
a new one at the back of the queue, and releases whichever ticket it holds at the end.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class ShopRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, Any]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                lock = self.get_lock(conversation_id)
                if lock is None or lock._ticket_for_ticket_number(ticket) is None:
                    ticket = self.issue_ticket(conversation_id, lock_lifetime)  # ours expired while waiting
                    continue
                if not lock.is_locked(ticket):
                    break
                await asyncio.sleep(wait_time_in_seconds)
                self.update_lock(conversation_id)
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)
