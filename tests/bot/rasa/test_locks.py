"""The production lock store: a message retried after its Rasa process died is served, not stuck."""

from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockStore, RedisLockStore

from bot.rasa.locks import ShopRedisLockStore


class _Stored:
    """The lock store's own logic over a dict, in place of the Redis server (the logic is under test)."""

    def __init__(self) -> None:
        self.locks: dict[str, str] = {}

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        serialised = self.locks.get(conversation_id)
        return TicketLock.from_dict(__import__("json").loads(serialised)) if serialised else None

    def save_lock(self, lock: TicketLock) -> None:
        self.locks[lock.conversation_id] = lock.dumps()

    def delete_lock(self, conversation_id: str) -> None:
        self.locks.pop(conversation_id, None)


class Ours(_Stored, ShopRedisLockStore):
    def __init__(self) -> None:
        _Stored.__init__(self)


class Rasas(_Stored, RedisLockStore):
    def __init__(self) -> None:
        _Stored.__init__(self)


async def _retry_after_a_dead_process(store: LockStore) -> float:
    store.issue_ticket("c", 0.3)  # the process that died mid-turn: its ticket is never cleaned up
    started = time.monotonic()
    async with store.lock("c", lock_lifetime=0.3, wait_time_in_seconds=0.5):  # nginx's retry, a moment later
        pass
    return time.monotonic() - started


async def test_a_waiter_whose_ticket_expired_is_served_after_the_dead_ones() -> None:
    assert await asyncio.wait_for(_retry_after_a_dead_process(Ours()), 5) < 2


async def test_rasas_own_store_waits_for_ever_in_the_same_case() -> None:
    """The reason for bot/rasa/locks.py: if this starts passing, Rasa fixed it and ours can go."""
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(_retry_after_a_dead_process(Rasas()), 3)


async def test_messages_of_one_conversation_still_go_one_at_a_time() -> None:
    store, order = Ours(), []

    async def turn(name: str) -> None:
        async with store.lock("c", lock_lifetime=10, wait_time_in_seconds=0.05):
            order.append(f"{name} in")
            await asyncio.sleep(0.1)
            order.append(f"{name} out")

    await asyncio.gather(turn("a"), turn("b"))
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
    assert store.locks == {}
