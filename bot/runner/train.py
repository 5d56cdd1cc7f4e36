"""Train the Rasa model only when its inputs changed.

The model is named by a hash of everything that shapes it (config, domain, NLU,
rules, stories, Rasa's version), so an unchanged project reuses the model in
`models/`, or one from the per-user cache that survives fresh clones, instead of
spending minutes retraining. Shop data (data/shop) is deliberately not an input:
answers read it at run time.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from lifecycle.settings import PROJECT_ROOT, load_settings

TRAINING_DATA = ("data/nlu", "data/rules", "data/stories")
MODEL_INPUTS = ("config.yml", "domain.yml", "domain", *TRAINING_DATA)


def _files(root: Path, entries: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for entry in entries:
        path = root / entry
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in {".yml", ".yaml"}))
    return found


def model_hash(root: Path = PROJECT_ROOT) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(f"rasa=={version('rasa')}\n".encode())
    for path in _files(root, MODEL_INPUTS):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def ensure_model(root: Path = PROJECT_ROOT, cache_dir: Path | None = None) -> Path:
    """Path of the model for the current inputs, training it first if no copy exists.

    `cache_dir` defaults to the settings' SHOPMATE_MODEL_CACHE (~/.cache/shopmate/models).
    """
    name = f"shopmate-{model_hash(root)}.tar.gz"
    model = root / "models" / name
    cached = (cache_dir or load_settings().model_cache_dir) / name
    if model.exists():
        print(f"[train] model up to date: models/{name}", flush=True)
        return model
    model.parent.mkdir(parents=True, exist_ok=True)
    if cached.exists():
        shutil.copy2(cached, model)
        print(f"[train] inputs unchanged since a previous training: reused {cached}", flush=True)
        return model
    print("[train] config, domain or training data changed: training a new model (about 2 minutes)...", flush=True)
    started = time.monotonic()
    command = [sys.executable, "-m", "rasa", "train", "--config", "config.yml", "--domain", "domain.yml",
               "--data", *TRAINING_DATA, "--out", "models", "--fixed-model-name", name.removesuffix(".tar.gz")]
    result = subprocess.run(command, cwd=root)
    if result.returncode != 0 or not model.exists():
        raise SystemExit(f"[train] rasa train failed (exit {result.returncode}); see its output above")
    print(f"[train] trained models/{name} in {time.monotonic() - started:.0f} s", flush=True)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(model, cached)
    except OSError as error:  # a read-only home must not fail the run
        print(f"[train] could not cache the model in {cached.parent}: {error}", flush=True)
    return model


if __name__ == "__main__":
    print(ensure_model())
