"""A picture of one user's memories over time, replayed from their history.

Each memory is a strength curve: it starts at its write, decays with its half-life, jumps
when recalled, drops when weakened, stays flat while pinned, and ends where it was
superseded, forgotten, evicted or faded. The curve follows the same rules as the memory
itself (:mod:`memory.decay`), so the picture shows what the memory did, not an approximation.

The time axis spans what happened, so one chat session reads in minutes and a long history
in months or years. When one empty gap takes most of that span (a memory added with ``at=``
years before the rest), the axis is broken in two at the same scale: the rest keeps its
room and the early memory keeps its real date. Each curve has an "#id" tag at its write,
moved until it collides with no other; the keys (memories, symbols) sit outside the plot.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .decay import DAY, FLOOR, REINFORCE
from .types import Event, Memory

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

UTC = timezone.utc  # whatever matplotlibrc says: the offset text names UTC
STARTS = ("written", "added", "imported")
ENDS = ("superseded", "forgotten", "evicted", "faded")
# event kind -> (marker, colour or None for the memory's own, size, label in the key)
MARKS = {
    "written": ("o", None, 26, "written"),
    "recalled": ("^", None, 22, "recalled"),
    "restated": ("^", "tab:green", 22, "said again"),
    "restored": ("P", None, 40, "restored"),
    "superseded": ("X", "tab:red", 55, "superseded"),
    "forgotten": ("s", "black", 36, "forgotten"),
    "evicted": ("D", "tab:purple", 34, "evicted (capacity)"),
    "faded": ("v", "grey", 40, "faded"),
}
KEY_ROWS = 83  # memories in the key and tagged (two full columns); the rest are thin and grey
KEY_COLUMN = 42  # rows in one column of the key (a 9-inch figure)
KEY_CHARS = 34  # a memory's text in the key is cut here, with an ellipsis
MIN_SPAN = 600.0  # seconds: a lone write still gets ten minutes around it
BREAK_GAP = 0.5  # an empty gap longer than this share of the span (and MIN_SPAN) breaks it
MIN_SHARE = 0.12  # the narrow side of a broken axis gets at least this share of the width
# ConciseDateFormatter's offsets (the year, month or day of a short span), naming the zone
OFFSETS = ["UTC", "%Y UTC", "%Y-%b UTC", "%Y-%b-%d UTC", "%Y-%b-%d UTC", "%Y-%b-%d %H:%M UTC"]
# tab10 without its grey (grey means faded), then Dark2: 16 colours that read on white
COLOURS = (
    *("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"),
    *("#bcbd22", "#17becf", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"),
    *("#e6ab02", "#a6761d"),
)


@dataclass(frozen=True)
class Life:
    """One memory's strength over time, as the picture draws it.

    ``stretches`` are (t0, t1, s0, pinned): from t0 to t1 (epoch seconds) the strength
    decays from s0, or stays at s0 while pinned. ``marks`` are (time, strength, kind) for
    the events drawn as symbols, the write first. ``end`` is the event that ended it.
    """

    memory: Memory
    stretches: list[tuple[float, float, float, bool]]
    marks: list[tuple[float, float, str]]
    end: str | None

    def sample(self, lo: float, hi: float, n: int = 40) -> tuple[np.ndarray, np.ndarray]:
        """(times, strengths) inside [lo, hi], with NaN where the curve is interrupted."""
        hl = self.memory.half_life_days * DAY
        ts: list[np.ndarray] = []
        ss: list[np.ndarray] = []
        last = None
        for t0, t1, s0, pinned in self.stretches:
            a, b = max(t0, lo), min(t1, hi)
            if a > b:
                continue
            if last is not None and a != last:
                ts.append(np.array([np.nan]))
                ss.append(np.array([np.nan]))
            grid = np.linspace(a, b, 2 if pinned else n)
            ts.append(grid)
            ss.append(np.full_like(grid, s0) if pinned else s0 * 2.0 ** (-(grid - t0) / hl))
            last = b
        if not ts:
            return np.array([]), np.array([])
        return np.concatenate(ts), np.concatenate(ss)


@dataclass(frozen=True)
class Panel:
    """One stretch of the time axis: epoch seconds shown, and its share of the width."""

    lo: float
    hi: float
    share: float


def life(m: Memory, events: list[Event], end: float) -> Life:
    """Replay a memory's events into its strength curve; if it is still alive after them,
    it runs on to ``end`` (epoch seconds)."""
    hl = m.half_life_days * DAY
    stretches: list[tuple[float, float, float, bool]] = []
    marks: list[tuple[float, float, str]] = []
    s: float | None = None
    t0, pinned, alive, ended = 0.0, False, False, None

    def close(t: float) -> None:  # the current stretch runs to t
        nonlocal s, t0
        if s is None or not alive:
            return
        t = max(t, t0)
        if t > t0:
            stretches.append((t0, t, s, pinned))
        s, t0 = (s if pinned else s * 2 ** (-(t - t0) / hl)), t

    for e in events:
        t = e.at.timestamp()
        close(t)
        if e.kind in STARTS and s is None:
            s, t0, alive = float(e.detail.get("strength", e.value or 1.0)), t, True
            pinned = m.pinned and not any(x.kind == "pinned" for x in events)
            marks.append((t, s, "written"))
        elif e.kind == "restored":
            s, t0, alive, ended = float(e.value or 1.0), t, True, None
            marks.append((t, s, "restored"))
        elif not alive or s is None:
            continue
        elif e.kind in ("recalled", "restated"):
            s = s + REINFORCE * (1 - s)
            marks.append((t, s, e.kind))
        elif e.kind == "weakened" and e.value is not None:  # the forget gate's, until 2026-12
            s = s * (1 - e.value)
        elif e.kind in ("pinned", "unpinned"):
            pinned = e.kind == "pinned"
        elif e.kind in ENDS:
            alive, ended = False, e.kind
            marks.append((t, s, e.kind))
    close(end)
    return Life(m, stretches, marks, ended)


def activity(history: dict[int, list[Event]]) -> list[float]:
    """The times the axis must show: every event but fades (all of them if only fades).

    A fade follows from the half-life, often long after anything happened (a session's
    memories fade weeks later); it is drawn where it falls inside the axis, and otherwise
    its curve runs off the edge.
    """
    times = [e.at.timestamp() for evs in history.values() for e in evs if e.kind != "faded"]
    return times or [e.at.timestamp() for evs in history.values() for e in evs]


def panels(times: list[float]) -> list[Panel]:
    """The time axis for events at ``times`` (epoch seconds): one padded panel over their
    span, or two when one empty gap takes more than half of it and one side holds at least
    three distinct times. Two panels share one scale where they can (a lone write still gets
    MIN_SPAN); the side with fewer events is the narrow one.
    """
    ts = sorted(set(times))
    if not ts:
        ts = [time.time()]
    groups = [(ts[0], ts[-1])]
    if len(ts) >= 4:
        gaps = np.diff(ts)
        i = int(np.argmax(gaps))
        wide = gaps[i] > max(BREAK_GAP * (ts[-1] - ts[0]), MIN_SPAN)
        if wide and max(i + 1, len(ts) - i - 1) >= 3:
            groups = [(ts[0], ts[i]), (ts[i + 1], ts[-1])]
    counts = [sum(a <= t <= b for t in times) or 1 for a, b in groups]
    shares = [min(max(c / sum(counts), MIN_SHARE), 1 - MIN_SHARE) for c in counts]
    spans = [_padded(a, b) for a, b in groups]
    if len(groups) == 1:
        return [Panel(*spans[0], 1.0)]
    main = int(np.argmax(shares))
    per_share = (spans[main][1] - spans[main][0]) / shares[main]
    out = []
    for (lo, hi), share in zip(spans, shares, strict=True):
        if hi - lo < share * per_share:  # widen to the main panel's scale
            mid, half = (lo + hi) / 2, share * per_share / 2
            lo, hi = mid - half, mid + half
        out.append(Panel(lo, hi, share))
    return out


def _padded(lo: float, hi: float) -> tuple[float, float]:
    if hi - lo < MIN_SPAN:
        mid = (lo + hi) / 2
        lo, hi = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    return lo - 0.03 * (hi - lo), hi + 0.05 * (hi - lo)


def figure(user: str, memories: list[Memory], history: dict[int, list[Event]]) -> Figure:
    """The timeline of ``user``'s memories as a matplotlib Figure (Agg canvas, no pyplot).

    Args:
        user: whose memories these are (for the title).
        memories: the memories to draw, as :meth:`GatedMemory.list` returns them.
        history: each memory's events, as :meth:`GatedMemory.history` returns them.

    Returns:
        A Figure whose axes are the panels of the time axis, left to right (two when it is
        broken); the key of memories and the key of symbols are figure legends outside them.
    """
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def num(t) -> np.ndarray:
        """Epoch seconds to matplotlib date numbers; NaN stays NaN."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        out = np.full(t.shape, np.nan)
        ok = np.isfinite(t)
        out[ok] = mdates.date2num((t[ok] * 1e6).astype("datetime64[us]"))
        return out

    parts = panels(activity(history))
    lives = [life(m, history.get(m.id, []), parts[-1].hi) for m in memories]
    lives = [lf for lf in lives if lf.marks]
    ranked = sorted(lives, key=lambda lf: (lf.end is None, len(lf.marks)), reverse=True)
    keyed = {lf.memory.id for lf in ranked[:KEY_ROWS]}
    colour = {}
    for lf in lives:
        if lf.memory.id in keyed:
            colour[lf.memory.id] = COLOURS[len(colour) % len(COLOURS)]

    rows = len(keyed) + (len(lives) > len(keyed))
    ncol = max(1, -(-rows // KEY_COLUMN))
    size = (10 + 3 * ncol, max(5.5, 2.2 + 0.16 * -(-rows // ncol)))
    fig = Figure(figsize=size, dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(
        1, len(parts), sharey=True, squeeze=False, width_ratios=[p.share for p in parts]
    )[0]
    fig.get_layout_engine().set(w_pad=0.04, wspace=0.02 if len(parts) > 1 else 0.0)

    used: set[str] = set()
    for ax, p in zip(axes, parts, strict=True):
        for lf in lives:
            c = colour.get(lf.memory.id, "0.7")
            ts, ss = lf.sample(p.lo, p.hi)
            if len(ts):
                wide = lf.memory.id in keyed
                ax.plot(num(ts), ss, color=c, lw=1.5 if wide else 0.8, alpha=0.9 if wide else 0.6)
            for t, s, kind in lf.marks:
                if p.lo <= t <= p.hi:
                    marker, fixed, area, _ = MARKS[kind]
                    ax.scatter(
                        num(t), [s], marker=marker, s=area, zorder=4, color=fixed or c,
                        edgecolors="white", linewidths=0.4,
                    )  # fmt: skip
                    used.add(kind)
        _supersessions(ax, lives, p, num)
        ax.axhline(FLOOR, color="grey", ls=":", lw=1)
        ax.set_xlim(num([p.lo, p.hi]))
        ticks = mdates.AutoDateLocator(minticks=2 if p.share < 0.3 else 4, maxticks=8, tz=UTC)
        ax.xaxis.set_major_locator(ticks)
        ax.xaxis.set_major_formatter(
            mdates.ConciseDateFormatter(ticks, tz=UTC, offset_formats=OFFSETS)
        )
        ax.grid(alpha=0.25)
    axes[0].set_ylim(0, 1.12)
    axes[0].set_ylabel("strength")
    _break(axes, parts)
    fig.suptitle(_title(user, lives), fontsize=11)

    _keys(fig, [lf for lf in lives if lf.memory.id in keyed], len(lives), colour, used, ncol)

    # Tags go where the layout put the axes: settle the layout, freeze it, then place them.
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    renderer = fig.canvas.get_renderer()
    for ax, p in zip(axes, parts, strict=True):
        writes = [
            (lf.memory.id, *lf.marks[0][:2])
            for lf in lives
            if lf.memory.id in keyed and p.lo <= lf.marks[0][0] <= p.hi
        ]
        _tag(ax, writes, colour, num, renderer)
    return fig


def draw(user: str, memories: list[Memory], history: dict[int, list[Event]], out: Path) -> Path:
    """Draw ``user``'s memories (see :func:`figure`) to ``out``, in the format its suffix
    names (.png, .svg, .pdf); returns ``out``."""
    fig = figure(user, memories, history)
    fig.savefig(out, bbox_inches="tight", pad_inches=0.15)
    return out


def _keys(fig: Figure, keyed: list[Life], total: int, colour, used: set[str], ncol: int) -> None:
    """The key of memories at the right of the plot, the key of symbols below it."""
    from matplotlib.lines import Line2D

    key = [Line2D([], [], color=colour[lf.memory.id], lw=2) for lf in keyed]
    names = [_key_text(lf) for lf in keyed]
    if total > len(keyed):
        key.append(Line2D([], [], color="0.7", lw=1))
        names.append(f"{total - len(keyed)} more (gatedmem memories list)")
    if key:
        fig.legend(
            key, names, loc="outside right upper", ncol=ncol, fontsize=7.5, title="memories",
            title_fontsize=8, handlelength=1.4, labelspacing=0.3, frameon=False,
        )  # fmt: skip
    shown = [k for k in MARKS if k in used]
    symbols = [
        Line2D([], [], ls="", marker=MARKS[k][0], color=MARKS[k][1] or "0.35", markersize=6)
        for k in shown
    ]
    symbols.append(Line2D([], [], color="grey", ls=":", lw=1))
    labels = [MARKS[k][3] for k in shown] + [f"fade floor ({FLOOR:g})"]
    fig.legend(
        symbols, labels, loc="outside lower center", ncol=len(symbols), fontsize=8,
        frameon=False, handletextpad=0.3, columnspacing=1.4,
    )  # fmt: skip


def _title(user: str, lives: list[Life]) -> str:
    ended = {k: sum(lf.end == k for lf in lives) for k in ENDS}
    parts = [f"{len(lives) - sum(ended.values())} alive"]
    parts += [f"{n} {k}" for k, n in ended.items() if n]
    name = repr(user).replace("$", r"\$")  # a pair of dollar signs would start mathtext
    return f"memories of {name} over time: {len(lives)} ({', '.join(parts)})"


def _key_text(lf: Life) -> str:
    """'#id text…' with how it ended: '→ #new' when superseded, '(forgotten)' and so on."""
    m = lf.memory
    text = " ".join(m.text.split())
    if len(text) > KEY_CHARS:
        text = text[: KEY_CHARS - 1].rstrip() + "…"
    text = text.replace("$", r"\$")  # a pair of dollar signs would start mathtext
    if lf.end == "superseded" and m.superseded_by is not None:
        note = f" → #{m.superseded_by}"
    elif lf.end:
        note = f" ({lf.end})"
    else:
        note = " (pinned)" if m.pinned else ""
    return f"#{m.id} {text}{note}"


def _supersessions(ax: Axes, lives: list[Life], p: Panel, num) -> None:
    """A dotted red line from each superseded memory's end to the write that replaced it."""
    start = {lf.memory.id: lf.marks[0][1] for lf in lives}
    for lf in lives:
        new = lf.memory.superseded_by
        for t, s, kind in lf.marks:
            if kind == "superseded" and p.lo <= t <= p.hi and new in start:
                ax.plot(num([t, t]), [s, start[new]], color="tab:red", ls=":", lw=0.9)


def _break(axes, parts: list[Panel]) -> None:
    """Where the axis is broken: no spines, the usual diagonal cuts, and how much is left out
    over the narrow panel."""
    for i in range(len(parts) - 1):
        (left, right), (a, b) = axes[i : i + 2], parts[i : i + 2]
        left.spines["right"].set_visible(False)
        right.spines["left"].set_visible(False)
        right.tick_params(axis="y", left=False)
        cut = dict(marker=[(-1, -1.5), (1, 1.5)], markersize=9, ls="none", color="k", mew=1)
        left.plot([1, 1], [0, 1], transform=left.transAxes, clip_on=False, **cut)
        right.plot([0, 0], [0, 1], transform=right.transAxes, clip_on=False, **cut)
        gap = _duration(b.lo - a.hi)
        if a.share <= b.share:
            left.set_title(f"{gap} earlier", fontsize=8, color="0.35")
        else:
            right.set_title(f"{gap} later", fontsize=8, color="0.35")


def _duration(seconds: float) -> str:
    days = seconds / DAY
    if days >= 365:
        return f"{days / 365.25:.1f} years"
    if days >= 60:
        return f"{days / 30.44:.0f} months"
    if days >= 2:
        return f"{days:.0f} days"
    return f"{seconds / 3600:.0f} hours"


def _tag(ax: Axes, writes, colour: dict[int, str], num, renderer: RendererBase) -> None:
    """Put "#id" by each write, moved up or down (with a leader line when far) until it
    overlaps no other tag and stays inside the axes; a tag with no room is left out."""
    box = ax.get_window_extent(renderer)
    px = ax.figure.dpi / 72  # pixels per point
    placed: list[tuple[float, float, float, float]] = []
    for mid, t, s in sorted(writes, key=lambda w: (w[1], -w[2])):
        ann = ax.annotate(
            f"#{mid}", (num(t)[0], s), xytext=(3, 2), textcoords="offset points", fontsize=7,
            color=colour[mid], ha="left", va="bottom", zorder=5, annotation_clip=False,
            bbox=dict(boxstyle="square,pad=0.05", fc="white", ec="none", alpha=0.75),
        )  # fmt: skip
        ext = ann.get_window_extent(renderer)
        w, h = ext.width / px, ext.height / px  # points
        x0, y0 = ax.transData.transform((num(t)[0], s))
        for dx, dy in _candidates(w, h):
            x, y = x0 + dx * px, y0 + dy * px
            rect = (x - 1, y - 1, x + w * px + 1, y + h * px + 1)
            inside = box.x0 <= rect[0] and rect[2] <= box.x1 and box.y0 <= rect[1]
            if inside and rect[3] <= box.y1 and not any(_overlap(rect, q) for q in placed):
                break
        else:
            ann.remove()
            continue
        placed.append(rect)
        ann.xyann = (dx, dy)
        if abs(dy) > 2 * h:  # far from its point: a leader line to the tag's near edge
            edge = rect[1] if dy > 0 else rect[3]
            ends = [(min(max(x0, rect[0]), rect[2]), edge), (x0, y0)]
            (ex, ey), (wx, wy) = ax.transData.inverted().transform(ends)
            ax.plot([ex, wx], [ey, wy], color=colour[mid], lw=0.5, alpha=0.7, zorder=4.5)


def _candidates(w: float, h: float):
    """Offsets (points) for a w x h tag, nearest first: right of its point, then left,
    then a row further up or down at a time."""
    for k in range(40):
        for dy in (2 + k * (h + 1), -h - 2 - k * (h + 1)):
            yield 3, dy
            yield -w - 3, dy


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
