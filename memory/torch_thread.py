"""One thread per process for torch's work: the embedding model, the index's product, and a
local reply model.

torch's CPU build parallelises each operation with GNU OpenMP, which gives every thread
that starts parallel work a team of worker threads of its own. Once the teams together
hold more threads than there are cores (a second thread using torch is enough), every
worker sleeps between operations instead of waiting briefly, and a forward pass of many
small operations pays a wake-up for each: an embedding takes about twice as long, in every
thread, for the rest of the process. A server answers each request on whichever worker
thread is free, and the chat generates on a thread of its own, so calls from any thread
are run here, on one thread with one team that uses every core.

``run`` called on this thread runs the function directly, so torch work may nest; a job
must never wait for another thread that itself calls ``run`` (there is one worker). A job
is not interrupted: Ctrl-C reaches the caller, and the process ends once the job does, so
long work is queued in short jobs. A program whose torch work all happens in one thread of
its own (training) makes that thread the torch thread with ``here()``; torch work that ran
on the torch thread before then keeps its own team, and the slowdown returns.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_ident: int | None = None  # the thread's id, once it has started
_adopted: int | None = None  # a thread that made itself the torch thread (here())


def _note_ident() -> None:
    global _ident
    _ident = threading.get_ident()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                1, thread_name_prefix="gatedmem-torch", initializer=_note_ident
            )
        return _pool


def _forget_after_fork() -> None:
    """A forked child has no copy of the thread: it starts its own when first asked."""
    global _pool, _ident, _adopted, _lock
    _pool, _ident, _adopted, _lock = None, None, None, threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)


def on_torch_thread() -> bool:
    """Whether the caller is the torch thread."""
    me = threading.get_ident()
    return me == _ident or me == _adopted


@contextmanager
def here() -> Iterator[None]:
    """Inside the block (or the function it decorates), torch work asked for on this
    thread runs on it; other threads' still runs on the torch thread. For a program that
    does all its torch work in one thread, as training does: its embeddings then share the
    training's thread pool."""
    global _adopted
    me = threading.get_ident()
    with _lock:
        if _adopted not in (None, me):
            raise RuntimeError("another thread is already the torch thread")
        before, _adopted = _adopted, me
    try:
        yield
    finally:
        _adopted = before


def submit(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
    """Queue ``fn(*args, **kwargs)`` on the torch thread; its future."""
    return _executor().submit(fn, *args, **kwargs)


def run(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` on the torch thread, waited for; its exception is raised here."""
    if on_torch_thread():
        return fn(*args, **kwargs)
    return submit(fn, *args, **kwargs).result()
