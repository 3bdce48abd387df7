"""The public API's mechanics, through a real SQLite file, with the fast fake embedder."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from conftest import HashEmbedder
from gatedmem import UnknownMemory, UnknownUser
from gatedmem.memory.decay import FLOOR

# Recent, so that reads at the default time (now) see these memories before any decay.
T0 = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=5)


def test_add_get_list_roundtrip(fake_memory):
    m = fake_memory.add("My dog is called Rex", user="ana", at=T0, metadata={"src": "test"})
    assert m.id > 0 and m.user == "ana" and m.text == "My dog is called Rex"
    assert m.strength == pytest.approx(1.0)
    assert not m.pinned and not m.forgotten and m.input_gate is None
    assert m.created_at == T0 and m.metadata == {"src": "test"}
    assert m.half_life_days > 0
    got = fake_memory.get(m.id, at=T0)
    assert got == m
    assert [x.id for x in fake_memory.list(user="ana", at=T0)] == [m.id]


def test_observe_reports_gate_values(fake_memory, monkeypatch):
    from gatedmem.memory import decisions

    obs = fake_memory.observe("I grew up on a farm near the coast", user="ana", at=T0)
    assert 0.0 < obs.input_gate < 1.0 and isinstance(obs.superseded, list)
    monkeypatch.setattr(decisions, "p_write", lambda *a, **k: 0.9)
    kept = fake_memory.observe("I have two brothers", user="bob", at=T0)
    assert kept.stored and kept.input_gate == 0.9 and kept.reason.startswith("stored")
    assert fake_memory.get(kept.memory_id).text == "I have two brothers"
    monkeypatch.setattr(decisions, "p_write", lambda *a, **k: 0.1)
    dropped = fake_memory.observe("lol ok sure", user="bob", at=T0)
    assert not dropped.stored and dropped.memory_id is None
    assert dropped.reason == "not stored: input gate 0.10 < 0.50"
    assert [m.id for m in fake_memory.list(user="bob", at=T0)] == [kept.memory_id]


def test_forget_restore_and_history(fake_memory):
    m = fake_memory.add("I am vegetarian", user="ana", at=T0)
    f = fake_memory.forget(m.id, at=T0 + timedelta(hours=1))
    assert f.forgotten and not f.active
    assert fake_memory.list(user="ana", at=T0 + timedelta(hours=1)) == []
    assert [x.id for x in fake_memory.list(user="ana", include_forgotten=True)] == [m.id]
    assert fake_memory.recall("I am vegetarian", user="ana", at=T0 + timedelta(hours=2)) == []
    r = fake_memory.restore(m.id, at=T0 + timedelta(hours=3))
    assert r.active
    kinds = [e.kind for e in fake_memory.history(m.id)]
    assert kinds == ["added", "forgotten", "restored"]
    assert fake_memory.history(m.id)[1].actor == "user"


@pytest.mark.model
def test_recall_reinforces_and_logs_the_query(real_memory):
    m = real_memory.add("My favourite band is Radiohead.", user="ana", at=T0)
    later = T0 + timedelta(days=30)
    before = real_memory.get(m.id, at=later).strength
    hits = real_memory.recall("Which band do I like most?", user="ana", at=later)
    assert [h.memory_id for h in hits] == [m.id]
    assert hits[0].score >= real_memory.gates.cfg.recall_threshold
    assert {"output", "cosine", "lexical", "strength"} <= set(hits[0].gates)
    after = real_memory.get(m.id, at=later)
    assert after.strength > before and after.recall_count == 1
    ev = real_memory.history(m.id, at=later)[-1]
    assert ev.kind == "recalled" and ev.query == "Which band do I like most?"


@pytest.mark.model
def test_recall_without_reinforce_changes_nothing(real_memory):
    m = real_memory.add("My favourite band is Radiohead.", user="ana", at=T0)
    assert real_memory.recall("Which band do I like most?", user="ana", reinforce=False)
    assert real_memory.get(m.id).recall_count == 0
    assert [e.kind for e in real_memory.history(m.id)] == ["added"]


def test_reinforcing_later_is_what_recall_would_have_done(tmp_path):
    """recall(reinforce=False) then reinforce(...) leaves the same strengths, counts and
    history as recall(reinforce=True); another user's memories are left alone."""
    from conftest import _fake

    at = T0 + timedelta(days=20)
    runs = []
    for later in (False, True):
        mem = _fake(f"sqlite:///{tmp_path / f'later-{later}.db'}")
        a = mem.add("My favourite band is Radiohead.", user="ana", at=T0)
        mem.add("I play the cello on Sundays.", user="ana", at=T0)
        hits = mem.recall("band Radiohead", user="ana", at=at, reinforce=not later, min_score=0)
        if later:
            mem.reinforce(hits, user="ana", query="band Radiohead", at=at)
        got = mem.get(a.id, at=at)
        runs.append((got.strength, got.recall_count, [e.kind for e in mem.history(a.id)]))
        bob = mem.add("My favourite band is Blur.", user="bob", at=T0)
        mem.reinforce(hits, user="bob", query="band", at=at)  # ana's ids: not bob's
        assert mem.get(bob.id, at=at).recall_count == 0
        assert mem.get(a.id, at=at).recall_count == runs[-1][1]
        mem.close()
    assert runs[0] == runs[1] and runs[0][1] == 1


def test_pinned_memory_survives_a_year_while_an_unpinned_one_fades(fake_memory, observe_passing):
    keep = fake_memory.add("my passport number ends in 42", user="ana", at=T0)
    fake_memory.pin(keep.id, at=T0)
    # An unpinned memory the forget gate judged passing fades.
    short = observe_passing(fake_memory, "the bus was late", user="ana", at=T0)
    assert short.lifetime == "passing"
    year = T0 + timedelta(days=365)
    assert fake_memory.get(keep.id, at=year).strength == pytest.approx(1.0)
    faded = fake_memory.get(short.id, at=T0 + timedelta(days=365 * 30))
    assert faded.forgotten and faded.strength < FLOOR
    ids = [m.id for m in fake_memory.list(user="ana", at=year)]
    assert keep.id in ids


def test_time_never_hides_what_a_person_asked_to_keep_or_the_gate_judged_lasting(
    fake_memory, monkeypatch
):
    from gatedmem.memory import decisions

    added = fake_memory.add("my passport number is X1234567", user="ana", at=T0)
    monkeypatch.setattr(decisions, "p_write", lambda *a, **k: 1.0)
    monkeypatch.setattr(decisions, "half_life_hours", lambda *a, **k: 30 * 24.0)
    lasting = fake_memory.observe("my sister lives in Porto", user="ana", at=T0).memory_id
    later = T0 + timedelta(days=3650)  # 120 half-lives of the observed one
    for memory_id, lifetime in ((added.id, "kept"), (lasting, "lasting")):
        m = fake_memory.get(memory_id, at=later)
        assert m.lifetime == lifetime and not m.forgotten and m.strength < FLOOR
    assert {m.id for m in fake_memory.list(user="ana", at=later)} == {added.id, lasting}
    hits = fake_memory.recall("sister Porto passport", user="ana", at=later, min_score=0)
    assert {h.memory_id for h in hits} == {added.id, lasting}
    assert not any(e.kind == "faded" for e in fake_memory.history(lasting, at=later))


def test_unpin_resumes_decay(fake_memory):
    m = fake_memory.add("I take the train to work", user="ana", at=T0)
    fake_memory.pin(m.id, at=T0)
    fake_memory.unpin(m.id, at=T0 + timedelta(days=100))
    assert fake_memory.get(m.id, at=T0 + timedelta(days=100)).strength == pytest.approx(1.0)
    assert fake_memory.get(m.id, at=T0 + timedelta(days=200)).strength < 1.0
    hist = fake_memory.history(m.id, at=T0 + timedelta(days=100))
    assert [e.kind for e in hist] == ["added", "pinned", "unpinned"]


def test_export_import_roundtrip(fake_memory, tmp_path):
    a = fake_memory.add("I live in Lisbon", user="ana", at=T0)
    b = fake_memory.add("I play the violin", user="ana", at=T0)
    fake_memory.forget(b.id, at=T0)
    data = fake_memory.export(user="ana")
    json.dumps(data)  # serialisable as it is
    assert [m["text"] for m in data["memories"]] == ["I live in Lisbon", "I play the violin"]
    ids = fake_memory.import_(data, user="ana-copy")
    copies = fake_memory.list(user="ana-copy", include_forgotten=True)
    assert [m.id for m in copies] == ids and {m.text for m in copies} == {a.text, b.text}
    assert [m.forgotten for m in copies] == [False, True]
    hist = fake_memory.history(ids[1])
    assert [e.kind for e in hist] == ["added", "forgotten", "imported"]


def test_an_export_reads_like_get_and_imports_exactly(fake_memory, observe_passing):
    a = fake_memory.add("I live in Lisbon", user="ana", at=T0)
    b = observe_passing(fake_memory, "I play the violin", user="ana", at=T0 - timedelta(days=3650))
    now = T0 + timedelta(days=1)
    data = json.loads(json.dumps(fake_memory.export(user="ana")))  # as a file holds it
    assert data["version"] == 2
    for exported, m in zip(data["memories"], (a, b), strict=True):
        got = fake_memory.get(m.id).to_dict()
        assert {k: exported[k] for k in got if k != "strength"} == {
            k: v for k, v in got.items() if k != "strength"
        }
    ids = fake_memory.import_(data, user="ana-copy")
    for new_id, m in zip(ids, (a, b), strict=True):
        copy, original = fake_memory.get(new_id, at=now), fake_memory.get(m.id, at=now)
        assert copy.strength == pytest.approx(original.strength, rel=1e-9)
        assert (copy.created_at, copy.half_life_days) == (original.created_at, m.half_life_days)
        assert (copy.forgotten, copy.forgotten_at) == (original.forgotten, original.forgotten_at)
    assert fake_memory.get(ids[1]).forgotten  # the old one had faded, and still has


def test_importing_an_export_twice_adds_nothing(fake_memory):
    fake_memory.add("I live in Lisbon", user="ana", at=T0)
    fake_memory.add("I play the violin", user="ana", at=T0)
    data = json.loads(json.dumps(fake_memory.export(user="ana")))
    assert fake_memory.import_(data, user="ana") == []
    assert len(fake_memory.import_(data, user="ana-copy")) == 2
    assert fake_memory.import_(data, user="ana-copy") == []
    assert len(fake_memory.list(user="ana-copy", include_forgotten=True)) == 2


def test_purge_removes_everything_of_that_user_only(fake_memory):
    fake_memory.add("ana secret", user="ana")
    bob = fake_memory.add("bob fact", user="bob")
    assert fake_memory.purge(user="ana") == 1
    with pytest.raises(UnknownUser):
        fake_memory.list(user="ana")
    assert [m.id for m in fake_memory.list(user="bob")] == [bob.id]


def test_recall_for_a_user_with_no_memories_is_empty(fake_memory):
    assert fake_memory.recall("anything at all", user="nobody") == []


def test_new_process_reopening_finds_everything(fake_memory, db_url, tmp_path):
    m = fake_memory.add("I was born in Porto", user="ana", at=T0)
    fake_memory.forget(m.id, at=T0)
    n = fake_memory.add("I like jazz", user="ana", at=T0)
    script = tmp_path / "reopen.py"
    script.write_text(
        "import json, sys, warnings\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from conftest import HashEmbedder\n"
        "from gatedmem import GatedMemory\n"
        "warnings.simplefilter('ignore')\n"
        "mem = GatedMemory(sys.argv[1], embedder=HashEmbedder())\n"
        "ms = mem.list(user='ana', include_forgotten=True)\n"
        "hits = [m.id for m in mem.list(user='ana')]\n"
        "print(json.dumps({'mems': [[m.id, m.text, m.forgotten] for m in ms],"
        " 'hits': hits,"
        " 'hist': [e.kind for e in mem.history(ms[0].id)]}))\n"
    )
    from pathlib import Path

    tests_dir = str(Path(__file__).parent)
    out = subprocess.run(
        [sys.executable, str(script), db_url, tests_dir],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["mems"] == [[m.id, "I was born in Porto", True], [n.id, "I like jazz", False]]
    assert got["hits"] == [n.id]
    assert got["hist"] == ["added", "forgotten"]


@pytest.mark.model
def test_another_process_write_is_seen_by_a_cached_index(
    db_url, real_memory, real_embedder, open_memory
):
    real_memory.add("I play tennis every Sunday.", user="ana", at=T0)
    assert real_memory.recall("What sport do I play?", user="ana", reinforce=False)  # cached
    other = open_memory(db_url, embedder=real_embedder)
    m = other.add("I have been learning chess from my grandfather.", user="ana", at=T0)
    other.forget(real_memory.list(user="ana")[0].id)
    other.close()
    hits = real_memory.recall("Who taught me chess?", user="ana", reinforce=False)
    assert [h.memory_id for h in hits] == [m.id]
    # ... and so is its forget: the forgotten memory is no longer recalled.
    hits = real_memory.recall("What sport do I play?", user="ana", reinforce=False)
    assert all("tennis" not in h.text for h in hits)


def test_get_unknown_id_raises(fake_memory):
    with pytest.raises(UnknownMemory, match="no memory with id 999"):
        fake_memory.get(999)


def test_recall_never_scores_superseded_or_forgotten_memories(fake_memory, monkeypatch):
    import gatedmem.memory.decisions as decisions

    ids = [fake_memory.add(f"fact number {i} about gardening", user="ana").id for i in range(4)]
    fake_memory.forget(ids[0])
    seen = []
    real = decisions.relevance

    def spy(gates, q, query, cands, ctx):
        seen.append(len(cands))
        assert np.isfinite(cands.cosine).all()
        return real(gates, q, query, cands, ctx)

    monkeypatch.setattr(decisions, "relevance", spy)
    fake_memory.recall("fact number about gardening", user="ana", reinforce=False)
    assert seen == [3]  # four memories, one forgotten: never a candidate


def test_observe_many_decides_in_order_and_checks_everything_first(fake_memory):
    from gatedmem import EmptyText

    obs = fake_memory.observe_many(
        [
            "I grew up on a farm near the coast",
            {"text": "we keep bees", "at": T0},
            {"text": "hello there", "speaker": "assistant"},
        ],
        user="ana",
        at=T0,
        batch_size=2,
    )
    assert len(obs) == 3 and all(0 < o.input_gate < 1 for o in obs)
    stored = [o.memory_id for o in obs if o.stored]
    assert [m.id for m in fake_memory.list(user="ana", at=T0)] == stored
    with pytest.raises(EmptyText, match="turn 1"):
        fake_memory.observe_many(["a fine turn about tea", "   "], user="bob")
    with pytest.raises(UnknownUser):
        fake_memory.list(user="bob")  # nothing of the batch was written


def test_index_cache_keeps_to_its_budget(db_url, open_memory):
    import warnings

    from conftest import HashEmbedder

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mem = open_memory(db_url, embedder=HashEmbedder(), cache_memories=5)
        for u in ("ana", "bob", "cy"):
            for i in range(3):
                mem.add(f"{u} fact {i}", user=u)
            mem.recall(f"{u} fact", user=u, reinforce=False)
    assert list(mem._indexes) == ["cy"]  # 3 + 3 > 5: the older users' indexes were dropped
    assert [m.text for m in mem.list(user="ana")] == ["ana fact 0", "ana fact 1", "ana fact 2"]


def test_a_chat_turn_embeds_the_message_once(fake_sqlite_memory):
    from gatedmem.memory.core import RECENT_TEXTS

    mem = fake_sqlite_memory
    emb = mem.embedder
    text = "I adopted a beagle named Biscuit"
    mem.observe(text, user="ana")
    calls = emb.calls
    hits = mem.recall(text, user="ana")  # the chat loop recalls for the message it observed
    assert emb.calls == calls and hits
    mem.recall("what is my dog called?", user="ana")
    assert emb.calls == calls + 1
    # Only the last RECENT_TEXTS texts are kept.
    for i in range(RECENT_TEXTS):
        mem.recall(f"question number {i}", user="ana", reinforce=False)
    calls = emb.calls
    mem.recall(text, user="ana")
    assert emb.calls == calls + 1


def test_reinforcing_later_starts_from_the_strength_of_then(tmp_path, observe_passing):
    """What recall saw is not written back: the strength is raised from its value at the
    reinforcement, and a memory that faded meanwhile is left faded."""
    from conftest import _fake

    mem = _fake(f"sqlite:///{tmp_path / 'm.db'}")
    band = mem.add("My favourite band is Radiohead.", user="ana", at=T0)
    tired = observe_passing(mem, "I'm so tired right now, band practice", user="ana", at=T0)
    hits = mem.recall("band", user="ana", at=T0, reinforce=False, min_score=0)
    assert {h.memory_id for h in hits} == {band.id, tired.id}
    later = T0 + timedelta(days=400)
    mem.reinforce(hits, user="ana", query="band", at=later)
    # the same as recalling (and reinforcing) at that moment would have left it
    twin = _fake(f"sqlite:///{tmp_path / 'twin.db'}")
    twin_band = twin.add("My favourite band is Radiohead.", user="ana", at=T0)
    twin.recall("Radiohead band", user="ana", at=later, k=1, min_score=0)
    assert mem.get(band.id, at=later).strength == pytest.approx(
        twin.get(twin_band.id, at=later).strength
    )
    assert mem.get(tired.id, at=later).recall_count == 0  # faded long before: not revived
    mem.close()
    twin.close()


class _WritesWhileEmbedding(HashEmbedder):
    """Runs ``hook`` (once) when asked to embed ``when``: another thread's write landing
    while recall embeds its query, outside the memory's lock."""

    def __init__(self, on_torch_thread: bool):
        super().__init__()
        self.runs_on_torch_thread = on_torch_thread
        self.when, self.hook = "", None

    def embed(self, texts):
        if self.hook is not None and list(texts) == [self.when]:
            hook, self.hook = self.hook, None
            hook()
        return super().embed(texts)


@pytest.mark.parametrize("on_torch_thread", [False, True])
def test_writes_while_recall_embeds_its_query_are_seen(sqlite_url, on_torch_thread):
    """Recall scores what the memory holds once the query is embedded: a memory added
    meanwhile (stamped before the query's time) can be returned, and one forgotten or
    purged meanwhile is not (an index left empty gives no memories, not an error)."""
    from gatedmem import GatedMemory
    from gatedmem.memory.errors import ModelMismatchWarning

    emb = _WritesWhileEmbedding(on_torch_thread)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        mem = GatedMemory(sqlite_url, embedder=emb)
        old = mem.add("I keep bees in the garden", user="ana", at=T0)
    q, asked = "what do I keep in the garden?", T0 + timedelta(hours=2)
    hens = "I keep hens in the garden too"
    try:
        emb.when = q
        emb.hook = lambda: mem.add(hens, user="ana", at=T0 + timedelta(hours=1))
        got = [h.text for h in mem.recall(q, user="ana", at=asked, min_score=0.0)]
        assert sorted(got) == ["I keep bees in the garden", hens]
        mem.forget(old.id)
        q2, q3 = "anything in the garden?", "what lives in my garden?"
        emb.when, emb.hook = q2, lambda: mem.purge(user="ana")
        assert mem.recall(q2, user="ana", min_score=0.0) == []
        mem.add("I keep bees in the garden", user="bob")
        emb.when, emb.hook = q3, lambda: mem.forget(mem.list(user="bob")[0].id)
        assert mem.recall(q3, user="bob", min_score=0.0) == []
        assert emb.hook is None  # each write happened during an embedding
    finally:
        mem.close()


def test_a_turn_said_again_word_for_word_reinforces_the_memory_instead_of_a_second(
    fake_memory, monkeypatch
):
    """The same words again (case and punctuation aside) from the same speaker make no
    second memory, whatever the input gate says: the first is strengthened, and its
    history says by what."""
    from gatedmem.memory import decisions

    monkeypatch.setattr(decisions, "p_write", lambda *a, **k: 0.9)  # the gate would store
    first = fake_memory.observe("I live in Leeds.", user="ana", at=T0)
    later = T0 + timedelta(days=200)
    weaker = fake_memory.get(first.memory_id, at=later).strength
    again = fake_memory.observe("i live in leeds", user="ana", at=later)
    assert not again.stored and again.memory_id is None
    assert again.restated == first.memory_id and "again" in again.reason
    assert [m.text for m in fake_memory.list(user="ana", at=later)] == ["I live in Leeds."]
    assert fake_memory.get(first.memory_id, at=later).strength > weaker
    (event,) = [e for e in fake_memory.history(first.memory_id) if e.kind == "restated"]
    assert event.detail["by"] == "i live in leeds"


def test_other_words_another_speaker_or_an_explicit_add_still_make_a_memory(
    fake_memory, monkeypatch
):
    from gatedmem.memory import decisions

    monkeypatch.setattr(decisions, "p_write", lambda *a, **k: 0.9)
    fake_memory.observe("I live in Leeds.", user="ana", at=T0)
    for text in ("I don't live in Leeds.", "I live in Leeds now."):  # other words
        assert fake_memory.observe(text, user="ana", at=T0).restated is None
    bot = fake_memory.observe("I live in Leeds.", user="ana", speaker="Leeds bot", at=T0)
    assert bot.stored and bot.restated is None  # not what the user said
    added = fake_memory.add("I live in Leeds.", user="ana", at=T0)  # asked to keep: kept
    assert added.id is not None


@pytest.mark.parametrize(
    "first, second",
    [
        ("My name is Zoë", "My name is Zoé"),
        ("I live in 北京", "I live in 上海"),
        ("My name is Дмитрий", "My name is Сергей"),
        ("I love 🍕", "I love 🍣"),
        ("It's -5 outside", "It's 5 outside"),
    ],
)
def test_words_that_differ_outside_ascii_are_other_words(fake_memory, monkeypatch, first, second):
    from gatedmem.memory import decisions

    monkeypatch.setattr(decisions, "p_write", lambda *a, **k: 0.9)
    fake_memory.observe(first, user="ana", at=T0)
    assert fake_memory.observe(second, user="ana", at=T0).restated is None


def test_only_a_lasting_memory_said_earlier_is_restated(fake_memory, monkeypatch, observe_passing):
    """A passing state or dated news said again is another moment, and a memory written
    after the turn's time was not there to be said again."""
    from gatedmem.memory import decisions

    monkeypatch.setattr(decisions, "p_write", lambda *a, **k: 0.9)
    observe_passing(fake_memory, "I have a headache", user="ana", at=T0)
    month = T0 + timedelta(days=30)
    assert fake_memory.observe("I have a headache", user="ana", at=month).stored
    fake_memory.observe("I went to the gym yesterday", user="ana", at=T0)
    again = fake_memory.observe("I went to the gym yesterday", user="ana", at=month)
    assert again.stored and again.restated is None
    fake_memory.observe("My cat is called Mochi", user="bob", at=month)
    early = fake_memory.observe("my cat is called Mochi", user="bob", at=T0)
    assert early.restated is None
    curly = fake_memory.observe("My cat’s called Mochi!", user="bob", at=month)
    plain = fake_memory.observe("my cat's called Mochi", user="bob", at=month)
    assert plain.restated == curly.memory_id and plain.decisions == []
