"""bm25s without JAX: bm25s imports JAX when it is installed (Rasa's dependencies bring it), only to
speed up top-k selection, which Shopmate does not use (it reads every score). Importing JAX costs
about 117 MB per process (measured: 41 -> 158 MB RSS), so bm25s is imported with JAX hidden
(`lifecycle.hidden`), unless the process has loaded JAX already."""

from __future__ import annotations

from lifecycle.hidden import hidden

with hidden("jax"):
    import bm25s

BM25 = bm25s.BM25
Tokenized = bm25s.tokenization.Tokenized

__all__ = ["BM25", "Tokenized"]
