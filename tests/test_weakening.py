"""The forget gate's doubt (its content head's "weaken") is reported, never acted on; and
what it did to a database written while it was (strengths lowered, "weakened" events) is
still read, drawn and undone by restore."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from gatedmem.memory.decay import decayed
from gatedmem.memory.storage import MemoryRow
from gatedmem.memory.timeline import life

T0 = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=3)


def test_a_doubt_leaves_the_memory_and_its_history_as_they_were(fake_memory, monkeypatch):
    fact = fake_memory.add("I live in York.", user="ana", at=T0)
    gates = fake_memory.gates
    monkeypatch.setattr(
        gates, "content_probs", lambda u, m, p, t: np.tile([0.05, 0.95, 0.0], (len(m), 1))
    )
    at = T0 + timedelta(days=1)
    doubt = fake_memory.observe("Not sure I'll still be in York next year.", user="ana", at=at)
    (d,) = [x for x in doubt.decisions if x.memory_id == fact.id]
    assert d.action == "keep" and d.note == "kept: a doubt is not acted on"
    assert d.probabilities["weaken"] == pytest.approx(0.95)
    assert "weakened" not in doubt.to_dict()
    assert [e.kind for e in fake_memory.history(fact.id, at=at)] == ["added"]
    assert fake_memory.get(fact.id, at=at).strength == pytest.approx(
        fake_memory.get(fact.id, at=T0).strength * 2 ** (-1 / fact.half_life_days)
    )


def _weaken_as_before(mem, memory_id: int, at: datetime, value: float) -> None:
    """What the forget gate wrote when it still weakened a memory: its strength lowered
    by ``value`` and a "weakened" event."""
    now = at.timestamp()
    with mem.store.session(write=True) as s:
        row = s.get(MemoryRow, memory_id)
        row.strength, row.strength_at = decayed(row, now) * (1 - value), now
        mem.store.add_event(s, row, now, "weakened", value=value, actor="gate")


def test_restore_undoes_a_weakening_an_older_version_wrote(fake_memory):
    fact = fake_memory.add("I live in York.", user="ana", at=T0)
    at = T0 + timedelta(hours=1)
    _weaken_as_before(fake_memory, fact.id, at, 0.8)
    weak = fake_memory.get(fact.id, at=at)
    assert weak.active and weak.strength < 0.25
    restored = fake_memory.restore(fact.id, at=at)
    assert restored.strength == pytest.approx(1.0)  # an add's input gate counts as 1
    assert [e.kind for e in fake_memory.history(fact.id, at=at)][-2:] == ["weakened", "restored"]
    # Once restored, restoring again changes nothing; nor does it for a memory never weakened.
    again = fake_memory.restore(fact.id, at=at + timedelta(minutes=1))
    assert [e.kind for e in fake_memory.history(fact.id, at=at)].count("restored") == 1
    assert again.strength == pytest.approx(restored.strength, rel=1e-3)
    other = fake_memory.add("I have a cat.", user="ana", at=T0)
    fake_memory.restore(other.id, at=at)
    assert [e.kind for e in fake_memory.history(other.id, at=at)] == ["added"]
    # Recall sees the restored strength at once (the in-process index follows).
    hits = fake_memory.recall("I live in York.", user="ana", at=at, min_score=0.0)
    assert any(h.memory_id == fact.id and h.gates["strength"] > 0.9 for h in hits)


def test_the_timeline_draws_an_old_weakening_as_a_drop(fake_memory):
    fact = fake_memory.add("I live in York.", user="ana", at=T0)
    at = T0 + timedelta(hours=1)
    _weaken_as_before(fake_memory, fact.id, at, 0.5)
    m = fake_memory.get(fact.id, at=at)
    lf = life(m, fake_memory.history(fact.id, at=at), at.timestamp() + 3600)
    # Two stretches: from the add at full strength, and from the weakening at what it left.
    (t0, _, s0, _), (t1, _, s1, _) = lf.stretches
    assert t0 == pytest.approx(T0.timestamp()) and s0 == pytest.approx(1.0)
    assert t1 == pytest.approx(at.timestamp()) and s1 == pytest.approx(m.strength, rel=1e-6)
    assert s1 == pytest.approx(0.5, rel=0.01)  # half of what an hour's decay had left
