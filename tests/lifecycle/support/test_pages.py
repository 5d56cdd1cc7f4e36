"""Keyset pages: every row once, in order, whatever the ties; a tampered cursor is a clear error."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from lifecycle.storage import pages
from lifecycle.storage.database import Database
from lifecycle.storage.models import Conversation, Customer

T0 = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)


def test_walking_the_pages_yields_every_row_once_in_order_even_with_equal_times(database: Database) -> None:
    with database.session() as session:
        session.execute(insert(Customer), [{"id": 1, "visitor_id": "v-1"}])
        # 7 conversations share each minute: only the id tells them apart
        session.execute(insert(Conversation), [{"id": i, "sender_id": f"s-{i}", "customer_id": 1,
                                                "last_event_at": T0 + timedelta(minutes=i // 7)}
                                               for i in range(1, 124)])
    order = (pages.Order(Conversation.last_event_at, descending=True), pages.Order(Conversation.id, descending=True))
    seen: list[int] = []
    cursor: str | None = ""
    while cursor is not None:
        with database.reading() as session:
            rows = session.execute(pages.paged(select(Conversation.id, Conversation.last_event_at), order, cursor,
                                               size=10)).all()
        page = pages.page_of(rows, lambda r: (r[1], r[0]), size=10)
        assert len(page.rows) <= 10
        seen.extend(r[0] for r in page.rows)
        cursor = page.next
    expected = sorted(range(1, 124), key=lambda i: (T0 + timedelta(minutes=i // 7), i), reverse=True)
    assert seen == expected


@pytest.mark.parametrize("cursor", ["not-base64!!", "W10", pages.encode([1, 2, 3]), "x" * 400,
                                    pages.encode([{"t": "yesterday"}, 5])])
def test_a_broken_cursor_is_refused_with_a_message(cursor: str) -> None:
    with pytest.raises(pages.CursorError, match="page link"):
        pages.decode(cursor, 2)


def test_a_cursor_round_trips_times_and_ids() -> None:
    assert pages.decode(pages.encode([T0, 42]), 2) == [T0, 42]
