"""gatedmem: long-term memory for chatbots, with learned input, forget and output gates.

    from memory import GatedMemory
    mem = GatedMemory()                      # a SQLite file in your user data directory
    mem.observe("I live in Paris", user="ana")
    mem.recall("where does she live?", user="ana")

Importing this package is cheap: torch and the embedding model load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (
    EmbeddingMismatch,
    EmptyText,
    GatedMemError,
    InvalidArgument,
    InvalidText,
    InvalidUser,
    NoDatabase,
    StorageError,
    TextTooLong,
    UnknownMemory,
    UnknownUser,
    WeightsError,
)
from .types import Decision, Event, Memory, Observation, Recall

if TYPE_CHECKING:
    from .core import GatedMemory
    from .embedding import Embedder, SentenceTransformerEmbedder

_LAZY = {
    "GatedMemory": ".core",
    "Embedder": ".embedding",
    "SentenceTransformerEmbedder": ".embedding",
}


def __getattr__(name: str):
    """GatedMemory and the embedders import on first use (SQLAlchemy and friends are not
    needed by ``gatedmem --help``, the bench and train commands' parsing, or the errors)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "GatedMemory",
    "Memory",
    "Observation",
    "Recall",
    "Event",
    "Decision",
    "Embedder",
    "SentenceTransformerEmbedder",
    "GatedMemError",
    "InvalidText",
    "EmptyText",
    "TextTooLong",
    "InvalidUser",
    "InvalidArgument",
    "UnknownMemory",
    "UnknownUser",
    "EmbeddingMismatch",
    "WeightsError",
    "StorageError",
    "NoDatabase",
]
