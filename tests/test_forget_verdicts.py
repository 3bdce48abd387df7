"""How the forget gate's content head (keep / weaken / supersede) becomes keep or supersede,
and whose fact a turn states."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from gatedmem.memory.decisions import Neighbour, changes_told, forget_verdicts
from gatedmem.memory.features import N_TEXT, TextCues
from gatedmem.memory.gates import Gates, default_weights_dir
from gatedmem.memory.training.train import SUPERSEDE_COST, supersede_threshold


class FixedHead:
    """Gates whose content head gives fixed (keep, weaken, supersede) per neighbour."""

    def __init__(self, probs, threshold):
        self.probs = np.asarray(probs, dtype=np.float64)
        self.cfg = SimpleNamespace(supersede_threshold=threshold)

    has_change_words = False

    def content_probs(self, u, m, pair, u_text):
        return self.probs[: len(m)]


class FixedHeads(FixedHead):
    """... and a change-words head that reads nothing, as the shipped gates have one."""

    has_change_words = True

    def p_change(self, new, olds, cos):
        return np.zeros(len(olds))


def _verdicts(new_text, old_texts, probs, threshold=0.8, gates_type=FixedHead):
    vec = np.ones(4, dtype=np.float32) / 2
    neighbours = [
        Neighbour(i, vec, TextCues.of(t), similarity=0.6, age_days=30.0, text=t)
        for i, t in enumerate(old_texts)
    ]
    gates = gates_type(probs, threshold)
    return forget_verdicts(
        gates, vec, TextCues.of(new_text), np.zeros(N_TEXT), neighbours, text=new_text
    )


def test_supersedes_only_from_the_threshold_up():
    v = _verdicts(
        "I moved to Leeds in March.",
        ["I live in York.", "I live in York, near the station."],
        [[0.21, 0.0, 0.79], [0.19, 0.0, 0.81]],
    )
    assert [d.action for d in v] == ["keep", "supersede"]
    assert all(d.note == "" for d in v)


def test_a_doubt_is_reported_and_not_acted_on():
    v = _verdicts(
        "Not sure I'll still be living here next year.",
        ["I live in York.", "I live in York, near the station."],
        [[0.05, 0.95, 0.0], [0.1, 0.05, 0.85]],
    )
    assert [d.action for d in v] == ["keep", "supersede"]
    assert v[0].note == "kept: a doubt is not acted on" and v[1].note == ""
    assert v[0].probabilities["weaken"] == pytest.approx(0.95)  # the head's value, reported


def test_the_threshold_is_where_superseding_costs_less_than_keeping():
    assert supersede_threshold(4.0) == pytest.approx(0.8)
    assert supersede_threshold(1.0) == pytest.approx(0.5)
    # The shipped weights carry the threshold training now writes.
    shipped = Gates.load(default_weights_dir()).cfg.supersede_threshold
    assert shipped == pytest.approx(supersede_threshold(SUPERSEDE_COST))


@pytest.mark.parametrize(
    "news",
    [
        "My sister's just moved to Lisbon for work.",
        "my best mate just got divorced, it's been rough on him",
        "Dad finally sold his car and bought a Tesla.",
        "Our neighbours have a new dog.",
    ],
)
def test_someone_elses_news_never_supersedes_or_weakens_the_speakers_fact(news):
    v = _verdicts(news, ["I live in Porto with my wife."] * 2, [[0.01, 0.0, 0.99], [0.1, 0.9, 0.0]])
    assert [d.action for d in v] == ["keep", "keep"]
    assert all(d.note.startswith("kept: the new turn is about someone else") for d in v)
    # The content head's own values are still reported.
    assert v[0].probabilities["supersede"] == pytest.approx(0.99)


def test_news_of_another_person_can_still_supersede_a_memory_of_another_person():
    v = _verdicts("My sister moved to Lisbon.", ["My sister lives in Rome."], [[0.0, 0.0, 1.0]])
    assert v[0].action == "supersede" and v[0].note == ""


def test_a_turn_that_still_names_the_value_supersedes_nothing():
    v = _verdicts(
        "Nell is not impressed with the new sofa.",
        ["We have a border collie called Nell.", "We live in Hove."],
        [[0.1, 0.0, 0.9], [0.1, 0.0, 0.9]],
    )
    assert [d.action for d in v] == ["keep", "supersede"]
    assert v[0].note == "kept: the new turn still names its value (nell)"
    # Named as something left, the value does not hold the memory back.
    v = _verdicts("Nell died last week.", ["We have a border collie called Nell."], [[0, 0, 1.0]])
    assert v[0].action == "supersede" and v[0].note == ""


def test_a_turn_that_says_a_memory_goes_on_supersedes_nothing_of_it():
    # The shipped content head reads "Still doing Duolingo, no changes there." as a change
    # of this memory at 1.00: a denial's words read as change words.
    v = _verdicts(
        "Still doing Duolingo, no changes there.",
        ["I'm learning Spanish on Duolingo every morning.", "I live in Hove."],
        [[0.0, 0.0, 1.0], [0.0, 0.0, 1.0]],
    )
    assert v[0].action == "keep"
    assert v[0].note == 'kept: the new turn says it goes on as it was: "Still doing Duolingo"'
    # What it says goes on is not the other memory's (these heads have no change-words
    # head, so no several-at-once guard).
    assert v[1].action == "supersede" and v[1].note == ""


def test_a_turn_that_leaves_another_persons_fact_supersedes_none_of_it():
    family = "My daughter Helen is a solicitor in Leeds. My son Robert is an engineer in York."
    v = _verdicts("Robert's firm is sending him to Aberdeen.", [family], [[0.1, 0.0, 0.9]])
    assert v[0].action == "keep"
    assert v[0].note == (
        'kept: the new turn leaves what it says of another person: "My daughter Helen is a '
        'solicitor in Leeds."'
    )


def test_a_memory_kept_for_another_persons_fact_still_counts_as_a_change_the_turn_reads():
    # The heads read the turn as changing two memories; the rule keeps one for the wife's
    # job, which does not tell which of the two the turn changes: neither goes.
    v = _verdicts(
        "Done with Krause. New job at the port, home every night.",
        [
            "Live in Harburg with my wife Sabine.",
            "I drive for Krause. My wife Sabine is a secretary at a Grundschule.",
        ],
        [[0.1, 0.0, 0.83], [0.1, 0.0, 0.81]],
        gates_type=FixedHeads,
    )
    assert [d.action for d in v] == ["keep", "keep"]
    assert v[0].note == "kept: the turn reads as changing 2 memories at once, not which"
    assert v[1].note.startswith("kept: the new turn leaves what it says of another person")


def test_a_memory_kept_because_the_turn_names_its_value_does_not_hold_back_another():
    # "... keeping the Vespa" says which memory it leaves; the other change is clear.
    v = _verdicts(
        "Sold the Civic, keeping the Vespa. I take the bus to work now.",
        ["I have a Civic and a Vespa.", "I drive the Civic to work every day."],
        [[0.1, 0.0, 0.9], [0.1, 0.0, 0.99]],
        gates_type=FixedHeads,
    )
    assert [d.action for d in v] == ["keep", "supersede"]
    assert v[0].note == "kept: the new turn ends civic and still names vespa"


def test_only_a_change_of_part_of_a_memory_is_told_besides_a_supersession():
    def told(new, olds, probs, gates_type=FixedHead):
        verdicts = _verdicts(new, olds, probs, gates_type=gates_type)
        return [d.memory_id for d in changes_told(verdicts, 0.8)]

    # Ends part of it, or supersedes it: a change.
    assert told(
        "Sold the Civic, keeping the Vespa.", ["I have a Civic and a Vespa."], [[0, 0, 0.9]]
    ) == [0]
    assert told("I moved to Leeds in March.", ["I live in York."], [[0, 0, 0.9]]) == [0]
    # Still names its every value: the heads read change words, the turn tells none.
    assert told("Nothing's changed, still Austin.", ["I live in Austin."], [[0, 0, 0.9]]) == []
    # Someone else's news, or under the threshold.
    assert told("My sister sold her Civic.", ["I have a Civic."], [[0, 0, 0.9]]) == []
    assert told("I moved to Leeds in March.", ["I live in York."], [[0, 0, 0.7]]) == []
    # The several-at-once guard: says what changed of none of them.
    vague = told(
        "So much has changed since we last talked!",
        ["I live in Leeds.", "I work at St James's."],
        [[0, 0, 0.9], [0, 0, 0.9]],
        gates_type=FixedHeads,
    )
    assert vague == []


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("My wife's just changed her email.", True),
        ("my little brother starts uni in September", True),
        ("Mum's moving to Spain!", True),
        ("Oh, my husband got a new job.", True),
        ("Yeah my sister moved to Lisbon", True),
        ("my fiancée starts her new job on Monday", True),
        ("Our neighbours sold their house.", True),
        ("My wife and I moved to Leeds last month.", False),
        ("my boss fired me on Friday", False),
        ("Our son was born last week!", False),
        ("Mum and I are moving to the coast.", False),
        ("My car's a Nissan Leaf.", False),
        ("Our family car is a Volvo.", False),
        ("I moved to Berlin with my sister.", False),
        ("We sold the house.", False),
        ("", False),
    ],
)
def test_about_other_reads_the_subject(text, other):
    assert TextCues.of(text).about_other is other
