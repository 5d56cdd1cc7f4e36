from pathlib import Path

import pytest

from bot.train import ensure_model


@pytest.fixture(scope="session")
def model() -> Path:
    """The trained model for the current inputs (trained once, then reused from the cache)."""
    return ensure_model()


REPORT: list = []  # lines for the end-of-run summary, e.g. the held-out intent F1


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    for line in REPORT:
        terminalreporter.write_line(line)
