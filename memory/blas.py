"""Keeping NumPy's BLAS to one thread beside torch's pool, cheaply.

torch's embedding model keeps its own thread pool busy on the same cores; a second
multi-threaded BLAS pool spinning beside it would slow every call. threadpoolctl finds the
BLAS libraries once; the limit then calls each library's own get/set-threads functions
directly, which is cheaper than entering threadpoolctl's ``limit`` context on every call
(docs/benchmarks.md, "Where the time goes"). Observe and recall enter the limit once each;
the gates' own entries inside find it already set and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable

_LIBS: list[tuple[Callable[[], int | None], Callable[[int], object]]] | None = None


def _controls() -> list[tuple[Callable[[], int | None], Callable[[int], object]]]:
    """(get, set) thread-count functions of each BLAS library NumPy loaded."""
    import numpy  # noqa: F401  (loads the BLAS that threadpoolctl looks for)
    from threadpoolctl import ThreadpoolController

    out = []
    for lib in ThreadpoolController().select(user_api="blas").lib_controllers:
        get, set_ = lib.get_num_threads, lib.set_num_threads
        # OpenBLAS on its own pthreads pool: call its C functions without threadpoolctl's
        # Python around them (found the way threadpoolctl finds them, symbol prefixes and
        # all; any surprise keeps threadpoolctl's methods).
        if lib.internal_api == "openblas" and lib.threading_layer == "pthreads":
            try:
                get = lib._get_symbol("openblas_get_num_threads") or get
                set_ = lib._get_symbol("openblas_set_num_threads") or set_
            except Exception:  # noqa: BLE001 - threadpoolctl internals changed: slower path
                get, set_ = lib.get_num_threads, lib.set_num_threads
        out.append((get, set_))
    return out


class _OneThread:
    """BLAS on one thread inside the block; each library's previous count restored after.
    Nested blocks find one thread already and change nothing."""

    __slots__ = ("_before",)

    def __enter__(self) -> None:
        self._before = before = [get() for get, _ in _LIBS]
        for (_, set_), n in zip(_LIBS, before, strict=True):
            if n is not None and n != 1:
                set_(1)

    def __exit__(self, *exc) -> None:
        for (_, set_), n in zip(_LIBS, self._before, strict=True):
            if n is not None and n != 1:
                set_(n)


def one_blas_thread() -> _OneThread:
    """A context manager limiting NumPy's BLAS to one thread for its duration."""
    global _LIBS
    if _LIBS is None:
        _LIBS = _controls()
    return _OneThread()
