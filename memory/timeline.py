"""A picture of one user's memories over time, replayed from their history.

Each memory is a strength curve: it starts at its write, decays with its half-life, jumps
when recalled, drops when weakened, stays flat while pinned, and ends where it was
superseded, forgotten or faded. The curve follows the same rules as the memory itself
(:mod:`memory.decay`), so the picture shows what the memory did, not an approximation.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .decay import DAY, REINFORCE
from .types import Event, Memory

ENDS = {"superseded": ("x", "tab:red"), "forgotten": ("s", "black"), "faded": ("v", "grey")}


def curve(m: Memory, events: list[Event], end: float) -> tuple[list[float], list[float]]:
    """(times, strengths) of a memory's strength, sampled between its events."""
    hl = m.half_life_days * DAY
    ts: list[float] = []
    ss: list[float] = []
    s, t0, pinned, alive = None, None, False, False

    def run_to(t: float) -> None:
        nonlocal s, t0
        if s is None or not alive:
            return
        grid = np.linspace(t0, max(t, t0), 24)
        vals = [s if pinned else s * 2 ** (-(g - t0) / hl) for g in grid]
        ts.extend(grid.tolist())
        ss.extend(vals)
        s, t0 = vals[-1], t

    for e in events:
        t = e.at.timestamp()
        run_to(t)
        if e.kind in ("written", "added", "imported") and s is None:
            s, t0, alive = float(e.detail.get("strength", e.value or 1.0)), t, True
            pinned = m.pinned and not any(x.kind == "pinned" for x in events)
        elif e.kind == "recalled" and s is not None:
            s = s + REINFORCE * (1 - s)
        elif e.kind == "weakened" and s is not None and e.value is not None:
            s = s * (1 - e.value)
        elif e.kind == "pinned":
            pinned = True
        elif e.kind == "unpinned":
            pinned = False
        elif e.kind == "restored":
            s, t0, alive = float(e.value or 1.0), t, True
        elif e.kind in ENDS:
            alive = False
        if s is not None:
            ts.append(t)
            ss.append(s)
    run_to(end)
    return ts, ss


def draw(user: str, memories: list[Memory], history: dict[int, list[Event]], out: Path) -> Path:
    """Write a PNG of ``user``'s memories to ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    times = [e.at.timestamp() for evs in history.values() for e in evs]
    now = datetime.now(timezone.utc).timestamp()
    start = min(times) if times else now
    last = max(times) if times else now
    end = last + max((last - start) * 0.1, DAY)
    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=110)
    seen: set[str] = set()

    def once(label: str) -> str | None:
        if label in seen:
            return None
        seen.add(label)
        return label

    def dt(x):
        return [datetime.fromtimestamp(v, tz=timezone.utc) for v in x]

    for m in memories:
        evs = history.get(m.id, [])
        ts, ss = curve(m, evs, end)
        if not ts:
            continue
        (line,) = ax.plot(dt(ts), ss, lw=1.6, alpha=0.85)
        ax.scatter(
            dt([ts[0]]), [ss[0]], color=line.get_color(), s=30, zorder=3, label=once("written")
        )
        label = m.text if len(m.text) <= 38 else m.text[:37] + "…"
        ax.annotate(
            f"#{m.id} {label}",
            (dt([ts[0]])[0], ss[0]),
            fontsize=7,
            xytext=(4, 4),
            textcoords="offset points",
            color=line.get_color(),
        )
        for e in evs:
            t = e.at.timestamp()
            s_at = np.interp(t, ts, ss) if len(ts) > 1 else ss[0]
            if e.kind in ENDS:
                marker, color = ENDS[e.kind]
                ax.scatter(
                    dt([t]), [s_at], marker=marker, color=color, s=55, zorder=4, label=once(e.kind)
                )
            elif e.kind == "recalled":
                ax.scatter(
                    dt([t]),
                    [s_at],
                    marker="^",
                    color=line.get_color(),
                    s=18,
                    zorder=4,
                    label=once("recalled"),
                )
    ax.axhline(0.05, color="grey", ls=":", lw=1, label="fade floor")
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("strength")
    ax.set_title(f"memories of {user!r} over time ({len(memories)} memories)")
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
    ax.legend(loc="upper right", fontsize=8)
    ax.grid(alpha=0.25)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out
