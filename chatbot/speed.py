"""How fast a responder replies: load time, time to the first chunk, tokens per second.

Responders that count their tokens (``last_tokens``) are measured in tokens; others in
streamed chunks.

    gatedmem bench responder --responder smollm2
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timezone

from ..memory import Observation, Recall

PROMPTS = [
    ("What's my dog's name?", "My dog's name is Biscuit."),
    ("Where do I live?", "I moved to Berlin last week."),
    ("What am I allergic to?", "I'm allergic to peanuts."),
    ("What instrument am I learning?", "I started learning the cello in March."),
    ("Who is my sister?", "My sister Clara is a surgeon in Lyon."),
]


def measure(responder, turns: int = 10) -> dict:
    """Reply ``turns`` times to fixed prompts with one recalled memory each."""
    t0 = time.perf_counter()
    if hasattr(responder, "load"):
        responder.load()
    load_s = time.perf_counter() - t0
    obs = Observation(stored=False, memory_id=None, input_gate=0.0, superseded=[])
    first, rates, tokens = [], [], 0
    for n in range(turns):
        question, fact = PROMPTS[n % len(PROMPTS)]
        mem = [
            Recall(
                memory_id=1,
                text=fact,
                score=0.9,
                gates={},
                created_at=datetime.now(timezone.utc),
                speaker="user",
            )
        ]
        start = time.perf_counter()
        t_first = None
        pieces = 0
        for _piece in responder.reply(question, mem, user="bench", observation=obs):
            if t_first is None:
                t_first = time.perf_counter() - start
            pieces += 1
        total = time.perf_counter() - start
        n = getattr(responder, "last_tokens", 0) or pieces
        first.append(t_first or total)
        rates.append(n / total if total else 0.0)
        tokens += n
    return {
        "responder": responder.name,
        "turns": turns,
        "load_s": round(load_s, 2),
        "first_chunk_p50_s": round(statistics.median(first), 3),
        "unit": "tokens" if getattr(responder, "last_tokens", 0) else "chunks",
        "per_s_p50": round(statistics.median(rates), 1),
        "generated": tokens,
    }
