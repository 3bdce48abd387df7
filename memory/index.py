"""The in-process index of one user's active memories.

It holds everything the gates read about a memory (embedding, text, content words,
strength and its clock, half-life, pin, times) so that a turn needs no per-memory SQL.
A version number in the users table, bumped by every change to the user's memories,
tells a process when another one changed them; its own changes it applies here.

The embedding matrix is kept as float32, as the database keeps it, in a NumPy array that a
torch tensor shares. It is written and read through NumPy, and multiplied by torch on the
torch thread (:mod:`.torch_thread`), whose thread pool the embedding model already uses,
rather than by NumPy's BLAS in a second pool beside it (docs/benchmarks.md, "Where the time
goes").
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from . import torch_thread
from .decay import DAY, FLOOR, PASSING_DAYS
from .features import TextCues, bm25_term, speaker_key, tokens
from .superseded import Superseded

KEEP_HORIZON = 30 * 86400.0  # the horizon of UserIndex.worth_keeping
# A memory that places what it tells at a time (features.dated: "I lost my job yesterday")
# counts 1 + DATED_WEIGHT times in eviction: news of an event is what later questions ask
# about. Chosen from 0, 1 and 2 by leave-one-conversation-out on LoCoMo (docs/benchmarks.md).
DATED_WEIGHT = 2.0


@dataclass(frozen=True)
class RowView:
    """One index row seen through the decay.Decaying protocol."""

    idx: UserIndex
    r: int

    @property
    def strength(self) -> float:
        return float(self.idx.strength[self.r])

    @property
    def strength_at(self) -> float:
        return float(self.idx.strength_at[self.r])

    @property
    def half_life(self) -> float:
        return float(self.idx.half_life[self.r])

    @property
    def pinned(self) -> bool:
        return bool(self.idx.pinned[self.r])

    @property
    def input_gate(self) -> float | None:
        value = float(self.idx.input_gate[self.r])
        return None if np.isnan(value) else value


@dataclass
class IndexRow:
    """One active memory as the index keeps it."""

    id: int
    vec: np.ndarray
    text: str
    created_at: float
    strength: float
    strength_at: float
    half_life: float
    pinned: bool
    input_gate: float | None
    speaker: str = "user"
    meta: dict | None = None
    used_at: float | None = None  # last written or recalled (default: created_at)
    cues: TextCues | None = None  # TextCues.of(text), if the caller has it already


_FIELDS = {  # growable per-row arrays: name -> dtype
    "_ids": np.int64,
    "_alive": bool,
    "_doclen": np.float32,
    "created_at": np.float64,
    "strength": np.float64,
    "strength_at": np.float64,
    "half_life": np.float64,
    "pinned": bool,
    "input_gate": np.float64,
    "used_at": np.float64,
    "dated": bool,  # features.dated of the text
}


def _torch():
    """torch, imported on first use (importing memory stays cheap)."""
    import torch

    return torch


def _cosines(tmat, vec: np.ndarray) -> np.ndarray:
    """(rows,) float32 products of a torch matrix of unit rows with a unit vector."""
    q = _torch().tensor(np.asarray(vec, dtype=np.float32))  # a copy: vec may be read-only
    return _torch().mv(tmat, q).numpy()


class Postings:
    """The rows a token occurs in and how often: growable arrays a query only slices, and
    how many of those rows are alive (the token's document frequency)."""

    __slots__ = ("rows", "tfs", "n", "live")

    def __init__(self):
        self.rows = np.zeros(4, dtype=np.int64)
        self.tfs = np.zeros(4, dtype=np.float32)
        self.n = 0
        self.live = 0

    def append(self, row: int, tf: int) -> None:
        if self.n == len(self.rows):
            self.rows = np.resize(self.rows, 2 * self.n)
            self.tfs = np.resize(self.tfs, 2 * self.n)
        self.rows[self.n] = row
        self.tfs[self.n] = tf
        self.n += 1
        self.live += 1


class UserIndex:
    """Append-only arrays with a liveness mask: adding is amortised O(1), removing O(1)."""

    def __init__(self, dim: int, version: int = 0, capacity: int = 64):
        self.dim = dim
        self.version = version
        self._mat = np.zeros((capacity, dim), dtype=np.float32)
        self._tmat = _torch().from_numpy(self._mat)  # the same memory, for torch's product
        for name, dtype in _FIELDS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))
        self.n = 0  # rows used, alive or not
        self.size = 0  # rows alive
        self.texts: list[str] = []
        self.speakers: list[str] = []
        self.speaker_keys: list[str] = []  # features.speaker_key of each, computed once
        self.metas: list[dict | None] = []
        self.cues: list[TextCues] = []  # content words etc., for lexical overlap and pairs
        self.pos: dict[int, int] = {}  # memory id -> row
        self._postings: dict[str, Postings] = defaultdict(Postings)
        self._doclen_sum = 0.0
        # For UserIndex.information, kept from its first use on (a memory with a capacity):
        # each row's content words as ids, flat, and how many live rows hold each word.
        # Python containers: an observe adds a row's few words in microseconds; an eviction
        # reads them all at once, as NumPy views.
        self._vocab: dict[str, int] | None = None
        self._word_df: list[int] = []
        self._word_ids = array("i")
        self._word_rows = array("i")
        self.superseded = Superseded()  # what recall lets answer for their heirs

    @classmethod
    def build(cls, rows: list[IndexRow], dim: int, version: int) -> UserIndex:
        idx = cls(dim, version, capacity=max(64, len(rows) + len(rows) // 4))
        n = len(rows)
        if not n:
            return idx
        # Arrays in bulk; only tokenising stays per row.
        idx._mat[:n] = np.stack([np.asarray(r.vec, np.float32) for r in rows])
        idx._ids[:n] = [r.id for r in rows]
        idx._alive[:n] = True
        idx.created_at[:n] = [r.created_at for r in rows]
        idx.strength[:n] = [r.strength for r in rows]
        idx.strength_at[:n] = [r.strength_at for r in rows]
        idx.half_life[:n] = [r.half_life for r in rows]
        idx.pinned[:n] = [r.pinned for r in rows]
        idx.input_gate[:n] = [np.nan if r.input_gate is None else r.input_gate for r in rows]
        idx.used_at[:n] = [r.created_at if r.used_at is None else r.used_at for r in rows]
        for row, r in enumerate(rows):
            idx._index_text(row, r.text)
            idx.pos[r.id] = row
        idx.texts = [r.text for r in rows]
        idx.speakers = [r.speaker for r in rows]
        idx.speaker_keys = [speaker_key(r.speaker) for r in rows]
        idx.metas = [r.meta for r in rows]
        idx.n = idx.size = n
        return idx

    def _index_text(self, row: int, text: str, cues: TextCues | None = None) -> None:
        toks = tokens(text)
        self._doclen[row] = len(toks)
        self._doclen_sum += len(toks)
        counts: dict[str, int] = defaultdict(int)
        for t in toks:
            counts[t] += 1
        for t, c in counts.items():
            self._postings[t].append(row, c)
        cues = TextCues.of(text) if cues is None else cues
        self.cues.append(cues)
        self.dated[row] = cues.dated
        self._count_words(row, cues.words, +1)

    def _count_words(self, row: int, words: frozenset[str], sign: int) -> None:
        """Add (sign +1, appending the row's words) or remove (-1) a row's content words."""
        df, vocab = self._word_df, self._vocab
        if vocab is None:  # not in use
            return
        for w in sorted(words):  # sorted: the same sums, bit for bit, in every process
            i = vocab.get(w)
            if i is None:
                i = vocab[w] = len(df)
                df.append(0)
            df[i] += sign
            if sign > 0:
                self._word_ids.append(i)
                self._word_rows.append(row)

    def _grow(self) -> None:
        cap = len(self._ids) * 2
        mat = np.zeros((cap, self.dim), dtype=np.float32)
        mat[: self.n] = self._mat[: self.n]
        self._mat, self._tmat = mat, _torch().from_numpy(mat)
        for name in _FIELDS:
            old = getattr(self, name)
            new = np.zeros(cap, dtype=old.dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)

    def add(self, r: IndexRow) -> None:
        if r.id in self.pos:
            return
        self.superseded.heir_added(r.id)
        if self.n == len(self._ids):
            self._grow()
        row = self.n
        self._mat[row] = r.vec
        self._ids[row] = r.id
        self._alive[row] = True
        self.created_at[row] = r.created_at
        self.strength[row] = r.strength
        self.strength_at[row] = r.strength_at
        self.half_life[row] = r.half_life
        self.pinned[row] = r.pinned
        self.input_gate[row] = np.nan if r.input_gate is None else r.input_gate
        self.used_at[row] = r.created_at if r.used_at is None else r.used_at
        self._index_text(row, r.text, r.cues)
        self.texts.append(r.text)
        self.speakers.append(r.speaker)
        self.speaker_keys.append(speaker_key(r.speaker))
        self.metas.append(r.meta)
        self.pos[r.id] = row
        self.n += 1
        self.size += 1

    def supersede(self, memory_id: int, by: int) -> None:
        """Memory ``memory_id`` is superseded by ``by`` (added next): it leaves the index,
        and answers in recall for ``by``, which is heir to what it was heir to."""
        row = self.pos.get(memory_id)
        if row is None:
            return
        vec = self._mat[row].copy()
        self.superseded.pass_on(memory_id, by)
        self.remove(memory_id)
        self.superseded.add(memory_id, vec, by)

    def remove(self, memory_id: int) -> None:
        self.superseded.drop(memory_id)
        row = self.pos.pop(memory_id, None)
        if row is not None:
            self._count_words(row, self.cues[row].words, -1)
            for t in set(tokens(self.texts[row])):
                self._postings[t].live -= 1
            self._alive[row] = False
            self._doclen_sum -= float(self._doclen[row])
            self.size -= 1

    def set_strength(self, memory_id: int, strength: float, at: float) -> None:
        row = self.pos.get(memory_id)
        if row is not None:
            self.strength[row], self.strength_at[row] = strength, at

    def touch(self, memory_id: int, at: float) -> None:
        """Note a use (recall) of the memory, for least-recently-used eviction."""
        row = self.pos.get(memory_id)
        if row is not None:
            self.used_at[row] = max(self.used_at[row], at)

    def live_rows(self) -> np.ndarray:
        """Rows of the active memories."""
        return np.flatnonzero(self._alive[: self.n])

    def set_pinned(self, memory_id: int, pinned: bool, strength: float, at: float) -> None:
        row = self.pos.get(memory_id)
        if row is not None:
            self.pinned[row] = pinned
            self.set_strength(memory_id, strength, at)

    # ---- reading -------------------------------------------------------------------------

    def alive(self, rows: np.ndarray) -> np.ndarray:
        return self._alive[rows]

    def row_view(self, row: int) -> RowView:
        """One row as decay's functions read a memory."""
        return RowView(self, row)

    def ids(self, rows: np.ndarray) -> np.ndarray:
        return self._ids[rows]

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), dim) float32 embeddings of the given rows."""
        return self._mat[np.asarray(rows, dtype=np.int64)]

    def decayed(self, rows: np.ndarray, now: float) -> np.ndarray:
        """Strength at ``now`` of the given rows (pinned rows keep theirs)."""
        dt = np.maximum(now - self.strength_at[rows], 0.0)
        s = self.strength[rows] * np.exp2(-dt / self.half_life[rows])
        return np.where(self.pinned[rows], self.strength[rows], s)

    def prior(self, rows: np.ndarray, now: float, decayed: np.ndarray | None = None) -> np.ndarray:
        """The strength the output gate reads, as it was trained: the input gate's value
        decayed over the forget gate's half-life since the memory was written, or its stored
        strength if lower (a database written when the forget gate still weakened memories).
        Recall's reinforcement is left out: it keeps a memory
        from fading but says nothing about its relevance to other queries (what the chat
        loop recalls often would rise for every query).
        Pinned rows keep their strength. ``decayed``: self.decayed(rows, now), if at hand."""
        if decayed is None:
            decayed = self.decayed(rows, now)
        p = self._gate_or_one(rows)
        age = np.maximum(now - self.created_at[rows], 0.0)
        s = np.minimum(p * np.exp2(-age / self.half_life[rows]), decayed)
        return np.where(self.pinned[rows], decayed, s)  # (pinned: decayed is the strength)

    def information(self, rows: np.ndarray) -> np.ndarray:
        """What each row says that the other memories do not: the surprisal of its content
        words among the live rows, sum of log(live rows / live rows holding the word).
        0 for a row of fillers or of words every memory holds. O(words in the index)."""
        if self._vocab is None:
            self._vocab = {}
            for r in self.live_rows().tolist():
                self._count_words(r, self.cues[r].words, +1)
        ids = np.frombuffer(self._word_ids, dtype=np.int32)
        df = np.maximum(np.asarray(self._word_df, dtype=np.float64)[ids], 1.0)
        bits = np.log(max(self.size, 1) / df)
        who = np.frombuffer(self._word_rows, dtype=np.int32)
        return np.bincount(who, weights=bits, minlength=self.n)[rows]

    def worth_keeping(self, rows: np.ndarray) -> np.ndarray:
        """What each row is worth keeping, whatever its age: the input gate's value (1 for
        explicit adds; the stored strength if lower, as in ``prior``), times the share of it the
        forget gate's half-life would leave after KEEP_HORIZON, times what it says that the
        other memories do not (information), times 1 + DATED_WEIGHT if it is dated."""
        return self.worth_parts(rows)["worth"]

    def _gate_or_one(self, rows: np.ndarray) -> np.ndarray:
        """The input gate's value of each row; 1 for explicit adds (NaN: no gate)."""
        p = self.input_gate[rows]
        return np.where(np.isnan(p), 1.0, p)

    def worth_parts(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """worth_keeping ("worth") and its factors: "gates", "information" and "dated" (1 or
        1 + DATED_WEIGHT). An eviction records them: why that memory went."""
        p = self._gate_or_one(rows)
        gates = np.minimum(p, self.strength[rows]) * np.exp2(-KEEP_HORIZON / self.half_life[rows])
        info = self.information(rows)
        dated = 1.0 + DATED_WEIGHT * self.dated[rows]
        return {"worth": gates * info * dated, "gates": gates, "information": info, "dated": dated}

    def faded(self, rows: np.ndarray, now: float, decayed: np.ndarray | None = None) -> np.ndarray:
        """Which rows time has hidden: passing ones (decay.can_fade) decayed below FLOOR.
        ``decayed``: self.decayed(rows, now), if at hand."""
        if decayed is None:
            decayed = self.decayed(rows, now)
        passing = ~np.isnan(self.input_gate[rows]) & (self.half_life[rows] <= PASSING_DAYS * DAY)
        return ~self.pinned[rows] & passing & (decayed < FLOOR)

    def cosine(self, vec: np.ndarray, first: np.ndarray | None = None) -> np.ndarray:
        """(n,) cosine of every row with ``vec``; dead rows get -inf. ``first``: the
        cosines of the first rows with ``vec``, computed by :meth:`scorer` before this
        call (only the rows added since are computed here)."""
        done = 0 if first is None or len(first) > self.n else len(first)
        if done == self.n:
            sims = np.array(first, dtype=np.float32) if done else np.zeros(0, np.float32)
        else:
            rest = torch_thread.run(_cosines, self._tmat[done : self.n], vec)
            sims = np.concatenate([first, rest]) if done else rest
        sims[~self._alive[: self.n]] = -np.inf
        return sims

    def with_superseded(self, sims: np.ndarray, vec: np.ndarray) -> tuple[np.ndarray, dict]:
        """``sims`` (from :meth:`cosine`) with each live memory that superseded others raised
        to the cosine of the closest of them, where that is higher; and {row: the id of that
        memory} for the rows raised (:mod:`.superseded`)."""
        return self.superseded.raised(sims, vec, self.pos)

    def scorer(self) -> Callable[[np.ndarray], np.ndarray]:
        """The cosines of the rows written so far with a vector, to compute without the
        memory's lock (rows are only ever appended, never rewritten): on the torch thread
        right after the query's embedding, while its threads are awake. Removals since
        are applied by :meth:`cosine`, which takes the result as ``first``."""
        return partial(_cosines, self._tmat[: self.n])

    def bm25(self, query_tokens: list[str]) -> np.ndarray:
        """(n,) Okapi BM25 of every row for the query; dead rows score 0."""
        scores = np.zeros(self.n, dtype=np.float32)
        if not self.size:
            return scores
        avgdl = max(self._doclen_sum / self.size, 1e-6)
        for t in sorted(set(query_tokens)):  # a fixed order: the same sums, bit for bit
            plist = self._postings.get(t)
            if plist is None or not plist.live:  # removed memories do not count
                continue
            rows, tf = plist.rows[: plist.n], plist.tfs[: plist.n]
            scores[rows] += bm25_term(tf, plist.live, self.size, self._doclen[rows], avgdl)
        if self.size < self.n:
            scores[~self._alive[: self.n]] = 0.0
        return scores

    @staticmethod
    def top(scores: np.ndarray, n: int) -> np.ndarray:
        """Rows of the n highest scores, best first (partial sort)."""
        n = min(n, scores.shape[0])
        if n <= 0:
            return np.zeros(0, dtype=np.int64)
        part = np.argpartition(-scores, n - 1)[:n]
        return part[np.argsort(-scores[part], kind="stable")]
