"""Recall's order between two memories about one thing: the newer first, when it may update.

The rule (memory.ranking._newer_first) is checked on a hand-built index, so each condition
is seen to matter on its own, with the forget gate's judgement of a change (the ``judge``)
stood in for; tests/test_behaviour.py checks it with the real model and gates.
"""

from __future__ import annotations

import numpy as np
import pytest
from gatedmem.memory.decay import DAY
from gatedmem.memory.features import asks_about_past
from gatedmem.memory.index import IndexRow, UserIndex
from gatedmem.memory.ranking import SAME_THING, _newer_first
from gatedmem.memory.turn import NEIGHBOUR_MIN_COS

T0 = 1_700_000_000.0
OLD = "I live in Manchester, been here six years."
NEW = "Got the keys to our new place in Bristol yesterday."


def _vec(cos_with_first: float) -> np.ndarray:
    """A unit vector whose cosine with (1, 0, 0, 0) is the one given."""
    return np.asarray([cos_with_first, np.sqrt(1 - cos_with_first**2), 0, 0], np.float32)


def never(*args) -> bool:
    return False


def always(*args) -> bool:
    return True


def _order(rows: list[tuple[str, float, float, str]], judge=never) -> tuple[list[int], list[int]]:
    """_newer_first over rows of (text, cosine with the first row, days after T0, speaker),
    handed over in the order given; ``judge`` says whether a pair tells a change."""
    idx = UserIndex.build(
        [
            IndexRow(i, _vec(c), text, T0 + days * DAY, 1.0, T0, 1e9, False, 1.0, speaker)
            for i, (text, c, days, speaker) in enumerate(rows)
        ],
        4,
        0,
    )
    pool = np.arange(len(rows), dtype=np.int64)
    return _newer_first(idx, pool, idx.vectors(pool), list(range(len(rows))), judge)


def test_a_newer_memory_about_the_same_thing_goes_first():
    order, moved = _order([(OLD, 1.0, 0, "user"), (NEW, 0.8, 30, "user")])
    assert order == [1, 0] and moved == [1]


@pytest.mark.parametrize(
    "new",
    [
        (NEW, SAME_THING - 0.1, 30, "user"),  # about something else
        (NEW, 0.8, 0.1, "user"),  # said the same day: it goes on with the topic
        (NEW, 0.8, 30, "Jo"),  # another speaker's
        (NEW, 0.8, 30, "assistant"),  # an assistant's
        ("If we ever moved to Bristol I'd want a garden.", 0.8, 30, "user"),  # a supposition
        ("Should we move to Bristol?", 0.8, 30, "user"),  # a question
        ("My sister just moved to Bristol.", 0.8, 30, "user"),  # someone else's news
    ],
)
def test_what_cannot_update_the_older_memory_stays_after_it(new):
    order, moved = _order([(OLD, 1.0, 0, "user"), new])
    assert order == [0, 1] and moved == []


def test_a_newer_memory_worded_apart_goes_first_when_the_gate_judges_it_a_change():
    calls = []

    def judge(idx, new, old, new_vec, old_vec, cos):
        calls.append((new, old, round(cos, 3)))
        return True

    order, moved = _order([(OLD, 1.0, 0, "user"), (NEW, SAME_THING - 0.1, 30, "user")], judge)
    assert order == [1, 0] and moved == [1]
    assert calls == [(1, 0, round(SAME_THING - 0.1, 3))]


def test_the_gate_is_asked_only_about_pairs_worded_apart():
    order, moved = _order([(OLD, 1.0, 0, "user"), (NEW, 0.8, 30, "user")], judge=None)
    assert order == [1, 0] and moved == [1]  # close in meaning: no judge needed (None)


@pytest.mark.parametrize(
    "new",
    [
        (NEW, NEIGHBOUR_MIN_COS - 0.05, 30, "user"),  # further apart than observe examines
        (NEW, SAME_THING - 0.1, 0.1, "user"),  # said the same day
        (NEW, SAME_THING - 0.1, 30, "Jo"),  # another speaker's
        (NEW, SAME_THING - 0.1, 30, "assistant"),
        ("If we ever moved to Bristol I'd want a garden.", SAME_THING - 0.1, 30, "user"),
        ("Should we move to Bristol?", SAME_THING - 0.1, 30, "user"),
        ("My sister just moved to Bristol.", SAME_THING - 0.1, 30, "user"),
    ],
)
def test_what_the_gate_judges_a_change_still_needs_the_other_conditions(new):
    order, moved = _order([(OLD, 1.0, 0, "user"), new], always)
    assert order == [0, 1] and moved == []


@pytest.mark.parametrize(
    "old, new",
    [
        # Two people's facts: which is whose, a word list cannot tell.
        ("My daughter Sofia turns five in June.", "My son Leo turns eight in March."),
        ("My husband works at the bank.", "My husband started at the council today."),
    ],
)
def test_news_about_someone_else_never_goes_first(old, new):
    order, moved = _order([(old, 1.0, 0, "user"), (new, 0.8, 30, "user")])
    assert order == [0, 1] and moved == []


def test_the_newer_memory_moves_one_place_only():
    # Another memory between them (unlike either: cosine 0 with the newer): the gate's
    # order stands.
    order, moved = _order(
        [
            (OLD, 1.0, 0, "user"),
            ("We love the canals here.", -0.6, 10, "user"),
            (NEW, 0.8, 30, "user"),
        ]
    )
    assert order == [0, 1, 2] and moved == []


def test_three_values_said_in_turn_come_newest_first():
    order, moved = _order(
        [
            ("I live in Manchester.", 1.0, 0, "user"),
            ("Moved to Leeds for the new job.", 0.8, 100, "user"),
            ("Got the keys to our place in Bristol.", 0.3, 200, "user"),  # cosine 0.81 with Leeds
        ]
    )
    assert order == [2, 1, 0] and sorted(moved) == [1, 2]


def test_an_older_memory_is_never_moved_before_a_newer_one():
    order, moved = _order([(NEW, 1.0, 30, "user"), (OLD, 0.8, 0, "user")])
    assert order == [0, 1] and moved == []


@pytest.mark.parametrize(
    "query, past",
    [
        ("Where do I live now?", False),
        ("What car am I driving?", False),
        ("Which gym do I go to?", False),
        ("When did I move to Bristol?", True),
        ("What was my old job?", True),
        ("Where were we living two years ago?", True),
        ("What's my previous job?", True),
        ("What car did I use to drive?", True),
        ("Where have I lived before?", True),
        ("Where did I end up moving?", False),
        ("Did I tell you where I live?", False),
        ("Where do I live now that I had the baby?", False),
    ],
)
def test_queries_about_the_past_are_told_apart(query, past):
    assert asks_about_past(query) is past


SAYINGS = [
    "I work as a nurse at the city hospital.",
    "My sister Ana lives in Porto with her two dogs.",
    "We adopted a grey cat called Mochi last spring.",
    "I'm learning Portuguese for our trip to Porto.",
    "The hospital moved my shifts to nights this month.",
    "Our cat Mochi hates the vacuum cleaner.",
    "I play five-a-side football on Thursday nights.",
]


@pytest.mark.parametrize(
    "query", ["Where does my sister live?", "What's our cat called?", "When do I play football?"]
)
def test_recall_hands_memories_over_in_the_order_of_their_scores(fake_sqlite_memory, query):
    mem = fake_sqlite_memory
    for i, text in enumerate(SAYINGS):
        mem.observe(text, user="ana", at=T0 + i * 3600)
    mem.observe("Noted: your cat is called Mochi.", user="ana", speaker="assistant", at=T0 + 9e4)
    hits = mem.recall(query, user="ana", k=20, min_score=0.0, at=T0 + 1e5)
    people = [h.score for h in hits if h.speaker != "assistant"]
    assert len(people) >= 3 and people == sorted(people, reverse=True)
    # What people said comes before what an assistant replied, whatever the scores.
    speakers = [h.speaker for h in hits]
    assert speakers == sorted(speakers, key=lambda s: s == "assistant")
