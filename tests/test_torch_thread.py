"""torch's work runs on one thread per process, whichever thread asks (memory.torch_thread)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from gatedmem.memory import torch_thread


def test_calls_from_any_thread_run_on_one_thread():
    with ThreadPoolExecutor(4) as pool:
        idents = set(pool.map(lambda _: torch_thread.run(threading.get_ident), range(40)))
    assert len(idents) == 1
    assert idents != {threading.get_ident()}
    assert torch_thread.run(torch_thread.on_torch_thread) and not torch_thread.on_torch_thread()


def test_nested_calls_run_in_place_and_errors_reach_the_caller():
    assert torch_thread.run(torch_thread.run, lambda x: x + 1, 41) == 42  # no deadlock

    def boom():
        raise KeyError("inside")

    with pytest.raises(KeyError, match="inside"):
        torch_thread.run(boom)
    assert torch_thread.run(lambda: "still serving") == "still serving"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_a_forked_child_gets_a_thread_of_its_own():
    torch_thread.run(lambda: None)  # the parent's thread exists
    pid = os.fork()
    if pid == 0:  # the child: the parent's thread is not here; a new one must start
        signal.alarm(20)
        ok = torch_thread.run(lambda: 7) == 7
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


@pytest.mark.model
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts threads in /proc")
def test_memory_calls_from_many_threads_start_no_new_torch_thread_pools(real_memory):
    """Each thread that runs torch's parallel work gets a pool of OpenMP workers, and more
    workers than cores slows every call; the memory's torch work stays on one thread."""
    mem = real_memory
    mem.observe("My dog is called Rex.", user="ana")
    mem.recall("What is my dog called?", user="ana")
    before = _threads()
    with ThreadPoolExecutor(3) as pool:
        ready = threading.Barrier(3)

        def turn(i: int) -> None:
            ready.wait()  # three threads, each alive, each calling
            mem.observe(f"I walked {i} miles with Rex on Sunday.", user="ana")
            mem.recall("Where did I walk the dog?", user="ana")

        list(pool.map(turn, range(3)))
        during = _threads()
    assert during == before + 3, (before, during)  # the pool's own three threads, no more


@pytest.mark.model
def test_a_long_embedding_is_queued_a_batch_at_a_time(real_embedder, monkeypatch):
    """An interrupt waits for one batch on the torch thread, not for the whole list."""
    import numpy as np
    from gatedmem.memory.embedding import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder(batch_size=4)
    texts = [f"My dog number {i} likes {w}." for i, w in enumerate("abcdefghij")]
    jobs = []
    encode = emb._encode
    monkeypatch.setattr(emb, "_encode", lambda batch: jobs.append(len(batch)) or encode(batch))
    together = emb.embed(texts)
    assert jobs == [4, 4, 2]
    alone = np.stack([real_embedder.embed([t])[0] for t in texts])
    assert together.shape == (10, alone.shape[1]) and np.allclose(together, alone, atol=1e-5)
