"""The default MemoryResponder's replies read as English: what was said, read back to its
owner in the second person, in one well-formed sentence."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from gatedmem.chatbot import MemoryResponder
from gatedmem.chatbot.responders import echo, is_question, second_person
from gatedmem.memory import Observation, Recall

STORED = Observation(stored=True, memory_id=2, input_gate=0.9, superseded=[])
UPDATED = Observation(stored=True, memory_id=2, input_gate=0.9, superseded=[1])
RESTATED = Observation(stored=False, memory_id=None, input_gate=0.9, superseded=[], restated=1)
DROPPED = Observation(stored=False, memory_id=None, input_gate=0.1, superseded=[])

# (what the person said, the clause the bot reads back)
CASES = [
    ("Big news: I got the job at the bakery!", "you got the job at the bakery"),
    (
        "And I changed jobs, I'm now a nurse at St. Mary's hospital.",
        "you changed jobs and you're now a nurse at St. Mary's hospital",
    ),
    (
        "Oh, and by the way, my sister Clara moved to Lyon.",
        "your sister Clara moved to Lyon",
    ),
    ("So I adopted a cat named Miso.", "you adopted a cat named Miso"),
    ("Well, I'm allergic to peanuts...", "you're allergic to peanuts"),
    ("Big news! I got engaged. His name is Tom.", "you got engaged and his name is Tom"),
    ("I changed jobs. But I miss my old team :)", "you changed jobs, but you miss your old team"),
    ("Anyway, we're moving to Porto next month!!", "you're moving to Porto next month"),
    ("My dog was sick last week.", "your dog was sick last week"),
    ("I was born in Porto.", "you were born in Porto"),
    ("Yesterday I ran my first marathon 🎉", "yesterday you ran your first marathon"),
    ("Sofia turns five in June.", "Sofia turns five in June"),
    ("Hi, I’m Ana and I’m a teacher.", "you’re Ana and you’re a teacher"),
    ("Me and my wife love hiking.", "you and your wife love hiking"),
    (
        "Also, I quit smoking. So I'm saving money now.",
        "you quit smoking, so you're saving money now",
    ),
    ("And the kids love the new school.", "the kids love the new school"),
    ("So far I like Berlin.", "so far you like Berlin"),
    ("When I was young, I lived in Rome.", "when you were young, you lived in Rome"),
    ("Honestly, I hate Mondays.", "honestly, you hate Mondays"),
    (
        "I moved to Berlin. I work at Siemens. My flat is tiny.",
        "you moved to Berlin, you work at Siemens and your flat is tiny",
    ),
    ("Update: NASA hired me.", "NASA hired you"),
    ("Remember that I'm vegetarian.", "you're vegetarian"),
    ("I told you about my dog.", "you told me about your dog"),  # "you" is the bot
    ("I think you were right about Tom.", "you think I was right about Tom"),
    ("lol I forgot my keys again", "you forgot your keys again"),
]


def reply(text: str, observation: Observation = STORED, memories=()) -> str:
    chunks = MemoryResponder().reply(text, list(memories), user="ana", observation=observation)
    return "".join(chunks)


def well_formed(sentence: str, said: str) -> None:
    """One sentence ending in one full stop; what was ``said`` is read back in the second
    person (first person only for "you", the bot) and starts with no opener."""
    assert sentence.endswith(".") and not re.search(r"[.!?,;:…]\s*\.$", sentence), sentence
    echoed = sentence.split(": ", 1)[1].removeprefix("I'll remember that ")
    if not re.search(r"\byou", said, re.IGNORECASE):
        assert not re.search(r"\b(I|me|my|mine|I'm|I’m|we|our|us)\b", echoed), sentence
    assert not re.match(r"(and|but|so|well|oh)(,| you)|big news|update", echoed, re.I), sentence
    assert "  " not in sentence and " ," not in sentence and " ." not in sentence


@pytest.mark.parametrize(("said", "clause"), CASES)
def test_a_stored_message_is_read_back_as_one_sentence(said, clause):
    assert reply(said) == f"Noted: {clause}."
    well_formed(reply(said), said)


@pytest.mark.parametrize(("said", "clause"), CASES)
def test_an_update_is_one_grammatical_that_clause(said, clause):
    out = reply(said, UPDATED)
    assert out == f"Updated: I'll remember that {clause}."
    well_formed(out, said)
    after_that = out.split(" that ", 1)[1].split()[0]
    assert after_that.islower() or after_that in ("Sofia", "NASA")  # only a name keeps its capital


def test_an_answer_reads_recalled_memories_back_the_same_way():
    memories = [
        Recall(
            memory_id=i,
            text=text,
            score=0.9,
            gates={},
            created_at=datetime(2024, 5, 1, tzinfo=timezone.utc),
            speaker="user",
        )
        for i, text in enumerate(
            ["Big news: I adopted a beagle!", "And my beagle's name is Biscuit.", "I'm tired."], 1
        )
    ]
    out = reply("What do you know about my dog?", memories=memories)
    assert out == (
        "From what you told me: you adopted a beagle. Also: your beagle's name is Biscuit. "
        "Also: you're tired."
    )


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("What's my dog's name?", True),
        ("When is my sister's birthday", True),
        ("Tell me where I live.", True),
        ("Do I have a cat?", True),
        ("When I was young, I lived in Rome.", False),
        ("What I love most is pizza.", False),
        ("Where I live, it rains a lot.", False),
    ],
)
def test_a_subordinate_clause_is_not_a_question(text, asks):
    assert is_question(text) is asks


def test_a_message_with_nothing_but_an_opener_is_read_back_whole():
    assert reply("Big news!") == "Noted: Big news."
    assert reply("!!!") == "Noted."
    assert reply("!!!", UPDATED) == "Updated."


def test_second_person_capitalises_only_where_a_sentence_starts():
    assert second_person("I live in Berlin with my wife.") == "you live in Berlin with your wife."
    assert second_person("My dog's name is Rex") == "your dog's name is Rex"
    assert second_person("Rex is mine and I'm his.") == "Rex is yours and you're his."
    assert second_person("I was late. My bus was too.") == "you were late. Your bus was too."
    assert second_person("I really was tired") == "you really were tired"


def test_echo_keeps_abbreviations_and_initials_inside_one_sentence():
    assert echo("I work at St. Mary's. Dr. Lee is my boss.") == (
        "you work at St. Mary's and Dr. Lee is your boss"
    )
    assert echo("J. K. Rowling is my favourite author.") == (
        "J. K. Rowling is your favourite author"
    )


def test_a_sentence_that_leaves_out_i_is_read_back_with_you():
    assert reply("Sold the Civic on Saturday and picked up a used Tesla.", UPDATED) == (
        "Updated: I'll remember that you sold the Civic on Saturday and picked up a used Tesla."
    )
    assert echo("Big news: moved to Berlin last week!") == "you moved to Berlin last week"
    assert echo("I sold my car.") == "you sold your car"


def test_what_the_memory_already_held_is_acknowledged_as_known():
    assert reply("I live in Leeds.", RESTATED) == "I know: you live in Leeds."
    assert reply("lol ok", DROPPED) == "OK."
