"""Strength over time: exponential decay with a per-memory half-life, computed lazily.

Nothing sweeps the store: a memory's strength is worked out from (strength, strength_at,
half_life, pinned) whenever it is read. These are design constants, not learned values;
the half-life itself is the forget gate's.

What time may do to a memory:
- every memory but a pinned one loses strength, which ranks it lower and makes it the
  first to go when a capacity evicts;
- time alone hides (fades) only what the forget gate judged *passing*: an observed memory
  whose half-life is at most ``PASSING_DAYS``. A memory a person asked to keep (pinned, or
  written with ``add``) and one the gate judged lasting are never hidden by time alone.
"""

from __future__ import annotations

import math
from typing import Protocol

FLOOR = 0.05  # a passing memory whose strength decays below this fades (soft, restorable)
# A half-life this short marks a passing state: less than 5% of it is left a month later.
PASSING_DAYS = 7.0
REINFORCE = 0.3  # recall moves a memory's strength this share of the way back to 1
DAY = 86400.0


class Decaying(Protocol):
    strength: float  # the strength at strength_at
    strength_at: float  # epoch seconds
    half_life: float  # seconds
    pinned: bool
    input_gate: float | None  # None for an explicit add


def decayed(m: Decaying, now: float) -> float:
    """The strength at ``now``; a pinned memory keeps its strength."""
    if m.pinned:
        return m.strength
    dt = max(now - m.strength_at, 0.0)
    return m.strength * 2.0 ** (-dt / m.half_life)


def faded_at(m: Decaying) -> float:
    """When the strength crossed (or will cross) the floor."""
    if m.strength <= FLOOR:
        return m.strength_at
    return m.strength_at + m.half_life * math.log2(m.strength / FLOOR)


def can_fade(pinned: bool, input_gate: float | None, half_life: float) -> bool:
    """Whether time alone may hide a memory: only a passing one that nobody asked to keep."""
    return not pinned and input_gate is not None and half_life <= PASSING_DAYS * DAY


def lifetime(pinned: bool, input_gate: float | None, half_life: float) -> str:
    """How time treats a memory: "kept" (pinned or added: never hidden by time), "passing"
    (hidden once its strength falls below FLOOR) or "lasting" (ranked lower, never hidden)."""
    if pinned or input_gate is None:
        return "kept"
    return "passing" if can_fade(pinned, input_gate, half_life) else "lasting"


def has_faded(m: Decaying, now: float) -> bool:
    return can_fade(m.pinned, m.input_gate, m.half_life) and decayed(m, now) < FLOOR


def reinforced(strength: float) -> float:
    """The strength after a recall."""
    return strength + REINFORCE * (1.0 - strength)
