"""`make demo-data`: fill the stores with a seeded 90 days of the demo shop (lifecycle.demo)."""

from __future__ import annotations

import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone

from bot.runner.prepare import prepare_database, prepare_store
from lifecycle.commerce.service import Commerce
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.demo.phrases import Phrases, rule_actions
from lifecycle.demo.simulation import DemoSummary, Simulation
from lifecycle.people.feedback import FeedbackStore
from lifecycle.people.live import LiveChats
from lifecycle.people.playbooks import Playbooks
from lifecycle.settings import PROJECT_ROOT, Settings

MAX_VISITORS = 20000
MAX_DAYS = 730


class DemoDataRefused(ValueError):
    """The request would mix demo data into a store that has it, or is out of range."""


def end_of_yesterday() -> datetime:
    """The demo's last instant: a fixed point for a given day, so a seed gives the same rows all day."""
    now = datetime.now(timezone.utc)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def load_demo(settings: Settings, seed: int, days: int, visitors: int, end: datetime | None = None,
              progress: bool = True) -> DemoSummary:
    if not 1 <= days <= MAX_DAYS:
        raise DemoDataRefused(f"--days must be between 1 and {MAX_DAYS}")
    if not 1 <= visitors <= MAX_VISITORS:
        raise DemoDataRefused(f"--visitors must be between 1 and {MAX_VISITORS}")
    shop = prepare_store(settings)
    database = prepare_database(settings.database_url)
    try:
        recorder = ConversationRecorder(database, IdentityLinks(settings.secret_key))
        if recorder.customer(f"demo-{seed}-0000") is not None:
            raise DemoDataRefused(
                f"the lifecycle store already has the demo data of seed {seed}; loading it twice would count "
                f"every visitor twice. Use another --seed, or start from an empty store (stop Shopmate and "
                f"delete {settings.var_dir}/ in the embedded profile).")
        simulation = Simulation(recorder, Commerce(database), FeedbackStore(database, settings.voc_dir),
                                LiveChats(database), Playbooks(database), shop,
                                Phrases.load(PROJECT_ROOT / "data" / "nlu", settings.voc_dir),
                                rule_actions(PROJECT_ROOT / "data" / "rules"), settings.claim_minutes)
        return simulation.run(seed, end or end_of_yesterday(), days, visitors,
                              (lambda line: print(line, flush=True)) if progress else (lambda line: None))
    finally:
        database.dispose()


def main(settings: Settings, seed: int, days: int, visitors: int) -> int:
    started = time.monotonic()
    try:
        summary = load_demo(settings, seed, days, visitors)
    except DemoDataRefused as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    figures = ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in asdict(summary).items())
    print(f"demo data loaded in {time.monotonic() - started:.0f} s: {figures}")
    return 0
