"""Reading and correcting: get, list, history, forget, restore, pin, unpin, purge,
export and import. Rare paths, through the ORM; every change keeps the user's
in-process index exact or drops it.

A part of :class:`memory.GatedMemory` (which inherits it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np

from . import transfer, validate
from .decay import FLOOR, decayed, faded_at, has_faded
from .storage import MemoryRow, UserRow
from .types import Event, Memory, to_datetime


class Correcting:
    """Reading and correcting memories (see memory.GatedMemory)."""

    # ---- reading and correcting ------------------------------------------------------------

    def _memory(self, s, row: MemoryRow, now: float, user: str | None = None) -> Memory:
        return Memory.from_row(row, user or s.get(UserRow, row.user_id).name, now)

    def _scope(self, s, user: str | None) -> int | None:
        return None if user is None else self.store.require_user(s, validate.user(user)).id

    def get(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """One memory by id. With ``user=``, a memory of another user is not found.

        Raises:
            UnknownMemory: no such id (for that user).
        """
        now = validate.timestamp(at)
        with self.store.session() as s:
            row = self.store.memory(s, validate.memory_id(memory_id), self._scope(s, user))
            return self._memory(s, row, now)

    def list(
        self, *, user: str, include_forgotten: bool = False, at: datetime | float | None = None
    ) -> list[Memory]:
        """The user's memories, oldest first: active ones, or all with ``include_forgotten``.

        Raises:
            UnknownUser: nothing was ever stored for this user.
        """
        user = validate.user(user)
        now = validate.timestamp(at)
        with self.store.session() as s:
            urow = self.store.require_user(s, user)
            rows = self.store.list_rows(s, urow.id, include_forgotten)
            mems = [self._memory(s, r, now, user) for r in rows]
        return mems if include_forgotten else [m for m in mems if not m.forgotten]

    def users(self) -> list[dict[str, Any]]:
        """Every user with their memory counts."""
        return self.store.users()

    def stats(self) -> dict[str, Any]:
        """Counts over the whole database."""
        return self.store.stats()

    def _change(self, memory_id, user, at, fn) -> Memory:
        """Apply ``fn(s, row, now) -> changed`` to one memory; keep the user's index exact."""
        now = validate.timestamp(at)
        with self._lock, self.store.session(write=True) as s:
            row, owner = self._locked(s, memory_id, user)
            before = owner.version
            if fn(s, row, now):
                after = self.store.bump(s, owner)
                s.flush()
                idx = self._indexes.get(owner.name)
                if idx is not None:
                    if idx.version != before or row.forgotten_at is None:
                        # restored rows come back; simplest exact answer: reload next time
                        self._indexes.pop(owner.name, None)
                    else:
                        idx.remove(row.id)
                        idx.version = after
            return self._memory(s, row, now)

    def _locked(self, s, memory_id, user) -> tuple[MemoryRow, UserRow]:
        """A memory and its owner, the owner's row locked first (the order every writer
        takes, so writers of one user cannot deadlock on PostgreSQL)."""
        row = self.store.memory(s, validate.memory_id(memory_id), self._scope(s, user))
        owner = s.get(UserRow, row.user_id, with_for_update=True)
        s.refresh(row)  # as of the lock: another writer may have changed it meanwhile
        return row, owner

    def _pin_change(self, memory_id, user, at, pinned: bool) -> Memory:
        now = validate.timestamp(at)
        with self._lock, self.store.session(write=True) as s:
            row, owner = self._locked(s, memory_id, user)
            if row.pinned != pinned:
                before = owner.version
                strength = decayed(row, now)
                row.pinned, row.strength, row.strength_at = pinned, strength, now
                kind = "pinned" if pinned else "unpinned"
                self.store.add_event(
                    s, row, now, kind, value=strength if pinned else None, actor="user"
                )
                after = self.store.bump(s, owner)
                idx = self._indexes.get(owner.name)
                if idx is not None and idx.version == before:
                    idx.set_pinned(row.id, pinned, strength, now)
                    idx.version = after
                else:
                    self._indexes.pop(owner.name, None)
            return self._memory(s, row, now)

    def forget(
        self,
        memory_id: int,
        *,
        user: str | None = None,
        actor: str = "user",
        at: datetime | float | None = None,
    ) -> Memory:
        """Forget a memory softly: recall no longer returns it; :meth:`restore` undoes it."""
        actor = validate.label(actor, "actor")

        def fn(s, row, now):
            if row.forgotten_at is not None:
                return False
            row.forgotten_at, row.forgotten_by = now, actor
            self.store.add_event(s, row, now, "forgotten", actor=actor)
            return True

        return self._change(memory_id, user, at, fn)

    def restore(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Undo a forget, a fade or a supersession: the memory is recalled again."""

        def fn(s, row, now):
            if row.forgotten_at is None and row.superseded_by is None and not has_faded(row, now):
                return False
            row.forgotten_at = row.forgotten_by = row.superseded_by = None
            row.strength = max(decayed(row, now), row.input_gate or 1.0)
            row.strength_at = now
            self.store.add_event(s, row, now, "restored", value=row.strength, actor="user")
            return True

        return self._change(memory_id, user, at, fn)

    def pin(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Pin a memory: it never decays and the gates never weaken or supersede it."""
        return self._pin_change(memory_id, user, at, True)

    def unpin(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> Memory:
        """Let a pinned memory decay again, from now."""
        return self._pin_change(memory_id, user, at, False)

    def history(
        self, memory_id: int, *, user: str | None = None, at: datetime | float | None = None
    ) -> list[Event]:
        """Every decision about a memory, oldest first.

        A fade that has happened by ``at`` (default now) but was not written yet is included.
        """
        now = validate.timestamp(at)
        with self.store.session() as s:
            row = self.store.memory(s, validate.memory_id(memory_id), self._scope(s, user))
            events = [Event.from_row(e) for e in self.store.events(s, row.id)]
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

    def purge(self, *, user: str) -> int:
        """Delete everything the user has, history included, for good. Returns the count."""
        user = validate.user(user)
        with self._lock:
            n = self.store.purge(user)
            self._indexes.pop(user, None)
        return n

    def export(self, *, user: str) -> dict[str, Any]:
        """Everything the user has, as JSON-serialisable data that :meth:`import_` reads."""
        return transfer.export_user(self.store, validate.user(user))

    def import_(self, data: dict[str, Any], *, user: str | None = None) -> list[int]:
        """Load an :meth:`export` (into ``user``, default the exported user). Returns new ids.

        Embeddings are reused when the exporting model matches this memory's embedder, and
        recomputed otherwise. Links and history come along; ids are renumbered.
        """
        target, mems, texts = transfer.parse_export(data, user)
        if not mems:
            return []
        first = self._embed(texts[0])
        same = (
            data.get("embedding_model") == getattr(self.embedder, "name", None)
            and data.get("embedding_dim") == first.shape[0]
        )
        if same:
            vecs = transfer.stored_vectors(mems)
        else:
            vecs = list(np.asarray(self.embedder.embed(texts), dtype=np.float32))
        with self._lock:
            ids = transfer.import_records(
                self.store, target, mems, texts, vecs, validate.timestamp(None)
            )
            self._indexes.pop(target, None)
        return ids
