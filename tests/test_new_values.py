"""A turn that names a new value beside what the speaker told before is not let go for its
nearness: features.told_values / new_values, and turn.decide_turn's use of them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import numpy as np
import pytest
from gatedmem.memory.features import new_values, told_values
from gatedmem.memory.turn import LISTED_VALUES, Nearby, Turn, decide_turn

T0 = datetime(2024, 5, 6, 18, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("My doctor bumped my sertraline up to 100mg.", {"100mg"}),
        ("New email address: jenna@colestudio.co. Use that.", {"jenna@colestudio.co"}),
        ("New contract came through at $27 an hour", {"27"}),
        ("Since the move Mia's been at Westbrook Elementary", {"mia", "westbrook", "elementary"}),
        ("passport no. 802214579", {"802214579"}),
        # A number keeps its separators and its unit.
        ("Our rent is $2,200 a month now.", {"2,200"}),
        ("Alarm's at 7:40 now, standup moved to 10:30.", {"7:40", "10:30"}),
        ("remortgaged, 5 year fix at 4.1%", {"5", "4.1%"}),
        # A name after a comma is a value unless a few words in, it is the person spoken to.
        ("Started a new job, Google!", {"google"}),
        # A capital that opens a sentence or a clause after a colon names nothing.
        ("Melanie: Wow, that rocks. Great stuff!", set()),
        # Nor does a name said to the person spoken to, a shout, a letter or a heart.
        ("That's great, Mel! Take your time, Caroline.", set()),
        ("OMG JUST DOING IT NOW", set()),
        ("that was so funny LOL, Kevin's off AGAIN", {"kevin"}),
        ("Glad you got some R&R after the drive <3", set()),
        # Names in lower case cannot be told from words.
        ("dr nguyen's practice closed so now i'm with dr abara", set()),
        # A title is no value, and its full stop ends no sentence.
        ("I'm with Dr Abara now", {"abara"}),
        ("I'm with Dr. Abara now", {"abara"}),
    ],
)
def test_told_values_reads_numbers_codes_and_capitalised_names(text, values):
    assert told_values(text) == values


def test_new_values_are_those_no_earlier_text_holds_in_any_form():
    assert new_values("My doctor bumped my sertraline up to 100mg.", ["I take 50mg daily."]) == {
        "100mg"
    }
    # Said again: the same number, the same name as a plain word or a possessive.
    assert new_values("passport no. 802214579", ["My passport number is 802214579."]) == set()
    assert new_values("Dr Shah does my teeth", ["my dentist is dr shah's practice"]) == set()
    assert new_values("I'm with Dr Abara now", []) == {"abara"}
    assert new_values("Our rent is $2,200 a month now.", ["Our rent is $1,200 for 2 rooms."]) == {
        "2,200"
    }


class NearnessGate:
    """An input gate that stores a turn judged alone (nothing near, no context) and lets it
    go when anything is near: how the shipped gate treats a change beside its old value."""

    cfg = SimpleNamespace(write_threshold=0.5, supersede_threshold=0.8, max_half_life_hours=17520.0)

    def p_write(self, vec, tf, extra):
        near = extra[0, 0] > 0 or extra[0, 3] > 0  # top similarity, has context
        return np.asarray([0.3 if near else 0.9])

    def half_life_hours_np(self, vec, tf):
        return np.asarray([1000.0])


def _decide(text: str, told_before: tuple[str, ...], own_texts: tuple[str, ...]):
    turn = Turn.check(text, "ana", "user", None, T0.timestamp(), None, "observe", False)
    near = Nearby(
        similarities=np.asarray([0.8], dtype=np.float32),
        neighbours=[],
        own_texts=own_texts,
        told_before=told_before,
    )
    vec = np.ones(4, dtype=np.float32) / 2
    return decide_turn(NearnessGate(), turn, vec, near, ctx=vec)


def test_a_new_value_beside_an_older_one_of_the_speakers_is_judged_alone():
    old = "I take 50mg of sertraline every morning."
    d = _decide("My doctor bumped my sertraline up to 100mg.", (old,), (old,))
    assert d.stored and d.input_gate == pytest.approx(0.3)
    assert d.told_new is not None and d.told_new.values == ("100mg",)
    # Kept at the threshold's strength: it is new, which says nothing of how much it matters.
    assert d.told_new.gate_alone == pytest.approx(0.9) and d.recorded_gate == pytest.approx(0.5)
    assert d.strength == pytest.approx(0.5)
    assert "names 100mg" in d.reason and "0.30 beside them, 0.90 on its own" in d.reason


@pytest.mark.parametrize(
    ("text", "told_before", "own_texts"),
    [
        # The same value said again is a repeat: the gate's word stands.
        (
            "passport no. 802214579",
            ("My passport number is 802214579.",),
            ("My passport number is 802214579.",),
        ),
        # A new value with nothing of the speaker's told a day or more before ...
        ("My doctor bumped my sertraline up to 100mg.", (), ("I take 50mg of sertraline.",)),
        # ... or beside memories that name no value: nothing there to be changed.
        ("We're now with Dr Abara.", ("our doctor is lovely",), ("our doctor is lovely",)),
        # A value one of the speaker's memories near it holds.
        ("Moved my savings to Marcus.", ("I use ING for savings.",), ("Marcus pays 4%.",)),
        # Someone else's news, or a supposition, changes nothing of the speaker's.
        ("My sister is on 150mg of sertraline.", ("I take 50mg daily.",), ("I take 50mg daily.",)),
        ("My friend Sarah takes 100mg of it.", ("I take 50mg daily.",), ("I take 50mg daily.",)),
        ("If they bump me to 100mg I'll be so tired.", ("I take 50mg.",), ("I take 50mg.",)),
        ("Should I ask for 100mg?", ("I take 50mg.",), ("I take 50mg.",)),
    ],
)
def test_nearness_still_lets_go_what_tells_no_new_value_of_the_speakers(
    text, told_before, own_texts
):
    d = _decide(text, told_before, own_texts)
    assert not d.stored and d.told_new is None and d.reason.startswith("not stored")


def test_many_new_values_are_named_only_the_first_few():
    table = "Balances: " + ", ".join(f"Acct{i} {5000 + i * 37}" for i in range(200))
    d = _decide(table, ("Savings at 5 percent.",), ("Savings at 5 percent.",))
    assert d.stored and d.told_new is not None and len(d.told_new.values) == LISTED_VALUES


@pytest.mark.model
def test_a_changed_dose_is_stored_though_the_gate_read_it_as_a_repeat(real_memory):
    # The input gate reads the change as a repeat (0.43); the forget gate's change-words
    # head reads it as a change of the dose, which stores it and supersedes the old one.
    at = T0 + timedelta(days=30)
    old = real_memory.observe("I take 50mg of sertraline every morning.", user="ana", at=T0)
    new = real_memory.observe("My doctor bumped my sertraline up to 100mg.", user="ana", at=at)
    assert old.stored and new.stored, new.reason
    assert new.input_gate < 0.5 and new.superseded == [old.memory_id]
    hits = real_memory.recall("What dose of my antidepressant am I on?", user="ana", at=at)
    assert hits[0].memory_id == new.memory_id
    # The same dose said again names nothing new: the rule leaves it to the gate.
    repeat = real_memory.observe(
        "sertraline 100mg, every morning", user="ana", at=at + timedelta(days=3)
    )
    assert "names" not in repeat.reason


@pytest.mark.model
def test_what_an_assistant_or_another_speaker_said_does_not_hide_a_change(real_memory):
    real_memory.observe("I take 50mg of sertraline every morning.", user="ana", at=T0)
    real_memory.add(
        "Suggested: ask your doctor whether 100mg of sertraline would help.",
        user="ana",
        speaker="assistant",
        at=T0 + timedelta(days=29),
    )
    new = real_memory.observe(
        "My doctor bumped my sertraline up to 100mg.", user="ana", at=T0 + timedelta(days=30)
    )
    assert new.stored, new.reason
    # Within a day the gate's word stands: a correction in the same chat is its call.
    soon = real_memory.observe("I take 20mg of fluoxetine.", user="bo", at=T0)
    again = real_memory.observe(
        "Doc bumped my fluoxetine up to 40mg.", user="bo", at=T0 + timedelta(hours=2)
    )
    assert soon.stored and "names" not in again.reason
