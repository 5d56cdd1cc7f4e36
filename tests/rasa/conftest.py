from pathlib import Path

import pytest

from bot.runner.train import ensure_model


@pytest.fixture(scope="session")
def model() -> Path:
    """The trained model for the current inputs (trained once, then reused from the cache)."""
    return ensure_model()

