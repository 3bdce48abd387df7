"""The gates' decisions as plain functions of vectors, texts and numbers (no SQL).

:class:`memory.GatedMemory` gathers what these need from the store and writes back what
they decide; here is only how gate outputs become decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from .features import (
    TextCues,
    content_tokens,
    input_extra,
    output_scalars,
    overlap,
    pair_scalars,
    told_values,
)
from .mentions import ends_one_of, goes_on, still_named, untouched_part
from .types import ACTIONS, Decision

if TYPE_CHECKING:  # torch loads only when the gates are first used
    from .gates import Gates

CONTEXT_KEEP = 0.8  # the context vector (hidden state) keeps this much of itself per turn


@dataclass(frozen=True)
class Neighbour:
    """A stored memory near a new utterance, as the forget gate's content head sees it."""

    memory_id: int
    vec: np.ndarray  # (dim,)
    cues: TextCues
    similarity: float
    age_days: float
    half_life_hours: float = 0.0  # the forget gate's time head, when it was written
    text: str = field(kw_only=True)  # what it says: mentions.still_named reads its values


@dataclass(frozen=True)
class Candidates:
    """Stored memories that retrieval found for a query, as the output gate sees them."""

    vecs: np.ndarray  # (n, dim)
    cosine: np.ndarray  # (n,)
    bm25: np.ndarray  # (n,)
    strength: np.ndarray  # (n,) UserIndex.prior: the input gate's value, decayed since writing
    age_days: np.ndarray  # (n,)
    cues: list[TextCues]  # content words of each
    cos_rank: np.ndarray  # (n,) place among all the user's memories by cosine (0 = best)
    bm25_rank: np.ndarray  # (n,) ... and by BM25
    speaker_named: np.ndarray  # (n,) 1 where the query names the memory's speaker
    words: np.ndarray  # (n,) length of each memory in words

    def __len__(self) -> int:
        return len(self.cosine)


def p_write(
    gates: Gates, vec: np.ndarray, tf: np.ndarray, top_sims: np.ndarray, ctx: np.ndarray | None
) -> float:
    """The input gate, given the similarities of the nearest memories (best first)."""
    ctx_cos = float(ctx @ vec) if ctx is not None else None
    extra = input_extra(top_sims[:3], ctx_cos)
    return float(gates.p_write(vec[None], tf[None], extra[None])[0])


def half_life_hours(gates: Gates, vec: np.ndarray, tf: np.ndarray) -> float:
    """The forget gate's time head."""
    return float(gates.half_life_hours_np(vec[None], tf[None])[0])


def changes_told(decisions: list[Decision], threshold: float) -> list[Decision]:
    """The decisions on memories the new turn changes: superseded, or kept only because the
    turn ends part of what they hold ("Sold the Civic, keeping the Vespa" after "I have a
    Civic and a Vespa") or leaves another person's fact in them. A turn with any tells a
    change, and is stored as one that supersedes is. Not a memory whose every value the
    turn still names ("Nothing's changed, still Austin": the heads read change words, the
    turn tells none), nor memories the several-at-once guard kept ("So much has changed!"
    says what, of none of them)."""
    return [
        d
        for d in decisions
        if d.probabilities["supersede"] >= threshold
        and (d.action == "supersede" or d.note.startswith(_PART_KEPT))
    ]


def forget_verdicts(
    gates: Gates,
    vec: np.ndarray,
    cues: TextCues,
    tf: np.ndarray,
    neighbours: list[Neighbour],
    hedged: bool = False,
    *,
    text: str,
) -> list[Decision]:
    """The forget gate on each neighbour: supersede it or keep it.

    P(supersede) is the content head's (over the two embeddings) or, where the gates have a
    change-words head (the words the new turn says, and its cosine with the memory), the
    larger of the two, each reported beside it (``content_head``, ``change_words``: keep and
    weaken stay the content head's own). It supersedes at P(supersede) >= the
    configured threshold, which training sets by the cost of a lost fact; never on the
    word of a turn that only asks, supposes or wishes (``hedged``: features.hedged), nor a
    memory that is not about someone else on the word of a turn that is ("my husband
    started a new job" after "I work as a nurse"), nor a memory whose every value ``text``
    (the new turn) names as still held ("Nell is not impressed" after "We have a border
    collie called Nell.": mentions.still_named), nor one some of whose values it ends and
    others it still names ("Sold the Civic, keeping the Vespa" after "I have a Civic and a
    Vespa": mentions.ends_one_of), nor one of several sentences one of which tells of
    another person that the turn leaves alone ("Robert's firm is sending him to Aberdeen"
    after "My son Robert is an engineer in York. My daughter Helen is a solicitor in
    Leeds.": mentions.untouched_part), nor one the turn says goes on as it was ("Still
    vegetarian, no plans to change that" after "I'm vegetarian.": mentions.goes_on). The
    content head's second output, weaken (a doubt), is reported and not acted on: on
    hand-written conversations it fired on related turns that change nothing far more often
    than on doubts, and a fact weakened past the floor is as lost as one superseded, with no
    threshold set by that cost (docs/benchmarks.md). Where a rule or this overrules the
    gate, the decision says so."""
    if not neighbours:
        return []
    n = len(neighbours)
    m = np.stack([nb.vec for nb in neighbours])  # (n, dim)
    pair = np.stack(
        [pair_scalars(nb.similarity, cues, nb.cues, nb.age_days) for nb in neighbours]
    )  # (n, N_PAIR)
    probs = gates.content_probs(np.repeat(vec[None], n, 0), m, pair, np.repeat(tf[None], n, 0))
    words = np.full(n, np.nan)
    if gates.has_change_words:
        cos = np.array([nb.similarity for nb in neighbours])
        words = gates.p_change(text, [nb.text for nb in neighbours], cos)  # (n,)
    thr = gates.cfg.supersede_threshold
    out = []
    held_back = 0  # memories the heads read as changed and kept for another person's fact
    for nb, p, pc in zip(neighbours, probs, words, strict=True):
        pk, pw, head = (float(x) for x in p)
        ps = head if np.isnan(pc) else max(head, float(pc))
        note = ""
        action = "keep"
        if nb.age_days < 0:
            # Written after the turn's own time (another writer's, meanwhile): a turn makes
            # stale only what was said before it.
            note = "kept: written after this turn"
        elif hedged:
            # "If Olu ever left I'd go for her job" tells of nothing that is so.
            if ps >= thr or pw > max(pk, ps):
                note = "kept: the new turn only asks, supposes or wishes"
        elif cues.about_other and not nb.cues.about_other:
            # Someone else's news ("my sister moved to Lisbon") changes nothing the speaker
            # said of themselves, whatever the content head makes of the pair.
            if ps >= thr or pw > max(pk, ps):
                note = "kept: the new turn is about someone else, the memory is not"
        elif ps >= thr and (why := _held(text, nb.text)):
            note = why
            held_back += why.startswith(_PART_ONLY)
        elif ps >= thr:
            action = "supersede"
        elif pw > max(pk, ps):
            note = "kept: a doubt is not acted on"
        out.append(
            Decision(
                memory_id=nb.memory_id,
                action=action,
                similarity=nb.similarity,
                probabilities=dict(zip(ACTIONS, (pk, pw, ps), strict=True))
                | ({} if np.isnan(pc) else {"content_head": head, "change_words": float(pc)}),
                note=note,
            )
        )
    # The memories the heads read as changed, counting those kept for another person's fact:
    # that the turn leaves part of one of them does not say which of the others it changes
    # (a turn that still names a memory's value, or ends only some of its values, does say
    # which one it leaves).
    read = sum(d.action == "supersede" for d in out) + held_back
    if gates.has_change_words and read > 1:
        # With the change-words head, which reads that something changed from the new
        # turn's words, a turn either head reads as changing several memories at once ("a
        # few new things have come up in my life") does not say which one, and a wrong
        # guess loses a fact: it supersedes none of them.
        note = f"kept: the turn reads as changing {read} memories at once, not which"
        out = [replace(d, action="keep", note=note) if d.action == "supersede" else d for d in out]
    return out


_PART_ONLY = "kept: the new turn leaves what it says of another person: "
_ENDS_PART = "kept: the new turn ends "
_PART_KEPT = (_PART_ONLY, _ENDS_PART)  # what a turn that changes the rest of a memory keeps


def _held(text: str, memory: str) -> str | None:
    """Why a memory the heads read as changed is kept for what the new turn ``text`` says
    of it: the turn still names its every value, ends only some of its values, leaves a
    fact of another person's in it, or says it goes on as it was (module mentions); None
    when it is not."""
    values = frozenset(told_values(memory))
    if held := still_named(text, values):
        return f"kept: the new turn still names its value ({held})"
    if part := ends_one_of(text, values):
        return f"{_ENDS_PART}{part[0]} and still names {part[1]}"
    if rest := untouched_part(text, memory):
        return f"{_PART_ONLY}{_quoted(rest)}"
    if same := goes_on(text, memory):
        return f"kept: the new turn says it goes on as it was: {_quoted(same)}"
    return None


def _quoted(sentence: str, words: int = 8) -> str:
    """A sentence as a decision's note quotes it: its first few words."""
    parts = sentence.split()
    return '"' + " ".join(parts[:words]) + (' ..."' if len(parts) > words else '"')


def relevance(
    gates: Gates, q_vec: np.ndarray, query: str, c: Candidates, ctx: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """The output gate's value for each candidate, and each one's lexical overlap."""
    n = len(c)
    q_tokens = content_tokens(query)
    lexical = np.fromiter((overlap(q_tokens, x.words) for x in c.cues), dtype=np.float64, count=n)
    scal = output_scalars(
        cos=c.cosine,
        bm25=c.bm25,
        cos_rank=c.cos_rank,
        bm25_rank=c.bm25_rank,
        lexical=lexical,
        strength=c.strength,
        age_days=c.age_days,
        ctx_cos=c.vecs @ ctx if ctx is not None else np.zeros(n),
        speaker_named=c.speaker_named,
        words=c.words,
        query_is_question="?" in query,
    )  # (n, N_OUTPUT)
    scores = gates.relevance(np.broadcast_to(q_vec, c.vecs.shape), c.vecs, scal)
    return scores, lexical


def next_context(ctx: np.ndarray | None, vec: np.ndarray) -> np.ndarray:
    """The hidden state after a turn: an exponential moving average, unit length."""
    new = vec if ctx is None else CONTEXT_KEEP * ctx + (1 - CONTEXT_KEEP) * vec
    return new / max(float(np.linalg.norm(new)), 1e-8)
