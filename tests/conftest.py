"""Fixtures: a fast deterministic fake embedder, the real packaged model, temp databases."""

from __future__ import annotations

import hashlib
import os
import re
import warnings

import numpy as np
import pytest
from gatedmem import GatedMemory
from gatedmem.memory.errors import ModelMismatchWarning


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


def pytest_collection_modifyitems(items):
    """Every test that loads the real model is also slow (outside the fast tier)."""
    for item in items:
        if item.get_closest_marker("model") is not None:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Never touch the real per-user data directory or environment settings."""
    monkeypatch.setenv("GATEDMEM_HOME", str(tmp_path / "home"))
    for var in ("GATEDMEM_DB", "GATEDMEM_WEIGHTS", "GATEDMEM_MODEL"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def sqlite_url(tmp_path):
    """A SQLite file, for the tests that look at the file itself."""
    return f"sqlite:///{tmp_path / 'memory.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Every storage and behaviour test runs on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'memory.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """A throwaway PostgreSQL cluster for the test session (Debian's postgresql package,
    run as the postgres user, since initdb refuses root). Under CI=true a missing server
    is a failure, not a skip."""
    from pgserver import PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        msg = "PostgreSQL server binaries not found (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    server = PostgresServer(bindir)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_schema_url(pg_server):
    """A URL whose connections use a fresh, empty schema of the throwaway server."""
    return pg_server.fresh_schema_url()


def _fake(url: str) -> GatedMemory:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        mem = GatedMemory(url, embedder=HashEmbedder())
        mem.add("warm-up", user="__warmup__")  # trigger the one-time model check here
        mem.purge(user="__warmup__")
    return mem


@pytest.fixture
def fake_memory(db_url):
    """A GatedMemory with the shipped gates over the hash embedder (mechanics, not judgement)."""
    mem = _fake(db_url)
    yield mem
    mem.close()


@pytest.fixture
def fake_sqlite_memory(sqlite_url):
    mem = _fake(sqlite_url)
    yield mem
    mem.close()


@pytest.fixture
def open_memory():
    """GatedMemory(...) for a test, closed when the test ends."""
    opened = []

    def make(*args, **kwargs) -> GatedMemory:
        mem = GatedMemory(*args, **kwargs)
        opened.append(mem)
        return mem

    yield make
    for mem in opened:
        mem.close()


@pytest.fixture(scope="session")
def real_embedder():
    from gatedmem.memory.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture
def real_memory(db_url, real_embedder):
    mem = GatedMemory(db_url, embedder=real_embedder)
    yield mem
    mem.close()


@pytest.fixture
def observe_passing(monkeypatch):
    """observe(mem, text, user, at) with a forget gate that judges the turn passing (a
    one-day half-life) and an input gate that stores it: time may then hide it."""
    from gatedmem.memory import decisions

    def observe(mem: GatedMemory, text: str, *, user: str, at):
        with monkeypatch.context() as m:
            m.setattr(decisions, "half_life_hours", lambda *a, **k: 24.0)
            m.setattr(decisions, "p_write", lambda *a, **k: 1.0)
            obs = mem.observe(text, user=user, at=at)
        assert obs.stored and obs.half_life_days == 1.0
        return mem.get(obs.memory_id, at=at)

    return observe
