"""Importing a library without the heavy optional backends it would load only because they are installed.

Rasa's dependencies install TensorFlow and JAX. bm25s imports JAX to speed up a top-k Shopmate does
not use, and spaCy's thinc imports TensorFlow and JAX to offer them as model backends; the blank
pipelines used here need neither. In a process that has not loaded them (the action server, the
web app), importing under `hidden(...)` keeps them out: TensorFlow alone is ~400 MB of RSS.
A process that already loaded one (Rasa) keeps using it unchanged.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def hidden(*modules: str) -> Iterator[None]:
    """While inside, `import <module>` raises ImportError for each module not loaded yet."""
    masked = [name for name in modules if name not in sys.modules]
    for name in masked:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        yield
    finally:
        for name in masked:
            if sys.modules.get(name, "") is None:
                del sys.modules[name]


HEAVY_BACKENDS = ("tensorflow", "jax", "torch", "h5py")  # h5py: thinc reads TensorFlow weights with it
