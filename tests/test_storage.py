"""The schema is Alembic's: blank databases upgrade, newer ones are refused, SQLite is set up."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect

from memory import GatedMemory, StorageError
from memory.migrate import current_revision, head_revision
from memory.storage import Store


def test_blank_database_upgrades_to_head_with_the_expected_schema(db_url):
    store = Store(db_url)
    assert current_revision(store.engine) == head_revision() == "0001"
    insp = inspect(store.engine)
    assert set(insp.get_table_names()) >= {"meta", "users", "memories", "events"}
    cols = {c["name"] for c in insp.get_columns("memories")}
    assert {"text", "embedding", "strength", "half_life", "pinned", "superseded_by"} <= cols
    store.close()


def test_sqlite_runs_in_wal_with_foreign_keys(db_url):
    store = Store(db_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    store.close()


def test_database_from_a_newer_gatedmem_is_refused(tmp_path):
    path = tmp_path / "newer.db"
    GatedMemory(str(path)).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(StorageError, match="newer gatedmem"):
        GatedMemory(str(path))


def test_embeddings_are_float32_blobs_with_the_model_recorded(fake_memory, db_url):
    fake_memory.add("I like tea", user="ana")
    path = db_url.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    blob = con.execute("SELECT embedding FROM memories").fetchone()[0]
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    con.close()
    assert len(blob) == 384 * 4
    assert meta == {"embedding_model": "test-hash-embedder", "embedding_dim": "384"}


def test_purge_leaves_no_bytes_of_the_user_in_the_file(fake_memory, db_url):
    secret = "my bank PIN is zebra-7741-quokka"
    fake_memory.add(secret, user="ana")
    fake_memory.add("bob keeps this", user="bob")
    path = db_url.removeprefix("sqlite:///")
    fake_memory.purge(user="ana")
    fake_memory.close()
    from pathlib import Path

    raw = b"".join(p.read_bytes() for p in Path(path).parent.glob(Path(path).name + "*"))
    assert b"zebra-7741-quokka" not in raw
    assert b"bob keeps this" in raw
