"""The generator of facts, changes and questions (memory/training/synth.py) that the gates
are trained on beside Persona-Chat."""

from __future__ import annotations

import random

from gatedmem.memory.training import synth


def test_every_slot_fills_every_kind_of_pair():
    """Each slot's templates fill, and each has someone else's version of its news (the
    keep pairs "my sister moved to ..." need one): no slot is left out of any branch."""
    pairs = synth.fact_pairs(random.Random(0), 4000, "all")
    for slot in synth.SLOTS:
        assert slot.name in synth._OTHERS, slot.name
        mine = [p for p in pairs if any(v in p[0] for v in slot.values)]
        assert {y for _, _, y in mine} == {0, 1, 2}, slot.name
    assert all("{" not in a + b for a, b, _ in pairs)
