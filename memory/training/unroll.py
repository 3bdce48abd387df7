"""Training the gates through retrieval, the way an LSTM is trained: unroll, back-propagate.

An *episode* is a long conversation (many sessions, days apart) followed by questions whose
evidence is some of its turns. Unrolled over an episode with soft gates:

- input gate: ``p_i`` = P(store turn i), from the features it sees at inference;
- forget gate (time head): the memory's strength when the questions come,
  ``s_i = p_i * 2^(-age_i / half_life_i)``, and a soft step for "still there" at FLOOR;
- output gate: a logit ``o_qi`` for each question and each memory recall would score for it
  (the top cosine and top BM25 candidates), with the strength above among its inputs.

A question's loss is the retrieval loss over its candidates, each weighted by how present it
is, ``w_i = p_i * alive_i``: ``-log(sum_evidence w e^o / sum_candidates w e^o)``. Gradients
reach the write decision (storing evidence helps, storing distractors hurts), the half-lives
(evidence must last until it is asked about) and the ranking. A penalty ``storage * mean(p)``
makes storing cost something, so what no question needs is not kept. The forget gate's
content head (supersede) keeps its supervised training (memory.train): questions about
stale facts are rare in the data. Only with update episodes (:func:`with_updates`, off in
the shipped weights) is it trained here too, each memory's presence multiplied by its
survival of the later turns that could supersede it.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import torch

from ..decay import FLOOR
from ..features import (
    RANK_CAP,
    TextCues,
    content_tokens,
    input_extra,
    names_speaker,
    output_scalars,
    overlap,
    pair_scalars,
    text_features,
    tokens,
)
from ..gates import Gates
from ..index import IndexRow, UserIndex
from ..turn import NEIGHBOUR_MIN_COS, NEIGHBOURS, is_bot
from . import synth, synth_updates
from .datasets import Dialogue, Question, introduces_self

WRITE = 0.5  # the write threshold the storage rate is trained for
ANSWER_WORDS = 8  # an answer this long is worth asking about even if it states no persona fact
RATE_WEIGHT = 10.0  # how firmly the storage rate is held
NOTHING_LOGIT = 0.0  # the output logit of "no memory is relevant" (threshold 0.5)
STRENGTH_COL = 5  # where output_scalars puts the strength (filled in by the unrolled model)
HOUR = 3600.0
DAY = 86400.0

NAMES = """Maria James Aisha Tom Ana Lucas Mei Omar Sofia Jonas Priya Diego Lena Kofi Hana
Marco Zoe Ivan Nora Sam Leila Ben Yuki Carlos Emma Raj Ines Paul Amara Felix Chloe Tariq
Julia Noah Elif Oscar Rosa Ethan Nadia Hugo Grace Malik Clara Leo Mina Victor Alice Ravi
Eva Daniel""".split()


@dataclass
class Episode:
    """One unrolled conversation with its questions, as tensors."""

    name: str
    vecs: torch.Tensor  # (T, d) turn embeddings
    tf: torch.Tensor  # (T, N_TEXT)
    extra: torch.Tensor  # (T, N_INPUT_EXTRA)
    age_h: torch.Tensor  # (T,) hours from each turn to the questions
    q_vecs: torch.Tensor  # (Q, d)
    pool: torch.Tensor  # (Q, P) long: candidate turns of each question (padded)
    mask: torch.Tensor  # (Q, P) bool: real candidates
    evidence: torch.Tensor  # (Q, P) bool
    scal: torch.Tensor  # (Q, P, N_OUTPUT), strength column left at 0
    labels: torch.Tensor  # (T,) supervised P(store) where the data says (persona), else NaN
    answerable: torch.Tensor  # (Q,) bool: False for a question nothing in the episode answers
    refs: list[str]  # each turn's id
    q_evidence: list[list[str]]  # each question's evidence ids (also those outside the pool)
    # The pairs the forget gate's content head judges, as at inference: each turn beside the
    # nearest earlier turns of its speaker (turn.nearby); empty when it is not trained here.
    sup_new: torch.Tensor | None = None  # (K,) the later turn
    sup_old: torch.Tensor | None = None  # (K,) the earlier one
    sup_pair: torch.Tensor | None = None  # (K, N_PAIR) features.pair_scalars

    @property
    def turns(self) -> int:
        return len(self.refs)


def make_episode(
    name: str,
    texts: list[str],
    speakers: list[str],
    times: list[float],
    questions: list[tuple[str, list[int]]],
    q_time: float,
    embed,
    labels: list[float] | None = None,
    pairs: bool = False,
    timeless: list[int] | None = None,
) -> Episode | None:
    """Features of an episode as the memory computes them at inference time, but for one
    thing: the input gate reads each turn whole here, while the memory also reads the
    first-person pieces of a longer turn (features.statement_pieces) and keeps the larger
    value, which the output gate then sees in a stored memory's strength.

    ``questions`` are (text, indices of evidence turns; empty when nothing in the episode
    answers it, which teaches the output gate to return nothing); ``embed`` maps texts to unit
    vectors. Returns None when no question has evidence among its candidates.
    """
    vecs = embed(texts)
    n = len(texts)
    tf = np.stack([text_features(t) for t in texts])
    extra, ctx = [], None
    for i in range(n):
        sims = vecs[:i] @ vecs[i] if i else np.zeros(0, dtype=np.float32)
        extra.append(input_extra(sims, None if ctx is None else float(ctx @ vecs[i])))
        ctx = vecs[i] if ctx is None else 0.8 * ctx + 0.2 * vecs[i]
        ctx = ctx / max(float(np.linalg.norm(ctx)), 1e-8)
    idx = UserIndex.build(
        [
            IndexRow(i, v, t, times[i], 1.0, times[i], 1.0, False, None, speakers[i])
            for i, (v, t) in enumerate(zip(vecs, texts, strict=True))
        ],
        vecs.shape[1],
        0,
    )
    cues = [content_tokens(t) for t in texts]
    words = np.asarray([len(tokens(t)) for t in texts], dtype=np.float64)
    age_days = (q_time - np.asarray(times)) / DAY
    kept = list(questions)
    if not any(ev for _, ev in kept):
        return None
    q_vecs = embed([q for q, _ in kept])
    pools, scals, evs, q_evidence, q_keep = [], [], [], [], []
    for (q, ev), qv in zip(kept, q_vecs, strict=True):
        cos = (vecs @ qv).astype(np.float64)
        bm = idx.bm25(tokens(q)).astype(np.float64)
        by_cos = np.argsort(-cos, kind="stable")
        by_bm = np.argsort(-bm, kind="stable")
        c_rank = np.empty(n)
        c_rank[by_cos] = np.arange(n)
        b_rank = np.empty(n)
        b_rank[by_bm] = np.arange(n)
        b_rank[bm <= 0] = RANK_CAP
        top_bm = [r for r in by_bm[:RANK_CAP].tolist() if bm[r] > 0]
        pool = np.asarray(list(dict.fromkeys(by_cos[:RANK_CAP].tolist() + top_bm)))
        ev_set = set(ev)
        is_ev = np.asarray([r in ev_set for r in pool.tolist()])
        qw = set(tokens(q))
        qc = content_tokens(q)
        scal = output_scalars(
            cos=cos[pool],
            bm25=bm[pool],
            cos_rank=c_rank[pool],
            bm25_rank=b_rank[pool],
            lexical=np.asarray([overlap(qc, cues[r]) for r in pool.tolist()]),
            strength=np.zeros(len(pool)),
            age_days=age_days[pool],
            ctx_cos=(vecs[pool] @ ctx).astype(np.float64),
            speaker_named=np.asarray([names_speaker(qw, speakers[r]) for r in pool.tolist()]),
            words=words[pool],
            query_is_question="?" in q,
        )
        pools.append(pool)
        scals.append(scal)
        evs.append(is_ev)
        q_keep.append(qv)
        q_evidence.append([str(e) for e in ev])
    if not any(e.any() for e in evs):
        return None
    answerable = torch.tensor([bool(ev) for _, ev in kept])
    width = max(len(p) for p in pools)
    Q = len(pools)
    pool_t = torch.zeros(Q, width, dtype=torch.long)
    mask = torch.zeros(Q, width, dtype=torch.bool)
    ev_t = torch.zeros(Q, width, dtype=torch.bool)
    scal_t = torch.zeros(Q, width, scals[0].shape[1])
    for j, (p, s, e) in enumerate(zip(pools, scals, evs, strict=True)):
        pool_t[j, : len(p)] = torch.from_numpy(p)
        mask[j, : len(p)] = True
        ev_t[j, : len(p)] = torch.from_numpy(e)
        scal_t[j, : len(p)] = torch.from_numpy(s)
    sup = supersession_pairs(texts, speakers, times, vecs) if pairs else None
    age_h = ((q_time - np.asarray(times)) / HOUR).astype(np.float32)
    if timeless:
        age_h[timeless] = 0.0  # made-up times: these turns do not train the time head
    return Episode(
        name=name,
        sup_new=sup[0] if sup else None,
        sup_old=sup[1] if sup else None,
        sup_pair=sup[2] if sup else None,
        vecs=torch.from_numpy(np.asarray(vecs, dtype=np.float32)),
        tf=torch.from_numpy(tf),
        extra=torch.from_numpy(np.stack(extra)),
        age_h=torch.from_numpy(age_h),
        q_vecs=torch.from_numpy(np.asarray(np.stack(q_keep), dtype=np.float32)),
        pool=pool_t,
        mask=mask,
        evidence=ev_t,
        scal=scal_t,
        labels=torch.tensor(labels if labels is not None else [math.nan] * n),
        answerable=answerable,
        refs=[str(i) for i in range(n)],
        q_evidence=q_evidence,
    )


def supersession_pairs(
    texts: list[str], speakers: list[str], times: list[float], vecs: np.ndarray
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None:
    """(later turn, earlier turn, pair features) of every pair the forget gate's content head
    would judge at inference: each person's turn beside the NEIGHBOURS nearest earlier
    turns of the same speaker (at least NEIGHBOUR_MIN_COS alike), leaving out those the
    memory never lets it supersede (someone else's news against the speaker's own fact)."""
    cues = [TextCues.of(t) for t in texts]
    who = [s.casefold() for s in speakers]
    new, old, feats = [], [], []
    for j in range(1, len(texts)):
        if is_bot(speakers[j]):
            continue
        earlier = np.asarray([i for i in range(j) if who[i] == who[j]], dtype=np.int64)
        if not earlier.size:
            continue
        cos = vecs[earlier] @ vecs[j]
        top = np.argsort(-cos, kind="stable")[:NEIGHBOURS]
        for t in top.tolist():
            i = int(earlier[t])
            if cos[t] < NEIGHBOUR_MIN_COS or (cues[j].about_other and not cues[i].about_other):
                continue
            new.append(j)
            old.append(i)
            feats.append(pair_scalars(float(cos[t]), cues[j], cues[i], (times[j] - times[i]) / DAY))
    if not new:
        return None
    return (
        torch.tensor(new, dtype=torch.long),
        torch.tensor(old, dtype=torch.long),
        torch.from_numpy(np.stack(feats).astype(np.float32)),
    )


@dataclass
class Conversation:
    """A long conversation with its questions, as texts (what make_episode takes)."""

    name: str
    texts: list[str]
    speakers: list[str]
    times: list[float]
    questions: list[tuple[str, list[int]]]  # (text, indices of its evidence turns)
    q_time: float
    labels: list[float]
    added: list[int] = field(default_factory=list)  # generated turns (with_updates)


def persona_episodes(
    dialogues: list[Dialogue],
    embed,
    rng: random.Random,
    sessions: int = 30,
    updates: int = 0,
    without: Collection[str] = (),
) -> list[Episode]:
    """The conversations of :func:`persona_conversations`, as episodes; with ``updates``,
    each also holds that many generated facts changed or followed by related news
    (:func:`with_updates`, of no kind in ``without``), and the episodes train the forget
    gate's content head."""
    out = []
    for c in persona_conversations(dialogues, embed, rng, sessions):
        if updates:
            c = with_updates(c, random.Random(f"{c.name}/{rng.random()}"), updates, without)
        ep = make_episode(
            c.name,
            c.texts,
            c.speakers,
            c.times,
            c.questions,
            c.q_time,
            embed,
            c.labels,
            pairs=bool(updates),
            timeless=c.added,
        )
        if ep is not None:
            out.append(ep)
    return out


def persona_conversations(
    dialogues: list[Dialogue], embed, rng: random.Random, sessions: int = 30
) -> list[Conversation]:
    """Long conversations from short Persona-Chat dialogues: ``sessions`` of them in a row
    between two named people, days apart, then questions about what each said of themselves.

    A question is either a persona sentence said about its speaker by name ("Maria has two
    dogs."), with every turn of hers in that session that states it (cosine >= 0.6) as
    evidence, or a question asked in the dialogue put about the answerer by name ("What does
    Maria do for work?"), with the answer as evidence when it states a persona fact or says
    something substantial (ANSWER_WORDS words or more).
    """
    order = list(dialogues)
    rng.shuffle(order)
    out = []
    starts = [(g, sessions) for g in range(0, len(order) - sessions + 1, sessions)]
    for g, size in starts:
        group = order[g : g + size]
        a, b = rng.sample(NAMES, 2)
        prefix = rng.random() < 0.7  # turns stored as "Maria: ..." or as the bare text
        texts, speakers, times, questions, labels = [], [], [], [], []
        t = 0.0
        for d in group:
            t += rng.uniform(1.0, 20.0) * DAY
            who = {"User 1": a, "User 2": b}
            start = len(texts)
            raw = [turn.text for turn in d.turns]
            u = embed(raw)
            for i, turn in enumerate(d.turns):
                name = who.get(turn.speaker, turn.speaker)
                texts.append(f"{name}: {turn.text}" if prefix else turn.text)
                speakers.append(name)
                times.append(t + 30.0 * i)
            for spk, facts in d.personas.items():
                mine = [i for i, turn in enumerate(d.turns) if turn.speaker == spk]
                if not facts or not mine:
                    continue
                sims = u[mine] @ embed(facts).T  # (turns, facts)
                for f, fact in enumerate(facts):
                    ev = [start + mine[i] for i in np.flatnonzero(sims[:, f] >= 0.6).tolist()]
                    if ev and rng.random() < 0.5:
                        questions.append((synth.about(who[spk], fact), ev))
            stated = _stated(d, u, embed)
            labels += np.clip((stated - 0.35) / 0.3, 0.0, 1.0).tolist()  # as memory.train
            for i, turn in enumerate(d.turns[:-1]):
                nxt = d.turns[i + 1]
                informative = stated[i + 1] >= 0.6 or len(tokens(nxt.text)) >= ANSWER_WORDS
                if "?" in turn.text and informative and nxt.speaker in who:
                    q = synth.reperson(rng, turn.text, who[nxt.speaker])
                    questions.append((q, [start + i + 1]))
        q_time = t + rng.uniform(1.0, 30.0) * DAY
        out.append(Conversation(f"persona-{g}", texts, speakers, times, questions, q_time, labels))
    return out


def with_updates(
    c: Conversation, rng: random.Random, n: int, without: Collection[str] = ()
) -> Conversation:
    """The conversation with ``n`` generated facts of its people (synth_updates' pairs of
    its "train" kinds, but those in ``without``), each said early and, sessions later,
    followed by the pair's new turn: a change (asked about after: the change is the
    evidence, the old fact a stale distractor), a doubt or a related turn that changes
    nothing (the fact is the evidence), or an addition or the fact said again (both are).
    The added turns are listed in ``added``: their times are made up."""
    left_out = set(without) | (set(synth_updates.KINDS) - set(synth_updates.QUESTIONS))
    T = len(c.texts)
    if T < 8:
        return c
    prefixed = c.texts[0].startswith(f"{c.speakers[0]}: ")
    people = sorted(set(c.speakers))
    adds: list[tuple[int, int, str, str, float]] = []  # (position, order, text, speaker, label)
    asks: list[tuple[str, list[int]]] = []  # (question, orders of its evidence)
    k = 0
    while k < n:
        kind, how, old, new, action = synth_updates.pairs_labelled(rng, 1, "train", left_out)[0]
        if how == "swap":  # the old memory is someone else's: no question of the speaker's
            continue
        name = rng.choice(people)
        early = rng.randrange(0, T // 2)
        late = rng.randrange(early + T // 4, T + 1)
        said = [f"{name}: {t}" if prefixed else t for t in (old, new)]
        adds += [(early, 2 * k, said[0], name, 1.0), (late, 2 * k + 1, said[1], name, math.nan)]
        if action == synth_updates.SUPERSEDE:
            ev = [2 * k + 1]
        elif how in ("add", "still"):
            ev = [2 * k, 2 * k + 1]
        else:
            ev = [2 * k]
        asks.append((synth_updates.question(rng, kind, name), ev))
        k += 1
    # Rebuild with the new turns in place: each goes before the turn now at its position.
    adds.sort()
    texts, speakers, times, labels = [], [], [], []
    where: dict[int, int] = {}  # an old turn's index -> its new one
    placed: dict[int, int] = {}  # an added turn's order -> its index
    a_i = 0
    for i in range(T + 1):
        while a_i < len(adds) and adds[a_i][0] == i:
            _, order, text, name, label = adds[a_i]
            placed[order] = len(texts)
            texts.append(text)
            speakers.append(name)
            times.append((c.times[i] if i < T else c.times[-1] + 60.0) - 1.0)
            labels.append(label)
            a_i += 1
        if i < T:
            where[i] = len(texts)
            texts.append(c.texts[i])
            speakers.append(c.speakers[i])
            times.append(c.times[i])
            labels.append(c.labels[i])
    questions = [(q, [where[e] for e in ev]) for q, ev in c.questions]
    questions += [(q, [placed[o] for o in ev]) for q, ev in asks]
    added = sorted(placed.values())
    return Conversation(c.name, texts, speakers, times, questions, c.q_time, labels, added)


def _stated(d: Dialogue, u: np.ndarray, embed) -> np.ndarray:
    """How closely each turn states one of its speaker's persona facts (max cosine; 1 for a
    turn that tells the speaker's name)."""
    out = np.zeros(len(d.turns), dtype=np.float32)
    for spk, facts in d.personas.items():
        mask = np.asarray([t.speaker == spk for t in d.turns])
        if facts and mask.any():
            out[mask] = (u[mask] @ embed(facts).T).max(axis=1)
    out[[introduces_self(t.text) for t in d.turns]] = 1.0  # a name: no persona lists it
    return out


def dialogue_episode(d: Dialogue, embed, prefix: bool = True) -> Episode | None:
    """An episode from a dialogue that has questions with evidence refs (LoCoMo, JSONL)."""
    refs = [t.ref for t in d.turns]
    where = {r: i for i, r in enumerate(refs) if r is not None}
    questions = []
    for q in d.questions:
        if q.category == 5 or any(e not in where for e in q.evidence):
            continue
        questions.append((q.text, [where[e] for e in q.evidence]))
    texts = [f"{t.speaker}: {t.text}" if prefix else t.text for t in d.turns]
    times = [t.at or 0.0 for t in d.turns]
    ep = make_episode(
        d.id, texts, [t.speaker for t in d.turns], times, questions, max(times) + HOUR, embed
    )
    if ep is not None:
        ep.q_evidence = [[str(refs[int(i)]) for i in ev] for ev in ep.q_evidence]
        ep.refs = [str(r) for r in refs]
    return ep


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
OWN_WORDS = 6  # a first-person sentence this long is worth a question


def own_words_episode(d: Dialogue, embed, rng: random.Random) -> Episode | None:
    """An episode from a dialogue that has neither questions nor facts (MemoryBank, plain
    JSONL): its people's first-person sentences, said back about them by name, are the
    questions ("I adopted a cat last week." -> "Maria adopted a cat last week.")."""
    for i, t in enumerate(d.turns):
        if t.ref is None:
            t.ref = f"t{i}"
    questions = list(d.questions)
    for t in d.turns:
        if is_bot(t.speaker):
            continue
        for sent in _SENTENCE.split(t.text):
            words = tokens(sent)
            if (
                len(words) >= OWN_WORDS
                and words[0] in ("i", "i'm", "i've", "my")
                and rng.random() < 0.5
            ):
                questions.append(Question(synth.about(t.speaker, sent), [t.ref]))
    if not questions:
        return None
    return dialogue_episode(Dialogue(d.id, d.turns, d.personas, questions), embed)


# ---- the unrolled model ---------------------------------------------------------------------


def forward(gates: Gates, ep: Episode) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(retrieval loss per question, p_write per turn, output logits (Q, P))."""
    logit = gates.input(ep.vecs, ep.tf, ep.extra)  # (T,)
    p = torch.sigmoid(logit)
    hl = gates.forget.half_life_hours(ep.vecs, ep.tf)  # (T,)
    strength = p * torch.exp2(-ep.age_h / hl)
    alive = torch.sigmoid(8.0 * (torch.log(strength + 1e-9) - math.log(FLOOR)))
    log_presence = torch.log(p * alive + 1e-6)  # (T,)
    if ep.sup_new is not None:
        # A memory survives each later turn of its speaker that the content head could
        # supersede it by. The memory supersedes at P(supersede) >= the gates' threshold, so
        # a pair counts at its odds over the threshold's: one half at the threshold, little
        # well below it.
        u, m = ep.vecs[ep.sup_new], ep.vecs[ep.sup_old]
        ps = torch.softmax(gates.forget(u, m, ep.sup_pair, ep.tf[ep.sup_new]), dim=-1)[:, 2]
        thr = gates.cfg.supersede_threshold
        gone = ps * (1 - thr) / (ps * (1 - thr) + thr * (1 - ps))
        survive = torch.log1p(-0.999 * gone)
        log_presence = log_presence + torch.zeros_like(p).index_add(0, ep.sup_old, survive)
    scal = ep.scal.clone()
    scal[..., STRENGTH_COL] = strength[ep.pool]
    Q, P = ep.pool.shape
    m = ep.vecs[ep.pool]  # (Q, P, d)
    q = ep.q_vecs[:, None, :].expand(Q, P, -1)
    o = gates.output(q.reshape(Q * P, -1), m.reshape(Q * P, -1), scal.reshape(Q * P, -1))
    o = o.reshape(Q, P)
    z = o + log_presence[ep.pool]
    z = z.masked_fill(~ep.mask, -1e9)
    has = ep.evidence.any(dim=1)  # questions whose evidence recall could reach at all
    # "Nothing" competes too, at the logit of the output gate's threshold: evidence that is
    # barely stored or barely relevant loses to it, and for a question nothing answers it
    # is the right answer, so the gate learns what is not relevant at all.
    nothing = torch.full((z.shape[0], 1), NOTHING_LOGIT)
    everything = torch.logsumexp(torch.cat([z, nothing], dim=1), dim=1)
    found = torch.logsumexp(z.masked_fill(~ep.evidence, -1e9), dim=1)
    loss = torch.cat([(everything - found)[has], everything[~ep.answerable] - NOTHING_LOGIT])
    return loss, p, o


def episode_loss(gates: Gates, ep: Episode, storage: float, supervised: float) -> torch.Tensor:
    """Retrieval loss + a storage penalty + the data's own labels of what is worth storing.

    The penalty holds the mean P(store) of an episode to the ``storage`` rate: the retrieval
    loss alone only ranks turns against each other (scaling every P(store) alike leaves it
    unchanged), so the rate is what ties P(store) >= 0.5 to storing that share of turns.
    """
    loss, p, _ = forward(gates, ep)
    total = loss.mean() + RATE_WEIGHT * (p.mean() - storage) ** 2
    known = ~torch.isnan(ep.labels)
    if supervised and known.any():
        pk = p[known].clamp(1e-6, 1 - 1e-6)
        total = total + supervised * torch.nn.functional.binary_cross_entropy(pk, ep.labels[known])
    return total


def train_unrolled(
    gates: Gates,
    episodes: list[Episode],
    epochs: int,
    lr: float,
    storage: float,
    seed: int,
    supervised: float = 1.0,
    progress=None,
    aux=None,
    content: bool = False,
) -> list[float]:
    """Train all three gates through the unrolled episodes; returns the loss per epoch.

    ``aux()``, if given, is added to every step's loss: a supervised loss on a fresh batch
    (memory.train passes the half-life targets), so that what retrieval never asks for,
    such as a passing remark fading, is not unlearned.
    """
    torch.manual_seed(seed)
    rng = random.Random(seed)
    params = (
        list(gates.input.parameters())
        + list(gates.forget.time_embed.parameters())
        + list(gates.forget.time.parameters())
        + list(gates.output.parameters())
    )
    if content:  # the content head too, through the supersessions the episodes hold
        params += [p for n, p in gates.forget.named_parameters() if not n.startswith("time")]
    opt = torch.optim.Adam(params, lr=lr, weight_decay=1e-5)
    gates.train()
    history = []
    threads = torch.get_num_threads()
    # One thread, so that no sum depends on how many cores split it: the same seed and data
    # give the same bytes on any machine. (Episodes are small; it costs about 20 s.)
    torch.set_num_threads(1)
    try:
        for _ in range(epochs):
            order = list(range(len(episodes)))
            rng.shuffle(order)
            total = 0.0
            for i in order:
                opt.zero_grad()
                loss = episode_loss(gates, episodes[i], storage, supervised)
                if aux is not None:
                    loss = loss + aux()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 5.0)
                opt.step()
                total += loss.item()
                if progress is not None:
                    progress()
            history.append(total / max(len(episodes), 1))
    finally:
        torch.set_num_threads(threads)
    gates.eval()
    return history


@torch.no_grad()
def evaluate(gates: Gates, episodes: list[Episode], write_threshold: float, k: int = 10) -> dict:
    """Hard decisions as at inference: store where p >= threshold, rank what is stored.

    A quick stand-in for ``gatedmem bench locomo`` (which runs the real memory): candidates
    and BM25 here come from all turns, not only the stored ones.
    """
    gates.eval()
    scores, stored, turns = [], 0, 0
    for ep in episodes:
        _, p, o = forward(gates, ep)
        keep = p >= write_threshold
        stored += int(keep.sum())
        turns += ep.turns
        ok = keep[ep.pool] & ep.mask
        o = o.masked_fill(~ok, -1e9)
        top = torch.topk(o, min(k, o.shape[1]), dim=1).indices
        for j in range(o.shape[0]):
            ev = ep.q_evidence[j]
            if not ev:
                continue
            got = {ep.refs[int(ep.pool[j, c])] for c in top[j].tolist() if ok[j, c]}
            scores.append(sum(e in got for e in ev) / len(ev))
    return {
        f"recall@{k}": float(np.mean(scores)) if scores else 0.0,
        "stored_fraction": stored / max(turns, 1),
        "questions": len(scores),
    }
