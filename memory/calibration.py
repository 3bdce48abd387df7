"""Recall's calibrated score: the probability that a candidate is relevant to the query.

The output gate ranks candidates against each other; its value says little about whether
any of them is relevant at all. The calibration, a logistic regression fit by ``gatedmem
calibrate`` on conversations the gates were not trained on (memory/training/calibrate.py),
reads the gate's logit and the candidate's place in the gate's order (with what people said
before an assistant's replies), the candidate's cosine with the query, and two signals of
the query as a whole: the best cosine of any candidate and how many memories there are to
choose from. Recall hands candidates over in the order of this probability (people still
before assistants), and its default threshold is on it.
"""

from __future__ import annotations

import numpy as np

FEATURES = ("gate_logit", "rank", "cosine", "best_cosine", "log_memories")


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


def calibrated(cal: dict, output, rank, cosine, best_cosine, memories) -> np.ndarray:
    """P(relevant) of each candidate under a fitted calibration (``GateConfig.calibration``)."""
    x = features(output, rank, cosine, best_cosine, memories)
    z = x @ np.asarray(cal["coef"], np.float64) + cal["bias"]
    return 1.0 / (1.0 + np.exp(-z))
