"""What ``gatedmem serve`` adds to a chat request beyond the upstream's own time.

    gatedmem bench proxy --memories 10000 --turns 200

One user's memory is filled in bulk (as ``bench latency`` does); the proxy runs in this
process on loopback, in front of an upstream that answers at once. Each request is sent
twice by the same HTTP client, straight to the upstream and through the proxy, streamed and
not: what the proxy adds is the difference, request by request. The message is observed
while the upstream answers and the reply after the answer, off the request's path: what is
left of that work once the answer is out is reported on its own, and the next request is
sent when it is done, as a person reads a reply before writing the next message. The
yardstick, one embedding of another utterance on a worker thread (where the proxy embeds),
is timed after each request, under the same conditions.
"""

from __future__ import annotations

import contextlib
import json
import random
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from ..memory.core import GatedMemory
from ..memory.embedding import Embedder, SentenceTransformerEmbedder
from .latency import DAY, Pool, pct, sentences

USER = "bench"
WARM_UP = 20  # requests before the timed ones (caches, lazy imports, connections)


class LoopbackUpstream:
    """An OpenAI-compatible endpoint on 127.0.0.1 that answers "Noted: " and the user's
    message, streamed (three events and [DONE]) or not, at once or after ``delay`` seconds
    (a model's time to answer)."""

    def __init__(self, delay: float = 0.0) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                answer = "Noted: " + body["messages"][-1]["content"]
                if delay:
                    time.sleep(delay)
                if body.get("stream"):
                    pieces = [answer[:7], answer[7:20], answer[20:]]
                    events = [{"choices": [{"index": 0, "delta": {"content": p}}]} for p in pieces]
                    lines = [f"data: {json.dumps(e)}\n\n" for e in events] + ["data: [DONE]\n\n"]
                    data, ctype = "".join(lines).encode(), "text/event-stream"
                else:
                    msg = {"role": "assistant", "content": answer}
                    data = json.dumps({"choices": [{"index": 0, "message": msg}]}).encode()
                    ctype = "application/json"
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> LoopbackUpstream:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def serving(app, timeout: float = 30.0) -> Iterator[str]:
    """An ASGI app under uvicorn on a free 127.0.0.1 port, in a thread; yields its URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)


def _send(client: httpx.Client, url: str, body: dict) -> float:
    """Seconds from sending a chat request to the end of its answer."""
    t = time.perf_counter()
    with client.stream("POST", f"{url}/chat/completions", json=body) as resp:
        for _ in resp.iter_raw():
            pass
    resp.raise_for_status()
    return time.perf_counter() - t


def _settle(queues, limit: float = 30.0) -> float:
    """Seconds until the memory calls queued after the answer (its observation) are done."""
    t = time.perf_counter()
    while queues.pending and time.perf_counter() - t < limit:
        time.sleep(0.0002)
    return time.perf_counter() - t


@dataclass
class Rig:
    """What a timed turn goes through."""

    client: httpx.Client
    upstream: str  # base URLs
    proxy: str
    queues: Any  # the proxy's servers.rest.UserQueues
    embedder: Embedder
    worker: ThreadPoolExecutor  # one thread, kept, like the proxy's worker threads


def time_turns(rig: Rig, texts: list[str], others: list[str], stream: bool) -> dict:
    """Each text as one chat request, straight to the upstream and then through the proxy;
    after each, the memory work left once the answer is out, and the yardstick under the
    same conditions: one embedding of another text on a worker thread, where the proxy
    embeds (and, for comparison, on the main thread, where a script would)."""
    out: dict[str, list[float]] = {
        "direct": [],
        "proxied": [],
        "after": [],
        "embed": [],
        "embed_main": [],
    }
    for text, other in zip(texts, others, strict=True):
        body = {
            "model": "bench",
            "user": USER,
            "stream": stream,
            "messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "user", "content": text},
            ],
        }
        out["direct"].append(_send(rig.client, rig.upstream, body))
        out["proxied"].append(_send(rig.client, rig.proxy, body))
        out["after"].append(_settle(rig.queues))
        out["embed"].append(rig.worker.submit(_timed_embed, rig.embedder, other).result())
        out["embed_main"].append(_timed_embed(rig.embedder, other))
    return out


def _timed_embed(embedder: Embedder, text: str) -> float:
    t = time.perf_counter()
    embedder.embed([text])
    return time.perf_counter() - t


def summary(times: dict[str, list[float]]) -> dict[str, float]:
    added = [p - d for p, d in zip(times["proxied"], times["direct"], strict=True)]
    embed_ms = pct(times["embed"], 50)
    out = {
        "direct_p50_ms": round(pct(times["direct"], 50), 3),
        "direct_p95_ms": round(pct(times["direct"], 95), 3),
        "proxied_p50_ms": round(pct(times["proxied"], 50), 3),
        "proxied_p95_ms": round(pct(times["proxied"], 95), 3),
        "added_p50_ms": round(pct(added, 50), 3),
        "added_p95_ms": round(pct(added, 95), 3),
        "after_answer_p50_ms": round(pct(times["after"], 50), 3),
        "after_answer_p95_ms": round(pct(times["after"], 95), 3),
        "embed_p50_ms": round(embed_ms, 3),
        "embed_p95_ms": round(pct(times["embed"], 95), 3),
        "embed_main_thread_p50_ms": round(pct(times["embed_main"], 50), 3),
        "added_p50_ratio": round(pct(added, 50) / embed_ms, 3),
        "added_p95_ratio": round(pct(added, 95) / embed_ms, 3),
        # the tail against the embedding's own tail: at p95, how many embeddings at p95
        "added_p95_per_embed_p95": round(pct(added, 95) / pct(times["embed"], 95), 3),
    }
    return out


def _server_parts() -> str:
    """The event loop and HTTP parser uvicorn picks ("auto"): uvloop and httptools when
    they are installed (the serve extra installs them)."""
    from importlib.util import find_spec

    loop = "uvloop" if find_spec("uvloop") else "asyncio"
    return f"{loop} + {'httptools' if find_spec('httptools') else 'h11'}"


def run(
    memories: int = 10_000,
    turns: int = 200,
    seed: int = 0,
    workdir: Path | None = None,
    embedder: Embedder | None = None,
    upstream_ms: float = 0.0,
    log=print,
) -> dict:
    """The proxy's added time per request, streamed and not, at ``memories`` memories, in
    front of an upstream that takes ``upstream_ms`` to answer."""
    from ..servers.proxy import create_app

    inner = embedder or SentenceTransformerEmbedder()
    rng = random.Random(seed)
    log("embedding the pool of texts ...")
    pool = Pool.make(inner, rng)
    texts = sentences(rng, 2 * turns + WARM_UP)
    others = sentences(rng, 2 * turns + WARM_UP)
    parts = {
        "warm-up": (slice(0, WARM_UP), True),
        "stream": (slice(WARM_UP, WARM_UP + turns), True),
        "json": (slice(WARM_UP + turns, None), False),
    }
    times = {}
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        mem = GatedMemory(f"sqlite:///{Path(tmp) / 'proxy.db'}", embedder=inner)
        start = time.time() - 400 * DAY
        t = time.perf_counter()
        records = pool.records(memories, np.random.default_rng(seed), start)
        mem.store.bulk_insert(USER, records, start)
        fill_s = time.perf_counter() - t
        mem.warm_up()
        log(
            f"{memories:,} memories; timing {turns} requests, streamed and not "
            f"(uvicorn on {_server_parts()}) ..."
        )
        with LoopbackUpstream(upstream_ms / 1000) as up:
            app = create_app(mem, up.url)
            with (
                serving(app) as base,
                httpx.Client(trust_env=False, timeout=30) as client,
                ThreadPoolExecutor(1) as worker,
            ):
                rig = Rig(client, up.url, f"{base}/v1", app.state.gatedmem.queues, inner, worker)
                for mode, (part, stream) in parts.items():
                    times[mode] = time_turns(rig, texts[part], others[part], stream)
        mem.close()
    return {
        "memories": memories,
        "turns": turns,
        "upstream_ms": upstream_ms,
        "server": _server_parts(),
        "fill_s": round(fill_s, 2),
        "stream": summary(times["stream"]),
        "json": summary(times["json"]),
    }
