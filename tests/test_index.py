"""The in-process index's retrieval scores (memory/index.py)."""

from __future__ import annotations

import numpy as np
import pytest
from gatedmem.memory.features import tokens
from gatedmem.memory.index import IndexRow, UserIndex
from gatedmem.memory.superseded import heirs

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


def _unit(*xs: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


def test_a_memory_that_superseded_another_answers_with_its_cosine():
    """What superseded a memory is as close to a query as the closer of the two; the rows
    raised say which superseded memory raised them."""
    old = IndexRow(1, _unit(1, 0), "I work at Amazon", 0.0, 1.0, 0.0, 1.0, False, 0.9)
    other = IndexRow(2, _unit(0, 0, 1), "my dog Rex", 0.0, 1.0, 0.0, 1.0, False, 0.9)
    idx = UserIndex.build([old, other], DIM, 1)
    idx.supersede(1, by=3)
    idx.add(IndexRow(3, _unit(0, 1), "the Tesco depot is closer", 1.0, 1.0, 1.0, 1.0, False, 0.9))
    q = _unit(1, 0.2)
    sims = idx.cosine(q)
    assert np.isneginf(sims[0]) and sims[2] == pytest.approx(float(_unit(0, 1) @ q))
    raised, via = idx.with_superseded(sims, q)
    assert raised[2] == pytest.approx(float(_unit(1, 0) @ q)) and via == {2: 1}
    assert raised[1] == sims[1] and np.isneginf(raised[0])
    # A query closer to the heir's own words keeps the heir's own cosine.
    mine = _unit(0, 1)
    assert idx.with_superseded(idx.cosine(mine), mine)[1] == {}


def test_a_chain_of_supersessions_ends_at_the_live_memory():
    idx = UserIndex.build([IndexRow(1, _unit(1), "a", 0.0, 1.0, 0.0, 1.0, False, 0.9)], DIM, 1)
    idx.supersede(1, by=2)
    idx.add(IndexRow(2, _unit(0, 1), "b", 1.0, 1.0, 1.0, 1.0, False, 0.9))
    idx.supersede(2, by=3)
    idx.add(IndexRow(3, _unit(0, 0, 1), "c", 2.0, 1.0, 2.0, 1.0, False, 0.9))
    q = _unit(1)
    raised, via = idx.with_superseded(idx.cosine(q), q)
    assert via == {2: 1} and raised[2] == pytest.approx(1.0)
    # Forgetting the heir leaves nothing to answer for them.
    idx.remove(3)
    assert idx.with_superseded(idx.cosine(q), q)[1] == {}


def test_a_superseded_memory_forgotten_answers_for_nothing():
    idx = UserIndex.build([IndexRow(1, _unit(1), "a", 0.0, 1.0, 0.0, 1.0, False, 0.9)], DIM, 1)
    idx.supersede(1, by=2)
    idx.add(IndexRow(2, _unit(0, 1), "b", 1.0, 1.0, 1.0, 1.0, False, 0.9))
    q = _unit(1)
    assert idx.with_superseded(idx.cosine(q), q)[1] == {1: 1}
    idx.remove(1)  # forget (or purge) of the superseded memory
    assert idx.with_superseded(idx.cosine(q), q)[1] == {}


def test_chains_of_supersessions_end_at_the_first_memory_not_superseded():
    assert heirs({1: 2, 2: 3, 4: 3, 5: 6}) == {1: 3, 2: 3, 4: 3, 5: 6}
    assert heirs({}) == {}
    long = {i: i + 1 for i in range(2000)}  # walked once, not once per link
    assert set(heirs(long).values()) == {2000}
    assert heirs({1: 2, 2: 1}) in ({1: 1, 2: 1}, {1: 2, 2: 2})  # a cycle ends where it closes
