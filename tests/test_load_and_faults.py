"""Several processes at once, a writer killed mid-stream, readers during writes.

Each test is bounded in time; the workers use the hash embedder (no model load).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gatedmem import GatedMemory

WORKER = str(Path(__file__).parent / "worker.py")
N = 15  # rounds of add + observe + recall per process


def spawn(
    mode: str, url: str, user: str, n: int, tag: str, start_at: float = 0.0
) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, WORKER, mode, url, user, str(n), tag, str(start_at)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(procs: list[subprocess.Popen], timeout: float = 240) -> list[str]:
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=timeout)
        assert p.returncode == 0, err[-2000:]  # no error reached any caller
        outs.append(out)
    return outs


@pytest.mark.slow
@pytest.mark.parametrize("shared", [True, False], ids=["same-user", "different-users"])
def test_four_processes_writing_and_recalling_at_once(db_url, shared, open_memory):
    users = ["shared"] * 4 if shared else [f"user-{i}" for i in range(4)]
    start = time.time() + 6  # after every worker's imports
    procs = [spawn("mixed", db_url, users[i], N, f"p{i}", start) for i in range(4)]
    acked = [json.loads(out) for out in finish(procs)]
    from conftest import HashEmbedder

    mem = open_memory(db_url, embedder=HashEmbedder())
    for user in set(users):
        mems = mem.list(user=user, include_forgotten=True)
        ids = {m.id for m in mems}
        mine = [i for i, u in enumerate(users) if u == user]
        for i in mine:
            assert set(acked[i]) <= ids  # every acknowledged write is there
        adds = [m for m in mems if m.source == "add"]
        assert len(adds) == N * len(mine)  # counts add up: nothing lost, nothing doubled
        assert all(mem.history(m.id) for m in mems)
        turns = next(u["turns"] for u in mem.users() if u["user"] == user)
        assert turns == 2 * N * len(mine)  # no lost update of the user's row


@pytest.mark.slow
def test_a_writer_killed_mid_stream_loses_no_acknowledged_write(sqlite_url):
    proc = spawn("stream", sqlite_url, "ana", 0, "k")
    acked = []
    deadline = time.time() + 120
    while len(acked) < 40 and time.time() < deadline:
        line = proc.stdout.readline()
        if line.strip():
            acked.append(int(line))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    assert len(acked) >= 40
    path = sqlite_url.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    from conftest import HashEmbedder

    mem = GatedMemory(sqlite_url, embedder=HashEmbedder())
    ids = {m.id for m in mem.list(user="ana", include_forgotten=True)}
    mem.close()
    assert set(acked) <= ids


@pytest.mark.slow
def test_a_reader_during_writes_sees_whole_memories(db_url, tmp_path):
    start = time.time() + 6  # after every worker's imports
    stop = tmp_path / "writers-done"
    writers = [spawn("mixed", db_url, "ana", N, f"w{i}", start) for i in range(2)]
    reader = spawn("reader", db_url, "ana", 120, str(stop), start)
    finish(writers)
    stop.touch()
    report = json.loads(finish([reader])[0])
    # Every memory it saw was whole, and it read while the memory grew (not before or after).
    assert report["bad"] == [] and report["sizes"] > 1


def test_two_writers_meeting_a_new_user_at_once(db_url, open_memory):
    """B creates the user while A's transaction that creates it is still open: B waits for
    A, then uses A's row (without ON CONFLICT, PostgreSQL raised a unique violation)."""
    import threading

    from conftest import HashEmbedder

    store = open_memory(db_url, embedder=HashEmbedder()).store
    results = {}
    a_inside = threading.Event()

    def b():
        a_inside.wait(10)
        with store.txn(write=True) as conn:
            results["b"] = store.user_state_for_write(conn, "newcomer", 2.0).id

    t = threading.Thread(target=b)
    t.start()
    with store.txn(write=True) as conn:
        results["a"] = store.user_state_for_write(conn, "newcomer", 1.0).id
        a_inside.set()
        time.sleep(0.5)  # B is now waiting on A's lock
    t.join(30)
    assert results["a"] == results["b"]
