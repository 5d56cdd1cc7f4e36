"""Full-text search over messages: the same behaviour on SQLite's FTS5 and PostgreSQL's tsvector."""

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.runner.deploy.postgres import scratch
from bot.runner.prepare import prepare_database
from bot.runner.processes import free_port
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.people.privacy import PersonalData
from lifecycle.people.reporting import ConversationFilter, Reports
from lifecycle.storage import search
from lifecycle.storage.database import Database
from lifecycle.storage.rasa_tracker import RasaTrackerRows
from tests.conftest import LINKS

T0 = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)


def chats(db: Database) -> None:
    recorder = ConversationRecorder(db, LINKS)
    lines = [("c-en", "en", "Where is my delivery? The parcel is late", "v-en"),
             ("c-it", "it", "Perché la spedizione è in ritardo? Le spedizioni costano troppo", "v-it"),
             ("c-x", "en", 'what about "shipping" OR NEAR(* <script>alert(1)</script>', "v-x")]
    for n, (sender, language, line, _) in enumerate(lines):
        recorder.record_user_message(sender, line, "ask_shipping", 0.9, at=T0 + timedelta(minutes=n),
                                     metadata={"language": language})
        recorder.record_language(sender, language)
        recorder.record_bot_message(sender, "Shipping takes 2-4 days.", "utter_shipping",
                                    at=T0 + timedelta(minutes=n, seconds=5))


def hits(db: Database, query: str, language: str = "") -> list[tuple[str, str]]:
    found = Reports(db).search(ConversationFilter(q=query, language=language))
    senders = {1: "v-en", 2: "v-it", 3: "v-x"}  # the conversations in the order chats() starts them
    return [(senders[hit.conversation_id], hit.excerpt) for hit in found.rows]


def behaves(db: Database) -> None:
    chats(db)
    found = hits(db, "parcel late")
    assert [v for v, _ in found] == ["v-en"] and f"{search.START}parcel{search.STOP}" in found[0][1]
    newest_first = [v for v, _ in hits(db, "shipping")]
    assert newest_first == ["v-x", "v-x", "v-it", "v-en"]  # the x chat's message and reply, then older replies
    assert hits(db, "warranty") == []
    with pytest.raises(search.SearchError, match="type a word"):
        hits(db, " %_* ")
    with pytest.raises(search.SearchError, match="at most"):
        hits(db, "x" * 300)


def test_sqlite_finds_words_and_word_starts_ignoring_accents(database: Database, tmp_path: Path) -> None:
    behaves(database)
    assert [v for v, _ in hits(database, "perche spediz")] == ["v-it"]  # "perché", "spedizione"
    assert [v for v, _ in hits(database, 'NEAR(* "shipping')] == ["v-x"]  # FTS5's operators are just words here
    tracker = RasaTrackerRows.from_url(f"sqlite:///{tmp_path / 'tracker.db'}")
    visitor = Reports(database).transcript(2).customer.visitor_id  # type: ignore[union-attr]
    PersonalData(database, tracker).forget(visitor)
    assert hits(database, "spedizione") == []  # forgotten: gone from the index too
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM interactions_fts WHERE interactions_fts MATCH "
                                       "'ritardo'")).scalar_one() == 0
        connection.execute(text("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, interactions_fts, row)"))
        words = set(connection.execute(text("SELECT term FROM temp.words")).scalars())
        pages = b"".join(row[0] for row in connection.execute(text("SELECT block FROM interactions_fts_data"))
                         if row[0])
    assert "ritardo" not in words and "parcel" in words
    assert b"ritardo" not in pages  # gone from the index's pages too, not only from its answers


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with scratch(tmp_path_factory.mktemp("pg"), free_port(), "search") as url:
        yield url


@pytest.mark.postgres
def test_postgresql_finds_the_same_and_stems_in_the_conversations_language(postgres_url: str) -> None:
    db = prepare_database(postgres_url)
    try:
        behaves(db)
        assert [v for v, _ in hits(db, "spedizione", "it")] == ["v-it"]  # Italian stemming: "spedizioni" too
        assert search.START in hits(db, "spedizioni", "it")[0][1]
        with db.engine.connect() as connection:
            plan = "\n".join(connection.execute(text(
                "EXPLAIN SELECT id FROM interactions WHERE search_vector @@ plainto_tsquery('simple', 'parcel')"
            )).scalars())
            indexed = connection.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = "
                                              "'ix_interactions_search'")).scalar_one()
        assert "USING gin (search_vector)" in indexed
        assert "search_vector" in plan
    finally:
        db.dispose()
