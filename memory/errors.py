"""Every error a caller of gatedmem can cause, in one place.

Each is a subclass of ``ValueError`` (bad input) or ``LookupError`` (something named that
does not exist), so callers can catch broadly or narrowly, and each message says what to do.
"""

from __future__ import annotations


class GatedMemError(Exception):
    """Base class of every error gatedmem raises on purpose."""


class InvalidText(GatedMemError, ValueError):
    """Text that cannot be stored: not a string, invalid UTF-8, NUL bytes, lone surrogates."""


class EmptyText(InvalidText):
    """Text that is empty or only white space."""


class TextTooLong(InvalidText):
    """Text longer than the memory accepts in one utterance."""


class InvalidUser(GatedMemError, ValueError):
    """A user name that is empty, too long or not printable text."""


class InvalidArgument(GatedMemError, ValueError):
    """Any other argument out of range (k, times, import data ...)."""


class UnknownMemory(GatedMemError, LookupError):
    """No memory has that id (for that user, when a user was given)."""


class UnknownUser(GatedMemError, LookupError):
    """No memories were ever stored for that user."""


class EmbeddingMismatch(GatedMemError, ValueError):
    """The embedding model differs from the one the database or the gate weights were built with."""


class WeightsError(GatedMemError, ValueError):
    """Gate weights that are missing, corrupt or do not fit the embedding model."""


class StorageError(GatedMemError, RuntimeError):
    """The database cannot be opened or used (not a database, newer schema, bad URL ...)."""


class NoDatabase(StorageError, LookupError):
    """A database that does not exist was named for reading (reading never creates one)."""


class ModelMismatchWarning(UserWarning):
    """The gate weights were trained for another embedding model of the same dimension."""


__all__ = [
    "ModelMismatchWarning",
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
