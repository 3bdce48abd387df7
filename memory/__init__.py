"""gatedmem: long-term memory for chatbots, with learned input, forget and output gates.

    from memory import GatedMemory
    mem = GatedMemory()                      # a SQLite file in your user data directory
    mem.observe("I live in Paris", user="ana")
    mem.recall("where does she live?", user="ana")

Importing this package is cheap: torch and the embedding model load on first use.
"""

from __future__ import annotations

from .core import GatedMemory
from .embedding import Embedder, SentenceTransformerEmbedder
from .errors import (
    EmbeddingMismatch,
    EmptyText,
    GatedMemError,
    InvalidArgument,
    InvalidText,
    InvalidUser,
    StorageError,
    TextTooLong,
    UnknownMemory,
    UnknownUser,
    WeightsError,
)
from .types import Decision, Event, Memory, Observation, Recall

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
]
