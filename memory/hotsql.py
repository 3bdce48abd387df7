"""The statements every turn runs, compiled once per dialect and run on the driver's cursor.

A turn's few statements cost several times less on the DBAPI cursor than through
SQLAlchemy Core (docs/benchmarks.md, "Where the time goes"), and they run once per turn.
Everything else (schema, migrations, rare writes, reads for people) stays on SQLAlchemy.
The hot path hands these functions the raw DBAPI connection of ``Store.txn``.
``tests/test_storage.py`` runs each statement here against a freshly migrated database, so
they cannot drift from the models unnoticed.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

_SQL = {
    "user_state": "SELECT id, version, context, turns FROM users WHERE name = :name",
    # Two processes may meet a new user at once: the second insert does nothing.
    "insert_user": "INSERT INTO users (name, created_at, turns, version) "
    "VALUES (:name, :created_at, 0, 0) ON CONFLICT (name) DO NOTHING",
    "insert_memory": "INSERT INTO memories (user_id, text, embedding, speaker, session, source, "
    "meta, created_at, strength, strength_at, half_life, pinned, input_gate, recall_count) "
    "VALUES (:user_id, :text, :embedding, :speaker, :session, :source, :meta, :created_at, "
    ":strength, :strength_at, :half_life, :pinned, :input_gate, 0) RETURNING id",
    "insert_event": "INSERT INTO events (memory_id, user_id, at, kind, value, other_id, query, "
    "actor, detail) VALUES (:memory_id, :user_id, :at, :kind, :value, :other_id, :query, "
    ":actor, :detail)",
    "bump": "UPDATE users SET version = version + 1 WHERE id = :id RETURNING version",
    "index_rows": "SELECT id, embedding, text, created_at, strength, strength_at, half_life, "
    "pinned, input_gate, speaker, meta, last_recalled_at FROM memories WHERE user_id = :user_id "
    "AND forgotten_at IS NULL AND superseded_by IS NULL ORDER BY id",
    "superseded_rows": "SELECT id, superseded_by, forgotten_at IS NOT NULL, embedding "
    "FROM memories WHERE user_id = :user_id AND superseded_by IS NOT NULL ORDER BY id",
}
_UPDATABLE_MEMORY = {
    "strength",
    "strength_at",
    "superseded_by",
    "forgotten_at",
    "forgotten_by",
    "last_recalled_at",
    "recall_count",
}
_UPDATABLE_USER = {"context", "context_at", "turns", "version"}


class HotSQL:
    """Prepared hot-path statements for one SQLAlchemy dialect."""

    def __init__(self, dialect):
        self.dialect = dialect
        self._stmts = {name: self._compile(sql) for name, sql in _SQL.items()}
        lock = _SQL["user_state"] + (" FOR UPDATE" if dialect.name == "postgresql" else "")
        self._stmts["user_state_lock"] = self._compile(lock)
        if dialect.name == "postgresql":
            from psycopg.types.json import Json

            self.json = lambda v: None if v is None else Json(v)
        else:
            self.json = lambda v: None if v is None else json.dumps(v, ensure_ascii=False)

    def _compile(self, sql: str) -> tuple[str, list[str] | None]:
        c = text(sql).compile(dialect=self.dialect)
        return str(c), list(c.positiontup) if c.positiontup else None

    def _args(self, stmt: tuple[str, list[str] | None], params: dict[str, Any]):
        sql, order = stmt
        return sql, (tuple(params[n] for n in order) if order is not None else params)

    def all(self, conn, name: str, params: dict[str, Any]) -> list[tuple]:
        cur = conn.cursor()
        cur.execute(*self._args(self._stmts[name], params))
        rows = cur.fetchall()
        cur.close()
        return rows

    def load_json(self, value: Any) -> Any:
        """A JSON column's value as read: SQLite gives text, psycopg already parsed data."""
        return json.loads(value) if isinstance(value, str) else value

    def one(self, conn, name: str, params: dict[str, Any]) -> tuple | None:
        cur = conn.cursor()
        cur.execute(*self._args(self._stmts[name], params))
        row = cur.fetchone()
        cur.close()
        return row

    def run(self, conn, name: str, params: dict[str, Any]) -> None:
        cur = conn.cursor()
        cur.execute(*self._args(self._stmts[name], params))
        cur.close()

    def many(self, conn, name: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        sql, order = self._stmts[name]
        args = [tuple(r[n] for n in order) for r in rows] if order is not None else rows
        cur = conn.cursor()
        cur.executemany(sql, args)
        cur.close()

    def update(self, conn, table: str, columns: tuple[str, ...], rows: list[dict]) -> None:
        """UPDATE table SET columns WHERE id = :id, for each row (recall_count adds)."""
        allowed = _UPDATABLE_MEMORY if table == "memories" else _UPDATABLE_USER
        assert set(columns) <= allowed, f"not a hot-path column of {table}: {columns}"
        key = f"update:{table}:{','.join(columns)}"
        if key not in self._stmts:
            sets = ", ".join(
                f"{c} = {c} + :{c}" if c == "recall_count" else f"{c} = :{c}" for c in columns
            )
            self._stmts[key] = self._compile(f"UPDATE {table} SET {sets} WHERE id = :id")
        sql, order = self._stmts[key]
        args = [tuple(r[n] for n in order) for r in rows] if order is not None else rows
        cur = conn.cursor()
        cur.executemany(sql, args) if len(args) > 1 else cur.execute(sql, args[0])
        cur.close()
