"""A timestamp's week as a number SQL can group by, the same on SQLite and PostgreSQL.

Week n starts on Monday 1970-01-05 + 7n days, UTC (values.week_of's weeks). Grouping by it lets
a year of Insights be a handful of GROUP BY queries instead of a query, or a Python loop over
every row, per week.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

FIRST_MONDAY = date(1970, 1, 5)


class week_number(FunctionElement):  # noqa: N801 - SQL function style, as sqlalchemy.func
    type = Integer()
    inherit_cache = True
    name = "week_number"


@compiles(week_number, "sqlite")
def _sqlite(element: week_number, compiler: Any, **kw: Any) -> str:
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC; julianday 2440591.5 is 1970-01-05 00:00.
    column = compiler.process(element.clauses, **kw)
    return f"CAST((julianday({column}) - 2440591.5) / 7 AS INTEGER)"


@compiles(week_number, "postgresql")
def _postgresql(element: week_number, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"CAST(floor((extract(epoch from {column}) - 345600) / 604800) AS INTEGER)"


def monday(number: int) -> date:
    return FIRST_MONDAY + timedelta(days=7 * int(number))
