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
