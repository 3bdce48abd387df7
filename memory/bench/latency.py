"""How much a memory call costs beyond embedding the text, at every size a user reaches.

    gatedmem bench latency --memories 1000,10000,100000 --json latency.json

For each size one user's memory is filled in bulk (precomputed embeddings), then observe
and recall are timed turn by turn against the database on disk, after a warm-up. The
embedder is wrapped so that each call's own embedding time is known: overhead = the
call's time minus the embedding it did. Yardsticks measured in the same run: embedding one
utterance, and a plain NumPy cosine top-k over the same matrix.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import synth
from ..core import GatedMemory
from ..embedding import Embedder, SentenceTransformerEmbedder

DAY = 86400.0


class TimingEmbedder:
    """Wraps an embedder and remembers how long its last call took."""

    def __init__(self, inner: Embedder):
        self.inner = inner
        self.name = inner.name
        self.last = 0.0

    def embed(self, texts):
        t = time.perf_counter()
        out = self.inner.embed(texts)
        self.last = time.perf_counter() - t
        return out


def sentences(rng: random.Random, n: int) -> list[str]:
    """Varied first-person facts, news, remarks and compatible statements."""

    def one() -> str:
        slot = rng.choice(synth.SLOTS)
        a, b = rng.sample(slot.values, 2)
        kind = rng.random()
        if kind < 0.4:
            return synth.fact(rng, slot, a)
        if kind < 0.6:
            return synth.update(rng, slot, a, b)
        if kind < 0.8:
            return rng.choice(slot.related).format(a=a)
        return synth.passing(rng)

    return [one() for _ in range(n)]


def questions(rng: random.Random, n: int) -> list[str]:
    return [q for q, _, _ in synth.fact_questions(rng, n, "all")]


@dataclass
class Pool:
    """Distinct texts embedded once; memories reuse them with jittered vectors."""

    texts: list[str]
    vecs: np.ndarray  # (P, dim)

    @classmethod
    def make(cls, embedder: Embedder, rng: random.Random, size: int = 3000) -> Pool:
        texts = list(dict.fromkeys(sentences(rng, size)))
        return cls(texts, np.asarray(embedder.embed(texts), dtype=np.float32))

    def records(self, n: int, rng: np.random.Generator, start: float) -> list[dict]:
        pick = rng.integers(0, len(self.texts), n)
        noise = rng.normal(0, 0.03, (n, self.vecs.shape[1])).astype(np.float32)
        vecs = self.vecs[pick] + noise
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        created = start + np.sort(rng.uniform(0, 365 * DAY, n))
        return [
            {
                "text": self.texts[p],
                "embedding": v,
                "created_at": float(c),
                "strength": s,
                "strength_at": float(c),
                "half_life": h,
                "input_gate": s,
            }
            for p, v, c, s, h in zip(
                pick,
                vecs,
                created,
                rng.uniform(0.5, 1.0, n).tolist(),
                (rng.uniform(30, 900, n) * DAY).tolist(),
                strict=True,
            )
        ]


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs) * 1000.0, q))


@dataclass
class CallTimes:
    total: list[float] = field(default_factory=list)
    embed: list[float] = field(default_factory=list)

    def summary(self, name: str) -> dict[str, float]:
        over = [t - e for t, e in zip(self.total, self.embed, strict=True)]
        return {
            f"{name}_p50_ms": round(pct(self.total, 50), 3),
            f"{name}_p95_ms": round(pct(self.total, 95), 3),
            f"{name}_p99_ms": round(pct(self.total, 99), 3),
            f"{name}_overhead_p50_ms": round(pct(over, 50), 3),
            f"{name}_overhead_p95_ms": round(pct(over, 95), 3),
            f"{name}_overhead_p99_ms": round(pct(over, 99), 3),
        }


def time_calls(
    mem: GatedMemory,
    emb: TimingEmbedder,
    users: list[str],
    turns: int,
    rng: random.Random,
    at: float,
) -> tuple[CallTimes, CallTimes]:
    says = sentences(rng, turns)
    asks = questions(rng, turns)
    obs, rec = CallTimes(), CallTimes()
    for i in range(turns):
        user = users[i % len(users)]
        t = time.perf_counter()
        mem.observe(says[i], user=user, at=at + i)
        obs.total.append(time.perf_counter() - t)
        obs.embed.append(emb.last)
        t = time.perf_counter()
        mem.recall(asks[i], user=user, at=at + i)
        rec.total.append(time.perf_counter() - t)
        rec.embed.append(emb.last)
    return obs, rec


def embed_p50(embedder: Embedder, rng: random.Random, n: int = 200) -> float:
    texts = sentences(rng, n)
    times = []
    for text in texts:
        t = time.perf_counter()
        embedder.embed([text])
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def numpy_topk_p50(matrix: np.ndarray, queries: np.ndarray, k: int = 10) -> float:
    times = []
    for q in queries:
        t = time.perf_counter()
        sims = matrix @ q
        top = np.argpartition(-sims, k)[:k]
        top[np.argsort(-sims[top])]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_size(
    n: int, pool: Pool, emb: TimingEmbedder, workdir: Path, turns: int, seed: int
) -> dict[str, float]:
    """Fill one user with n memories, warm up, then time observe and recall."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    mem = GatedMemory(f"sqlite:///{workdir / f'size-{n}.db'}", embedder=emb)
    start = time.time() - 400 * DAY
    t = time.perf_counter()
    recs = pool.records(n, nrng, start)
    mem.store.bulk_insert("bench", recs, start)
    fill_s = time.perf_counter() - t
    time_calls(mem, emb, ["bench"], 20, rng, time.time())  # warm-up: caches, lazy loads
    obs, rec = time_calls(mem, emb, ["bench"], turns, rng, time.time())
    matrix = np.stack([r["embedding"] for r in recs])
    qv = np.asarray(emb.inner.embed(questions(rng, 50)), dtype=np.float32)
    out = {
        "memories": n,
        "fill_s": round(fill_s, 2),
        **obs.summary("observe"),
        **rec.summary("recall"),
        "embed_p50_ms": round(embed_p50(emb.inner, rng) * 1000, 3),
        "numpy_topk_p50_ms": round(numpy_topk_p50(matrix, qv) * 1000, 3),
    }
    out["observe_overhead_ratio"] = round(out["observe_overhead_p95_ms"] / out["embed_p50_ms"], 3)
    out["recall_overhead_ratio"] = round(out["recall_overhead_p95_ms"] / out["embed_p50_ms"], 3)
    mem.close()
    return out


def run(
    sizes: list[int],
    turns: int = 200,
    seed: int = 0,
    workdir: Path | None = None,
    embedder: Embedder | None = None,
) -> dict:
    inner = embedder or SentenceTransformerEmbedder()
    emb = TimingEmbedder(inner)
    rng = random.Random(seed)
    pool = Pool.make(inner, rng)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        results = {str(n): run_size(n, pool, emb, Path(tmp), turns, seed) for n in sizes}
    return {"turns": turns, "sizes": results}
