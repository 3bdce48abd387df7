"""Where gatedmem keeps its files: environment variables first, then per-user directories.

Nothing here creates a directory or loads anything at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import NoDatabase

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


def resolve_db_url(url_or_path: str | None) -> str:
    """The database to use: ``url_or_path`` (a URL or a SQLite file path), else
    :func:`default_db_url`."""
    return normalise_db_url(url_or_path) if url_or_path else default_db_url()


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names; None for other databases, in-memory SQLite and URLs
    that do not parse (opening those reports them)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    db = parsed.database
    if parsed.get_backend_name() != "sqlite" or not db or db == ":memory:":
        return None
    if db.startswith("file:"):  # a SQLite URI filename (?uri=true): SQLite resolves it
        return None
    return Path(db).expanduser()


def require_database(url: str) -> None:
    """Check that ``url`` names a database that exists, before anything opens it (opening
    a SQLite file that is not there creates it, and its directories).

    Raises:
        NoDatabase: ``url`` names a SQLite file that does not exist.
    """
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise NoDatabase(
            f"no database at {path}; check the path (--db or ${ENV_DB}): only commands "
            "that write, such as `gatedmem memories add`, create one"
        )


def cache_dir() -> Path:
    """Where training caches (precomputed embeddings) go."""
    return data_dir() / "cache"
