"""Full-text search over messages, one interface over two engines.

SQLite (the embedded profile) keeps an FTS5 table over `interactions.text`, filled by triggers;
PostgreSQL (production) keeps a `tsvector` column with a GIN index, filled by a trigger with the
text search configuration of the conversation's language where PostgreSQL ships one (Polish has
none: it is indexed word for word). A LIKE over every message was a full scan per search; these are
index lookups. The schema is made by migration 0016 from the statements below, so the DDL and the
queries that rely on it live together.

Highlights come back with the control characters START and STOP around each hit; the web layer
escapes the text first and only then turns those two characters into markup, so no message text is
ever rendered as HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, literal_column, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement, column, table

from lifecycle.storage.models import Interaction

START, STOP = "\x02", "\x03"
MAX_QUERY = 200
MAX_TERMS = 8
# PostgreSQL's built-in configurations for the shop's languages; the others are searched word for word.
PG_CONFIGS = {"en": "english", "it": "italian", "sv": "swedish", "ro": "romanian"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FTS = table("interactions_fts", column("rowid"))

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE interactions_fts USING fts5(text, content='interactions', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions WHEN new.text IS NOT NULL BEGIN "
    "INSERT INTO interactions_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER interactions_fts_delete AFTER DELETE ON interactions WHEN old.text IS NOT NULL BEGIN "
    "INSERT INTO interactions_fts(interactions_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER interactions_fts_update AFTER UPDATE OF text ON interactions BEGIN "
    "INSERT INTO interactions_fts(interactions_fts, rowid, text) SELECT 'delete', old.id, old.text "
    "WHERE old.text IS NOT NULL; "
    "INSERT INTO interactions_fts(rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL; END",
    "INSERT INTO interactions_fts(interactions_fts) VALUES ('rebuild')",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS interactions_fts_insert", "DROP TRIGGER IF EXISTS interactions_fts_delete",
               "DROP TRIGGER IF EXISTS interactions_fts_update", "DROP TABLE IF EXISTS interactions_fts"]


def _pg_config_of(language: str) -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in PG_CONFIGS.items())
    return f"COALESCE((SELECT CASE c.language {cases} ELSE 'simple' END FROM conversations c " \
           f"WHERE c.id = {language}), 'simple')::regconfig"


POSTGRES_DDL = [
    "ALTER TABLE interactions ADD COLUMN search_vector tsvector",
    "CREATE FUNCTION interactions_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"NEW.search_vector := to_tsvector({_pg_config_of('NEW.conversation_id')}, COALESCE(NEW.text, '')); "
    "RETURN NEW; END $$",
    "CREATE TRIGGER interactions_search_vector BEFORE INSERT OR UPDATE OF text ON interactions "
    "FOR EACH ROW EXECUTE FUNCTION interactions_search_vector()",
    f"UPDATE interactions SET search_vector = to_tsvector({_pg_config_of('interactions.conversation_id')}, "
    "COALESCE(text, '')) WHERE text IS NOT NULL",
    "CREATE INDEX ix_interactions_search ON interactions USING gin (search_vector)",
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS interactions_search_vector ON interactions",
                 "DROP FUNCTION IF EXISTS interactions_search_vector()",
                 "ALTER TABLE interactions DROP COLUMN IF EXISTS search_vector"]


def outside_the_models(name: str | None, kind: str) -> bool:
    """The tables and column the search index keeps beside the models (for schema comparisons)."""
    return bool(name) and ((kind == "table" and str(name).startswith("interactions_fts"))
                           or (kind == "column" and name == "search_vector")
                           or (kind == "index" and name == "ix_interactions_search"))


def create_index(connection: Connection) -> None:
    for statement in SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRES_DDL:
        connection.exec_driver_sql(statement)


def drop_index(connection: Connection) -> None:
    for statement in SQLITE_DROP if connection.dialect.name == "sqlite" else POSTGRES_DROP:
        connection.exec_driver_sql(statement)


class SearchError(ValueError):
    """The search text cannot be searched for; the message says what to type instead."""


def terms(query: str) -> list[str]:
    """The words searched for: up to MAX_TERMS, all of which must appear (as a word or its start)."""
    if len(query) > MAX_QUERY:
        raise SearchError(f"search for at most {MAX_QUERY} characters")
    found = _WORD.findall(query)
    if not found:
        raise SearchError("type a word to search for")
    return found[:MAX_TERMS]


@dataclass(frozen=True)
class Matching:
    """What a search adds to a query over `Interaction`: the condition, and a highlighted excerpt."""

    condition: ColumnElement[bool]
    snippet: ColumnElement[str]


def matching(dialect: str, query: str, language: str = "") -> Matching:
    words = terms(query)
    if dialect == "sqlite":
        # Each word quoted (so FTS5 operators in the input are plain text) and matched as a prefix.
        fts_query = " ".join('"' + word.replace('"', '""') + '"*' for word in words)
        whole = literal_column("interactions_fts")
        hits = select(_FTS.c.rowid).where(whole.op("MATCH")(fts_query))
        snippet = select(func.snippet(whole, 0, START, STOP, "…", 16)).where(
            whole.op("MATCH")(fts_query), _FTS.c.rowid == Interaction.id).scalar_subquery()
        return Matching(Interaction.id.in_(hits), snippet)
    plain = " ".join(words)
    vector = literal_column("interactions.search_vector")
    configs = [PG_CONFIGS.get(language, "simple")] if language else ["simple", *PG_CONFIGS.values()]
    queries = [func.plainto_tsquery(literal_column(f"'{name}'::regconfig"), plain) for name in configs]
    condition = or_(*(vector.op("@@")(q) for q in queries))
    combined = queries[0]
    for more in queries[1:]:
        combined = combined.op("||")(more)
    snippet = func.ts_headline(literal_column(f"'{configs[0]}'::regconfig"), Interaction.text, combined,
                               f"StartSel={START}, StopSel={STOP}, MaxWords=24, MinWords=8, MaxFragments=1, "
                               "FragmentDelimiter=…")
    return Matching(condition, snippet)
