"""Writing a shop file that running processes read: the whole new file or the old one, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_atomically(target: Path, content: bytes) -> None:
    """Write `content` beside `target` and rename it over it: a reader opens one or the other."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
