"""Several processes write one SQLite store at once (Rasa's broker, the action server, the web app)."""

from multiprocessing import get_context
from pathlib import Path

from sqlalchemy import func, select

from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.storage.database import Database
from lifecycle.storage.models import Interaction, ProductView
from tests.conftest import LINKS

ROUNDS = 60


def _writer(url: str, worker: int, failures) -> None:  # type: ignore[no-untyped-def]
    store = ConversationRecorder(Database.from_url(url), LINKS)
    for i in range(ROUNDS):
        try:
            sender = f"s{worker}-{i % 10}-conversation"
            store.record_user_message(sender, "hi", "greet", 0.9, identity=LINKS.sign(f"v{i % 5}", sender))
            store.record_product_views(sender, ["CAM-100"], "price")
        except Exception as error:  # noqa: BLE001  (counted, then reported by the test)
            failures.put(repr(error))


def test_concurrent_writers_lose_nothing(store: ConversationRecorder, tmp_path: Path) -> None:
    url = store.db.engine.url.render_as_string(hide_password=False)
    context = get_context("spawn")
    failures = context.Queue()
    workers = [context.Process(target=_writer, args=(url, n, failures)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    errors = []
    while not failures.empty():
        errors.append(failures.get())
    assert errors == []
    with store.db.session() as session:
        assert session.execute(select(func.count()).select_from(Interaction)).scalar_one() == 4 * ROUNDS
        assert session.execute(select(func.count()).select_from(ProductView)).scalar_one() == 4 * ROUNDS


def test_reads_do_not_wait_for_a_writer(store: ConversationRecorder) -> None:
    """A read-only service call takes no write lock: it answers while another transaction writes."""
    import time

    from sqlalchemy import text

    store.record_user_message("reader-conversation-1", "hi", "greet", 0.9, identity=LINKS.sign("v1",
                                                                                                "reader-conversation-1"))
    with store.db.session() as writer:  # BEGIN IMMEDIATE: holds SQLite's write lock until the block ends
        writer.execute(text("UPDATE customers SET last_seen_at = last_seen_at"))
        other = ConversationRecorder(Database.from_url(store.db.engine.url.render_as_string(hide_password=False)),
                                     LINKS)
        started = time.monotonic()
        assert other.visitor_for("reader-conversation-1") == "v1"
        assert time.monotonic() - started < 2  # a write-locking read would wait the 10 s busy timeout
        other.db.dispose()
