"""Recall: candidates from the in-process index (cosine and BM25), scored by the output
gate; what passes its threshold is returned and reinforced.

A part of :class:`memory.GatedMemory` (which inherits it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from . import decisions, validate
from .blas import one_blas_thread
from .decay import DAY, FLOOR, faded_at, reinforced
from .decisions import Candidates
from .errors import InvalidArgument
from .features import RANK_CAP, tokens
from .index import UserIndex
from .storage import UserState
from .types import Recall, to_datetime
from .writing import _event

RELATED_COS = 0.15  # below this cosine, a memory sharing no content word is not returned
# Candidates per retriever (cosine, BM25) that the output gate scores, or k if larger. The
# LoCoMo benchmark asks for k=20 and so scores 20 of each: R@10 0.607 against 0.599 with 32,
# measured before the output gate read UserIndex.prior
# (with earlier weights 32 and 64 ranked alike). A chat turn (k=5) scores 16: less work.
CANDIDATES = 16


@dataclass(frozen=True)
class _RowView:
    """An index row seen through the Decaying protocol."""

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


def _ranks(pool: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """Each pool row's place in ``ranked`` (best first); RANK_CAP where it is absent."""
    place = {r: i for i, r in enumerate(ranked.tolist())}
    return np.asarray([place.get(r, RANK_CAP) for r in pool.tolist()], dtype=np.float64)


class Recalling:
    """recall (see memory.GatedMemory)."""

    # ---- recall ---------------------------------------------------------------------------

    def recall(
        self,
        query: str,
        *,
        user: str,
        k: int = 5,
        at: datetime | float | None = None,
        reinforce: bool = True,
        exclude: Iterable[int] = (),
        min_score: float | None = None,
    ) -> list[Recall]:
        """The memories the output gate selects for ``query``, best first.

        Only memories whose output-gate value passes the gate's threshold are returned, so
        a query with nothing relevant gives an empty list. A user with no memories gives [].

        Args:
            query: what the reply needs to know about (usually the user's message).
            user: whose memories to search.
            k: at most this many.
            at: the time of the query (default now).
            reinforce: whether returned memories are strengthened (as recall does in people).
            exclude: memory ids not to return (say, the one this very message just wrote).
            min_score: return only memories scoring at least this (default: the output
                gate's own threshold; 0 ranks the candidates without cutting any off).
        """
        query = validate.text(query)
        user = validate.user(user)
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 1000:
            raise InvalidArgument(f"k must be an integer from 1 to 1000, not {k!r}")
        now = validate.timestamp(at)
        skip = {validate.memory_id(i) for i in exclude}
        if min_score is not None and not (
            isinstance(min_score, int | float) and 0.0 <= min_score <= 1.0
        ):
            raise InvalidArgument(f"min_score must be a number from 0 to 1, not {min_score!r}")
        with self.store.txn(write=False) as s:
            state = self.store.user_state(s, user)
        if state is None:
            return []
        vec = self._embed(query)
        with self._lock, one_blas_thread():
            idx = self._indexes.get(user)
            if idx is None or idx.version != state.version:
                with self.store.txn(write=False) as s:
                    idx = self._index(s, user, state)
            if not idx.size:
                return []
            sims = idx.cosine(vec)
            bm = idx.bm25(tokens(query))
            per = max(CANDIDATES, k)
            by_cos = idx.top(sims, per)
            by_bm = idx.top(bm, per)
            by_bm = by_bm[bm[by_bm] > 0]
            pool = np.asarray(list(dict.fromkeys(by_cos.tolist() + by_bm.tolist())))
            pool = pool[idx.alive(pool)]  # top-k of few live rows also reaches dead ones
            strength = idx.decayed(pool, now)  # now, with reinforcement (reported, raised)
            gone = idx.faded(pool, now, strength)
            faded = pool[gone]
            # Not what was skipped, and nothing written after the query's time (recall "as
            # of" a past moment; or another process's turn stamped just after this one's).
            keep = ~gone & (idx.created_at[pool] <= now)
            if skip:
                keep &= ~np.isin(idx.ids(pool), list(skip))
            pool, strength = pool[keep].astype(np.int64), strength[keep]
            chosen: list[tuple[int, float, dict[str, float]]] = []
            if pool.size:
                q_words = set(tokens(query))
                cands = Candidates(
                    vecs=idx.vectors(pool),
                    cosine=sims[pool].astype(np.float64),
                    bm25=bm[pool].astype(np.float64),
                    strength=idx.prior(pool, now, strength),
                    age_days=(now - idx.created_at[pool]) / DAY,
                    cues=[idx.cues[r] for r in pool.tolist()],
                    cos_rank=_ranks(pool, by_cos),
                    bm25_rank=_ranks(pool, by_bm),
                    speaker_named=np.asarray(
                        [bool(k) and k in q_words for k in map(idx.speaker_keys.__getitem__, pool)],
                        dtype=np.float64,
                    ),
                    words=idx._doclen[pool].astype(np.float64),
                )
                scores, lexical = decisions.relevance(self.gates, vec, query, cands, state.context)
                if "output" in self.ablate:  # the trivial output gate: plain cosine
                    scores = np.clip(cands.cosine, 0.0, 1.0)
                if min_score is None:
                    thr = self.gates.cfg.recall_threshold
                    # The gate ranks; what it hands to a reply must also be about the query at
                    # all: similar in meaning or sharing a content word (its scores are
                    # relative, and in a young memory the best match may be unrelated).
                    about = (cands.cosine >= RELATED_COS) | (lexical > 0)
                else:
                    thr, about = min_score, np.ones(len(scores), dtype=bool)
                order = [
                    j for j in np.argsort(-scores, kind="stable") if scores[j] >= thr and about[j]
                ][:k]
                for j in order:
                    r = int(pool[j])
                    gate_in = idx.input_gate[r]
                    chosen.append(
                        (
                            r,
                            float(scores[j]),
                            {
                                "output": float(scores[j]),
                                "cosine": float(cands.cosine[j]),
                                "bm25": float(cands.bm25[j]),
                                "lexical": float(lexical[j]),
                                "strength": float(strength[j]),
                                "prior": float(cands.strength[j]),
                                "age_days": float(cands.age_days[j]),
                                "input": 1.0 if np.isnan(gate_in) else float(gate_in),
                            },
                        )
                    )
            if (reinforce and chosen) or faded.size:
                self._write_recall(user, state, idx, chosen if reinforce else [], faded, query, now)
        return [self._recall_of(idx, r, score, signals) for r, score, signals in chosen]

    def _write_recall(
        self,
        user: str,
        state: UserState,
        idx: UserIndex,
        chosen: list[tuple[int, float, dict[str, float]]],
        faded: np.ndarray,
        query: str,
        now: float,
    ) -> None:
        """Reinforce what recall returned and write down fades, in one short transaction."""
        updates, events = [], []
        for r, score, signals in chosen:
            mid = int(idx._ids[r])
            updates.append(
                {
                    "id": mid,
                    "strength": reinforced(signals["strength"]),
                    "strength_at": now,
                    "recall_count": 1,
                    "last_recalled_at": now,
                }
            )
            events.append(
                _event(
                    mid, state.id, now, "recalled", value=score, query=query[:1000], actor="gate"
                )
            )
        for r in faded.tolist():
            mid = int(idx._ids[r])
            when = min(faded_at(_RowView(idx, r)), now)
            updates.append({"id": mid, "forgotten_at": when, "forgotten_by": "decay"})
            events.append(
                _event(
                    mid,
                    state.id,
                    when,
                    "faded",
                    value=FLOOR,
                    actor="decay",
                    detail={"half_life_days": round(idx.half_life[r] / DAY, 3)},
                )
            )
        try:
            with self.store.txn(write=True) as s:
                version = self.store.bump_version(s, state.id)  # also locks the user's row
                self.store.update_memories(s, updates)
                self.store.insert_events(s, events)
        except BaseException:
            self._indexes.pop(user, None)
            raise
        if version != idx.version + 1:
            self._indexes.pop(user, None)  # another process wrote meanwhile: reload next time
            return
        for r, _, signals in chosen:
            idx.set_strength(int(idx._ids[r]), reinforced(signals["strength"]), now)
            idx.touch(int(idx._ids[r]), now)
        for r in faded.tolist():
            idx.remove(int(idx._ids[r]))
        idx.version = version

    @staticmethod
    def _recall_of(idx: UserIndex, r: int, score: float, signals: dict[str, float]) -> Recall:
        return Recall(
            memory_id=int(idx._ids[r]),
            text=idx.texts[r],
            score=score,
            gates=signals,
            created_at=to_datetime(float(idx.created_at[r])),
            speaker=idx.speakers[r],
            metadata=dict(idx.metas[r] or {}),
        )
