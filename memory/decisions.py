"""The gates' decisions as plain functions of vectors, texts and numbers (no SQL).

:class:`memory.GatedMemory` gathers what these need from the store and writes back what
they decide; here is only how gate outputs become decisions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import content_tokens, input_extra, output_scalars, overlap, pair_scalars
from .gates import ACTIONS, Gates
from .types import Decision

CONTEXT_KEEP = 0.8  # the context vector (hidden state) keeps this much of itself per turn


@dataclass(frozen=True)
class Neighbour:
    """A stored memory near a new utterance, as the forget gate's content head sees it."""

    memory_id: int
    vec: np.ndarray  # (dim,)
    text: str
    similarity: float
    age_days: float


@dataclass(frozen=True)
class Candidate:
    """A stored memory that retrieval found for a query, as the output gate sees it."""

    vec: np.ndarray  # (dim,)
    text: str
    cosine: float
    bm25: float
    strength: float
    age_days: float


def p_write(
    gates: Gates, vec: np.ndarray, tf: np.ndarray, sims: np.ndarray, ctx: np.ndarray | None
) -> float:
    """The input gate: P(store) of an utterance given its novelty and the context."""
    ctx_cos = float(ctx @ vec) if ctx is not None else None
    extra = input_extra(sims, ctx_cos)
    return float(gates.p_write(vec[None], tf[None], extra[None])[0])


def half_life_hours(gates: Gates, vec: np.ndarray, tf: np.ndarray) -> float:
    """The forget gate's time head."""
    return float(gates.half_life_hours_np(vec[None], tf[None])[0])


def forget_verdicts(
    gates: Gates, vec: np.ndarray, text: str, tf: np.ndarray, neighbours: list[Neighbour]
) -> list[Decision]:
    """The forget gate's content head: keep, weaken or supersede each neighbour."""
    if not neighbours:
        return []
    n = len(neighbours)
    m = np.stack([nb.vec for nb in neighbours])  # (n, dim)
    pair = np.stack(
        [pair_scalars(nb.similarity, text, nb.text, nb.age_days) for nb in neighbours]
    )  # (n, N_PAIR)
    probs = gates.content_probs(np.repeat(vec[None], n, 0), m, pair, np.repeat(tf[None], n, 0))
    thr = gates.cfg.supersede_threshold
    out = []
    for nb, p in zip(neighbours, probs, strict=True):
        pk, pw, ps = (float(x) for x in p)
        if ps >= thr:
            action = "supersede"
        elif pw > max(pk, ps):
            action = "weaken"
        else:
            action = "keep"
        out.append(
            Decision(
                memory_id=nb.memory_id,
                action=action,
                similarity=nb.similarity,
                probabilities=dict(zip(ACTIONS, (pk, pw, ps), strict=True)),
            )
        )
    return out


def relevance(
    gates: Gates, q_vec: np.ndarray, query: str, cands: list[Candidate], ctx: np.ndarray | None
) -> tuple[np.ndarray, list[float]]:
    """The output gate's value for each candidate, and each one's lexical overlap."""
    q_tokens = content_tokens(query)
    bm_max = max(c.bm25 for c in cands) or 1.0
    order = np.argsort([-c.cosine for c in cands], kind="stable")
    rank = np.empty(len(cands))
    rank[order] = np.arange(len(cands))
    lexical = [overlap(q_tokens, content_tokens(c.text)) for c in cands]
    scal = np.stack(
        [
            output_scalars(
                cos=c.cosine,
                bm25_norm=c.bm25 / bm_max,
                lexical=lex,
                strength=c.strength,
                age_days=c.age_days,
                ctx_cos=float(ctx @ c.vec) if ctx is not None else 0.0,
                cos_rank=rank[j] / len(cands),
                query_is_question="?" in query,
            )
            for j, (c, lex) in enumerate(zip(cands, lexical, strict=True))
        ]
    )  # (n, N_OUTPUT)
    mats = np.stack([c.vec for c in cands])  # (n, dim)
    scores = gates.relevance(np.repeat(q_vec[None], len(cands), 0), mats, scal)
    return scores, lexical


def next_context(ctx: np.ndarray | None, vec: np.ndarray) -> np.ndarray:
    """The hidden state after a turn: an exponential moving average, unit length."""
    new = vec if ctx is None else CONTEXT_KEEP * ctx + (1 - CONTEXT_KEEP) * vec
    return new / max(float(np.linalg.norm(new)), 1e-8)
