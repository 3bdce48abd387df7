"""Persistence: the SQLAlchemy models and every query gatedmem makes.

This module knows rows, transactions and engines; it knows nothing of gates or embeddings
beyond storing float32 blobs. Alembic (``migrations/``) owns the schema: opening a
:class:`Store` upgrades the database to the newest revision.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DBAPIError,
    IntegrityError,
    OperationalError,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from .decay import FLOOR, decayed, faded_at, has_faded
from .errors import EmbeddingMismatch, StorageError, UnknownMemory, UnknownUser
from .hotsql import HotSQL
from .types import Event, Memory, to_datetime

MAX_ID = 2**31 - 1  # ids are PostgreSQL integers (SQLite's are wider)
SAME_MOMENT = 1e-3  # seconds: an imported memory created this close to one present is it
# Keys of an import record that are not MemoryRow columns
_IMPORT_EXTRAS = frozenset({"id", "embedding", "superseded_by", "history"})


class Base(DeclarativeBase):
    pass


class MetaRow(Base):
    """Facts about the whole database: the embedding model and dimension it holds."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class UserRow(Base):
    """A memory user: the hidden state (context vector) lives here."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(256), unique=True)
    created_at: Mapped[float] = mapped_column(Float)
    context: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # float32 (dim,)
    context_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    turns: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped by every change to the set of this user's active memories, so a process that
    # caches the user's embedding matrix notices writes made by other processes.
    version: Mapped[int] = mapped_column(Integer, default=0)


class MemoryRow(Base):
    """A memory: the cell state of one user is the set of these rows."""

    __tablename__ = "memories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    embedding: Mapped[bytes] = mapped_column(LargeBinary)  # float32 (dim,)
    speaker: Mapped[str] = mapped_column(String(256), default="user")
    session: Mapped[str | None] = mapped_column(String(256), nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="observe")
    meta: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    strength: Mapped[float] = mapped_column(Float)  # the strength at strength_at
    strength_at: Mapped[float] = mapped_column(Float)
    half_life: Mapped[float] = mapped_column(Float)  # seconds
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    input_gate: Mapped[float | None] = mapped_column(Float, nullable=True)
    forgotten_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    forgotten_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    superseded_by: Mapped[int | None] = mapped_column(
        ForeignKey("memories.id", ondelete="SET NULL"), nullable=True
    )
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    last_recalled_at: Mapped[float | None] = mapped_column(Float, nullable=True)

    __table_args__ = (Index("ix_memories_user_active", "user_id", "forgotten_at"),)


class EventRow(Base):
    """One entry of a memory's history: every gate decision and every person's action."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    memory_id: Mapped[int] = mapped_column(ForeignKey("memories.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    at: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    other_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    query: Mapped[str | None] = mapped_column(Text, nullable=True)
    actor: Mapped[str | None] = mapped_column(String(32), nullable=True)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    # history(id) reads one memory's events in time order
    __table_args__ = (Index("ix_events_memory_at", "memory_id", "at"),)


@dataclass
class UserState:
    """What a turn needs of the users row."""

    id: int
    version: int
    context: np.ndarray | None
    turns: int


def to_blob(vec: np.ndarray) -> bytes:
    return np.asarray(vec, dtype="<f4").tobytes()


# A text every model embeds on first use; the database keeps the vector of the model that
# wrote it, and a model whose vector for it is less similar than this is another model.
PROBE_TEXT = "A probe of the embedding model: my dog Rex and I moved to Lisbon in May 2021."
PROBE_MIN_COS = 0.999  # float rounding across machines moves it by far less


def cosine_of(a, b) -> float:
    """The cosine of two vectors (-1 where their sizes differ)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        return -1.0
    return float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12))


def _another_model(model: str) -> EmbeddingMismatch:
    return EmbeddingMismatch(
        f"this database holds embeddings of a model named {model} that embeds text "
        "differently from the one given now (another model in a folder of the same name?); "
        "open it with the model it was written with, or export and import into a new "
        "database"
    )


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4")


def event_record(
    memory_id: int, user_id: int, at: float, kind: str, **fields: Any
) -> dict[str, Any]:
    """One history record (a row of ``events``): a gate decision or a person's action."""
    return {
        "memory_id": memory_id,
        "user_id": user_id,
        "at": at,
        "kind": kind,
        "value": fields.get("value"),
        "other_id": fields.get("other_id"),
        "query": fields.get("query"),
        "actor": fields.get("actor"),
        "detail": fields.get("detail"),
    }


@dataclass(frozen=True)
class Correction:
    """What a person's correction did to one memory, as its owner's index must learn it."""

    memory: Memory  # the memory after the change
    owner: str
    version_before: int  # the owner's version before the change
    version_after: int | None  # ... and after; None when nothing changed
    stored_active: bool = True  # neither forgotten nor superseded in the database (a fade
    #                             that time has brought but nobody wrote yet leaves it so)


_LEFT_BY_FORK: list = []  # connections a forked child inherited and must not touch


def _sqlite_connect(dbapi_conn, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling defers it).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")  # first: every later statement may wait
    # Switching to WAL needs the file to itself: only do it once, not on every connection.
    if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Deleted content is overwritten with zeros, so purged text does not linger in free pages.
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def _sqlite_begin(conn) -> None:
    # A writing transaction takes the write lock up front, so concurrent writers wait on the
    # busy timeout instead of failing with "database is locked" when they upgrade a read lock.
    write = conn.get_execution_options().get("gatedmem_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``url``, with SQLite set up for real use (WAL, busy timeout, FKs)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(f"not a database URL: {url!r} ({exc})") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            db = parsed.database
            if db and db != ":memory:":
                from pathlib import Path

                Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except (ImportError, ArgumentError, OSError) as exc:  # missing driver, bad options, path
        raise StorageError(f"cannot open {url!r}: {exc}") from None


class Store:
    """Rows in, rows out. One engine per store; sessions are short-lived."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.hot = HotSQL(self.engine.dialect)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(gatedmem_write=True), expire_on_commit=False
        )
        # The hot path's own SQLite connection, kept checked out between turns (see txn).
        db = self.engine.url.database
        self._keep_hot = self.is_sqlite and bool(db) and db != ":memory:"
        self._hot_lock = threading.Lock()
        self._hot_conn: Any = None
        self._hot_pid = os.getpid()

        try:
            self._open()
        except StorageError:
            self.engine.dispose()
            raise
        except (DatabaseError, OperationalError) as exc:
            self.engine.dispose()
            raise StorageError(
                f"cannot use {make_url(url).render_as_string(hide_password=True)} "
                f"as a gatedmem database: {exc.orig}"
            ) from None

    def _open(self) -> None:
        """Migrate to head; several processes opening a new SQLite file at once may find it
        locked for a moment, so a lock is waited out (up to 30 s) rather than reported."""
        from .migrate import upgrade_to_head

        deadline, pause = time.monotonic() + 30.0, 0.02
        while True:
            try:
                upgrade_to_head(self.engine)
                return
            except OperationalError as exc:
                locked = "locked" in str(exc.orig) or "busy" in str(exc.orig)
                if not (self.is_sqlite and locked) or time.monotonic() > deadline:
                    raise
                self.engine.dispose()  # fresh connections for the next try
                time.sleep(pause)
                pause = min(pause * 2, 0.5)

    @property
    def display_url(self) -> str:
        """The URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        with self._hot_lock:
            conn, self._hot_conn = self._hot_conn, None
        if conn is not None:
            if self._hot_pid == os.getpid():
                conn.close()
            else:  # a forked child closing: its parent's connection is not its to touch
                _LEFT_BY_FORK.append(conn)
        self.engine.dispose()

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error.

        ``write=True`` takes SQLite's write lock at the start of the transaction.
        """
        factory = self._write_sessions if write else self._sessions
        with factory() as s, s.begin():
            yield s

    @contextmanager
    def txn(self, write: bool = True) -> Iterator[Any]:
        """The hot path's transaction on a DBAPI connection: BEGIN IMMEDIATE on SQLite for
        writers (so they queue on the lock), the driver's own transaction on PostgreSQL. A
        reader (write=False) gets no transaction: each of its statements is atomic on its own.
        Statements run on the raw connection (SQLAlchemy's connection handling would cost
        more than they do), and on a SQLite file one connection stays checked out for the
        hot path between turns, which saves a pool checkout and return per call. A thread
        that finds it in use takes one from the pool."""
        held = self._keep_hot and self._hot_lock.acquire(blocking=False)
        try:
            raw = self._hot_connection() if held else self.engine.raw_connection()
            try:
                if self.is_sqlite and write:
                    raw.cursor().execute("BEGIN IMMEDIATE")
                yield raw
                if write or not self.is_sqlite:
                    raw.commit()
            except BaseException:
                try:
                    raw.rollback()
                finally:
                    if held:  # whatever went wrong, the next turn starts on a fresh connection
                        self._hot_conn = None
                        raw.close()
                raise
            finally:
                if not held:
                    raw.close()
        finally:
            if held:
                self._hot_lock.release()

    def _hot_connection(self) -> Any:
        """The kept connection (the caller holds ``_hot_lock``); a forked child opens its own
        and leaves its parent's alone."""
        if self._hot_pid != os.getpid():
            _LEFT_BY_FORK.append(self._hot_conn)  # never closed or returned from the child
            self._hot_conn, self._hot_pid = None, os.getpid()
        if self._hot_conn is None:
            self._hot_conn = self.engine.raw_connection()
        return self._hot_conn

    # ---- meta ---------------------------------------------------------------------------

    def check_embedding(
        self,
        model: str,
        dim: int,
        probe: np.ndarray | None = None,
        embed: Callable[[str], np.ndarray] | None = None,
    ) -> None:
        """Record the embedding model on first use, with ``probe``: its vector for
        PROBE_TEXT; refuse a different model afterwards, by name, dimension, or (where one
        is recorded) a vector for the probe text that is not the recorded one: another
        model in a folder of the same name. A database from before probes records one on
        its first use, once ``embed`` (the model) gives one stored memory's text the vector
        stored for it; one that cannot be written (read-only) records none."""
        seen = json.dumps(None if probe is None else [round(float(x), 6) for x in probe])
        try:
            with self.session(write=True) as s:
                rows = dict(s.execute(select(MetaRow.key, MetaRow.value)).all())
                if "embedding_model" not in rows:
                    s.add(MetaRow(key="embedding_model", value=model))
                    s.add(MetaRow(key="embedding_dim", value=str(dim)))
                    if probe is not None:
                        s.add(MetaRow(key="embedding_probe", value=seen))
                    return
        except IntegrityError:  # another process recorded it first: compare with theirs
            rows = self.embedding_info()
        if rows["embedding_model"] != model or int(rows["embedding_dim"]) != dim:
            raise EmbeddingMismatch(
                f"this database holds embeddings of {rows['embedding_model']} "
                f"({rows['embedding_dim']}-d) but the embedder is {model} ({dim}-d); "
                "open it with the same model, or export and import into a new database"
            )
        if probe is None:
            return
        if "embedding_probe" not in rows:
            self._same_vectors(model, embed)
            try:
                with self.session(write=True) as s:
                    s.add(MetaRow(key="embedding_probe", value=seen))
                return
            except IntegrityError:  # another process recorded one meanwhile
                rows = self.embedding_info()
            except DBAPIError:  # read-only: nothing to compare with, as before probes
                return
        recorded = json.loads(rows["embedding_probe"])
        if recorded is not None and cosine_of(recorded, probe) < PROBE_MIN_COS:
            raise _another_model(model)

    def _same_vectors(self, model: str, embed: Callable[[str], np.ndarray] | None) -> None:
        """Refuse a model that does not give a stored memory's text its stored vector."""
        if embed is None:
            return
        with self.session() as s:
            row = s.execute(select(MemoryRow.text, MemoryRow.embedding).limit(1)).first()
        if row is not None and cosine_of(from_blob(row.embedding), embed(row.text)) < PROBE_MIN_COS:
            raise _another_model(model)

    def embedding_info(self) -> dict[str, str]:
        with self.session() as s:
            return dict(s.execute(select(MetaRow.key, MetaRow.value)).all())

    # ---- users --------------------------------------------------------------------------

    def find_user(self, s: Session, name: str) -> UserRow | None:
        return s.execute(select(UserRow).where(UserRow.name == name)).scalar_one_or_none()

    def require_user(self, s: Session, name: str) -> UserRow:
        row = self.find_user(s, name)
        if row is None:
            raise UnknownUser(f"no memories were ever stored for user {name!r}")
        return row

    def user_for_write(self, s: Session, name: str, now: float) -> UserRow:
        row = self.find_user(s, name)
        if row is None:
            row = UserRow(name=name, created_at=now, turns=0, version=0)
            s.add(row)
            s.flush()
        return row

    def users(self) -> list[dict[str, Any]]:
        q = (
            select(
                UserRow.name,
                func.count(MemoryRow.id),
                func.sum(
                    (MemoryRow.forgotten_at.is_(None) & MemoryRow.superseded_by.is_(None)).cast(
                        Integer
                    )
                ),
                UserRow.turns,
                UserRow.created_at,
            )
            .outerjoin(MemoryRow, MemoryRow.user_id == UserRow.id)
            .group_by(UserRow.id)
            .order_by(UserRow.name)
        )
        with self.session() as s:
            return [
                {"user": n, "memories": c, "active": int(a or 0), "turns": t, "created_at": ts}
                for n, c, a, t, ts in s.execute(q).all()
            ]

    @staticmethod
    def bump(s: Session, user: UserRow) -> int:
        """Bump a user's version inside an ORM session (the rare paths)."""
        s.execute(update(UserRow).where(UserRow.id == user.id).values(version=UserRow.version + 1))
        s.refresh(user, ["version"])
        return user.version

    # ---- the hot path: Core statements, no ORM objects ------------------------------------

    def user_state(self, conn: Any, name: str, *, lock: bool = False) -> UserState | None:
        """The user's id, version, context and turn count; ``lock`` takes the row (or, on
        SQLite, relies on the write transaction's lock) so writers of one user queue."""
        row = self.hot.one(conn, "user_state_lock" if lock else "user_state", {"name": name})
        if row is None:
            return None
        ctx = from_blob(row[2]) if row[2] is not None else None
        return UserState(row[0], row[1], ctx, row[3])

    def user_state_for_write(self, conn: Any, name: str, now: float) -> UserState:
        found = self.user_state(conn, name, lock=True)
        if found is not None:
            return found
        self.hot.run(conn, "insert_user", {"name": name, "created_at": now})
        return self.user_state(conn, name, lock=True)

    def index_rows(self, conn: Any, user_id: int) -> list[tuple]:
        """Every column the in-process index keeps, for a user's active memories:
        (id, embedding, text, created_at, strength, strength_at, half_life, pinned,
        input_gate, speaker, meta, last_recalled_at)."""
        rows = self.hot.all(conn, "index_rows", {"user_id": user_id})
        return [(*r[:10], self.hot.load_json(r[10]), r[11]) for r in rows]

    def superseded_rows(self, conn: Any, user_id: int) -> list[tuple]:
        """A user's superseded memories, forgotten ones too (a chain of supersessions runs
        through them): (id, superseded_by, forgotten, embedding), by id."""
        return [tuple(r) for r in self.hot.all(conn, "superseded_rows", {"user_id": user_id})]

    def insert_memory(self, conn: Any, values: dict[str, Any]) -> int:
        values = {**values, "meta": self.hot.json(values.get("meta"))}
        return self.hot.one(conn, "insert_memory", values)[0]

    def insert_events(self, conn: Any, events: list[dict[str, Any]]) -> None:
        self.hot.many(
            conn, "insert_event", [{**e, "detail": self.hot.json(e.get("detail"))} for e in events]
        )

    def update_memories(self, conn: Any, changes: list[dict[str, Any]]) -> None:
        """Apply per-memory column changes: each dict has "id" and the columns to set
        (``recall_count`` is added, not set)."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for ch in changes:
            groups[tuple(sorted(k for k in ch if k != "id"))].append(ch)
        for cols, rows in groups.items():
            self.hot.update(conn, "memories", cols, rows)

    def update_user(self, conn: Any, user_id: int, **values: Any) -> None:
        self.hot.update(conn, "users", tuple(sorted(values)), [{"id": user_id, **values}])

    def bump_version(self, conn: Any, user_id: int) -> int:
        return self.hot.one(conn, "bump", {"id": user_id})[0]

    # ---- memories: the rare paths, through the ORM ----------------------------------------

    def memory(self, s: Session, memory_id: int, user_id: int | None = None) -> MemoryRow:
        # An id past the largest a database can hold names no memory (and must not reach
        # the driver, which would overflow).
        exists = isinstance(memory_id, int) and 0 < memory_id <= MAX_ID
        row = s.get(MemoryRow, memory_id) if exists else None
        if row is None or (user_id is not None and row.user_id != user_id):
            raise UnknownMemory(
                f"no memory with id {memory_id!r}"
                + (" for this user" if user_id is not None else "")
                + "; `gatedmem memories list --user USER` shows the ids"
            )
        return row

    def _scope(self, s: Session, user: str | None) -> int | None:
        return None if user is None else self.require_user(s, user).id

    def _read(self, s: Session, row: MemoryRow, now: float, user: str | None = None) -> Memory:
        return Memory.from_row(row, user or s.get(UserRow, row.user_id).name, now)

    def get_memory(self, memory_id: int, user: str | None, now: float) -> Memory:
        """One memory read at ``now``; with ``user``, another user's memory is not found."""
        with self.session() as s:
            return self._read(s, self.memory(s, memory_id, self._scope(s, user)), now)

    def list_memories(self, user: str, include_forgotten: bool, now: float) -> list[Memory]:
        """The user's memories, oldest first (superseded ones only with include_forgotten)."""
        with self.session() as s:
            urow = self.require_user(s, user)
            rows = self.list_rows(s, urow.id, include_forgotten)
            return [self._read(s, r, now, user) for r in rows]

    def history(self, memory_id: int, user: str | None, now: float) -> list[Event]:
        """Every event of a memory, oldest first, with a fade that has happened by ``now``
        but was not written yet."""
        with self.session() as s:
            row = self.memory(s, memory_id, self._scope(s, user))
            events = [Event.from_row(e) for e in self.events(s, row.id)]
            if row.forgotten_at is None and has_faded(row, now):
                events.append(
                    Event(
                        memory_id=row.id,
                        at=to_datetime(faded_at(row)),
                        kind="faded",
                        value=FLOOR,
                        actor="decay",
                    )
                )
        return events

    def _locked(self, s: Session, memory_id: int, user: str | None) -> tuple[MemoryRow, UserRow]:
        """A memory and its owner, the owner's row locked first (the order every writer
        takes, so writers of one user cannot deadlock on PostgreSQL)."""
        row = self.memory(s, memory_id, self._scope(s, user))
        owner = s.get(UserRow, row.user_id, with_for_update=True)
        s.refresh(row)  # as of the lock: another writer may have changed it meanwhile
        return row, owner

    def _correct(self, memory_id: int, user: str | None, now: float, change) -> Correction:
        """Apply ``change(s, row) -> changed`` to one memory in a write transaction."""
        with self.session(write=True) as s:
            row, owner = self._locked(s, memory_id, user)
            before, after = owner.version, None
            if change(s, row):
                after = self.bump(s, owner)
                s.flush()
            active = row.forgotten_at is None and row.superseded_by is None
            return Correction(
                self._read(s, row, now, owner.name), owner.name, before, after, active
            )

    def forget_memory(self, memory_id: int, user: str | None, now: float, actor: str):
        """Forget a memory softly (a "forgotten" event by ``actor``)."""

        def change(s: Session, row: MemoryRow) -> bool:
            if row.forgotten_at is not None:
                return False
            row.forgotten_at, row.forgotten_by = now, actor
            self.add_event(s, row, now, "forgotten", actor=actor)
            return True

        return self._correct(memory_id, user, now, change)

    def restore_memory(self, memory_id: int, user: str | None, now: float) -> Correction:
        """Undo a forget, a fade, a supersession or a weakening, at no less than the input
        gate's value. (The forget gate weakened memories until 2026-12: a database written
        before may hold active memories whose strength a doubt lowered.)"""

        def change(s: Session, row: MemoryRow) -> bool:
            gone = row.forgotten_at is not None or row.superseded_by is not None
            if not (gone or has_faded(row, now) or self._weakened(s, row)):
                return False
            row.forgotten_at = row.forgotten_by = row.superseded_by = None
            row.strength = max(decayed(row, now), row.input_gate or 1.0)
            row.strength_at = now
            self.add_event(s, row, now, "restored", value=row.strength, actor="user")
            return True

        return self._correct(memory_id, user, now, change)

    def _weakened(self, s: Session, row: MemoryRow) -> bool:
        """Whether the forget gate weakened the memory since it was last restored."""
        for e in reversed(self.events(s, row.id)):
            if e.kind == "restored":
                return False
            if e.kind == "weakened":
                return True
        return False

    def pin_memory(self, memory_id: int, user: str | None, now: float, pinned: bool):
        """Pin or unpin a memory; its strength is fixed at its value now."""

        def change(s: Session, row: MemoryRow) -> bool:
            if row.pinned == pinned:
                return False
            strength = decayed(row, now)
            row.pinned, row.strength, row.strength_at = pinned, strength, now
            kind = "pinned" if pinned else "unpinned"
            self.add_event(s, row, now, kind, value=strength if pinned else None, actor="user")
            return True

        return self._correct(memory_id, user, now, change)

    def bulk_insert(self, name: str, records: list[dict[str, Any]], now: float) -> list[int]:
        """Insert many memories (dicts of MemoryRow columns, embedding as a float32 array)
        with an "imported" event each, in one transaction. Returns their ids, in order."""
        from sqlalchemy import insert

        with self.session(write=True) as s:
            user = self.user_for_write(s, name, now)
            rows = []
            for rec in records:
                rec = dict(rec)
                rec["embedding"] = to_blob(rec["embedding"])
                rows.append(
                    {
                        "user_id": user.id,
                        "recall_count": 0,
                        "pinned": False,
                        "speaker": "user",
                        "source": "import",
                        **rec,
                    }
                )
            if not rows:
                return []
            stmt = insert(MemoryRow).returning(MemoryRow.id, sort_by_parameter_order=True)
            ids = list(s.execute(stmt, rows).scalars())
            s.execute(
                insert(EventRow),
                [
                    {
                        "memory_id": i,
                        "user_id": user.id,
                        "at": r["created_at"],
                        "kind": "imported",
                        "value": r.get("input_gate"),
                        "actor": "import",
                    }
                    for i, r in zip(ids, rows, strict=True)
                ],
            )
            self.bump(s, user)
        return ids

    def export_rows(self, user: str) -> list[tuple[MemoryRow, list[EventRow]]]:
        """Every memory of the user, forgotten ones too, oldest first, with its history."""
        with self.session() as s:
            urow = self.require_user(s, user)
            rows = self.list_rows(s, urow.id, include_forgotten=True)
            return [(r, self.events(s, r.id)) for r in rows]

    def import_records(self, user: str, records: list[dict[str, Any]], now: float) -> list[int]:
        """Write export records (dicts of MemoryRow columns, and ``id`` as exported,
        ``superseded_by`` as an exported id, ``history`` as a list of event dicts) for
        ``user`` in one transaction, skipping those already present (same text, created at
        the same moment). Returns the new ids, in order."""
        mapping: dict[int, int] = {}
        with self.session(write=True) as s:
            urow = self.user_for_write(s, user, now)
            present: dict[str, list[tuple[float, int]]] = {}
            for r in self.list_rows(s, urow.id, include_forgotten=True):
                present.setdefault(r.text, []).append((r.created_at, r.id))
            added = []
            for rec in records:
                same = [
                    i
                    for t, i in present.get(rec["text"], ())
                    if abs(t - rec["created_at"]) < SAME_MOMENT
                ]
                if same:
                    mapping[rec["id"]] = same[0]
                    continue
                columns = {k: v for k, v in rec.items() if k not in _IMPORT_EXTRAS}
                row = MemoryRow(user_id=urow.id, embedding=to_blob(rec["embedding"]), **columns)
                s.add(row)
                s.flush()
                mapping[rec["id"]] = row.id
                added.append((rec, row))
            for rec, row in added:
                if rec.get("superseded_by") is not None:
                    row.superseded_by = mapping.get(rec["superseded_by"])
                for e in rec["history"]:
                    other = e.get("other_id")
                    self.add_event(
                        s,
                        row,
                        e["at"],
                        str(e["kind"]),
                        value=e.get("value"),
                        other_id=mapping.get(other),  # never another user's id
                        query=e.get("query"),
                        actor=e.get("actor"),
                        detail=e.get("detail"),
                    )
                self.add_event(
                    s, row, now, "imported", actor="import", detail={"exported_id": rec["id"]}
                )
            if added:
                self.bump(s, urow)
        return [row.id for _, row in added]

    def list_rows(self, s: Session, user_id: int, include_forgotten: bool) -> list[MemoryRow]:
        q = select(MemoryRow).where(MemoryRow.user_id == user_id)
        if not include_forgotten:
            q = q.where(MemoryRow.forgotten_at.is_(None), MemoryRow.superseded_by.is_(None))
        return list(s.execute(q.order_by(MemoryRow.id)).scalars().all())

    @staticmethod
    def add_event(s: Session, row: MemoryRow, at: float, kind: str, **fields: Any) -> None:
        s.add(EventRow(memory_id=row.id, user_id=row.user_id, at=at, kind=kind, **fields))

    def events(self, s: Session, memory_id: int) -> list[EventRow]:
        q = select(EventRow).where(EventRow.memory_id == memory_id)
        return list(s.execute(q.order_by(EventRow.at, EventRow.id)).scalars().all())

    def purge(self, name: str) -> int:
        """Delete every row of the user, history included; then compact the file."""
        with self.session(write=True) as s:
            user = self.require_user(s, name)
            n = s.execute(select(func.count(MemoryRow.id)).where(MemoryRow.user_id == user.id))
            count = int(n.scalar_one())
            s.execute(delete(EventRow).where(EventRow.user_id == user.id))
            s.execute(
                update(MemoryRow).where(MemoryRow.user_id == user.id).values(superseded_by=None)
            )
            s.execute(delete(MemoryRow).where(MemoryRow.user_id == user.id))
            s.execute(delete(UserRow).where(UserRow.id == user.id))
        if self.is_sqlite:
            # Move the deletions out of the WAL into the file, then rebuild the file so no
            # free page still holds the user's bytes.
            # The driver connection is in autocommit mode (see _sqlite_connect), which VACUUM
            # needs; SQLAlchemy's Connection would wrap it in a transaction.
            raw = self.engine.raw_connection()
            try:
                cur = raw.cursor()
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                cur.execute("VACUUM")
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                cur.close()
            finally:
                raw.close()
        return count

    def stats(self) -> dict[str, Any]:
        with self.session() as s:
            users = s.execute(select(func.count(UserRow.id))).scalar_one()
            total = s.execute(select(func.count(MemoryRow.id))).scalar_one()
            active = s.execute(
                select(func.count(MemoryRow.id)).where(
                    MemoryRow.forgotten_at.is_(None), MemoryRow.superseded_by.is_(None)
                )
            ).scalar_one()
            events = s.execute(select(func.count(EventRow.id))).scalar_one()
        return {"users": users, "memories": total, "active": active, "events": events}
