"""Bringing a database to the newest schema with Alembic, on open.

The migration scripts live in ``migrations/`` at the top of the repository and ship inside
the wheel as ``gatedmem.migrations``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from .errors import StorageError


def migrations_dir() -> Path:
    """The directory holding Alembic's ``env.py`` and ``versions/``."""
    try:
        from importlib.resources import files

        path = Path(str(files("gatedmem.migrations")))
        if (path / "env.py").is_file():
            return path
    except ModuleNotFoundError:
        pass
    # Running from a source checkout that was not installed: migrations/ beside memory/.
    return Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if engine is not None:
        url = engine.url.render_as_string(hide_password=False)
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser syntax
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision``; refuse one written by a newer gatedmem."""
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config(engine)
    script = ScriptDirectory.from_config(cfg)
    current = current_revision(engine)
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise StorageError(
            f"the database is at schema revision {current}, which this version of gatedmem "
            "does not know; it was written by a newer gatedmem: upgrade gatedmem to open it"
        )
    if revision == "head" and current == script.get_current_head():
        return
    # Several processes may open a new database at once: one migrates, under a lock,
    # and the others find it done when they get the lock.
    with engine.connect() as conn:
        conn.execution_options(gatedmem_write=True)  # SQLite: BEGIN IMMEDIATE
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7261536)")
            from alembic.runtime.migration import MigrationContext

            now = MigrationContext.configure(conn).get_current_revision()
            if revision == "head" and now == script.get_current_head():
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
