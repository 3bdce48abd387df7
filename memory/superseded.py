"""What a user's superseded memories still do: answer, in recall, for what replaced them.

A question about a superseded fact ("Which gym am I a member of?" of "My gym is the Anytime
Fitness") asks for its current value, which the memory that superseded it holds
("Cancelled Anytime Fitness and joined the climbing centre"), however far apart the words
of the two are. :class:`Superseded` keeps each superseded memory's vector and its *heir*:
the live memory at the end of its chain of supersessions (A superseded by B, B by C: C is
the heir of both). Recall gives an heir the cosine of the closest memory it is heir to,
where that is higher (:meth:`Superseded.raised`).

Products run on NumPy with one BLAS thread: a user's superseded memories are few beside
their live ones, whose product goes to the torch thread (:mod:`.index`).
"""

from __future__ import annotations

import numpy as np

from .blas import one_blas_thread


def heirs(links: dict[int, int]) -> dict[int, int]:
    """The end of each chain of supersessions: ``links`` maps each superseded memory (live
    or forgotten) to the memory that superseded it; the result maps each of them to the
    first memory along its chain that is not itself superseded. Each chain is walked
    once (ends found are kept), and a cycle, which the store never writes, ends where it
    closes."""
    end: dict[int, int] = {}
    for start in links:
        path, m = [], start
        while m in links and m not in end and m not in path:
            path.append(m)
            m = links[m]
        last = end.get(m, m)
        for p in path:
            end[p] = last
    return end


class Superseded:
    """One user's superseded memories that nobody forgot, with their heirs."""

    def __init__(self) -> None:
        self._vecs: list[np.ndarray] = []
        self._ids: list[int] = []
        self._heirs: list[int] = []
        self._heir_set: set[int] = set()
        self._id_set: set[int] = set()
        # Stacked on first use after a change: the vectors, the ids, each heir's row.
        self._mat: np.ndarray | None = None
        self._id_arr = np.zeros(0, dtype=np.int64)
        self._rows = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._ids)

    def _changed(self) -> None:
        self._heir_set, self._id_set = set(self._heirs), set(self._ids)
        self._mat = None

    def add(self, memory_id: int, vec: np.ndarray, heir: int) -> None:
        """A superseded memory, whose current value live memory ``heir`` holds."""
        self._vecs.append(np.asarray(vec, dtype=np.float32))
        self._ids.append(memory_id)
        self._heirs.append(heir)
        self._changed()

    def pass_on(self, heir: int, to: int) -> None:
        """``heir`` was superseded by ``to``: what it was heir to, ``to`` is now."""
        if heir in self._heir_set:
            self._heirs = [to if h == heir else h for h in self._heirs]
            self._changed()

    def drop(self, memory_id: int) -> None:
        """A memory left the index (forgotten, evicted, faded): a superseded one answers for
        nothing any more, and an heir has nothing to answer for."""
        if memory_id not in self._heir_set and memory_id not in self._id_set:
            return
        pairs = zip(self._ids, self._heirs, strict=True)
        keep = [i for i, (m, h) in enumerate(pairs) if memory_id not in (m, h)]
        if len(keep) < len(self._ids):
            self._vecs = [self._vecs[i] for i in keep]
            self._ids = [self._ids[i] for i in keep]
            self._heirs = [self._heirs[i] for i in keep]
            self._changed()

    def heir_added(self, memory_id: int) -> None:
        """A memory joined the index: its row is known from now on if it is an heir (one is
        named before the memory that supersedes is added)."""
        if self._mat is not None and memory_id in self._heir_set:
            self._mat = None

    def raised(
        self, sims: np.ndarray, vec: np.ndarray, pos: dict[int, int]
    ) -> tuple[np.ndarray, dict[int, int]]:
        """``sims`` (the index's cosines with ``vec``, one per row) with each heir's raised to
        the cosine of the closest memory it is heir to, where that is higher; and {row: the
        id of that memory} for the rows raised. ``pos``: the index's memory id -> row."""
        if not self._ids:
            return sims, {}
        if self._mat is None:
            self._mat = np.stack(self._vecs)  # (m, dim)
            self._id_arr = np.asarray(self._ids, dtype=np.int64)
            self._rows = np.asarray([pos.get(h, -1) for h in self._heirs], dtype=np.int64)
        rows = self._rows
        with one_blas_thread():
            theirs = self._mat @ np.asarray(vec, dtype=np.float32)  # (m,)
        # Each heir's closest: sorted by row, then best first; the first of each row.
        order = np.lexsort((-theirs, rows))
        rows_sorted = rows[order]
        firsts = order[np.flatnonzero(np.r_[True, rows_sorted[1:] != rows_sorted[:-1]])]
        firsts = firsts[rows[firsts] >= 0]  # an heir not added yet (never seen by recall)
        own = sims[rows[firsts]]
        up = firsts[np.isfinite(own) & (theirs[firsts] > own)]  # a dead row stays dead
        if not up.size:
            return sims, {}
        out = sims.copy()
        out[rows[up]] = theirs[up]
        return out, dict(zip(rows[up].tolist(), self._id_arr[up].tolist(), strict=True))
