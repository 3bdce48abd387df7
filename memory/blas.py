"""Keeping NumPy's BLAS to one thread beside torch's pool, cheaply.

torch's embedding model keeps its own thread pool busy on the same cores; a second
multi-threaded BLAS pool spinning beside it slowed every call several times over (see
memory/index.py). The controller is built once; entering its limit costs about 6 us.
"""

from __future__ import annotations

_BLAS = None


def one_blas_thread():
    """A context manager limiting NumPy's BLAS to one thread for its duration."""
    global _BLAS
    if _BLAS is None:
        from threadpoolctl import ThreadpoolController

        _BLAS = ThreadpoolController().select(user_api="blas")
    return _BLAS.limit(limits=1)
