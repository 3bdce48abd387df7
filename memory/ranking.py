"""What recall hands a reply, as a pure function of the user's index and the query.

:func:`rank` takes candidates from the index (the nearest by cosine and the best by BM25),
has the output gate score them and keeps what passes; it also notes the memories time has
hidden since they were last seen. Nothing here writes: :mod:`memory.apply` reinforces
what was chosen and records the fades.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from . import decisions
from .calibration import calibrated
from .decay import DAY
from .decisions import Candidates, Neighbour
from .features import (
    RANK_CAP,
    asks_about_past,
    asks_own_name,
    hedged,
    new_values,
    tells_name,
    text_features,
    tokens,
)
from .index import UserIndex
from .kinds import asked, other_than_asked
from .turn import NEIGHBOUR_MIN_COS, is_bot
from .types import Recall, to_datetime

RELATED_COS = 0.15  # below this cosine, a memory sharing no content word is not returned
# The most a memory about another of the kind asked about may score ("What's my dad
# called?" of "My mum's name is Siobhan": memory.kinds): under the default threshold.
OTHER_OF_KIND_CAP = 0.02
# Candidates per retriever (cosine, BM25) that the output gate scores, or k if larger
# (docs/benchmarks.md, "Latency" and "Retrieval quality on LoCoMo").
CANDIDATES = 16
# Two memories of one speaker at least this close in meaning, said at least NEWER_AFTER apart,
# are about the same thing, and the newer may hold its current value (see _newer_first).
SAME_THING = 0.5
NEWER_AFTER = DAY
# ... as are two the forget gate, reading the newer against the older as it does when a turn
# is observed, judges a change with at least this probability. Superseding takes 0.8 (a
# wrong supersession loses a fact); which of two memories a reply reads first costs the
# same either way when wrong, so here the even odds.
GATE_SAYS_CHANGE = 0.5
# Whether the newer of two rows of an index (new, old, their vectors, their cosine) tells a
# change of the older.
ChangeJudge = Callable[[UserIndex, int, int, np.ndarray, np.ndarray, float], bool]
PULLED_FOR = 1  # the memories, best first, for which recall looks under the threshold


@dataclass(frozen=True)
class Chosen:
    """A memory recall returns: its index row, its score and the signals behind it."""

    row: int
    score: float
    signals: dict[str, float]

    def recall(self, idx: UserIndex) -> Recall:
        r = self.row
        return Recall(
            memory_id=int(idx._ids[r]),
            text=idx.texts[r],
            score=self.score,
            gates=self.signals,
            created_at=to_datetime(float(idx.created_at[r])),
            speaker=idx.speakers[r],
            metadata=dict(idx.metas[r] or {}),
        )


@dataclass(frozen=True)
class Ranking:
    """What recall decided: the memories to return, best first, and the rows that faded."""

    chosen: list[Chosen]
    faded: np.ndarray  # index rows of passing memories that time has hidden


def _newer_first(
    idx: UserIndex, pool: np.ndarray, vecs: np.ndarray, order: list[int], judge: ChangeJudge
) -> tuple[list[int], list[int]]:
    """``order`` (positions in ``pool`` of the memories that pass, best first) with each
    memory that directly follows an older one it may update moved before it; and the
    positions moved up. Each keeps its own score, so the list is not in score order where
    memories were moved (``gates["newer_first"]`` marks those moved up).

    "Where do I live now?" should be answered first by "Got the keys to our place in
    Bristol" and not by the "I live in Manchester" of a year ago, even when the forget gate
    kept both. So a newer memory goes first when it is of the same speaker (not an
    assistant), said at least NEWER_AFTER later, about the same thing (cosine at least
    SAME_THING with the older, or judged a change of it by the forget gate: _updates), and
    states something: not a question, wish or supposition, nor someone else's news. Only
    neighbours move: a run of them, each of which may update the one before it (three
    homes in the order they were told), is turned newest first, and nothing else moves,
    since in a long conversation most later turns on a topic continue it rather than
    change it. Callers skip this for queries about the past ("When
    did I ...", "What was my old job?") and for a question for the speaker's own name.
    """
    out = list(order)
    if len(out) < 2:
        return out, []
    # Each pair of neighbours far enough apart in time, in one pass; then the rest of the
    # conditions for those.
    o = np.asarray(out, dtype=np.int64)
    rows, v = pool[o], vecs[o]
    later = idx.created_at[rows[1:]] >= idx.created_at[rows[:-1]] + NEWER_AFTER
    updates = np.zeros(len(out) - 1, dtype=bool)  # [p]: out[p + 1] may update out[p]
    for p in np.flatnonzero(later).tolist():
        updates[p] = _updates(idx, int(rows[p + 1]), int(rows[p]), v[p + 1], v[p], judge)
    moved: list[int] = []
    p = 0
    while p < len(updates):
        if not updates[p]:
            p += 1
            continue
        q = p
        while q + 1 < len(updates) and updates[q + 1]:
            q += 1
        run = out[p : q + 2]  # oldest first, each updated by the next
        out[p : q + 2] = run[::-1]
        moved += run[1:]
        p = q + 2
    return out, moved


def _with_updates(
    idx: UserIndex,
    pool: np.ndarray,
    vecs: np.ndarray,
    order: list[int],
    ranked: np.ndarray,
    under: np.ndarray,
    judge: ChangeJudge,
) -> tuple[list[int], list[int]]:
    """``order`` (positions in ``pool`` of the memories that pass, best first) with, right
    after each of the first PULLED_FOR, a memory under the threshold (from ``ranked``, the
    order recall hands memories over; ``under``: about the query and not passing) that may
    update it as _newer_first reads it (the same speaker, a day or more later, about the
    same thing, a statement of their own: _updates); and the positions
    brought in. The caller cuts the list to k, so one brought in may push out the last that
    passed; with the default threshold only, and not for k = 1, where it would be the
    reply's only memory.

    "Who is my boss?" passes "My manager is Priya" and leaves "Priya left the company, so
    Tom runs our team now." under the threshold: worded apart from the question, a change
    scores low, and the reply would state the old value with nothing to doubt it by. It is
    handed over with its own score, and _newer_first puts it first. Of several later
    memories on the same thing, one that names a value the older one lacks goes before one
    that does not, and then the best-scored: a later remark that only continues the topic
    ("Priya, my manager, was in a great mood today") is as new as a change, and may score
    higher."""
    out = list(order)
    if not out or not under.any():
        return out, []
    candidates = [j for j in ranked.tolist() if under[j]]
    pulled: list[int] = []
    for j in order[:PULLED_FOR]:
        r = int(pool[j])
        fits = [
            c
            for c in candidates
            if c not in pulled
            and idx.created_at[pool[c]] >= idx.created_at[r] + NEWER_AFTER
            and _updates(idx, int(pool[c]), r, vecs[c], vecs[j], judge)
        ]
        if fits:
            # The best-scored of those that name a value the older one lacks (a change tells
            # one: "... so Tom runs our team now"), else the best-scored.
            told = [c for c in fits if new_values(idx.texts[pool[c]], [idx.texts[r]])]
            best = (told or fits)[0]
            out.insert(out.index(j) + 1, best)
            pulled.append(best)
    return out, pulled


def _updates(
    idx: UserIndex,
    new: int,
    old: int,
    new_vec: np.ndarray,
    old_vec: np.ndarray,
    judge: ChangeJudge,
) -> bool:
    """Whether index row ``new``, said later than row ``old``, may state the current value
    of what ``old`` tells: the same speaker (not an assistant) says something of their own
    (not a question, wish or supposition, nor someone else's news) about the same thing,
    which is close in meaning (cosine at least SAME_THING) or which the forget gate judges
    a change of it (``judge``, :func:`gate_says_change` in recall), as a change worded
    apart from the value it replaces often is ("Traded the Focus in for a secondhand Kia"
    after "I drive a Ford Focus")."""
    if idx.speaker_keys[new] != idx.speaker_keys[old] or is_bot(idx.speakers[new]):
        return False
    if idx.cues[new].about_other:  # someone else's news: whose, a word list cannot tell
        return False
    if hedged(idx.texts[new]):
        return False
    cos = float(new_vec @ old_vec)
    if cos >= SAME_THING:
        return True
    # The forget gate examines no memory this far apart when a turn is observed.
    return cos >= NEIGHBOUR_MIN_COS and judge(idx, new, old, new_vec, old_vec, cos)


def change_probability(
    gates,
    idx: UserIndex,
    new: int,
    old: int,
    new_vec: np.ndarray,
    old_vec: np.ndarray,
    cos: float,
) -> float:
    """The forget gate's P(supersede) of row ``old`` by the later row ``new``, read as when
    ``new`` is observed (decisions.forget_verdicts, with the time between the two): with
    the same weights, the value it had then, had ``old`` been among the neighbours it
    examined."""
    neighbour = Neighbour(
        memory_id=int(idx._ids[old]),
        vec=old_vec,
        cues=idx.cues[old],
        similarity=cos,
        age_days=float(idx.created_at[new] - idx.created_at[old]) / DAY,
        text=idx.texts[old],
    )
    text = idx.texts[new]
    (verdict,) = decisions.forget_verdicts(
        gates, new_vec, idx.cues[new], text_features(text), [neighbour], text=text
    )
    return verdict.probabilities["supersede"]


def gate_says_change(gates, idx: UserIndex, new: int, old: int, new_vec, old_vec, cos) -> bool:
    """A ChangeJudge: the forget gate gives P(supersede) of at least GATE_SAYS_CHANGE."""
    return change_probability(gates, idx, new, old, new_vec, old_vec, cos) >= GATE_SAYS_CHANGE


def _ranks(pool: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """Each pool row's place in ``ranked`` (best first); RANK_CAP where it is absent."""
    place = {r: i for i, r in enumerate(ranked.tolist())}
    return np.asarray([place.get(r, RANK_CAP) for r in pool.tolist()], dtype=np.float64)


def rank(
    gates,
    idx: UserIndex,
    vec: np.ndarray,
    query: str,
    context: np.ndarray | None,
    *,
    now: float,
    k: int,
    skip: set[int],
    min_score: float | None,
    ablate: frozenset[str] = frozenset(),
    cosines: np.ndarray | None = None,
) -> Ranking:
    """The output gate's choice for ``query`` (embedded as ``vec``) among the index's live
    memories written by ``now``: at most ``k``, scoring at least ``min_score`` (default the
    gate's threshold, and about the query at all), none of the ids in ``skip``. Two
    exceptions, with the default threshold: a question for one's own name is handed the
    memories that tell it whatever their score, and the first memory returned may bring in
    a change of it under the threshold (_with_updates).

    ``ablate`` with "output" ranks by plain cosine instead. ``cosines``: those of the
    first rows with ``vec``, from ``idx.scorer()``.
    """
    sims = idx.cosine(vec, cosines)
    via: dict[int, int] = {}
    past = asks_about_past(query)
    if "output" not in ablate and not past:
        # A question about the current value of what was superseded is one about the memory
        # that superseded it; a question about the past asks for what was.
        sims, via = idx.with_superseded(sims, vec)
    bm = idx.bm25(tokens(query))
    per = max(CANDIDATES, k)
    by_cos = idx.top(sims, per)
    by_bm = idx.top(bm, per)
    by_bm = by_bm[bm[by_bm] > 0]
    pool = np.asarray(list(dict.fromkeys(by_cos.tolist() + by_bm.tolist())), dtype=np.int64)
    pool = pool[idx.alive(pool)]  # top-k of few live rows also reaches dead ones
    strength = idx.decayed(pool, now)  # now, with reinforcement (reported, raised)
    gone = idx.faded(pool, now, strength)
    faded = pool[gone]
    # Not what was skipped, and nothing written after the query's time (recall "as of" a
    # past moment; or another process's turn stamped just after this one's).
    keep = ~gone & (idx.created_at[pool] <= now)
    if skip:
        keep &= ~np.isin(idx.ids(pool), list(skip))
    pool, strength = pool[keep].astype(np.int64), strength[keep]
    if not pool.size:
        return Ranking([], faded)
    q_words = set(tokens(query))
    cands = Candidates(
        vecs=idx.vectors(pool),
        cosine=sims[pool].astype(np.float64),
        bm25=bm[pool].astype(np.float64),
        strength=idx.prior(pool, now, strength),
        age_days=(now - idx.created_at[pool]) / DAY,
        cues=[idx.cues[r] for r in pool.tolist()],
        cos_rank=_ranks(pool, by_cos),
        bm25_rank=_ranks(pool, by_bm),
        speaker_named=np.asarray(
            [bool(w) and w in q_words for w in map(idx.speaker_keys.__getitem__, pool)],
            dtype=np.float64,
        ),
        words=idx._doclen[pool].astype(np.float64),
    )
    output, lexical = decisions.relevance(gates, vec, query, cands, context)
    if "output" in ablate:
        output = np.clip(cands.cosine, 0.0, 1.0)
    # The gate's order; a tie goes to the closer in meaning, then to the newer.
    by_gate = np.lexsort((-idx.created_at[pool], -cands.cosine, -output))
    ranked = by_gate
    if "output" not in ablate:
        # What people said before what an assistant replied: its replies restate and dress
        # up what the person told it, and what a person asks about is what they said.
        bot = np.fromiter((is_bot(idx.speakers[r]) for r in pool.tolist()), bool, len(pool))
        ranked = by_gate[np.argsort(bot[by_gate], kind="stable")]
    cal = gates.cfg.calibration if "output" not in ablate else {}
    best = float(np.nanmax(cands.cosine))  # how close in meaning anything comes
    if cal:
        # Each candidate's place in the order recall hands them over (the gate's own where
        # no assistant speaks, as in the conversations the calibration was fit on).
        place = np.empty(len(ranked), dtype=np.float64)
        place[ranked] = np.arange(len(ranked))
        scores = calibrated(cal, output, place, cands.cosine, best, idx.size)
        # Handed over in the order of these scores, people still before assistants, the
        # gate's order breaking ties: the probability weighs closeness in meaning more than
        # the gate's order does, and a caller reads a list sorted by its scores.
        ranked = ranked[np.lexsort((-scores[ranked], bot[ranked]))]
    else:
        scores = output
    other = np.zeros(len(pool), dtype=bool)
    if "output" not in ablate and (whom := asked(query)):
        # A memory about another of the kind the question asks about is not its answer,
        # however close in meaning (memory.kinds): its score is capped, and it takes the
        # place that score gives it.
        other = np.fromiter(
            (other_than_asked(whom, idx.texts[r]) is not None for r in pool.tolist()),
            bool,
            len(pool),
        )
        if other.any():
            scores = np.where(other, np.minimum(scores, OTHER_OF_KIND_CAP), scores)
            ranked = ranked[np.lexsort((-scores[ranked], bot[ranked]))]  # as above
    if min_score is None:
        # The calibrated threshold; the output gate's own (ablated: plain cosine) values
        # keep the threshold of their own scale.
        thr = gates.cfg.recall_threshold
        if gates.cfg.calibration and not cal:
            thr = gates.cfg.calibration["fit"].get("raw_threshold", thr)
        # The gate ranks; what it hands to a reply must also be about the query at all:
        # similar in meaning or sharing a content word (its scores are relative, and in a
        # young memory the best match may be unrelated).
        about = (cands.cosine >= RELATED_COS) | (lexical > 0)
    else:
        thr, about = min_score, np.ones(len(scores), dtype=bool)
    if min_score is None:
        about &= ~other  # nor handed over as a change of what was asked for
    passes = (scores >= thr) & about
    named = np.zeros(len(pool), dtype=bool)
    asks_name = asks_own_name(query)
    if min_score is None and asks_name:
        # "What's my name?" is handed the memories in which a person told their name, first
        # and whatever their score: the fact people most expect an assistant to keep, and
        # one the score, fit on questions about other facts, often puts under the threshold.
        named = np.fromiter(
            (
                not is_bot(idx.speakers[r]) and tells_name(idx.texts[r]) is not None
                for r in pool.tolist()
            ),
            bool,
            len(pool),
        )
        ranked = np.concatenate([ranked[named[ranked]], ranked[~named[ranked]]])
        passes |= named
    order = [j for j in ranked if passes[j] and not other[j]][: k + 1]
    newer: list[int] = []
    pulled: list[int] = []
    if "output" not in ablate and not asks_name and not past:
        judge = partial(gate_says_change, gates)
        if min_score is None and k > 1:
            order, pulled = _with_updates(
                idx, pool, cands.vecs, order, ranked, ~passes & about, judge
            )
        order, newer = _newer_first(idx, pool, cands.vecs, order, judge)
    # One about another of the kind asked (passing only an explicit min_score) is no change
    # of what was asked for: it goes after the rest, outside the two reorderings above.
    order = (order + [j for j in ranked if passes[j] and other[j]])[:k]
    chosen = []
    for j in order:
        r = int(pool[j])
        gate_in = idx.input_gate[r]
        signals = {
            "output": float(output[j]),
            "cosine": float(cands.cosine[j]),
            "bm25": float(cands.bm25[j]),
            "lexical": float(lexical[j]),
            "strength": float(strength[j]),
            "prior": float(cands.strength[j]),
            "age_days": float(cands.age_days[j]),
            "input": 1.0 if np.isnan(gate_in) else float(gate_in),
            "best_cosine": best,
            "memories": float(idx.size),
        }
        if named[j]:
            signals["name_asked"] = 1.0  # returned as the name asked for (see above)
        if j in newer:
            signals["newer_first"] = 1.0  # put before an older memory (see _newer_first)
        if j in pulled:
            signals["may_update"] = 1.0  # handed over under the threshold (_with_updates)
        if other[j]:
            signals["other_of_kind"] = 1.0  # about another of the kind asked (memory.kinds)
        if r in via:
            # Its cosine is that of a memory it superseded (UserIndex.with_superseded).
            signals["via_superseded"] = float(via[r])
        chosen.append(Chosen(r, float(scores[j]), signals))
    return Ranking(chosen, faded)
