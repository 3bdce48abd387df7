"""A change of a lasting memory lasts as long as that memory, whatever the time head reads
into its wording: turn.changed_memory, and turn.decide_turn's use of it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import numpy as np
import pytest
from gatedmem.memory.decay import PASSING_DAYS
from gatedmem.memory.turn import Lasting, Nearby, Turn, decide_turn

T0 = datetime(2024, 5, 6, 18, 30, tzinfo=timezone.utc)
YEAR_HOURS = 365 * 24.0


class NewsGate:
    """An input gate that stores everything, and a time head that reads every turn as
    passing (two days): how the shipped time head reads news of the day."""

    cfg = SimpleNamespace(write_threshold=0.5, max_half_life_hours=17520.0)

    def p_write(self, vec, tf, extra):
        return np.asarray([0.9])

    def half_life_hours_np(self, vec, tf):
        return np.asarray([48.0])


def _decide(text: str, lasting: tuple[str, ...], own_texts: tuple[str, ...] = (), who="user"):
    turn = Turn.check(text, "ana", who, None, T0.timestamp(), None, "observe", False)
    near = Nearby(
        similarities=np.asarray([0.6], dtype=np.float32),
        neighbours=[],
        own_texts=own_texts or lasting,
        told_before=lasting,
        lasting_before=tuple(
            Lasting(i + 1, t, YEAR_HOURS, 0.6 - i / 10) for i, t in enumerate(lasting)
        ),
    )
    vec = np.ones(4, dtype=np.float32) / 2
    return decide_turn(NewsGate(), turn, vec, near, ctx=None)


def test_news_of_a_changed_value_lasts_as_the_memory_it_changes():
    d = _decide("got the raise!!! 48,500 starting next month", ("I make 42k a year.",))
    assert d.stored and d.half_life_hours == pytest.approx(YEAR_HOURS)
    assert d.changes is not None and d.changes.memory_id == 1
    assert d.changes.values == ("48,500",) and d.changes.time_head_hours == pytest.approx(48.0)
    assert "lasting like memory 1" in d.reason and "not the time head's 2.0" in d.reason


def test_the_nearest_lasting_memory_that_names_a_value_is_the_one_changed():
    lasting = ("my commute is awful", "I take the 38 bus to work.")
    d = _decide("the new tram gets me in by 8:40 now", lasting)
    assert d.changes is not None and d.changes.memory_id == 2


@pytest.mark.parametrize(
    ("text", "lasting", "own_texts"),
    [
        # Nothing new named, and the forget gate ended nothing: a state of the moment.
        ("stuck in traffic again, ugh", ("I drive a Kia Sportage.",), ()),
        # The value is one the speaker's memories near it already hold.
        ("the Kia's got a flat", ("I drive a Kia Sportage.",), ()),
        (
            "stuck on the M25 in the Kia",
            ("I drive a Kia Sportage.",),
            ("I drive a Kia Sportage.", "My commute is the M25 every day."),
        ),
        # A lasting memory that names no value: nothing there a new value replaces.
        ("exhausted after a shift at St Mary's", ("I work nights as a nurse.",), ()),
        # No lasting memory of the speaker's near it at all.
        ("got the raise!!! 48,500 starting next month", (), ("I was at 42k.",)),
        # Someone else's news, a question and a supposition change nothing of the speaker's.
        ("my brother just got a raise to 60k!", ("I make 42k a year.",), ()),
        ("should I ask for 48,500?", ("I make 42k a year.",), ()),
        ("if they offered me 48,500 I'd take it tomorrow", ("I make 42k a year.",), ()),
    ],
)
def test_what_changes_no_lasting_memory_keeps_the_time_heads_life(text, lasting, own_texts):
    d = _decide(text, lasting, own_texts)
    assert d.stored and d.changes is None
    assert d.half_life_hours == pytest.approx(48.0) and "lasting like" not in d.reason


def test_an_assistants_reply_keeps_the_time_heads_life():
    d = _decide("Congratulations on the raise to 48,500!", ("I make 42k a year.",), who="assistant")
    assert d.changes is None and d.half_life_hours == pytest.approx(48.0)


@pytest.mark.model
def test_a_pay_rise_told_as_news_is_still_recalled_two_months_on(real_memory):
    old = real_memory.observe("I make 42k a year before tax.", user="ana", at=T0)
    at = T0 + timedelta(days=40)
    new = real_memory.observe("got the raise!!! 48,500 starting next month 🎉", user="ana", at=at)
    assert old.stored and new.stored, new.reason
    # What the time head alone gives this wording, and what the memory keeps instead.
    written = [e for e in real_memory.history(new.memory_id) if e.kind == "written"][0]
    assert written.detail["time_head_days"] <= PASSING_DAYS
    assert written.detail["lasts_as"] == old.memory_id
    assert new.half_life_days == pytest.approx(old.half_life_days)
    assert "lasting like memory" in new.reason
    hits = real_memory.recall("How much do I earn?", user="ana", at=at + timedelta(days=60))
    assert new.memory_id in [h.memory_id for h in hits]
    # A state of the moment about the same job, naming nothing new, still passes.
    tired = real_memory.observe(
        "so tired today, work was brutal", user="ana", at=at + timedelta(days=61)
    )
    assert "lasting like" not in tired.reason
