"""A capped memory evicts by the chosen policy; each gate can be ablated; recall can rank
without its threshold. Mechanics, with the hash embedder, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
import pytest
from gatedmem import InvalidArgument
from gatedmem.memory.errors import ModelMismatchWarning
from gatedmem.memory.features import content_tokens
from gatedmem.memory.turn import NEVER_HOURS

T0 = 1_700_000_000.0
DAY = 86400.0


def _mem(open_memory, url, **kwargs):
    from conftest import HashEmbedder

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        mem = open_memory(url, embedder=HashEmbedder(), **kwargs)
        mem.add("warm-up", user="__w__")
        mem.purge(user="__w__")
    return mem


FACTS = [
    "I adopted a beagle named Biscuit",
    "I work night shifts at the harbour",
    "My sister moved to Lisbon last spring",
    "I play the cello in a community orchestra",
    "I am allergic to peanuts",
]


def _active(mem, user="ana", at=None):
    return [m.text for m in mem.list(user=user, at=at)]


def test_fifo_keeps_the_newest_and_records_each_eviction(open_memory, db_url):
    mem = _mem(open_memory, db_url, capacity=3, eviction="fifo")
    ids = [mem.add(t, user="ana", at=T0 + i).id for i, t in enumerate(FACTS)]
    assert _active(mem, at=T0 + 10) == FACTS[2:]
    gone = mem.get(ids[0], at=T0 + 10)
    assert gone.forgotten
    kinds = [e.kind for e in mem.history(ids[0])]
    assert "evicted" in kinds
    restored = mem.restore(ids[0], at=T0 + 11)  # an eviction is undoable like a forget
    assert not restored.forgotten


def test_lru_spares_what_recall_used(open_memory, db_url):
    mem = _mem(open_memory, db_url, capacity=3, eviction="lru")
    for i, t in enumerate(FACTS[:3]):
        mem.add(t, user="ana", at=T0 + i)
    hits = mem.recall(FACTS[0], user="ana", k=1, at=T0 + 5, min_score=0.0)
    assert hits[0].text == FACTS[0]
    mem.add(FACTS[3], user="ana", at=T0 + 6)  # evicts the least recently used: FACTS[1]
    assert _active(mem, at=T0 + 7) == [FACTS[0], FACTS[2], FACTS[3]]


def test_gate_eviction_drops_what_the_gates_value_least_whatever_its_age(open_memory, db_url):
    mem = _mem(open_memory, db_url, capacity=3, eviction="gate")
    pinned = mem.add(FACTS[0], user="ana", at=T0, pinned=True)
    # Explicit adds all have input-gate value 1, and these say as much (four content words
    # each, shared with no other): what tells them apart is the half-life the forget gate
    # gave each; the oldest is no likelier to go than the newest.
    texts = [
        "I fix old bicycles downtown",
        "my cousin sells warm bread",
        "we paint tiny wooden boats",
    ]
    assert {len(content_tokens(t)) for t in texts} == {4}
    ids = [mem.add(t, user="ana", at=T0 + i * 100 * DAY).id for i, t in enumerate(texts, 1)]
    at = T0 + 400 * DAY
    half_lives = {i: mem.get(i, at=at).half_life_days for i in ids}
    assert len(set(half_lives.values())) == 3
    gone = [i for i in ids if mem.get(i, at=at).forgotten]
    assert gone == [min(half_lives, key=half_lives.get)]
    assert [e.kind for e in mem.history(gone[0])][-1] == "evicted"
    assert not mem.get(pinned.id, at=at).forgotten  # never a pinned one


def test_worth_keeping_weighs_the_input_gate_weakening_and_the_half_life():
    from gatedmem.memory.index import IndexRow, UserIndex

    hour = 3600.0
    rows = [  # (input gate value, strength now, half-life)
        (0.9, 0.9, 365 * 24 * hour),  # a durable fact the input gate liked
        (0.9, 0.3, 365 * 24 * hour),  # the same, weakened by the forget gate since
        (None, 1.0, 2 * hour),  # an explicit add, but a passing remark
        (0.6, 1.4, 365 * 24 * hour),  # reinforced by recall: worth its input-gate value
    ]
    idx = UserIndex.build(
        [
            IndexRow(i, np.eye(4, dtype=np.float32)[i], f"t{i}", T0, s, T0, hl, False, p)
            for i, (p, s, hl) in enumerate(rows)
        ],
        4,
        0,
    )
    worth = idx.worth_keeping(np.arange(4))
    assert worth[0] > worth[3] > worth[1] > worth[2]
    # Each says one word no other memory does: log(4 memories / 1).
    assert worth[3] == pytest.approx(0.6 * 2 ** (-30 / 365) * np.log(4))


def test_information_is_what_a_memory_says_that_the_others_do_not():
    from gatedmem.memory.index import IndexRow, UserIndex

    texts = [
        "Biscuit my beagle loves the harbour",  # biscuit beagle loves harbour
        "my beagle loves walks",  # beagle loves walks
        "lol",  # one word, said once
        "my beagle loves the harbour",  # beagle loves harbour: all said elsewhere
    ]
    idx = UserIndex.build(
        [
            IndexRow(i, np.eye(4, dtype=np.float32)[i], t, T0, 1.0, T0, 1e9, False, 1.0)
            for i, t in enumerate(texts)
        ],
        4,
        0,
    )
    info = idx.information(idx.live_rows())
    n = 4
    assert info[0] == pytest.approx(np.log(n / 1) + 2 * np.log(n / 3) + np.log(n / 2))
    assert info[3] == pytest.approx(2 * np.log(n / 3) + np.log(n / 2))
    assert info[0] > info[1] > info[3]
    # Gone from memory, its words no longer count: "walks" left with row 1.
    idx.remove(1)
    n = 3
    info = idx.information(idx.live_rows())
    assert info.tolist() == pytest.approx(
        [np.log(n / 1) + 2 * np.log(n / 2) + np.log(n / 2), np.log(n), 3 * np.log(n / 2)]
    )
    # Equal gate values: the one that says least goes first ("lol": log 3 < 3 log 1.5).
    assert idx.live_rows()[int(np.argmin(idx.worth_keeping(idx.live_rows())))] == 2
    # A memory added since counts at once; the words are kept from first use on, so an
    # index that removed a row before its first use counts the same.
    idx.add(IndexRow(9, np.eye(4, dtype=np.float32)[1], "walks lol", T0, 1.0, T0, 1e9, False, 1.0))
    fresh = UserIndex.build(
        [
            IndexRow(i, np.eye(4, dtype=np.float32)[i % 4], t, T0, 1.0, T0, 1e9, False, 1.0)
            for i, t in enumerate(texts + ["walks lol"])
        ],
        4,
        0,
    )
    fresh.remove(1)
    assert idx.information(idx.live_rows()).tolist() == pytest.approx(
        fresh.information(fresh.live_rows()).tolist()
    )
    assert idx.information(idx.live_rows())[-1] == pytest.approx(np.log(4 / 1) + np.log(4 / 2))


@pytest.mark.parametrize(
    "text",
    [
        "I lost my job as a banker yesterday",
        "Last week I took the kids camping",
        "we went to a pottery class on Friday",
        "I'm getting married in May",
        "the wedding is May 3rd",
        "I moved here in March",
        "I started painting two years ago",
        "this morning I ran 10k",
        "back in 2019 I lived in Oslo",
        "Tomorrow is the big launch!",
        "Friday's gig went great",
        "we had a blast at yesterday's picnic",
    ],
)
def test_a_text_that_places_what_it_tells_at_a_time_is_dated(text):
    from gatedmem.memory.features import TextCues, dated

    assert dated(text)
    assert TextCues.of(text).dated


@pytest.mark.parametrize(
    "text",
    [
        "I love dogs and long walks",
        "I work night shifts at the harbour",  # "night" alone places nothing
        "I may join you for the march",  # the verbs, not the months
        "Sundae is my favourite dessert",
        "I have 3 cats",
        "",
    ],
)
def test_a_trait_or_an_opinion_is_not_dated(text):
    from gatedmem.memory.features import dated

    assert not dated(text)


def test_of_two_memories_the_gates_value_alike_the_dated_one_is_kept():
    from gatedmem.memory.index import DATED_WEIGHT, IndexRow, UserIndex

    texts = [
        "I adopted a beagle named Biscuit",  # 4 content words, each said once
        "I adopted a tabby cat yesterday",  # 4 content words, each said once, and dated
        "I sold my blue kayak",  # 3 content words, each said once
    ]
    idx = UserIndex.build(
        [
            IndexRow(i, np.eye(4, dtype=np.float32)[i], t, T0, 1.0, T0, 1e9, False, 0.5)
            for i, t in enumerate(texts)
        ],
        4,
        0,
    )
    parts = idx.worth_parts(idx.live_rows())
    assert parts["dated"].tolist() == [1.0, 1.0 + DATED_WEIGHT, 1.0]
    assert parts["information"][0] == pytest.approx(parts["information"][1])
    assert parts["worth"].tolist() == pytest.approx(
        (parts["gates"] * parts["information"] * parts["dated"]).tolist()
    )
    assert parts["worth"][1] > parts["worth"][0] > parts["worth"][2]
    # A memory added later is read the same way.
    idx.add(
        IndexRow(
            7, np.eye(4, dtype=np.float32)[3], "see you on Sunday", T0, 1.0, T0, 1e9, False, 0.5
        )
    )
    assert idx.worth_parts(idx.live_rows())["dated"][-1] == 1.0 + DATED_WEIGHT


def test_a_gate_eviction_records_why_that_memory_went(open_memory, db_url):
    mem = _mem(open_memory, db_url, capacity=2, eviction="gate")
    texts = [
        "I adopted a tabby cat yesterday",
        "I adopted a beagle named Biscuit",
        "I sold a kayak",
    ]
    ids = [mem.add(t, user="ana", at=T0 + i).id for i, t in enumerate(texts)]
    gone = [i for i in ids if mem.get(i, at=T0 + 3).forgotten]
    assert len(gone) == 1
    (event,) = [e for e in mem.history(gone[0]) if e.kind == "evicted"]
    d = event.detail
    assert d["policy"] == "gate" and d["capacity"] == 2
    assert d["dated"] == (3.0 if gone[0] == ids[0] else 1.0)
    assert d["information"] > 0 and 0 < d["gates"] <= 1
    assert d["worth"] == pytest.approx(d["gates"] * d["information"] * d["dated"], rel=1e-4)


def test_the_output_gate_reads_the_input_gate_value_decayed_since_writing():
    """As in training: reinforcement by recall is left out, weakening and pins are not."""
    from gatedmem.memory.index import IndexRow, UserIndex

    day = DAY
    now = T0 + 10 * day
    rows = [  # (input gate value, strength, strength_at, half-life, pinned)
        (0.8, 0.8, T0, 10 * day, False),  # untouched since written
        (0.8, 0.95, now - day, 10 * day, False),  # reinforced by recall yesterday
        (0.8, 0.1, T0 + 5 * day, 10 * day, False),  # weakened by the forget gate
        (None, 1.0, T0, 10 * day, True),  # pinned
    ]
    idx = UserIndex.build(
        [
            IndexRow(i, np.eye(4, dtype=np.float32)[i], f"t{i}", T0, s, at, hl, pin, p)
            for i, (p, s, at, hl, pin) in enumerate(rows)
        ],
        4,
        0,
    )
    prior = idx.prior(np.arange(4), now)
    assert prior[0] == pytest.approx(0.8 * 0.5)  # one half-life since it was written
    assert prior[1] == pytest.approx(prior[0])  # reinforcement: no higher
    assert idx.decayed(np.asarray([1]), now)[0] > prior[1]  # (though its strength is)
    assert prior[2] == pytest.approx(0.1 * 2**-0.5)  # weakened: its weakened strength
    assert prior[3] == 1.0


def test_recall_reinforces_the_strength_but_not_what_the_output_gate_reads(open_memory, sqlite_url):
    mem = _mem(open_memory, sqlite_url)
    mem.add("I keep bees in the garden", user="ana", at=T0)
    mem.add("my bees made honey this year", user="ana", at=T0)
    later = T0 + DAY
    first = mem.recall("bees", user="ana", k=2, at=later, min_score=0.0)
    second = mem.recall("bees", user="ana", k=2, at=later, min_score=0.0)
    by_id = {h.memory_id: h for h in second}
    for h in first:
        assert by_id[h.memory_id].gates["strength"] > h.gates["strength"]
        assert by_id[h.memory_id].gates["prior"] == pytest.approx(h.gates["prior"])
        assert by_id[h.memory_id].score == pytest.approx(h.score)


def test_capacity_and_ablation_arguments_are_checked(open_memory, sqlite_url):
    for bad in (0, -1, 2.5, True):
        with pytest.raises(InvalidArgument):
            _mem(open_memory, sqlite_url, capacity=bad)
    with pytest.raises(InvalidArgument):
        _mem(open_memory, sqlite_url, eviction="random")
    with pytest.raises(InvalidArgument):
        _mem(open_memory, sqlite_url, ablate=["memory"])


def test_ablated_input_gate_stores_everything(open_memory, db_url):
    mem = _mem(open_memory, db_url, ablate=["input"])
    for i, t in enumerate(["lol", "ok", "haha yes", "hmm"]):
        obs = mem.observe(t, user="ana", at=T0 + i)
        assert obs.stored and obs.input_gate == 1.0 and obs.strength == 1.0


def test_ablated_forget_gate_never_decays_or_supersedes(open_memory, db_url):
    mem = _mem(open_memory, db_url, ablate=["forget"])
    obs = mem.observe("I live in Paris", user="ana", at=T0)
    mem.add("I live in Paris now", user="ana", at=T0 + 1)
    m = mem.get(obs.memory_id, at=T0 + 3650 * DAY) if obs.stored else None
    # A year-long half-life of 114,000 years: under a thousandth lost in ten years.
    assert m is None or (m.strength == pytest.approx(obs.strength, rel=1e-3) and not m.forgotten)
    for x in mem.list(user="ana", at=T0 + 3650 * DAY):
        assert x.half_life_days == pytest.approx(NEVER_HOURS / 24)
    later = mem.observe("I moved to Berlin", user="ana", at=T0 + 2)
    assert later.superseded == []


def test_ablated_output_gate_ranks_by_cosine(open_memory, db_url):
    mem = _mem(open_memory, db_url, ablate=["output"])
    for i, t in enumerate(FACTS):
        mem.add(t, user="ana", at=T0 + i)
    q = "beagle named Biscuit adopted"
    hits = mem.recall(q, user="ana", k=5, at=T0 + 10, min_score=0.0, reinforce=False)
    cos = [h.gates["cosine"] for h in hits]
    assert cos == sorted(cos, reverse=True)
    assert [h.score for h in hits] == [pytest.approx(max(c, 0.0)) for c in cos]


def test_min_score_zero_ranks_every_candidate(open_memory, sqlite_url):
    mem = _mem(open_memory, sqlite_url)
    for i, t in enumerate(FACTS):
        mem.add(t, user="ana", at=T0 + i)
    ranked = mem.recall("zebra xylophone", user="ana", k=5, at=T0 + 9, min_score=0.0)
    assert len(ranked) == 5
    scores = [h.score for h in ranked]
    assert scores == sorted(scores, reverse=True)
    for bad in (-0.1, 1.5, "high"):
        with pytest.raises(InvalidArgument):
            mem.recall("x", user="ana", min_score=bad)


def test_recall_can_return_more_than_the_gate_usually_scores(open_memory, sqlite_url):
    # The output gate scores the top CANDIDATES of each retriever; a larger k widens that.
    from gatedmem.memory.ranking import CANDIDATES

    mem = _mem(open_memory, sqlite_url)
    n = 2 * CANDIDATES + 20
    for i in range(n):  # notes of no shared words, so none reads as a change of another
        h = hashlib.sha1(str(i).encode()).hexdigest()
        mem.add(f"{h[:6]} {h[6:12]} {h[12:18]}", user="ana", at=T0 + i)
    k = 2 * CANDIDATES + 10
    ranked = mem.recall("zebra xylophone", user="ana", k=k, at=T0 + n, min_score=0.0)
    assert len(ranked) == k
    assert len({h.memory_id for h in ranked}) == k


def test_the_index_keeps_each_rows_words_after_incremental_adds(open_memory, sqlite_url):
    # Regression: adding a memory appended its words twice, so every later row read the
    # words of another memory (lexical overlap and the forget gate's pair features).
    mem = _mem(open_memory, sqlite_url)
    for i, t in enumerate(FACTS):
        mem.add(t, user="ana", at=T0 + i)
    idx = mem._indexes["ana"]
    assert len(idx.cues) == idx.n
    for r in range(idx.n):
        assert idx.cues[r].words == frozenset(content_tokens(idx.texts[r]))
    rows = idx.live_rows()
    assert np.array_equal(idx.ids(rows), np.sort(idx.ids(rows)))


def test_the_output_gate_knows_when_the_query_names_the_speaker():
    from gatedmem.memory.features import names_speaker, speaker_key, tokens

    q = set(tokens("What did Caroline paint last summer?"))
    assert names_speaker(q, "Caroline") == 1.0
    assert names_speaker(q, "Melanie") == 0.0
    assert speaker_key("user") == "" and names_speaker({"user"}, "user") == 0.0
    assert speaker_key("Dr. Ana Lima") == "dr"


def test_recall_as_of_a_moment_never_returns_what_was_written_later(open_memory, db_url):
    # Also what keeps a memory's history starting with its writing when another process
    # recalls with a timestamp taken just before that memory was stored.
    mem = _mem(open_memory, db_url)
    mem.add(FACTS[0], user="ana", at=T0)
    later = mem.add(FACTS[1], user="ana", at=T0 + DAY)
    before = mem.recall(FACTS[1], user="ana", k=5, at=T0 + 3600, min_score=0.0)
    assert later.id not in [h.memory_id for h in before]
    assert [e.kind for e in mem.history(later.id)] == ["added"]
    after = mem.recall(FACTS[1], user="ana", k=5, at=T0 + 2 * DAY, min_score=0.0)
    assert later.id in [h.memory_id for h in after]


def test_dated_news_a_person_tells_is_stored_whatever_the_input_gate_says(
    open_memory, db_url, monkeypatch
):
    from gatedmem.memory import decisions

    mem = _mem(open_memory, db_url)
    thr = mem.gates.cfg.write_threshold
    monkeypatch.setattr(decisions, "p_write", lambda *a, **k: 0.1)  # a gate that keeps nothing
    news = mem.observe("I lost my job as a banker yesterday", user="ana", at=T0)
    trait = mem.observe("I work at a bank downtown", user="ana", at=T0 + 1)
    bot = mem.observe("See you tomorrow!", user="ana", speaker="assistant", at=T0 + 2)
    assert news.stored and not trait.stored and not bot.stored
    assert news.input_gate == pytest.approx(0.1)  # the gate's own value, for the record
    assert news.reason == f"stored: dated news (input gate 0.10 < {thr:.2f})"
    kept = mem.get(news.memory_id, at=T0 + 3)
    assert kept.input_gate == pytest.approx(thr) and news.strength == pytest.approx(thr)
    (written,) = [e for e in mem.history(news.memory_id) if e.kind == "written"]
    assert written.value == pytest.approx(0.1) and written.detail["dated"] is True


def test_a_question_about_the_listener_that_names_a_time_is_not_dated_news(
    open_memory, db_url, monkeypatch
):
    """A greeting or question about the person spoken to that names a time tells no news
    of its speaker: the input gate alone decides it. A question that carries the
    speaker's news is news, stored whatever the gate says: losing it loses a fact."""
    from gatedmem.memory import decisions
    from gatedmem.memory.features import tells_dated

    mem = _mem(open_memory, db_url)
    monkeypatch.setattr(decisions, "p_write", lambda *a, **k: 0.1)  # a gate that keeps nothing
    asked = [
        "good morning! how are you today?",
        "hey, how are you today?",
        "how are you today?😊",
        "How was your trip to Lisbon last week?",
    ]
    for i, text in enumerate(asked):
        assert not tells_dated(text), text
        assert not mem.observe(text, user="ana", at=T0 + i).stored, text
    told = [
        "I lost my job yesterday, can you believe it?",
        "did you know i got engaged last week?",
        "Is it weird that I quit my job yesterday?",
        "How do I prepare for my surgery next week?",
        "is it normal to feel this tired after starting chemo last week?",
        "can you write a note for the neighbours about the party on Saturday?",
    ]
    for i, text in enumerate(told):
        assert tells_dated(text), text
        assert mem.observe(text, user="ana", at=T0 + 10 + i).stored, text


def test_a_person_telling_their_name_is_stored_whatever_the_input_gate_says(
    open_memory, db_url, monkeypatch
):
    from gatedmem.memory import decisions

    mem = _mem(open_memory, db_url)
    thr = mem.gates.cfg.write_threshold
    monkeypatch.setattr(decisions, "p_write", lambda *a, **k: 0.1)  # a gate that keeps nothing
    name = mem.observe("hey! Ines here, first time trying this", user="ana", at=T0)
    other = mem.observe("say hi to Tom for me", user="ana", at=T0 + 1)
    bot = mem.observe("Hi, I'm Nova, your assistant.", user="ana", speaker="assistant", at=T0 + 2)
    assert name.stored and not other.stored and not bot.stored
    assert name.input_gate == pytest.approx(0.1)  # the gate's own value, for the record
    assert name.reason == f"stored: the speaker's name, Ines (input gate 0.10 < {thr:.2f})"
    kept = mem.get(name.memory_id, at=T0 + 3)
    assert kept.input_gate == pytest.approx(thr)
    (written,) = [e for e in mem.history(name.memory_id) if e.kind == "written"]
    assert written.value == pytest.approx(0.1) and written.detail["name"] == "Ines"
    # A name does not pass: it gets the longest lifetime the time head gives, and time
    # never hides it.
    longest = mem.gates.cfg.max_half_life_hours / 24
    assert kept.half_life_days == pytest.approx(longest)
    assert mem.get(name.memory_id, at=T0 + 3 * 365 * DAY).forgotten is False


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hi, my name is Sarah.", "Sarah"),
        ("name's Rafferty", "Rafferty"),
        ("The name's Hamid Rezaei.", "Hamid"),
        ("Name: Viktor Dvořáček", "Viktor"),
        ("everyone calls me Bex, so you can too", "Bex"),
        ("I'm Tomasz by the way", "Tomasz"),
        ("I’m Tomasz by the way", "Tomasz"),  # a curly apostrophe
        ("call me O’Brien", "O'Brien"),
        ("Hi, I'm Goran and my washing machine keeps stopping", "Goran"),
        ("I am Oluwaseun Adebayo-Clarke.", "Oluwaseun"),
        ("heyyy I'm Kwame 👋 nice to meet you!!", "Kwame"),
        ("This is Meera Raghunathan speaking.", "Meera"),
        ("Fernanda Albuquerque here.", "Fernanda"),
        ("helloooo it's Jun-seo 🙋", "Jun-seo"),
        ("Thabo Nkosi is my name.", "Thabo"),
        ("I'm Anna Żuk.", "Anna"),
        ("my name is E\u0301mile", "\u00c9mile"),  # decomposed, read composed
        ("Don't call me Robert, I go by Rob.", "Rob"),
        ("Hi, I'm Sam, my wife told me about you", "Sam"),  # the speaker's, then news
        ("I'm Christian, nice to meet you", "Christian"),  # a name that is also a faith
        ("'Dear Hiring Manager, my name is Samir Haddad.' Does that sound ok?", "Samir"),
        ("Sam here, my phone died so I'm on my laptop", "Sam"),
        ("Hi, it's Anna, my train is late again", "Anna"),
        ("This is Tom, my wife and I need a holiday idea", "Tom"),
        ("My name is Ramadan.", "Ramadan"),  # names that are also other words
        ("Hi, I'm Sri!", "Sri"),
        ("My name is Tory Lanez", "Tory"),
    ],
)
def test_the_memory_reads_a_name_a_speaker_tells_as_their_own(text, name):
    from gatedmem.memory.features import tells_name

    assert tells_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "hey it's me again",
        "say hi to Tom for me",
        "my dog's name is Biscuit",
        "Dear John, thanks for the lovely evening.",
        "It's Monday again.",
        "I'm Sorry, I forgot.",
        "I'M SO TIRED.",
        "Same here!",
        "Hi there!",
        "Raining here.",
        "Anybody here?",
        "my name is on the list",
        "what is your name?",
        "What is my name?",  # the question is not the answer
        "How is my name spelled?",
        "It's Mark's birthday today!",  # someone else's name, in the possessive
        "I'm Tom's wife.",
        "I'm new here.",
        "I'm Loving it.",  # a name's further words are capitalised too
        "My name is Dr. Smith",  # a title is not the name (and Smith is not read either)
        "I'm Welsh, not English!",  # what a person is, not who
        "im Catholic.",
        "I'm Korean-American",
        "I'm Capricorn.",
        "I'm Sri Lankan!",
        "I'm Republican but curious",
        "It's Christmas Eve!",
        "This is Anouk, my new colleague",  # someone else, presented
        "Kenji here, my roommate, wants to ask you something",
        "Call me Ishmael is the first line of which book?",  # the words talked about
    ],
)
def test_what_tells_no_name_of_the_speaker_is_not_read_as_one(text):
    from gatedmem.memory.features import tells_name

    assert tells_name(text) is None


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("What should you call me?", True),
        ("What's my name?", True),
        ("Call me Ishmael is the first line of which book?", False),  # talks about the words
        ("Call me Bex", False),  # tells it
    ],
)
def test_words_of_an_introduction_talked_about_do_not_ask_for_the_name(text, asks):
    from gatedmem.memory.features import asks_own_name

    assert asks_own_name(text) is asks


@pytest.mark.parametrize("text", ["a-" * 10_000, "-".join(["3f2b9c1d-aa-09"] * 1_400)])
def test_reading_a_name_does_not_back_off_through_a_long_token(text):
    """A pattern that backs off one character at a time through a long hyphenated token takes
    seconds on a message of the longest allowed length (and observe holds the memory's lock
    meanwhile); whole tokens only, it takes milliseconds."""
    import time

    from gatedmem.memory.features import tells_name

    t = time.perf_counter()
    assert tells_name(text[:20_000]) is None
    assert time.perf_counter() - t < 1.0


@pytest.mark.parametrize(
    ("text", "is_hedged"),
    [
        ("If Olu ever left I'd probably go for her job, honestly.", True),
        ("Have you read Remarkably Bright Creatures? is it good?", True),
        ("wish Gold's had a pool tbh", True),
        ("I’d love to learn piano properly one day.", True),  # a curly apostrophe
        ("Someday I want to do the Trans-Siberian railway.", True),
        ("What if we moved to Leeds?", True),
        ("I moved to Berlin.", False),
        ("Sold the Civic. Got a Tesla!", False),
        # One plain sentence says something, whatever the others suppose.
        ("Withdrew from the course. Might go back one day, who knows.", False),
        ("Iffy weather today", False),
        ("What if we moved? 🤔", True),  # a sentence without a letter is left out
        ("If we ever left Norway I think we'd end up in Copenhagen.", True),
        ("I wish I reported to Raj instead, he actually listens.", True),
        # News framed by an opener, or told beside a question or a wish, is news.
        ("If I'm honest, we moved to Leeds last month.", False),
        ("If I'm being totally honest, I moved to Berlin last week.", False),
        ("If you're wondering, I moved to Berlin last week.", False),
        ("If anyone asks, I'm married now.", False),
        ("If it helps, I'm vegan now.", False),
        ("One day last week I sold the Civic and bought a Tesla.", False),
        ("Wish me luck, I start at Google on Monday!", False),
        ("I wish I'd seen it coming, but Tom and I divorced last month.", False),
        ("I quit my job, can you believe it?", False),
        ("I'm vegan now, remember?", False),
        ("Now that I've moved to Berlin, what should I see first?", False),
        ("what if we moved\nI quit my job today", False),  # a line is a sentence
        ("I hope you don't mind, I've switched to decaf.", False),
        ("Imagine my surprise when I got the job!", False),
        ("🤔", False),
        ("", False),
    ],
)
def test_a_turn_that_only_asks_supposes_or_wishes_is_read_as_such(text, is_hedged):
    from gatedmem.memory.features import hedged

    assert hedged(text) is is_hedged


@pytest.mark.parametrize(
    ("text", "is_request"),
    [
        ("Tell me a joke about statisticians.", True),
        ("What are the signs of burnout?", True),
        ("What's a palindrome? Give me a few examples.", True),
        ("please summarise the plot of Hamlet in 3 sentences", True),
        ("Make this sound more professional: 'hey can u send the thing'", True),
        ("Where do you live?", True),
        # A question that does not end as one may be an exclamation with news in it.
        ("What a day, finally moved into the new flat", False),
        ("what's the longest river in Europe", False),
        # A statement with its subject left out is no request.
        ("Did the marathon yesterday, legs are dead.", False),
        ("Plan is to move to Rome next spring.", False),
        ("Name's Tomasz.", False),
        # Asking to be reminded is asking the memory to keep something.
        ("Remind me to call mum on Friday", False),
        # The speaker as subject or owner: the request may tell of them.
        ("Help me write a toast for my friend's 40th.", False),
        ("How do I write a cover letter for a job I'm overqualified for?", False),
        ("Any tips for packing? We're moving to Leeds.", False),
        ("Tell me a joke. I'm having a rough day.", False),
        ("Suggest a packing list, ive got a week in Iceland", False),
        # A second clause may tell of the speaker without naming them.
        ("Recommend me some gluten-free recipes, coeliac here.", False),
        ("Explain how insulin pumps work - just got one fitted.", False),
        ("Help me write a CV — 10 years as a paramedic.", False),
        # Words that open statements too.
        ("Tell you what, the new job is brilliant.", False),
        ("Draft beer is the best.", False),
        ("", False),
    ],
)
def test_a_turn_that_only_requests_is_read_as_such(text, is_request):
    from gatedmem.memory.features import only_requests

    assert only_requests(text) is is_request


def test_reading_a_request_is_quick_on_long_text():
    """It runs while observe holds the memory's lock, on texts of up to 20,000 characters."""
    import time

    from gatedmem.memory.features import hedged, only_requests

    for text in ("Tell" + " " * 20000 + "me", "a " * 10000, "x\n" * 10000, "Why? " * 4000):
        start = time.perf_counter()
        only_requests(text)
        hedged(text)
        assert time.perf_counter() - start < 0.5


def test_reading_a_hedge_is_quick_on_long_text():
    """It runs while observe holds the memory's lock."""
    import time

    from gatedmem.memory.features import hedged

    for text in ("if " * 10000, "a-" * 10000 + "?", "! " * 20000, "I wish " * 5000 + "?"):
        start = time.perf_counter()
        hedged(text)
        assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("What's my name?", True),
        ("whats my name", True),
        ("Who am I?", True),
        ("What am I called?", True),
        ("What should you call me?", True),
        ("How should you address me?", True),
        ("What's my first and last name?", True),
        ("What name did I give you?", True),
        ("Who's talking to you?", True),
        ("What's my dog's name?", False),
        ("What is my boss called?", False),
        ("Who am I dating?", False),
        ("Call me Bex.", False),  # it tells the name
        ("Hi, I'm Kenji. What's my name?", False),
        ("What's the name of that film?", False),
    ],
)
def test_a_question_for_the_speakers_own_name_is_read_as_such(text, asks):
    from gatedmem.memory.features import asks_own_name

    assert asks_own_name(text) is asks


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My name is Tomasz.", "tomasz"),
        ("I'm Tomasz by the way", "tomasz"),
        ("Hi there! My name is Tomasz, nice to meet you.", "tomasz"),
        ("Tomasz here", "tomasz"),
        ("it's Aoife btw, pronounced ee-fa", None),  # tells more than the name
        ("My name is Tomasz and I live in Leeds.", None),
        ("I live in Leeds.", None),
    ],
)
def test_a_turn_that_tells_a_name_and_nothing_else_is_read_as_such(text, name):
    from gatedmem.memory.features import bare_name

    assert bare_name(text) == name
