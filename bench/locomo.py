"""Turn-level evidence retrieval on LoCoMo: the gated memory beside plain baselines.

    gatedmem bench locomo ../shared/data/locomo/locomo_dev.json --json locomo.json

Each conversation is streamed turn by turn, in order, with the session dates as time,
through a fresh memory (one memory user per conversation; turns keep their speaker).
Then every category 1-4 question with evidence is asked through ``recall``, and the
score is the share of its evidence turns among the top k returned, averaged over
questions. In the same run and on the same embeddings: every turn stored and ranked by
cosine, by BM25, by the two fused by reciprocal rank (k = 60), and most recent first.

The gated memory is run as the chat loop uses it: each turn is observed and then recalled
for (which reinforces what it returns, and is the "use" of least-recently-used eviction).
It is also run with its memory capped at 50%, 25% and 10% of the turns (the gates choose
what goes, against first-in-first-out and least-recently-used eviction), and with each gate
replaced by its trivial version (store all, never decay, plain cosine).
"""

from __future__ import annotations

import math
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from ..memory.core import GatedMemory
from ..memory.embedding import Embedder, SentenceTransformerEmbedder
from ..memory.features import tokens
from ..memory.index import IndexRow, UserIndex
from ..memory.training.datasets import Dialogue, read_locomo

KS = (1, 5, 10, 20)
RRF_K = 60
CHAT_K = 5  # what the chat loop recalls for each message while the conversation streams


class TableEmbedder:
    """Serves precomputed embeddings, so every system sees the same vectors."""

    def __init__(self, inner: Embedder, texts: list[str]):
        self.inner = inner
        self.name = inner.name
        uniq = list(dict.fromkeys(texts))
        vecs = np.asarray(inner.embed(uniq), dtype=np.float32)
        self.table = dict(zip(uniq, vecs, strict=True))

    def embed(self, texts):
        missing = [t for t in texts if t not in self.table]
        if missing:
            self.table.update(zip(missing, np.asarray(self.inner.embed(missing)), strict=True))
        return np.stack([self.table[t] for t in texts])


def turn_text(speaker: str, text: str) -> str:
    return f"{speaker}: {text}"


def recall_at(ranked: list[str], evidence: list[str], k: int) -> float:
    top = set(ranked[:k])
    return sum(e in top for e in evidence) / len(evidence)


def questions(d: Dialogue) -> list:
    refs = {t.ref for t in d.turns}
    return [
        q
        for q in d.questions
        if q.category in (1, 2, 3, 4) and q.evidence and all(e in refs for e in q.evidence)
    ]


def baselines(d: Dialogue, emb: TableEmbedder, qs: list) -> dict[str, list[list[str]]]:
    """Rankings of all turns by cosine, BM25, their RRF fusion, and recency, per question."""
    texts = [turn_text(t.speaker, t.text) for t in d.turns]
    refs = [t.ref for t in d.turns]
    vecs = emb.embed(texts)
    idx = UserIndex.build(
        [
            IndexRow(i, v, x, 0.0, 1.0, 0.0, 1.0, False, None)
            for i, (v, x) in enumerate(zip(vecs, texts, strict=True))
        ],
        vecs.shape[1],
        0,
    )
    out: dict[str, list[list[str]]] = {"cosine": [], "bm25": [], "fused": [], "recent": []}
    n = max(KS)
    for q in qs:
        qv = emb.embed([q.text])[0]
        cos = vecs @ qv
        bm = idx.bm25(tokens(q.text))
        by_cos = np.argsort(-cos, kind="stable")
        by_bm = np.argsort(-bm, kind="stable")
        rrf = np.zeros(len(texts))
        rrf[by_cos] += 1.0 / (RRF_K + 1 + np.arange(len(texts)))
        rrf[by_bm] += 1.0 / (RRF_K + 1 + np.arange(len(texts)))
        out["cosine"].append([refs[i] for i in by_cos[:n]])
        out["bm25"].append([refs[i] for i in by_bm[:n]])
        out["fused"].append([refs[i] for i in np.argsort(-rrf, kind="stable")[:n]])
        out["recent"].append(refs[::-1][:n])
    return out


def gated(
    d: Dialogue,
    emb: TableEmbedder,
    qs: list,
    workdir: Path,
    weights=None,
    budget: float | None = None,
    eviction: str = "gate",
    ablate: tuple[str, ...] = (),
    offtopic: tuple[str, ...] = (),
) -> tuple[list, dict]:
    """Stream the conversation through a fresh GatedMemory as the chat loop does (observe
    each turn, then recall for it, which reinforces what it returns), then rank the stored
    memories for each question. ``budget`` caps the memory at that share of the turns.
    Each question is also asked at the default threshold (what a reply is handed), and each
    of the ``offtopic`` requests (about nothing in the conversation) at the default k."""
    capacity = max(1, math.ceil(budget * len(d.turns))) if budget else None
    name = f"{d.id}-{budget}-{eviction}-{'-'.join(ablate)}.db"
    mem = GatedMemory(
        f"sqlite:///{workdir / name}",
        embedder=emb,
        weights=weights,
        capacity=capacity,
        eviction=eviction,
        ablate=ablate,
    )
    obs_t, rec_t = [], []
    stored = 0
    kept: set[str] = set()  # dia_ids the input gate stored
    for t in d.turns:
        text = turn_text(t.speaker, t.text)
        t0 = time.perf_counter()
        o = mem.observe(text, user=d.id, speaker=t.speaker, at=t.at, metadata={"dia_id": t.ref})
        obs_t.append(time.perf_counter() - t0)
        stored += o.stored
        if o.stored:
            kept.add(t.ref)
        mem.recall(text, user=d.id, k=CHAT_K, at=t.at, exclude=[o.memory_id] if o.stored else [])
    end = max(t.at for t in d.turns) + 3600
    ranked, pairs, returned, answered = [], [], [], []
    for q in qs:
        t0 = time.perf_counter()
        # Ranked, not cut off at the gate's threshold: recall@k scores a ranking of k.
        hits = mem.recall(q.text, user=d.id, k=max(KS), at=end, reinforce=False, min_score=0.0)
        rec_t.append(time.perf_counter() - t0)
        ranked.append([h.metadata.get("dia_id") for h in hits])
        pairs += [(h.score, h.metadata.get("dia_id") in q.evidence) for h in hits]
        # At the default threshold: what a reply would be handed.
        passed = mem.recall(q.text, user=d.id, k=max(KS), at=end, reinforce=False)
        returned.append(len(passed))
        answered.append(any(h.metadata.get("dia_id") in q.evidence for h in passed))
    # Requests about nothing in the conversation, at the default threshold and k.
    silent = [not mem.recall(t, user=d.id, at=end, reinforce=False) for t in offtopic]
    left = mem.list(user=d.id, at=end) if stored else []
    held = {m.metadata.get("dia_id") for m in left}  # dia_ids still in memory at the end
    mem.close()
    return ranked, {
        "stored": stored,
        "kept": kept,
        "active": len(left),
        "held": held,
        "observe_s": obs_t,
        "recall_s": rec_t,
        "returned": returned,
        "answered": answered,
        "pairs": pairs,
        "silent": silent,
    }


def evidence_kept(kept: set[str], qs: list) -> list[float]:
    """Per question, the share of its evidence turns that were stored at all."""
    return [sum(e in kept for e in q.evidence) / len(q.evidence) for q in qs]


def longest(d: Dialogue, n: int) -> set[str]:
    """The n turns with the most words: a yardstick for what the input gate keeps."""
    by_len = sorted(d.turns, key=lambda t: -len(tokens(t.text)))
    return {t.ref for t in by_len[:n]}


def score(ranked: list[list[str]], qs: list) -> dict:
    out = {
        f"recall@{k}": round(
            float(np.mean([recall_at(r, q.evidence, k) for r, q in zip(ranked, qs, strict=True)])),
            4,
        )
        for k in KS
    }
    cats = sorted({q.category for q in qs})
    out["by_category"] = {
        str(c): round(
            float(
                np.mean(
                    [
                        recall_at(r, q.evidence, 10)
                        for r, q in zip(ranked, qs, strict=True)
                        if q.category == c
                    ]
                )
            ),
            4,
        )
        for c in cats
    }
    return out


def offtopic_dir() -> Path:
    """``benchdata/offtopic`` of the source checkout this module runs from."""
    return Path(__file__).resolve().parents[1] / "benchdata" / "offtopic"


OFFTOPIC_SETS = ("requests", "heldout")  # benchdata/offtopic/*.jsonl, in this order


def read_offtopic(path: str | Path | None = None) -> list[dict]:
    """Hand-written off-topic requests, each tagged with its ``set`` (the file's stem): by
    default both sets of the checkout's benchdata/offtopic (see its README: "requests"
    was used in choosing the calibration's inputs, "heldout" never was); an installed
    package has none, and then none are asked."""
    import json

    if path is None:
        paths = [offtopic_dir() / f"{name}.jsonl" for name in OFFTOPIC_SETS]
        paths = [p for p in paths if p.is_file()]
    else:
        paths = [Path(path)]
        if not paths[0].is_file():
            raise ValueError(f"no off-topic requests at {path}; pass a benchdata/offtopic file")
    return [
        json.loads(line) | {"set": p.stem}
        for p in paths
        for line in p.read_text().splitlines()
        if line.strip()
    ]


def calibration(pairs: list[tuple[float, bool]], bins: int = 10) -> dict:
    """Expected calibration error of scores against relevance, over equal-width bins: the
    share of candidates in each bin, times the gap between its mean score and the share of
    it that is relevant, summed."""
    if not pairs:
        return {"ece": None, "candidates": 0, "bins": []}
    scores = np.asarray([p[0] for p in pairs], dtype=np.float64)
    rel = np.asarray([p[1] for p in pairs], dtype=np.float64)
    which = np.minimum((scores * bins).astype(int), bins - 1)
    out, ece = [], 0.0
    for b in range(bins):
        inside = which == b
        n = int(inside.sum())
        if not n:
            continue
        conf, acc = float(scores[inside].mean()), float(rel[inside].mean())
        ece += n / len(pairs) * abs(conf - acc)
        out.append(
            {
                "from": b / bins,
                "to": (b + 1) / bins,
                "candidates": n,
                "mean_score": round(conf, 4),
                "relevant": round(acc, 4),
            }
        )
    return {"ece": round(ece, 4), "candidates": len(pairs), "bins": out}


def reliability_png(cal: dict, path: Path, title: str) -> None:
    """A reliability diagram: each bin's share relevant against its mean score, with the
    share of candidates in each bin below."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(5, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    bins = cal["bins"]
    mids = [(b["from"] + b["to"]) / 2 for b in bins]
    top.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="calibrated")
    top.plot([b["mean_score"] for b in bins], [b["relevant"] for b in bins], "o-", label="gated")
    top.set_ylabel("share of candidates relevant")
    top.set_xlim(0, 1)
    top.set_ylim(0, 1)
    top.set_title(f"{title} (ECE {cal['ece']})")
    top.legend(loc="upper left")
    share = [b["candidates"] / cal["candidates"] for b in bins]
    bottom.bar(mids, share, width=0.09)
    bottom.set_xlabel("Recall.score")
    bottom.set_ylabel("share of candidates")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


BUDGETS = (0.5, 0.25, 0.1)
EVICTIONS = ("gate", "fifo", "lru")
ABLATIONS = {"store_all": ("input",), "never_decay": ("forget",), "plain_cosine": ("output",)}


def run(
    path: str | Path,
    conversations: list[str] | None = None,
    embedder: Embedder | None = None,
    log=print,
    weights=None,
    budgets: tuple[float, ...] = BUDGETS,
    ablations: bool = True,
    offtopic: list[dict] | None = None,
    plots: Path | None = None,
    title: str = "LoCoMo",
) -> dict:
    """Every system over the conversations in ``path`` (LoCoMo's format); ``title`` titles
    the reliability diagram written into ``plots``."""
    dialogues = read_locomo(path)
    offtopic = read_offtopic() if offtopic is None else offtopic
    off_texts = tuple(r["text"] for r in offtopic)
    if conversations:
        dialogues = [d for d in dialogues if d.id in conversations]
        missing = set(conversations) - {d.id for d in dialogues}
        if missing:
            raise ValueError(f"no conversation {', '.join(sorted(missing))} in {path}")
    inner = embedder or SentenceTransformerEmbedder()
    all_texts = [turn_text(t.speaker, t.text) for d in dialogues for t in d.turns]
    all_texts += [q.text for d in dialogues for q in d.questions]
    all_texts += list(off_texts)
    emb = TableEmbedder(inner, all_texts)
    ranked: dict[str, list] = {"gated": [], "cosine": [], "bm25": [], "fused": [], "recent": []}
    variants: dict[tuple, dict] = {}  # (kind, key) -> {"ranked": [...], "stored": n, "active": n}
    all_qs, stored, active, turns, obs_t, rec_t, returned = [], 0, 0, 0, [], [], []
    kept_ev, longest_ev, pairs, answered, silent = [], [], [], [], []
    per_conv: dict[str, dict] = {}
    runs = [("budget", (b, e)) for b in budgets for e in EVICTIONS]
    if ablations:
        runs += [("ablation", (name,)) for name in ABLATIONS]
    with tempfile.TemporaryDirectory() as tmp:
        for d in dialogues:
            qs = questions(d)
            log(f"{d.id}: {len(d.turns)} turns, {len(qs)} questions")
            g, info = gated(d, emb, qs, Path(tmp), weights, offtopic=off_texts)
            kept_ev += evidence_kept(info["kept"], qs)
            pairs += info["pairs"]
            answered += info["answered"]
            silent += info["silent"]
            longest_ev += evidence_kept(longest(d, info["stored"]), qs)
            per_conv[d.id] = {
                "recall@10": score(g, qs)["recall@10"] if qs else None,
                "stored_fraction": round(info["stored"] / len(d.turns), 4),
                "questions": len(qs),
                "answered": _share(info["answered"]),
                "median_returned": statistics.median(info["returned"]) if qs else None,
                "offtopic_silent": _share(info["silent"]),
                "ece": calibration(info["pairs"])["ece"],
            }
            ranked["gated"] += g
            for name, r in baselines(d, emb, qs).items():
                ranked[name] += r
            all_qs += qs
            stored += info["stored"]
            active += info["active"]
            turns += len(d.turns)
            obs_t += info["observe_s"]
            rec_t += info["recall_s"]
            returned += info["returned"]
            for kind, key in runs:
                if kind == "budget":
                    g, info = gated(d, emb, qs, Path(tmp), weights, budget=key[0], eviction=key[1])
                else:
                    g, info = gated(d, emb, qs, Path(tmp), weights, ablate=ABLATIONS[key[0]])
                v = variants.setdefault(
                    (kind, key),
                    {"ranked": [], "stored": 0, "active": 0, "held": [], "rule": [], "conv": {}},
                )
                v["ranked"] += g
                v["conv"][d.id] = score(g, qs)["recall@10"] if qs else None
                v["stored"] += info["stored"]
                v["active"] += info["active"]
                v["held"] += evidence_kept(info["held"], qs)
                if kind == "budget":  # the length rule holding as many turns
                    v["rule"] += evidence_kept(longest(d, math.ceil(key[0] * len(d.turns))), qs)
    systems = {name: score(r, all_qs) for name, r in ranked.items()}
    for name in systems:
        systems[name]["stored_fraction"] = 1.0
    systems["gated"]["stored_fraction"] = round(stored / turns, 4)
    systems["gated"]["active_fraction"] = round(active / turns, 4)
    systems["gated"]["by_conversation"] = per_conv
    # How much of the questions' evidence the input gate stored, beside storing the same
    # number of turns of each conversation chosen by length alone.
    systems["gated"]["evidence_stored"] = round(float(np.mean(kept_ev)), 4) if kept_ev else 0.0
    systems["gated"]["evidence_stored_by_length"] = (
        round(float(np.mean(longest_ev)), 4) if longest_ev else 0.0
    )
    budgets_out: dict[str, dict] = {}
    ablations_out: dict[str, dict] = {}
    for (kind, key), v in variants.items():
        result = score(v["ranked"], all_qs)
        result["stored_fraction"] = round(v["stored"] / turns, 4)
        result["active_fraction"] = round(v["active"] / turns, 4)
        result["by_conversation"] = v["conv"]  # recall@10
        # How much of the questions' evidence is still in memory when they are asked.
        result["evidence_held"] = round(float(np.mean(v["held"])), 4) if v["held"] else 0.0
        if kind == "budget":
            result["evidence_held_by_length"] = (
                round(float(np.mean(v["rule"])), 4) if v["rule"] else 0.0
            )
            budgets_out.setdefault(f"{round(key[0] * 100)}%", {})[key[1]] = result
        else:
            ablations_out[key[0]] = result
    pct = lambda xs, q: round(float(np.percentile(np.asarray(xs) * 1000, q)), 3)  # noqa: E731
    cal = calibration(pairs)
    if plots is not None:
        plots.mkdir(parents=True, exist_ok=True)
        reliability_png(cal, plots / "reliability.png", f"{title}, gated, k=20")
    paired = zip_conversations(silent, offtopic)
    per_kind = {
        k: _share([s for s, r in paired if r.get("kind", "") == k])
        for k in sorted({r.get("kind", "") for r in offtopic})
    }
    per_set = {
        name: {
            "requests": sum(r.get("set", "") == name for r in offtopic),
            "silent": _share([s for s, r in paired if r.get("set", "") == name]),
        }
        for name in dict.fromkeys(r.get("set", "") for r in offtopic)
    }
    return {
        "questions": len(all_qs),
        "turns": turns,
        "conversations": [d.id for d in dialogues],
        "systems": systems,
        "budgets": budgets_out,
        "ablations": ablations_out,
        "latency_ms": {
            "observe_p50": pct(obs_t, 50),
            "observe_p95": pct(obs_t, 95),
            "recall_p50": pct(rec_t, 50),
            "recall_p95": pct(rec_t, 95),
        },
        "median_returned": statistics.median(returned) if returned else 0,
        # At the default threshold (k=20): questions handed at least one evidence turn.
        "answered": _share(answered),
        "calibration": cal,
        "abstention": {
            "requests": len(offtopic),
            "silent": _share(silent),  # share of (conversation, request) pairs returning []
            "by_kind": per_kind,
            "by_set": per_set,
        },
    }


def _share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def zip_conversations(flags: list[bool], requests: list[dict]):
    """Pairs (flag, request) of flags made conversation by conversation over every request."""
    n = len(requests)
    return [(f, requests[i % n]) for i, f in enumerate(flags)]
