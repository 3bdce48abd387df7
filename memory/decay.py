"""Strength over time: exponential decay with a per-memory half-life, computed lazily.

Nothing sweeps the store: a memory's strength is worked out from (strength, strength_at,
half_life, pinned) whenever it is read. These are design constants, not learned values;
the half-life itself is the forget gate's.
"""

from __future__ import annotations

import math
from typing import Protocol

FLOOR = 0.05  # a memory whose strength decays below this fades (soft-forgotten, restorable)
REINFORCE = 0.3  # recall moves a memory's strength this share of the way back to 1
DAY = 86400.0


class Decaying(Protocol):
    strength: float  # the strength at strength_at
    strength_at: float  # epoch seconds
    half_life: float  # seconds
    pinned: bool


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


def has_faded(m: Decaying, now: float) -> bool:
    return not m.pinned and decayed(m, now) < FLOOR


def reinforced(strength: float) -> float:
    """The strength after a recall."""
    return strength + REINFORCE * (1.0 - strength)
