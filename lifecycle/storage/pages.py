"""Keyset pagination: every console list pages by the last row's sort key, never by OFFSET.

OFFSET reads and throws away every row before the page, so page 2,000 of 100,000 conversations
costs as much as reading them all; a key ("after this time and this id") is one index seek per
page whatever the depth. The key travels in the URL as an opaque cursor; a cursor that was
tampered with is refused with a clear error rather than shown as an empty page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, bindparam, or_, tuple_
from sqlalchemy.sql import ColumnElement, Select

PAGE = 50
MAX_CURSOR = 300
T = TypeVar("T")


class CursorError(ValueError):
    """The page link is broken; the message says what to do."""


@dataclass(frozen=True)
class Order:
    column: Any  # a column or SQL expression
    descending: bool = False


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next: str | None  # the cursor of the page after this one; None on the last page


def _plain(value: object) -> object:
    return {"t": value.isoformat()} if isinstance(value, datetime) else value


def _typed(value: object) -> object:
    if isinstance(value, dict) and set(value) == {"t"}:
        return datetime.fromisoformat(str(value["t"]))
    return value


def encode(values: Sequence[object]) -> str:
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, width: int) -> list[object]:
    if len(cursor) > MAX_CURSOR:
        raise CursorError("the page link is too long; go back to the first page")
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        typed = [_typed(v) for v in values]
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise CursorError("the page link is broken; go back to the first page") from None
    if not isinstance(values, list) or len(typed) != width \
            or not all(isinstance(v, (str, int, float, datetime)) or v is None for v in typed):
        raise CursorError("the page link is broken; go back to the first page")
    return typed


def after(order: Sequence[Order], values: Sequence[object]) -> ColumnElement[bool]:
    """Rows that sort after `values` in `order` (each column ascending or descending).

    With one direction it is a row-value comparison, which an index on the leading column can
    range-scan (PostgreSQL cannot do that with the equivalent OR of ANDs)."""
    if len({o.descending for o in order}) == 1:
        left = tuple_(*(o.column for o in order))
        right = tuple_(*(bindparam(None, v, type_=o.column.type) for o, v in zip(order, values, strict=True)))
        return left < right if order[0].descending else left > right
    alternatives = []
    for i, key in enumerate(order):
        same = [order[j].column == values[j] for j in range(i)]
        beyond = key.column < values[i] if key.descending else key.column > values[i]
        alternatives.append(and_(*same, beyond))
    return or_(*alternatives)


def paged(query: Select, order: Sequence[Order], cursor: str | None, size: int = PAGE) -> Select:
    """`query` ordered by `order` from the cursor on, one row more than a page (to know if one follows).
    The last key of `order` must be unique (an id) so that no two rows share a key."""
    if cursor:
        query = query.where(after(order, decode(cursor, len(order))))
    return query.order_by(*(o.column.desc() if o.descending else o.column.asc() for o in order)).limit(size + 1)


def page_of(rows: Sequence[T], key: Any, size: int = PAGE) -> Page[T]:
    """The page from `paged`'s rows; `key(row)` gives the row's sort values for the next cursor."""
    shown = list(rows[:size])
    return Page(shown, encode(key(shown[-1])) if len(rows) > size and shown else None)
