"""Fixtures: a fast deterministic fake embedder, the real packaged model, temp databases."""

from __future__ import annotations

import hashlib
import re
import warnings

import numpy as np
import pytest

from memory import GatedMemory
from memory.errors import ModelMismatchWarning


class HashEmbedder:
    """Bag of words hashed into 384 dimensions: same words, similar vectors. Deterministic."""

    name = "test-hash-embedder"

    def __init__(self, dim: int = 384):
        self.dim = dim
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else np.eye(1, self.dim, i % self.dim)[0]
        return out


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Never touch the real per-user data directory or environment settings."""
    monkeypatch.setenv("GATEDMEM_HOME", str(tmp_path / "home"))
    for var in ("GATEDMEM_DB", "GATEDMEM_WEIGHTS", "GATEDMEM_MODEL"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'memory.db'}"


@pytest.fixture
def fake_memory(db_url):
    """A GatedMemory with the shipped gates over the hash embedder (mechanics, not judgement)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        mem = GatedMemory(db_url, embedder=HashEmbedder())
        mem.add("warm-up", user="__warmup__")  # trigger the one-time model check here
        mem.purge(user="__warmup__")
    yield mem
    mem.close()


@pytest.fixture(scope="session")
def real_embedder():
    from memory.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture
def real_memory(db_url, real_embedder):
    mem = GatedMemory(db_url, embedder=real_embedder)
    yield mem
    mem.close()
