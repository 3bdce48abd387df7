"""The in-process index of one user's active memories: embedding matrix and BM25 postings.

Built from the database once, then kept in step with this process's own writes; a version
number in the users table tells when another process changed the user's memories.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from .features import tokens

BM25_K1 = 1.2  # Okapi BM25's usual parameters
BM25_B = 0.75


class UserIndex:
    """Append-only arrays with a liveness mask: adding is amortised O(1), removing O(1)."""

    def __init__(self, dim: int, version: int = 0):
        self.dim = dim
        self.version = version
        self._mat = np.zeros((16, dim), dtype=np.float32)
        self._ids = np.zeros(16, dtype=np.int64)
        self._alive = np.zeros(16, dtype=bool)
        self._doclen = np.zeros(16, dtype=np.float32)
        self.n = 0  # rows used, alive or not
        self.texts: list[str] = []
        self.pos: dict[int, int] = {}  # memory id -> row
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)  # tok -> (row, tf)

    @classmethod
    def build(cls, ids: np.ndarray, matrix: np.ndarray, texts: list[str], dim: int, version: int):
        idx = cls(dim, version)
        for i, vec, text in zip(ids.tolist(), matrix, texts, strict=True):
            idx.add(i, vec, text)
        return idx

    @property
    def size(self) -> int:
        return int(self._alive[: self.n].sum())

    def _grow(self) -> None:
        cap = len(self._ids) * 2
        self._mat = np.resize(self._mat, (cap, self.dim))
        for name in ("_ids", "_alive", "_doclen"):
            old = getattr(self, name)
            new = np.zeros(cap, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def add(self, memory_id: int, vec: np.ndarray, text: str) -> None:
        if memory_id in self.pos:
            return
        if self.n == len(self._ids):
            self._grow()
        row = self.n
        self._mat[row] = vec
        self._ids[row] = memory_id
        self._alive[row] = True
        toks = tokens(text)
        self._doclen[row] = len(toks)
        counts: dict[str, int] = defaultdict(int)
        for t in toks:
            counts[t] += 1
        for t, c in counts.items():
            self._postings[t].append((row, c))
        self.texts.append(text)
        self.pos[memory_id] = row
        self.n += 1

    def remove(self, memory_id: int) -> None:
        row = self.pos.pop(memory_id, None)
        if row is not None:
            self._alive[row] = False

    def ids(self, rows: np.ndarray) -> np.ndarray:
        return self._ids[rows]

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        return self._mat[rows]

    def cosine(self, vec: np.ndarray) -> np.ndarray:
        """(n,) cosine of every row with ``vec``; dead rows get -inf."""
        sims = self._mat[: self.n] @ vec  # (n,)
        sims[~self._alive[: self.n]] = -np.inf
        return sims

    def bm25(self, query_tokens: list[str]) -> np.ndarray:
        """(n,) Okapi BM25 of every row for the query; dead rows score 0."""
        scores = np.zeros(self.n, dtype=np.float32)
        n_alive = max(self.size, 1)
        avgdl = float(self._doclen[: self.n][self._alive[: self.n]].mean()) if self.size else 1.0
        for t in set(query_tokens):
            plist = self._postings.get(t)
            if not plist:
                continue
            rows = np.fromiter((r for r, _ in plist), dtype=np.int64, count=len(plist))
            tf = np.fromiter((c for _, c in plist), dtype=np.float32, count=len(plist))
            df = len(plist)
            idf = math.log(1.0 + (n_alive - df + 0.5) / (df + 0.5))
            norm = BM25_K1 * (1 - BM25_B + BM25_B * self._doclen[rows] / max(avgdl, 1e-6))
            scores[rows] += idf * tf * (BM25_K1 + 1) / (tf + norm)
        scores[~self._alive[: self.n]] = 0.0
        return scores

    def top(self, scores: np.ndarray, n: int) -> np.ndarray:
        """Rows of the n highest scores, best first (partial sort)."""
        n = min(n, scores.shape[0])
        if n <= 0:
            return np.zeros(0, dtype=np.int64)
        part = np.argpartition(-scores, n - 1)[:n]
        return part[np.argsort(-scores[part], kind="stable")]
