"""The in-process index's retrieval scores (memory/index.py)."""

from __future__ import annotations

import numpy as np
import pytest
from gatedmem.memory.features import tokens
from gatedmem.memory.index import IndexRow, UserIndex

DIM = 8


def _row(i: int, text: str) -> IndexRow:
    vec = np.eye(DIM, dtype=np.float32)[i % DIM]
    return IndexRow(i, vec, text, 0.0, 1.0, 0.0, 86400.0, False, 0.9)


TEXTS = [
    "my dog Rex loves the beach",
    "Rex chewed my shoe again",
    "Rex is a very good dog",
    "I work at the bakery on Main Street",
    "the bakery opens at six",
]


def test_bm25_forgets_what_was_removed():
    """A removed memory no longer counts in a term's document frequency or the mean
    length: the scores are those of an index that never held it."""
    idx = UserIndex.build([_row(i, t) for i, t in enumerate(TEXTS)], DIM, 1)
    for gone in (1, 2):
        idx.remove(gone)
    fresh = UserIndex.build([_row(i, t) for i, t in enumerate(TEXTS) if i not in (1, 2)], DIM, 1)
    q = tokens("Where does Rex go with the dog?")
    got, want = idx.bm25(q), fresh.bm25(q)
    assert got[[1, 2]].tolist() == [0.0, 0.0]
    assert got[[0, 3, 4]] == pytest.approx(want, rel=1e-6)


def test_cosines_computed_before_later_writes_are_completed():
    """The cosines a scorer took before rows were added and removed (recall computes them
    right after the query's embedding, without the lock) give what a fresh computation
    gives: the new rows scored, the removed ones -inf."""
    rng = np.random.default_rng(0)

    def row(i: int) -> IndexRow:
        vec = rng.normal(size=DIM).astype(np.float32)
        return IndexRow(i, vec / np.linalg.norm(vec), TEXTS[i % 5], 0.0, 1.0, 0.0, 1.0, False, 0.9)

    idx = UserIndex.build([row(i) for i in range(4)], DIM, 1)
    q = rng.normal(size=DIM).astype(np.float32)
    first = idx.scorer()(q)
    for i in range(4, 70):  # past the first capacity: the matrix is reallocated
        idx.add(row(i))
    idx.remove(1)
    idx.remove(60)
    got, want = idx.cosine(q, first), idx.cosine(q)
    assert got.shape == (70,)
    assert np.isneginf(got[[1, 60]]).all()
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert idx.cosine(q, idx.scorer()(q)) == pytest.approx(want, rel=1e-6)
