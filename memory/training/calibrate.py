"""Calibrating recall's scores: a logistic regression on what recall knows of a candidate
(the output gate's logit, its place in recall's order, its cosine with the query, the
query's best cosine and how many memories there are), fit on conversations the gates were
not trained on, so that a score of 0.7 means about 70% relevant and a default threshold
can say "nothing here".

The data: the held-out Persona-Chat dialogues of ``gatedmem train`` (the ones it keeps
apart for its own metrics), grouped into long two-person conversations as the training
through retrieval groups them, streamed through a real :class:`GatedMemory` as the chat
uses it; then each question (about what someone said of themselves) is asked, and each
candidate recall ranks is labelled relevant when it is an evidence turn. Generated
off-topic requests (:mod:`memory.training.offtopic`) are asked too: none of their
candidates is relevant.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import numpy as np

from ..calibration import FEATURES, SMALL, calibrated, features, small_terms, tops
from ..core import GatedMemory
from ..gates import Gates
from ..torch_thread import here as torch_here
from . import offtopic, synth, unroll
from .datasets import Dialogue

K = 20  # candidates per question, as the LoCoMo bench ranks them
OFFTOPIC_PER_CONVERSATION = 60
OFFTOPIC_PER_CUT = 20
CHECKPOINTS = (0.05, 0.2, 0.5)  # also asked when this share of the turns has been told
REGROUPINGS = 3
CHATS = 150  # small first-person memories beside the long conversations
L2 = 1e-3


def fit(
    x: np.ndarray,
    y: np.ndarray,
    l2: float = L2,
    steps: int = 50,
    offset: np.ndarray | None = None,
    intercept: bool = True,
) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method (features standardised inside, returned in
    the original units). ``offset``: a logit each row already has, which the fit adds to;
    without an ``intercept`` the features are scaled but not centred, so the fitted terms
    are zero where the features are."""
    mu = x.mean(0) if intercept else np.zeros(x.shape[1])
    sd = x.std(0) + 1e-9
    xs = (x - mu) / sd
    if intercept:
        xs = np.hstack([xs, np.ones((len(x), 1))])
    base = np.zeros(len(x)) if offset is None else offset
    free = np.r_[np.ones(x.shape[1]), 0.0] if intercept else np.ones(x.shape[1])
    w = np.zeros(xs.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xs @ w + base)))
        grad = xs.T @ (p - y) / len(y) + l2 * free * w
        hess = (xs * (p * (1 - p))[:, None]).T @ xs / len(y) + l2 * np.diag(free)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    coef = w[: x.shape[1]] / sd
    return coef, float(w[-1] - (coef * mu).sum()) if intercept else 0.0


def fit_calibration(
    x: np.ndarray, y: np.ndarray, query: np.ndarray, cosine: np.ndarray, memories: np.ndarray
) -> tuple[np.ndarray, float]:
    """The calibration's coefficients (FEATURES, then SMALL) and bias, in two steps: the
    FEATURES ``x`` on every candidate; then, on top of that logit and with no intercept of
    their own, the SMALL terms of the candidate it scores highest in each ``query``, so that a
    long conversation's scores stay what the first step makes them."""
    coef, bias = fit(x, y)
    z = x @ coef + bias
    small = small_terms(cosine, memories, tops(z, query))
    extra, _ = fit(small, y, offset=z, intercept=False)
    return np.r_[coef, extra], bias


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    which = np.minimum((p * bins).astype(int), bins - 1)
    return float(
        sum(
            (which == b).mean() * abs(p[which == b].mean() - y[which == b].mean())
            for b in range(bins)
            if (which == b).any()
        )
    )


class _Table:
    """An embedder over the training embedding cache."""

    def __init__(self, cache):
        self.cache = cache
        self.name = getattr(cache.embedder, "name", "model")

    def embed(self, texts):
        return self.cache(list(texts))


def chat_conversations(rng: random.Random, n: int, questions: int = 6) -> list:
    """Small memories as a chat makes them: one person's first-person facts, some of them
    changed since, and their own questions about them, from the generator's held-out kinds
    of fact (synth's "val" slots, never trained on)."""
    out = []
    for j in range(n):
        texts, asked = [], []
        for q, answer, others in synth.fact_questions(rng, questions, split="val"):
            asked.append((q, answer))
            texts += [answer, *others]
        order = list(range(len(texts)))
        rng.shuffle(order)
        texts = [texts[i] for i in order]
        where = {t: i for i, t in enumerate(texts)}
        times = [i * 3 * 3600.0 for i in range(len(texts))]
        out.append(
            unroll.Conversation(
                f"chat-{j}",
                texts,
                ["user"] * len(texts),
                times,
                [(q, [where[a]]) for q, a in asked],
                times[-1] + 2 * 86400.0,
                [],
            )
        )
    return out


def collect(gates: Gates, conversations: list[unroll.Conversation], cache, seed: int, log=print):
    """Every candidate recall ranks for the conversations' questions and for generated
    off-topic requests, each conversation through a fresh memory: (features, relevant,
    query number, off-topic) per candidate."""
    rng = random.Random(seed)
    xs, ys, qids, offs = [], [], [], []
    emb = _Table(cache)

    def ask(mem: GatedMemory, requests: list, at: float, ids: dict[int, int]) -> None:
        for q, ev in requests:
            asked = len(qids) and qids[-1] + 1
            hits = mem.recall(q, user="u", k=K, at=at, reinforce=False, min_score=0.0)
            for place, h in enumerate(hits):
                g = h.gates
                xs.append((g["output"], place, g["cosine"], g["best_cosine"], g["memories"]))
                ys.append(ids.get(h.memory_id, -1) in ev)
                qids.append(asked)
                offs.append(not ev)

    with tempfile.TemporaryDirectory() as tmp:
        for n, c in enumerate(conversations):
            mem = GatedMemory(f"sqlite:///{Path(tmp) / f'c{n}.db'}", embedder=emb, weights=gates)
            ids: dict[int, int] = {}  # memory id -> turn index
            n_turns = len(c.texts)
            cuts = {int(n_turns * f) for f in CHECKPOINTS}
            for i, (text, who, at) in enumerate(zip(c.texts, c.speakers, c.times, strict=True)):
                if i in cuts:  # a younger memory: the questions it can already answer
                    ready = [(q, set(ev)) for q, ev in c.questions if ev and max(ev) < i]
                    ready += [(q, set()) for q in offtopic.requests(rng, OFFTOPIC_PER_CUT)]
                    ask(mem, ready, c.times[i - 1] + 60.0, ids)
                o = mem.observe(text, user="u", speaker=who, at=at)
                if o.stored:
                    ids[o.memory_id] = i
                mem.recall(text, user="u", at=at, exclude=[o.memory_id] if o.stored else [])
            asked = [(q, set(ev)) for q, ev in c.questions]
            asked += [(q, set()) for q in offtopic.requests(rng, OFFTOPIC_PER_CONVERSATION)]
            ask(mem, asked, c.q_time, ids)
            mem.close()
            log(f"{c.name}: {len(c.texts)} turns, {len(asked)} requests")
    x = np.asarray(xs, dtype=np.float64)
    return (
        features(x[:, 0], x[:, 1], x[:, 2], x[:, 3], x[:, 4]),
        np.asarray(ys, dtype=np.float64),
        np.asarray(qids),
        np.asarray(offs),
    )


def abstaining_threshold(p: np.ndarray, qids: np.ndarray, off: np.ndarray, share=0.95) -> float:
    """The lowest threshold (0.01 steps) at which ``share`` of the off-topic requests have
    no candidate passing."""
    best = {}
    for q, v in zip(qids[off].tolist(), p[off].tolist(), strict=True):
        best[q] = max(best.get(q, 0.0), v)
    top = np.sort(np.asarray(list(best.values())))
    cut = top[min(len(top) - 1, int(np.ceil(share * len(top))) - 1)]
    return min(1.0, float(np.ceil(cut * 100 + 1e-9) / 100))  # a probability, at most 1


def answered(p: np.ndarray, y: np.ndarray, qids: np.ndarray, off: np.ndarray, thr: float):
    """At ``thr``: the share of questions with evidence handed at least one evidence turn,
    and the median number of candidates passing."""
    hit, count = {}, {}
    for q, v, rel, o in zip(qids.tolist(), p.tolist(), y.tolist(), off.tolist(), strict=True):
        if o:
            continue
        count[q] = count.get(q, 0) + (v >= thr)
        hit[q] = hit.get(q, False) or (v >= thr and rel > 0)
    return float(np.mean(list(hit.values()))), float(np.median(list(count.values())))


def calibrate(gates: Gates, dialogues: list[Dialogue], cache, seed: int = 0, log=print) -> dict:
    """Fit the calibration on ``dialogues`` (held out from the gates' training) and return
    it with its figures: the config entry :func:`memory.calibration.calibrated` reads.

    The default threshold is the lowest at which 95% of the generated off-topic requests
    get nothing."""
    conversations = []
    for rep in range(REGROUPINGS):
        rng = random.Random(seed * 1000 + 500 + rep)
        conversations += unroll.persona_conversations(dialogues, cache, rng, sessions=30)
    conversations += chat_conversations(random.Random(seed + 900), CHATS)
    x, y, qids, off = collect(gates, conversations, cache, seed, log)
    half = qids % 2 == 0  # fit on half the requests, report on the other half
    _, _, cos, _, size = _raw(x)
    coef, bias = fit_calibration(x[half], y[half], qids[half], cos[half], size[half])
    held = {"coef": coef, "bias": bias}
    p_held = calibrated(held, *_raw(x[~half]), query=qids[~half])
    raw_held = 1.0 / (1.0 + np.exp(-x[~half, 0]))
    coef, bias = fit_calibration(x, y, qids, cos, size)
    cal = {"features": [*FEATURES, *SMALL], "coef": [round(float(c), 6) for c in coef]}
    cal["bias"] = round(bias, 6)
    p_all = calibrated(cal, *_raw(x), query=qids)
    threshold = abstaining_threshold(p_all, qids, off)
    hit, median = answered(p_all, y, qids, off, threshold)
    cal["fit"] = {
        "conversations": len(conversations),
        "requests": int(qids.max() + 1),
        "offtopic_requests": len(set(qids[off].tolist())),
        "candidates": int(len(y)),
        "relevant": round(float(y.mean()), 4),
        "ece_raw_held_out": round(ece(raw_held, y[~half]), 4),
        "ece_held_out": round(ece(p_held, y[~half]), 4),
        "answered_at_threshold": round(hit, 4),
        "median_returned_at_threshold": median,
        "threshold": threshold,
        "seed": seed,
    }
    return cal


def _raw(x: np.ndarray) -> tuple[np.ndarray, ...]:
    """The (output, rank, cosine, best cosine, memories) columns back from features."""
    return 1.0 / (1.0 + np.exp(-x[:, 0])), x[:, 1], x[:, 2], x[:, 3], np.expm1(x[:, 4])


def held_out_persona(dialogues: list[Dialogue], seed: int, val_fraction: float) -> list[Dialogue]:
    """The Persona-Chat dialogues ``gatedmem train`` keeps apart with this seed."""
    from .train import held_out_split

    return held_out_split(dialogues, random.Random(seed), val_fraction)[1]


CARD_SECTION = """
## Calibration

Recall's score is P(relevant), a logistic regression on {features} (`gatedmem calibrate`,
memory/training/calibrate.py), fit on {conversations} conversations (the held-out
Persona-Chat dialogues, never trained on, grouped into long ones, and small first-person
chats of the generator's held-out kinds of fact), streamed through the memory, with {candidates}
candidates ({relevant:.1%} relevant) of their questions and of generated off-topic requests.
Expected calibration error on the half of the requests not fit: {ece_raw_held_out} for the
output gate's own values, {ece_held_out} calibrated. Default recall threshold {threshold}
(replacing {raw_threshold} above, which is on the output gate's own scale): the lowest at
which 95% of the {offtopic_requests} generated off-topic requests get nothing; there,
{answered_at_threshold:.0%} of the questions are handed an evidence turn, with a median of
{median_returned_at_threshold:g} memories of 20.
"""


# Calibration is this thread's torch work: its embeddings join it (torch_thread.here).
@torch_here()
def run(
    weights: Path,
    out: Path,
    data: list[Path] | None = None,
    model: Path | None = None,
    log=print,
    dialogues: list[Dialogue] | None = None,
) -> dict:
    """Fit the calibration of the gates in ``weights`` and write them, calibrated, to
    ``out`` (which may be the same directory). ``dialogues``: the ones the gates were
    trained from, as ``gatedmem train`` read them (default: read ``data``, or the shipped
    weights' data), so that the held-out split is the one training kept apart."""
    import shutil

    from ..embedding import SentenceTransformerEmbedder
    from .datasets import read_dialogues
    from .train import EmbeddingCache, cache_path_for, default_data

    gates = Gates.load(weights, calibration=False)  # collected with the gate's own values
    raw_threshold = gates.cfg.recall_threshold
    trained = gates.cfg.trained.get("config", {})
    seed, val_fraction = trained.get("seed", 0), trained.get("val_fraction", 0.1)
    if dialogues is None:
        dialogues = [d for path in (data or default_data()) for d in read_dialogues(path)]
        if limit := trained.get("max_dialogues"):  # as training cut them, before its split
            dialogues = dialogues[:limit]
    held = held_out_persona(dialogues, seed, val_fraction)
    if not held:
        raise ValueError("no dialogues with personas to calibrate on")
    embedder = SentenceTransformerEmbedder(model)
    cache = EmbeddingCache(embedder, cache_path_for(embedder))
    log(f"{len(held)} held-out dialogues")
    cal = calibrate(gates, held, cache, seed, log)
    cal["fit"]["raw_threshold"] = raw_threshold  # for the output gate's own values
    gates.cfg.calibration = cal
    gates.cfg.recall_threshold = cal["fit"]["threshold"]
    if Path(out).resolve() != Path(weights).resolve():
        shutil.copytree(weights, out, dirs_exist_ok=True)
    gates.save(out)
    card = Path(out) / "MODEL_CARD.md"
    text = card.read_text() if card.is_file() else ""
    text = text.split("\n## Calibration\n")[0].rstrip("\n") + "\n"
    card.write_text(text + CARD_SECTION.format(features=", ".join(cal["features"]), **cal["fit"]))
    return cal
