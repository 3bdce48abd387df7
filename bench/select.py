"""Choosing a hyper-parameter by leave-one-conversation-out on LoCoMo results.

    gatedmem bench select run-a.json run-b.json run-c.json --max-stored 0.6

Each file is the ``--json`` output of ``gatedmem bench locomo`` for one candidate (weights
trained with one value of the hyper-parameter). For each conversation, the candidate is
chosen on the *other* conversations only (best recall@10 among those storing at most
``max_stored`` of their turns) and scored on the held-out one; the mean of those held-out
scores estimates how the choice does on conversations it was not made on.
"""

from __future__ import annotations

import json
from pathlib import Path


def _pooled(conv: dict[str, dict], ids: list[str]) -> tuple[float, float]:
    """Question-weighted recall@10 and mean stored share over the given conversations."""
    q = sum(conv[c]["questions"] for c in ids)
    r10 = sum(conv[c]["recall@10"] * conv[c]["questions"] for c in ids) / max(q, 1)
    stored = sum(conv[c]["stored_fraction"] for c in ids) / max(len(ids), 1)
    return r10, stored


def _choose(runs: dict[str, dict], ids: list[str], max_stored: float) -> str | None:
    best = None
    for name, conv in runs.items():
        r10, stored = _pooled(conv, ids)
        if stored <= max_stored and (best is None or r10 > best[1]):
            best = (name, r10)
    return best[0] if best else None


def select(files: list[Path], max_stored: float = 0.6) -> dict:
    runs = {}
    for f in files:
        data = json.loads(Path(f).read_text())
        runs[Path(f).stem] = data["systems"]["gated"]["by_conversation"]
    ids = sorted(set.intersection(*(set(c) for c in runs.values())))
    if len(ids) < 2:
        raise ValueError("leave-one-out needs at least two conversations in every file")
    folds = {}
    for held in ids:
        rest = [c for c in ids if c != held]
        chosen = _choose(runs, rest, max_stored)
        folds[held] = {
            "chosen": chosen,
            "recall@10": runs[chosen][held]["recall@10"] if chosen else None,
            "stored_fraction": runs[chosen][held]["stored_fraction"] if chosen else None,
            "questions": runs[next(iter(runs))][held]["questions"],
        }
    scored = [f for f in folds.values() if f["chosen"]]
    q = sum(f["questions"] for f in scored)
    return {
        "candidates": {
            name: dict(zip(("recall@10", "stored_fraction"), _pooled(conv, ids), strict=True))
            for name, conv in runs.items()
        },
        "folds": folds,
        "held_out_recall@10": sum(f["recall@10"] * f["questions"] for f in scored) / max(q, 1),
        "held_out_stored_fraction": sum(f["stored_fraction"] for f in scored) / max(len(scored), 1),
        "chosen_on_all": _choose(runs, ids, max_stored),
    }
