"""The production profile once per test session, for every e2e module that needs it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.production import Production, production_stack


@pytest.fixture(scope="session")
def production() -> Iterator[Production]:
    yield from production_stack()
