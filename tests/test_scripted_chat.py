"""The scripted ten-turn chat that tells whether a responder answers from the memory."""

from __future__ import annotations

from gatedmem.chatbot import scripted


class Canned:
    """Answers every turn with the same words, or with the top recalled memory."""

    name = "canned"
    echoes_memory = True

    def __init__(self, words: str | None = None):
        self.words = words

    def reply(self, text, memories, *, user, observation):
        yield self.words if self.words else (memories[0].text if memories else "no idea")


def test_a_reply_counts_when_it_holds_the_fact_and_repeats_are_counted(fake_sqlite_memory):
    out = scripted.run(Canned("Tomas the engineer in Osaka"), 2, memory=fake_sqlite_memory)
    assert (out["correct"], out["questions"], out["repeats"]) == (3, 5, 9)
    assert [t["you"] for t in out["turns"]][5] == "What should you call me?"


def test_each_set_is_five_facts_then_five_questions_with_their_keys():
    for facts, questions in scripted.SETS.values():
        assert len(facts) == len(questions) == 5
        for (_, keys), fact in zip(questions, facts, strict=True):
            assert any(k in fact.lower() for k in keys)  # the fact holds the answer
