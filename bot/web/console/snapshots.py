"""Insights for the preset periods ("last 90 days", "last 12 months"), computed off the request.

Over a year of a busy shop the page's figures take seconds to compute (bench.console prints
how many), while a marketer expects the page at once and does not need it to the second. So a
preset period is served from a snapshot at most MAX_AGE old, and a timer in the web app
recomputes the snapshots someone looked at within the last WATCH_FOR, before they go stale: a
page load never waits for the computation unless nobody has asked for that period for an hour.
The page says when its figures were computed. A chosen from/to period is computed on demand.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Generic, TypeVar

MAX_AGE = timedelta(minutes=10)
WATCH_FOR = timedelta(hours=1)
T = TypeVar("T")


@dataclass(frozen=True)
class Snapshot(Generic[T]):
    days: int
    start: datetime
    end: datetime  # when it was computed: the period is [end - days, end)
    value: T


class Snapshots(Generic[T]):
    def __init__(self, compute: Callable[[datetime, datetime], T], max_age: timedelta = MAX_AGE,
                 watch_for: timedelta = WATCH_FOR) -> None:
        self._compute = compute
        self.max_age, self.watch_for = max_age, watch_for
        self._found: dict[int, Snapshot[T]] = {}
        self._asked: dict[int, datetime] = {}
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, days: int) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(days, threading.Lock())

    def _fresh(self, days: int, now: datetime, max_age: timedelta) -> Snapshot[T] | None:
        found = self._found.get(days)
        return found if found is not None and now - found.end < max_age else None

    def get(self, days: int, now: datetime | None = None) -> Snapshot[T]:
        now = now or datetime.now(timezone.utc)
        self._asked[days] = now
        found = self._fresh(days, now, self.max_age)
        if found is not None:
            return found
        with self._lock(days):  # one computation per period at a time; the others wait for its result
            return self._fresh(days, now, self.max_age) or self._make(days, now)

    def _make(self, days: int, now: datetime) -> Snapshot[T]:
        start = now - timedelta(days=days)
        made = Snapshot(days, start, now, self._compute(start, now))
        self._found[days] = made
        return made

    def refresh(self, now: datetime | None = None) -> int:
        """Recompute the periods asked for lately whose snapshot is past half its age; how many."""
        now = now or datetime.now(timezone.utc)
        done = 0
        for days, asked in list(self._asked.items()):
            if now - asked > self.watch_for:
                self._asked.pop(days, None)
                self._found.pop(days, None)  # nobody looks: free it
                continue
            if self._fresh(days, now, self.max_age / 2) is None:
                with self._lock(days):
                    self._make(days, now)
                done += 1
        return done
