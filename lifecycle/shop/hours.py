"""When people can take over a chat: shop.yml's `support.human_agents`, read as a schedule.

Pure facts, no database: the hand-off action asks `is_open(now)` to tell the shopper
whether someone answers now or later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
ZONES = {"CET": "Europe/Rome", "CEST": "Europe/Rome", "UTC": "UTC"}
_HOURS = re.compile(
    r"^(?P<first>[A-Za-z]+) to (?P<last>[A-Za-z]+),\s*"
    r"(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2})\s+(?P<tz>[A-Z]+)$"
)


@dataclass(frozen=True)
class AgentHours:
    first_day: int
    last_day: int
    opens: time
    closes: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, text: str) -> AgentHours:
        """Read e.g. "Monday to Friday, 09:00-18:00 CET"."""
        match = _HOURS.match(text.strip())
        if not match or match["first"].lower() not in DAYS or match["last"].lower() not in DAYS \
                or match["tz"] not in ZONES:
            raise ValueError(
                f"support.human_agents {text!r} must look like 'Monday to Friday, 09:00-18:00 CET' "
                f"(time zones: {', '.join(ZONES)})"
            )
        return cls(DAYS.index(match["first"].lower()), DAYS.index(match["last"].lower()),
                   time.fromisoformat(match["open"].zfill(5)), time.fromisoformat(match["close"].zfill(5)),
                   ZoneInfo(ZONES[match["tz"]]))

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(self.zone)
        return self.first_day <= local.weekday() <= self.last_day and self.opens <= local.time() < self.closes
