"""gatedmem: long-term memory for chatbots, with learned input, forget and output gates.

    from gatedmem import GatedMemory
    mem = GatedMemory()                      # a SQLite file in your user data directory
    mem.observe("I live in Paris", user="ana")
    mem.recall("where does she live?", user="ana")

The installed package maps the repository's top-level folders: ``gatedmem.memory`` (the
memory and its gates), ``gatedmem.chatbot`` (the chat loop), ``gatedmem.cli`` and
``gatedmem.migrations``. This module re-exports the memory's public names. Importing it is
cheap: torch and the embedding model load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .memory import (
    Decision,
    EmbeddingMismatch,
    EmptyText,
    Event,
    GatedMemError,
    InvalidArgument,
    InvalidText,
    InvalidUser,
    Memory,
    NoDatabase,
    Observation,
    Recall,
    StorageError,
    TextTooLong,
    UnknownMemory,
    UnknownUser,
    WeightsError,
    __version__,
)

if TYPE_CHECKING:
    from .memory import Embedder, GatedMemory, SentenceTransformerEmbedder


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
    "__version__",
]


def __getattr__(name: str):
    """The names that import torch or SQLAlchemy resolve through ``gatedmem.memory`` lazily."""
    if name in __all__:
        from . import memory

        return getattr(memory, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
