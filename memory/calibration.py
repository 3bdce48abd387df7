"""Recall's calibrated score: the probability that a candidate is relevant to the query.

The output gate ranks candidates against each other; its value says little about whether
any of them is relevant at all. The calibration, a logistic regression fit by ``gatedmem
calibrate`` on conversations the gates were not trained on (memory/training/calibrate.py),
reads the gate's logit and the candidate's place in the gate's order (with what people said
before an assistant's replies), the candidate's cosine with the query, and two signals of
the query as a whole: the best cosine of any candidate and how many memories there are to
choose from. Recall hands candidates over in the order of this probability (people still
before assistants), and its default threshold is on it.

How much the best candidate's cosine says depends on how many memories there are: in a
memory of three, the one a question comes closest to is most likely what it asks for, if it
comes close at all; among five hundred, a cosine of 0.3 is common. A linear term in log(1 +
memories) cannot say that, so two more terms (SMALL) read the memory's smallness, 1 / (1 +
memories), alone and times the cosine, for the candidate the first five score highest and for
no other: the others keep their scores, so a small memory hands over no more of what a
question is not about, and the first stays first unless it is far from the question. They
are fit after the first five, with no intercept of their own, and weigh next to nothing at
the hundreds of memories of a long conversation.
"""

from __future__ import annotations

import numpy as np

FEATURES = ("gate_logit", "rank", "cosine", "best_cosine", "log_memories")
SMALL = ("top_few", "top_cosine_few")  # the highest-scored candidate's, in a small memory


def gate_logit(score) -> np.ndarray:
    """The output gate's logit from its sigmoid value, clipped where float rounding
    saturates it (a NaN counts as 0.5)."""
    s = np.clip(_nan_as(np.asarray(score, dtype=np.float64), 0.5), 1e-6, 1 - 1e-6)
    return np.log(s / (1 - s))


def _nan_as(x: np.ndarray, value: float) -> np.ndarray:
    """``x`` with each NaN replaced by ``value``; infinities are left as they are."""
    return np.where(np.isnan(x), value, x)


def features(output, rank, cosine, best_cosine, memories) -> np.ndarray:
    """(n, len(FEATURES)) the calibration's inputs: the gate's value, the place in recall's
    order (0 = first), the candidate's cosine with the query, the query's best cosine with
    any candidate, and how many memories the user has (as log(1 + n))."""
    n = len(np.atleast_1d(output))
    return np.stack(
        [
            gate_logit(output),
            np.asarray(rank, np.float64),
            _nan_as(np.asarray(cosine, np.float64), 0.0),
            np.broadcast_to(_nan_as(np.asarray(best_cosine, np.float64), 0.0), (n,)),
            np.broadcast_to(np.log1p(np.asarray(memories, np.float64)), (n,)),
        ],
        1,
    )


def small_terms(cosine, memories, top) -> np.ndarray:
    """(n, len(SMALL)): for the candidates marked ``top``, 1 / (1 + memories) and that times
    their cosine; zero for the others."""
    cos = _nan_as(np.asarray(cosine, np.float64), 0.0)
    few = np.asarray(top, np.float64) / (1.0 + np.asarray(memories, np.float64))
    return np.stack(np.broadcast_arrays(few, few * cos), 1)


def tops(z: np.ndarray, query: np.ndarray | None = None) -> np.ndarray:
    """(n,) 1 for the highest of ``z`` in each query (the first of equals), 0 elsewhere;
    ``query`` numbers each candidate's query (default: all of one)."""
    top = np.zeros(len(z))
    if not len(z):
        return top
    if query is None:
        top[int(np.argmax(z))] = 1.0
        return top
    order = np.lexsort((np.arange(len(z)), -z, query))  # by query, highest first
    first = np.r_[True, query[order][1:] != query[order][:-1]]
    top[order[first]] = 1.0
    return top


def calibrated(cal: dict, output, rank, cosine, best_cosine, memories, query=None) -> np.ndarray:
    """P(relevant) of each candidate under a fitted calibration (``GateConfig.calibration``):
    the first five FEATURES, then the SMALL terms on the candidate they score highest when the
    calibration has them (one fit before them names only the five). ``query`` numbers each
    candidate's query when several are scored at once (default: all of one)."""
    coef = np.asarray(cal["coef"], np.float64)
    x = features(output, rank, cosine, best_cosine, memories)
    z = x @ coef[: len(FEATURES)] + cal["bias"]
    if len(coef) > len(FEATURES):
        n = len(z)
        cos = np.broadcast_to(np.asarray(cosine, np.float64), (n,))
        size = np.broadcast_to(np.asarray(memories, np.float64), (n,))
        q = None if query is None else np.asarray(query)
        z = z + small_terms(cos, size, tops(z, q)) @ coef[len(FEATURES) :]
    return 1.0 / (1.0 + np.exp(-z))
