"""Where gatedmem keeps its files: environment variables first, then per-user directories.

Nothing here creates a directory or loads anything at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "GATEDMEM_HOME"  # the data directory (database, caches)
ENV_DB = "GATEDMEM_DB"  # a SQLAlchemy URL or a path to a SQLite file
ENV_WEIGHTS = "GATEDMEM_WEIGHTS"  # a directory of gate weights (config.json + gates.safetensors)
ENV_MODEL = "GATEDMEM_MODEL"  # a local sentence-transformers model directory


def data_dir() -> Path:
    """The per-user data directory: ``$GATEDMEM_HOME`` or the platform's user data dir."""
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("gatedmem", appauthor=False))


def default_db_url() -> str:
    """``$GATEDMEM_DB``, else a SQLite file ``memory.db`` in :func:`data_dir`."""
    env = os.environ.get(ENV_DB)
    if env:
        return normalise_db_url(env)
    return normalise_db_url(str(data_dir() / "memory.db"))


def normalise_db_url(url_or_path: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (taken as a SQLite file)."""
    if "://" in url_or_path:
        return url_or_path
    return "sqlite:///" + str(Path(url_or_path).expanduser().resolve())


def cache_dir() -> Path:
    """Where training caches (precomputed embeddings) go."""
    return data_dir() / "cache"
