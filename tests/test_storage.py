"""The schema is Alembic's: blank databases upgrade, newer ones are refused, SQLite is set up."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from gatedmem import GatedMemory, StorageError
from gatedmem.memory.migrate import current_revision, head_revision
from gatedmem.memory.storage import Store
from sqlalchemy import inspect


def test_blank_database_upgrades_to_head_with_the_expected_schema(db_url):
    store = Store(db_url)
    assert current_revision(store.engine) == head_revision() == "0003"
    insp = inspect(store.engine)
    assert set(insp.get_table_names()) >= {"meta", "users", "memories", "events"}
    cols = {c["name"] for c in insp.get_columns("memories")}
    assert {"text", "embedding", "strength", "half_life", "pinned", "superseded_by"} <= cols
    store.close()


def test_sqlite_runs_in_wal_with_foreign_keys(sqlite_url):
    store = Store(sqlite_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    store.close()


def test_database_from_a_newer_gatedmem_is_refused(db_url):
    from sqlalchemy import text

    store = Store(db_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(StorageError, match="newer gatedmem"):
        GatedMemory(db_url)


def test_embeddings_are_float32_blobs_with_the_model_recorded(fake_sqlite_memory, sqlite_url):
    fake_sqlite_memory.add("I like tea", user="ana")
    path = sqlite_url.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    blob = con.execute("SELECT embedding FROM memories").fetchone()[0]
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    con.close()
    assert len(blob) == 384 * 4
    probe = json.loads(meta.pop("embedding_probe"))  # the model's vector for one probe text
    assert meta == {"embedding_model": "test-hash-embedder", "embedding_dim": "384"}
    assert len(probe) == 384 and abs(sum(x * x for x in probe) - 1.0) < 1e-4


def test_purge_leaves_no_bytes_of_the_user_in_the_file(fake_sqlite_memory, sqlite_url):
    secret = "my bank PIN is zebra-7741-quokka"
    fake_sqlite_memory.add(secret, user="ana")
    fake_sqlite_memory.add("bob keeps this", user="bob")
    path = sqlite_url.removeprefix("sqlite:///")
    fake_sqlite_memory.purge(user="ana")
    fake_sqlite_memory.close()
    from pathlib import Path

    raw = b"".join(p.read_bytes() for p in Path(path).parent.glob(Path(path).name + "*"))
    assert b"zebra-7741-quokka" not in raw
    assert b"bob keeps this" in raw


def test_every_hot_path_statement_runs_on_a_migrated_database(db_url):
    """The prepared statements in memory/hotsql.py agree with the schema Alembic made."""
    import numpy as np

    store = Store(db_url)
    with store.txn(write=True) as conn:
        state = store.user_state_for_write(conn, "ana", 1.0)
        again = store.user_state(conn, "ana", lock=True)
        assert (again.id, again.version, again.context) == (state.id, 0, None)
        mid = store.insert_memory(
            conn,
            {
                "user_id": state.id,
                "text": "I like tea",
                "embedding": b"\0" * 16,
                "speaker": "user",
                "session": None,
                "source": "observe",
                "meta": {"k": "v"},
                "created_at": 1.0,
                "strength": 0.9,
                "strength_at": 1.0,
                "half_life": 3600.0,
                "pinned": False,
                "input_gate": 0.9,
            },
        )
        store.insert_events(
            conn,
            [
                {
                    "memory_id": mid,
                    "user_id": state.id,
                    "at": 1.0,
                    "kind": "written",
                    "value": 0.9,
                    "other_id": None,
                    "query": None,
                    "actor": "gate",
                    "detail": {"x": 1},
                }
            ],
        )
        store.update_memories(
            conn,
            [
                {
                    "id": mid,
                    "strength": 0.5,
                    "strength_at": 2.0,
                    "recall_count": 1,
                    "last_recalled_at": 2.0,
                },
                {"id": mid, "forgotten_at": 3.0, "forgotten_by": "decay"},
                {"id": mid, "superseded_by": None},
            ],
        )
        ctx = np.ones(4, dtype=np.float32)
        store.update_user(conn, state.id, context=ctx.tobytes(), context_at=2.0, turns=1, version=1)
        assert store.bump_version(conn, state.id) == 2
    with store.session() as s:
        from gatedmem.memory.storage import EventRow, MemoryRow

        row = s.get(MemoryRow, mid)
        assert (row.strength, row.recall_count, row.forgotten_by, row.meta) == (
            0.5,
            1,
            "decay",
            {"k": "v"},
        )
        assert s.query(EventRow).one().detail == {"x": 1}
    with store.txn(write=False) as conn:
        got = store.user_state(conn, "ana")
        assert got.version == 2 and got.turns == 1 and np.array_equal(got.context, ctx)
    store.close()


def test_purge_leaves_no_row_of_the_user(fake_memory):
    """On every engine, by query: no memory, event, embedding or user row is left."""
    from sqlalchemy import text

    a = fake_memory.add("my bank PIN is zebra-7741-quokka", user="ana")
    fake_memory.observe("we met at the zebra crossing", user="ana")
    fake_memory.recall("zebra", user="ana")
    b = fake_memory.add("bob keeps this", user="bob")
    fake_memory.purge(user="ana")
    with fake_memory.store.engine.connect() as conn:
        texts = [r[0] for r in conn.execute(text("SELECT text FROM memories"))]
        users = [r[0] for r in conn.execute(text("SELECT name FROM users"))]
        events = conn.execute(text("SELECT memory_id, query FROM events")).all()
    assert texts == ["bob keeps this"] and users == ["bob"]
    assert {e[0] for e in events} == {b.id} and a.id not in {e[0] for e in events}
    assert all(e[1] is None or "zebra" not in e[1] for e in events)


def _earlier_revisions() -> list[str]:
    from alembic.script import ScriptDirectory
    from gatedmem.memory.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in script.walk_revisions() if r.revision != script.get_current_head()]


@pytest.mark.parametrize("revision", _earlier_revisions())
def test_a_filled_database_at_an_earlier_revision_upgrades_with_nothing_lost(
    db_url, revision, open_memory
):
    import warnings

    import numpy as np
    from conftest import HashEmbedder
    from gatedmem.memory.migrate import upgrade_to_head
    from gatedmem.memory.storage import EventRow, MemoryRow, MetaRow, UserRow, make_engine

    engine = make_engine(db_url)
    upgrade_to_head(engine, revision)
    assert current_revision(engine) == revision
    vec = HashEmbedder().embed(["I keep bees on the roof"])[0]
    with engine.begin() as conn:  # rows written with that revision's columns only
        conn.execute(
            MetaRow.__table__.insert(),
            [
                {"key": "embedding_model", "value": "test-hash-embedder"},
                {"key": "embedding_dim", "value": "384"},
            ],
        )
        uid = conn.execute(
            UserRow.__table__.insert().returning(UserRow.id),
            [{"name": "ana", "created_at": 1e9, "turns": 1, "version": 1}],
        ).scalar()
        mid = conn.execute(
            MemoryRow.__table__.insert().returning(MemoryRow.id),
            [
                {
                    "user_id": uid,
                    "text": "I keep bees on the roof",
                    "embedding": np.asarray(vec, "<f4").tobytes(),
                    "speaker": "user",
                    "source": "observe",
                    "created_at": 1e9,
                    "strength": 0.9,
                    "strength_at": 1e9,
                    "half_life": 86400.0 * 365,
                    "pinned": True,
                    "input_gate": 0.9,
                    "recall_count": 0,
                }
            ],
        ).scalar()
        conn.execute(
            EventRow.__table__.insert(),
            [
                {
                    "memory_id": mid,
                    "user_id": uid,
                    "at": 1e9,
                    "kind": "written",
                    "value": 0.9,
                    "actor": "gate",
                }
            ],
        )
    engine.dispose()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mem = open_memory(db_url, embedder=HashEmbedder())  # opening upgrades to head
        assert current_revision(mem.store.engine) == head_revision()
        (m,) = mem.list(user="ana")
        assert (m.text, m.strength, m.pinned) == ("I keep bees on the roof", 0.9, True)
        assert m.id == mid and [e.kind for e in mem.history(mid)] == ["written"]
        assert mem.add("I also keep chickens", user="ana").id > mid


def test_user_names_in_two_unicode_forms_become_one_user_on_upgrade(db_url, open_memory):
    """Before revision 0003 "José" typed as one character and as "e" with a combining
    accent were two users; the upgrade joins them under the composed form, losing nothing,
    and a name stored only decomposed is renamed."""
    import unicodedata
    import warnings

    import numpy as np
    from conftest import HashEmbedder
    from gatedmem.memory.migrate import upgrade_to_head
    from gatedmem.memory.storage import EventRow, MemoryRow, MetaRow, UserRow, make_engine

    nfc, nfd = "José", unicodedata.normalize("NFD", "José")
    zoe = unicodedata.normalize("NFD", "Zoë")
    assert nfc != nfd
    engine = make_engine(db_url)
    upgrade_to_head(engine, "0002")
    vec = np.asarray(HashEmbedder().embed(["x"])[0], "<f4").tobytes()
    ids = {}
    with engine.begin() as conn:
        conn.execute(
            MetaRow.__table__.insert(),
            [
                {"key": "embedding_model", "value": "test-hash-embedder"},
                {"key": "embedding_dim", "value": "384"},
            ],
        )
        for name, text, turns, at in (
            (nfc, "I keep bees on the roof", 2, 2e9),
            (nfd, "I play the oud", 3, 1e9),
            (zoe, "I swim in the sea", 1, 1e9),
        ):
            uid = conn.execute(
                UserRow.__table__.insert().returning(UserRow.id),
                [{"name": name, "created_at": at, "turns": turns, "version": 1}],
            ).scalar()
            mid = conn.execute(
                MemoryRow.__table__.insert().returning(MemoryRow.id),
                [
                    {
                        "user_id": uid,
                        "text": text,
                        "embedding": vec,
                        "speaker": "user",
                        "source": "add",
                        "created_at": at,
                        "strength": 1.0,
                        "strength_at": at,
                        "half_life": 86400.0 * 365,
                        "pinned": False,
                        "recall_count": 0,
                    }
                ],
            ).scalar()
            conn.execute(
                EventRow.__table__.insert(),
                [{"memory_id": mid, "user_id": uid, "at": at, "kind": "added", "actor": "user"}],
            )
            ids[text] = mid
    engine.dispose()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mem = open_memory(db_url, embedder=HashEmbedder())  # opening upgrades to head
    users = {u["user"]: u for u in mem.users()}
    assert set(users) == {nfc, "Zoë"}
    assert users[nfc]["turns"] == 5 and users[nfc]["memories"] == 2
    assert users[nfc]["created_at"].timestamp() == 1e9  # the earlier of the two
    for name in (nfc, nfd):  # either form reaches the one user
        assert sorted(m.text for m in mem.list(user=name)) == [
            "I keep bees on the roof",
            "I play the oud",
        ]
    oud = ids["I play the oud"]
    assert [e.kind for e in mem.history(oud, user=nfc)] == ["added"]
    assert [m.text for m in mem.list(user="Zoë")] == ["I swim in the sea"]


def test_the_hot_path_keeps_one_sqlite_connection_between_turns(fake_sqlite_memory):
    from sqlalchemy import event

    mem = fake_sqlite_memory
    mem.observe("I keep bees on the roof", user="ann")  # opens the kept connection
    checkouts = []
    event.listen(mem.store.engine, "checkout", lambda *a: checkouts.append(1))
    for i in range(5):
        mem.observe(f"the hive number {i} swarmed today", user="ann")
        mem.recall("what do I keep on the roof?", user="ann")
    assert checkouts == []
    # A second thread meanwhile gets a pooled connection of its own, and both finish.
    import threading

    with mem.store._hot_lock:  # as if another thread were inside a hot transaction
        done = threading.Event()
        threading.Thread(
            target=lambda: (mem.add("the bees are calm", user="ann"), done.set())
        ).start()
        assert done.wait(30)
    assert checkouts  # through the pool, not the kept connection
    assert "the bees are calm" in [m.text for m in mem.list(user="ann")]


def test_a_failed_hot_transaction_leaves_the_next_one_a_fresh_connection(fake_sqlite_memory):
    mem = fake_sqlite_memory
    mem.add("I keep bees on the roof", user="ann")
    kept = mem.store._hot_conn
    with pytest.raises(RuntimeError), mem.store.txn() as raw:
        raw.cursor().execute("UPDATE users SET turns = turns + 100")
        raise RuntimeError("something failed mid-transaction")
    assert mem.store._hot_conn is None
    mem.add("the hive swarmed", user="ann")  # works, on a new connection
    assert mem.store._hot_conn is not None and mem.store._hot_conn is not kept
    assert [u["turns"] for u in mem.users()] == [2]  # the failed update was rolled back


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_use_its_parents_kept_connection(fake_sqlite_memory):
    mem = fake_sqlite_memory
    mem.add("I keep bees on the roof", user="ann")
    parents = mem.store._hot_conn
    pid = os.fork()
    if pid == 0:  # the child: only SQLite here, no thread pools
        code = 1
        try:
            with mem.store.txn() as raw:
                raw.cursor().execute("UPDATE users SET turns = turns + 10 WHERE name = 'ann'")
            code = 0 if mem.store._hot_conn is not parents else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert mem.store._hot_conn is parents  # the parent's is untouched and still works
    mem.add("the hive swarmed", user="ann")
    assert [u["turns"] for u in mem.users()] == [12]


def test_a_chain_of_supersessions_read_afresh_is_the_one_the_process_kept(fake_memory, db_url):
    """A superseded by B, B by C, then B forgotten: the process that forgot it and one that
    reads the database afresh both let A answer for C, and B for nothing."""
    from conftest import _fake

    mem = fake_memory
    a, b, c = (
        mem.add(t, user="ana").id
        for t in ("alpha beta gamma", "delta epsilon zeta", "eta theta iota")
    )
    mem.add("alpha beta gamma", user="bo")  # another user's twin of A
    with mem.store.txn() as conn:
        mem.store.update_memories(
            conn, [{"id": a, "superseded_by": b}, {"id": b, "superseded_by": c}]
        )
    mem.close()

    def answers(m, query: str) -> list[tuple[int, float | None]]:
        hits = m.recall(query, user="ana", min_score=0.0, k=3, reinforce=False)
        return [(h.memory_id, h.gates.get("via_superseded")) for h in hits]

    first = _fake(db_url)
    try:
        assert answers(first, "alpha beta gamma")[0] == (c, a)
        assert answers(first, "delta epsilon zeta")[0] == (c, b)
        first.forget(b, user="ana")
        kept = answers(first, "alpha beta gamma")[0]
        assert answers(first, "delta epsilon zeta")[0] != (c, b)
    finally:
        first.close()
    fresh = _fake(db_url)
    try:
        assert answers(fresh, "alpha beta gamma")[0] == kept == (c, a)
        assert (c, b) not in answers(fresh, "delta epsilon zeta")
    finally:
        fresh.close()
