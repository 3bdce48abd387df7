"""A turn that supersedes a lasting memory lasts as long as that memory, whatever the time
head reads into its wording: turn.decide_turn's Replaces."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import numpy as np
import pytest
from gatedmem.memory.decay import PASSING_DAYS
from gatedmem.memory.decisions import Neighbour
from gatedmem.memory.features import TextCues
from gatedmem.memory.turn import Nearby, Turn, decide_turn

T0 = datetime(2024, 5, 6, 18, 30, tzinfo=timezone.utc)
YEAR_HOURS = 365 * 24.0
OLD = "I take ibuprofen every day for my back."


class NewsGates:
    """Gates that store every turn, give it the time head's ``life`` (two days by default:
    how the shipped time head can read a change told as news) and supersede each neighbour
    with the content head's fixed (keep, weaken, supersede)."""

    def __init__(self, life=48.0, probs=(0.05, 0.0, 0.95)):
        self.life, self.probs = life, np.asarray(probs, dtype=np.float64)
        self.cfg = SimpleNamespace(
            write_threshold=0.5, max_half_life_hours=17520.0, supersede_threshold=0.8
        )

    def p_write(self, vec, tf, extra):
        return np.asarray([0.9])

    def half_life_hours_np(self, vec, tf):
        return np.asarray([self.life])

    has_change_words = False

    def content_probs(self, u, m, pair, u_text):
        return np.repeat(self.probs[None], len(m), 0)


def _decide(gates, lives, text="Stopped the ibuprofen, my back's fine now.", who="user"):
    """``text`` beside one neighbour per half-life in ``lives`` (hours), each saying OLD."""
    vec = np.ones(4, dtype=np.float32) / 2
    neighbours = [
        Neighbour(i + 1, vec, TextCues.of(OLD), 0.7, age_days=30.0, half_life_hours=h, text=OLD)
        for i, h in enumerate(lives)
    ]
    turn = Turn.check(text, "ana", who, None, T0.timestamp(), None, "observe", False)
    near = Nearby(np.asarray([0.7] * len(lives), dtype=np.float32), neighbours)
    return decide_turn(gates, turn, vec, near, ctx=None)


def test_a_change_the_time_head_reads_as_passing_lasts_as_what_it_supersedes():
    d = _decide(NewsGates(), [YEAR_HOURS / 2, YEAR_HOURS])
    assert [s.memory_id for s in d.superseded] == [1, 2]
    assert d.half_life_hours == pytest.approx(YEAR_HOURS)  # the longest-lived of the two
    assert d.replaces is not None and d.replaces.memory_id == 2
    assert d.replaces.time_head_hours == pytest.approx(48.0)
    assert "lasting as memory 2, which it supersedes: half-life 365 days" in d.reason
    assert "not the time head's 2.0" in d.reason


@pytest.mark.parametrize(
    ("gates", "lives", "life"),
    [
        # Nothing superseded: the time head's word stands.
        (NewsGates(probs=(0.9, 0.1, 0.0)), [YEAR_HOURS], 48.0),
        (NewsGates(probs=(0.0, 1.0, 0.0)), [YEAR_HOURS], 48.0),  # a doubt is not acted on
        # What it supersedes would pass too: nothing lasting is left behind.
        (NewsGates(), [PASSING_DAYS * 24], 48.0),
        # A turn the time head already judges lasting keeps its own half-life, even beside
        # a longer-lived memory: the rule never shortens one, nor stretches a lasting one.
        (NewsGates(life=30 * 24.0), [YEAR_HOURS], 30 * 24.0),
        (NewsGates(life=30 * 24.0), [10 * 24.0], 30 * 24.0),
    ],
)
def test_otherwise_the_time_heads_half_life_stands(gates, lives, life):
    d = _decide(gates, lives)
    assert d.replaces is None and d.half_life_hours == pytest.approx(life)
    assert "lasting as" not in d.reason


def test_a_turn_that_only_asks_supersedes_nothing_and_so_lasts_as_the_time_head_says():
    d = _decide(NewsGates(), [YEAR_HOURS], text="Should I stop the ibuprofen?")
    assert d.superseded == [] and d.replaces is None


@pytest.mark.model
def test_a_change_told_as_news_outlives_the_month_and_says_why(real_memory):
    old = real_memory.observe(
        "I'm taking ibuprofen three times a day for my knee.", user="ana", at=T0
    )
    at = T0 + timedelta(days=40)
    new = real_memory.observe("Stopped the ibuprofen, the knee's fine now.", user="ana", at=at)
    assert old.stored and new.stored and new.superseded == [old.memory_id], new.reason
    # What the time head alone gives this wording, and what the memory keeps instead.
    written = [e for e in real_memory.history(new.memory_id) if e.kind == "written"][0]
    assert written.detail["time_head_days"] <= PASSING_DAYS
    assert written.detail["lasts_as"] == old.memory_id
    assert new.half_life_days == pytest.approx(old.half_life_days)
    assert f"lasting as memory {old.memory_id}" in new.reason
    hits = real_memory.recall("Am I on any painkillers?", user="ana", at=at + timedelta(days=60))
    assert new.memory_id in [h.memory_id for h in hits]
    # Another person's memories and turns have no part in it.
    other = real_memory.observe(
        "Stopped the ibuprofen, the knee's fine now.", user="bo", at=at + timedelta(days=1)
    )
    assert other.superseded == [] and "lasting as" not in other.reason
