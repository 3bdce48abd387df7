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

from ..memory.core import GatedMemory
from ..memory.embedding import Embedder, SentenceTransformerEmbedder
from ..memory.training import synth

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
        emb.last = 0.0  # a text embedded moments ago is not embedded again
        t = time.perf_counter()
        mem.observe(says[i], user=user, at=at + i)
        obs.total.append(time.perf_counter() - t)
        obs.embed.append(emb.last)
        emb.last = 0.0
        t = time.perf_counter()
        mem.recall(asks[i], user=user, at=at + i)
        rec.total.append(time.perf_counter() - t)
        rec.embed.append(emb.last)
    return obs, rec


def chat_turns(
    mem: GatedMemory, user: str, turns: int, rng: random.Random, at: float
) -> list[float]:
    """Seconds of each chat-loop turn's memory work: observe a message, then recall for it
    (as chatbot.Chat does), embedding included."""
    out = []
    for i, text in enumerate(sentences(rng, turns)):
        t = time.perf_counter()
        mem.observe(text, user=user, at=at + i)
        mem.recall(text, user=user, at=at + i)
        out.append(time.perf_counter() - t)
    return out


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
    chat = chat_turns(mem, "bench", turns, rng, time.time() + turns)
    matrix = np.stack([r["embedding"] for r in recs])
    qv = np.asarray(emb.inner.embed(questions(rng, 50)), dtype=np.float32)
    out = {
        "memories": n,
        "fill_s": round(fill_s, 2),
        **obs.summary("observe"),
        **rec.summary("recall"),
        "chat_turn_p50_ms": round(pct(chat, 50), 3),
        "chat_turn_p95_ms": round(pct(chat, 95), 3),
        "embed_p50_ms": round(embed_p50(emb.inner, rng) * 1000, 3),
        "numpy_topk_p50_ms": round(numpy_topk_p50(matrix, qv) * 1000, 3),
    }
    out["observe_overhead_ratio"] = round(out["observe_overhead_p95_ms"] / out["embed_p50_ms"], 3)
    out["recall_overhead_ratio"] = round(out["recall_overhead_p95_ms"] / out["embed_p50_ms"], 3)
    mem.close()
    return out


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux), or its peak elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_many_users(
    n_users: int,
    per_user: int,
    pool: Pool,
    emb: TimingEmbedder,
    workdir: Path,
    turns: int,
    seed: int,
    sample: int = 20,
) -> dict:
    """n_users x per_user memories in one database; turns spread over a sample of users."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    mem = GatedMemory(f"sqlite:///{workdir / 'many.db'}", embedder=emb)
    start = time.time() - 400 * DAY
    t = time.perf_counter()
    for u in range(n_users):
        mem.store.bulk_insert(f"user-{u}", pool.records(per_user, nrng, start), start)
    fill_s = time.perf_counter() - t
    users = [f"user-{u}" for u in rng.sample(range(n_users), min(sample, n_users))]
    first = CallTimes()
    for u in users:  # each sampled user's first turn loads their index
        emb.last = 0.0
        tt = time.perf_counter()
        mem.recall(questions(rng, 1)[0], user=u, reinforce=False)
        first.total.append(time.perf_counter() - tt)
        first.embed.append(emb.last)
    time_calls(mem, emb, users, 20, rng, time.time())
    obs, rec = time_calls(mem, emb, users, turns, rng, time.time())
    mem.close()
    first_over = [a - b for a, b in zip(first.total, first.embed, strict=True)]
    return {
        "users": n_users,
        "memories_per_user": per_user,
        "fill_s": round(fill_s, 1),
        "sampled_users": len(users),
        **obs.summary("observe"),
        **rec.summary("recall"),
        "first_turn_overhead_p50_ms": round(pct(first_over, 50), 3),
    }


def run_ingestion(emb: Embedder, workdir: Path, n: int, seed: int) -> dict:
    """observe_many over a long history, beside the model's raw batched throughput."""
    rng = random.Random(seed)
    texts = sentences(rng, n)
    emb.embed(texts[:64])
    t = time.perf_counter()
    for i in range(0, n, 256):
        emb.embed(texts[i : i + 256])
    raw = n / (time.perf_counter() - t)
    mem = GatedMemory(f"sqlite:///{workdir / 'ingest.db'}", embedder=emb)
    mem.observe("warm up the gates", user="warm-up")
    t = time.perf_counter()
    obs = mem.observe_many(texts, user="history", at=time.time() - 30 * DAY)
    ingest = n / (time.perf_counter() - t)
    mem.close()
    return {
        "turns": n,
        "stored": sum(o.stored for o in obs),
        "ingest_turns_per_s": round(ingest, 1),
        "raw_embed_per_s": round(raw, 1),
        "ratio": round(ingest / raw, 3),
    }


def run_cold_start(workdir: Path) -> dict:
    """Fresh processes: import gatedmem; import to first observe; gatedmem chat to its prompt."""
    import os
    import pty
    import select
    import shutil
    import subprocess
    import sys

    def py(code: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
        )
        return float(out.stdout.strip().splitlines()[-1])

    db = workdir / "cold.db"
    imp = py(
        "import time; t = time.perf_counter(); import gatedmem; print(time.perf_counter() - t)"
    )
    first = py(
        "import time; t = time.perf_counter(); import gatedmem; "
        f"m = gatedmem.GatedMemory({str(db)!r}); "
        "m.observe('I just adopted a cat called Miso.', user='cold'); "
        "print(time.perf_counter() - t)"
    )
    out = {"import_memory_s": round(imp, 3), "import_to_first_observe_s": round(first, 3)}
    exe = shutil.which("gatedmem") or str(Path(sys.executable).parent / "gatedmem")
    if Path(exe).exists():
        master, slave = pty.openpty()
        t = time.perf_counter()
        proc = subprocess.Popen(
            [exe, "chat", "--db", str(db), "--user", "cold"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            close_fds=True,
        )
        buf = b""
        while b"you> " not in buf and time.perf_counter() - t < 120:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                buf += os.read(master, 4096)
        out["chat_to_first_prompt_s"] = round(time.perf_counter() - t, 3)
        os.write(master, b"\x04")
        proc.wait(timeout=60)
        os.close(master)
        os.close(slave)
    return out


def run(
    sizes: list[int],
    turns: int = 200,
    seed: int = 0,
    users: int = 1000,
    per_user: int = 1000,
    ingest: int = 3000,
    workdir: Path | None = None,
    embedder: Embedder | None = None,
    log=print,
) -> dict:
    """Every part of the latency benchmark; ``users=0`` skips the many-users case."""
    inner = embedder or SentenceTransformerEmbedder()
    emb = TimingEmbedder(inner)
    rng = random.Random(seed)
    pool = Pool.make(inner, rng)
    out: dict = {"turns": turns, "sizes": {}}
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for n in sizes:
            log(f"size {n:,} ...")
            out["sizes"][str(n)] = run_size(n, pool, emb, Path(tmp), turns, seed)
            out["sizes"][str(n)]["rss_mb"] = round(rss_mb(), 1)
        if users:
            log(f"{users:,} users x {per_user:,} memories ...")
            out["many_users"] = run_many_users(users, per_user, pool, emb, Path(tmp), turns, seed)
        if ingest:
            log(f"ingesting {ingest:,} turns ...")
            out["ingestion"] = run_ingestion(inner, Path(tmp), ingest, seed)
        log("cold start ...")
        out["cold_start"] = run_cold_start(Path(tmp))
    return out
