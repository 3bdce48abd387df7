"""Training runs on a small fixture, is deterministic with a seed, and its weights load."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import torch
from gatedmem.memory.features import N_PAIR
from gatedmem.memory.gates import Gates
from gatedmem.memory.training.datasets import Dialogue, Turn, locomo_refs, read_persona_chat
from gatedmem.memory.training.train import TrainConfig, train

CSV = """user 1 personas,user 2 personas,Best Generated Conversation
"I have a dog named Rex.
I work as a nurse.","I love jazz.
I live by the sea.","User 1: Hi!
User 2: Hello! What do you do?
User 1: I work as a nurse at the city hospital.
User 2: Cool. I love listening to jazz.
User 1: Nice! Do you have pets?
User 2: No, but I live right by the sea.
User 1: I have a dog, his name is Rex.
User 2: lol ok"
"""


def _fixture(tmp_path) -> list[Dialogue]:
    path = tmp_path / "spc.csv"
    path.write_text(CSV * 1)
    d = read_persona_chat(path)
    return d * 12  # a few copies so there is a held-out split


def test_persona_chat_reader(tmp_path):
    (d,) = read_persona_chat(_write(tmp_path))
    assert d.personas["User 1"] == ["I have a dog named Rex.", "I work as a nurse."]
    assert d.turns[2] == Turn("User 1", "I work as a nurse at the city hospital.")


def _write(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text(CSV)
    return path


def test_locomo_evidence_ids_are_normalised():
    assert locomo_refs("D8:6; D9:17") == ["D8:6", "D9:17"]
    assert locomo_refs("D:11:26") == ["D11:26"]
    assert locomo_refs("D30:05") == ["D30:5"]


@pytest.mark.slow  # trains small gates
def test_training_is_deterministic_and_writes_loadable_weights(tmp_path):
    from conftest import HashEmbedder

    dialogues = [Dialogue(f"d{i}", d.turns, d.personas) for i, d in enumerate(_fixture(tmp_path))]
    tc = TrainConfig(seed=3, epochs=1, n_synth=60, hidden=8, batch=64)
    g1, m1 = train(dialogues, HashEmbedder(), tc)
    g2, m2 = train(dialogues, HashEmbedder(), tc)
    for (k, a), (_, b) in zip(g1.state_dict().items(), g2.state_dict().items(), strict=True):
        assert np.array_equal(a.numpy(), b.numpy()), k
    m1.pop("seconds"), m2.pop("seconds")
    assert m1 == m2
    g1.save(tmp_path / "w")
    loaded = Gates.load(tmp_path / "w")
    assert loaded.cfg.embedding_model == "test-hash-embedder"
    assert loaded.cfg.trained["metrics"]["examples"]["input"] > 0
    assert loaded.has_change_words and m1["change_words"]["pairs"] > 0


def _with_and_without(dialogues, **option):
    """build_examples without and with one option (option=value), the same seed; asserts
    that the option draws from a random stream of its own and that what it adds comes
    after every other example of each gate. Returns (without, with, the embedding cache)."""
    from conftest import HashEmbedder
    from gatedmem.memory.gates import GateConfig
    from gatedmem.memory.training.train import EmbeddingCache, build_examples

    emb = EmbeddingCache(HashEmbedder(), None)
    gcfg = GateConfig(dim=emb(["probe"]).shape[1], hidden=8)
    runs = []
    for opts in ({}, option):
        rng = random.Random(5)
        runs.append((build_examples(dialogues, emb, rng, gcfg, 60, **opts), rng.getstate()))
    (a, state_a), (b, state_b) = runs
    assert state_a == state_b
    for gate in ("input", "forget", "output"):
        for col, xs in a[gate].items():
            ys = b[gate][col][: len(xs)]
            assert all(np.array_equal(x, y) for x, y in zip(xs, ys, strict=True)), (gate, col)
    return a, b, emb


def test_generated_update_pairs_add_examples_and_draw_nothing_else(tmp_path):
    """update_pairs adds forget-gate pairs (and their texts as input-gate examples) from a
    random stream of its own: every other example is drawn as without them."""
    dialogues = [Dialogue(f"d{i}", d.turns, d.personas) for i, d in enumerate(_fixture(tmp_path))]
    a, b, _ = _with_and_without(dialogues, update_pairs=300)
    assert len(b["forget"]["y"]) == len(a["forget"]["y"]) + 300
    assert len(b["input"]["y"]) > len(a["input"]["y"])


def test_named_facts_add_input_examples_about_someone_and_draw_nothing_else(tmp_path):
    dialogues = [Dialogue(f"d{i}", d.turns, d.personas) for i, d in enumerate(_fixture(tmp_path))]
    a, b, _ = _with_and_without(dialogues, named_facts=5)
    added = b["input"]["y"][len(a["input"]["y"]) :]
    assert added and 1.0 in added and set(added) <= {1.0, 0.7, 0.0}  # facts, then chatter
    assert len(b["forget"]["y"]) == len(a["forget"]["y"])
    assert len(b["output"]["y"]) == len(a["output"]["y"])
    # Asked for more than the facts that read right as someone's: as many as there are.
    _, c, _ = _with_and_without(dialogues, named_facts=100_000)
    assert len(c["input"]["y"]) > len(b["input"]["y"])


@pytest.mark.parametrize(
    ("fact", "said"),
    [
        ("I love to bake cookies.", "Ewa loves to bake cookies."),
        ("I am a retired gym teacher.", "Ewa is a retired gym teacher."),
        ("My favorite color is red.", "Ewa's favorite color is red."),
        ("I'm watching TV right now lol", "Ewa is watching TV right now lol"),
        ("Knitting is my passion.", None),  # does not open with its speaker
        ("The bake sale is where i feel at home.", None),
        ("I grew up in manhattan.", None),  # about() would conjugate a past tense
        ("I just woke up.", None),
        ("Ugh, I'm so tired today", None),
    ],
)
def test_a_persona_fact_is_said_of_someone_only_when_it_reads_right(fact, said):
    from gatedmem.memory.training import synth

    assert synth.said_of("Ewa", fact) == said


def test_generated_lifetimes_are_time_head_examples_only(tmp_path):
    """lifetimes adds momentary states (8 hours) and lasting facts (two years) for the time
    head alone, from a random stream of its own: no gate's examples change."""
    from gatedmem.memory.gates import GateConfig

    dialogues = [Dialogue(f"d{i}", d.turns, d.personas) for i, d in enumerate(_fixture(tmp_path))]
    a, b, _ = _with_and_without(dialogues, lifetimes=40)
    for gate in ("input", "forget", "output"):
        assert {k: len(v) for k, v in a[gate].items()} == {k: len(v) for k, v in b[gate].items()}
    assert not a["time"]["hl"] and len(b["time"]["hl"]) == 80
    cfg = GateConfig()
    lo, hi = math.log(cfg.min_half_life_hours), math.log(cfg.max_half_life_hours)
    hours = [round(math.exp(lo + h * (hi - lo)), 1) for h in b["time"]["hl"]]
    assert hours == [8.0] * 40 + [2 * 8760.0] * 40


@pytest.mark.slow  # trains small gates
def test_lifetimes_change_the_time_head_and_nothing_else(tmp_path):
    """Without training through retrieval (which reads half-lives), every gate but the
    time head trains bit for bit as without the option."""
    from conftest import HashEmbedder

    dialogues = [Dialogue(f"d{i}", d.turns, d.personas) for i, d in enumerate(_fixture(tmp_path))]
    runs = []
    for lifetimes in (0, 50):
        tc = TrainConfig(
            seed=3, epochs=2, n_synth=60, hidden=8, batch=64, unrolled_epochs=0, lifetimes=lifetimes
        )
        runs.append(train(dialogues, HashEmbedder(), tc)[0].state_dict())
    same, time_head = runs
    changed = {k for k in same if not torch.equal(same[k], time_head[k])}
    assert changed and all(k.startswith("forget.time") for k in changed), changed


@pytest.mark.slow  # trains small gates
def test_every_half_life_batch_brings_its_share_of_the_lifetimes(tmp_path, monkeypatch):
    """Each batch of the time head's loss, supervised and beside training through
    retrieval, holds a batch of input-gate examples and its share of the generated ones."""
    from conftest import HashEmbedder
    from gatedmem.memory.gates import ForgetGate
    from gatedmem.memory.training.train import time_only_per_batch

    assert time_only_per_batch(256, 6000, 93902) == 17
    assert time_only_per_batch(64, 0, 500) == 0
    seen = []
    time_logit = ForgetGate.time_logit

    def spy(self, e, text):
        seen.append(len(e))
        return time_logit(self, e, text)

    monkeypatch.setattr(ForgetGate, "time_logit", spy)
    dialogues = [Dialogue(f"d{i}", d.turns, d.personas) for i, d in enumerate(_fixture(tmp_path))]
    tc = TrainConfig(seed=3, epochs=1, n_synth=60, hidden=8, batch=64, lifetimes=50)
    tc.unrolled_epochs, tc.sessions, tc.regroupings = 1, 4, 1
    _, metrics = train(dialogues, HashEmbedder(), tc)
    n_in, n_time = metrics["examples"]["input"], metrics["examples"]["time"]
    share = time_only_per_batch(64, n_time, n_in)
    assert n_time == 100 and share >= 1
    steps = math.ceil(n_in / 64)
    full = seen[: n_in // 64]  # the supervised batches, then the last (short) one
    assert (
        full == [64 + share] * (n_in // 64) and seen[steps - 1] == n_in - 64 * (steps - 1) + share
    )
    # Training through retrieval: each episode's aux batch is a full one with its share.
    episodes = metrics["unrolled"]["episodes"]
    assert episodes and seen.count(64 + share) >= n_in // 64 + episodes


def test_related_keeps_add_keep_pairs_of_one_speakers_related_turns(tmp_path):
    """related_keeps adds forget-gate keep pairs, after every other forget example and from
    a random stream of its own."""
    from gatedmem.memory.training.train import RELATED_KEEP_COS

    turns = [
        Turn("Ana", "I play the cello in the city orchestra."),
        Turn("Bo", "I play the cello too, in a quartet."),
        Turn("Ana", "The orchestra plays Mahler on Friday, I play the cello part."),
        Turn("Ana", "lol ok"),
    ]
    dialogues = [Dialogue(f"d{i}", d.turns, d.personas) for i, d in enumerate(_fixture(tmp_path))]
    dialogues.append(Dialogue("cello", turns, {}))
    a, b, emb = _with_and_without(dialogues, related_keeps=2)
    assert len(b["input"]["y"]) == len(a["input"]["y"])
    added = b["forget"]["y"][len(a["forget"]["y"]) :]
    assert added and set(added) == {0}
    # Ana's Mahler turn beside her cello turn is one of them; Bo's turn is never paired
    # with Ana's, and "lol ok" is close to nothing.
    u = emb([t.text for t in turns])
    assert float(u[2] @ u[0]) >= RELATED_KEEP_COS
    forget = b["forget"]
    pairs = {(x.tobytes(), y.tobytes()) for x, y in zip(forget["u"], forget["m"], strict=True)}
    assert (u[2].tobytes(), u[0].tobytes()) in pairs
    assert (u[2].tobytes(), u[1].tobytes()) not in pairs


JSONL = [
    {"dialogue": "d1", "speaker": "Maria", "text": "Hi there!", "at": "2024-05-01T10:00"},
    {"dialogue": "d1", "speaker": "Maria", "text": "I adopted a beagle named Biscuit.", "id": "a"},
    {"dialogue": "d1", "speaker": "Tom", "text": "lol nice", "at": 1714557700},
    {"dialogue": "d1", "speaker": "Tom", "text": "I work night shifts at the harbour.", "id": "b"},
    {"dialogue": "d1", "question": "What is Maria's dog called?", "evidence": ["a"]},
    {"dialogue": "d1", "speaker": "Maria", "fact": "Maria has a beagle."},
    {"dialogue": "d2", "speaker": "Ana", "text": "I play the cello in an orchestra.", "id": "c"},
]


def _jsonl(tmp_path, rows=JSONL, name="mine.jsonl"):
    import json

    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_jsonl_reader(tmp_path):
    from gatedmem.memory.training.datasets import read_dialogues

    d1, d2 = read_dialogues(_jsonl(tmp_path))
    assert [t.text for t in d1.turns][1] == "I adopted a beagle named Biscuit."
    assert d1.turns[0].at is not None and d1.turns[2].at == 1714557700
    assert d1.turns[1].ref == "a" and d1.turns[0].ref is None
    assert d1.questions[0].text == "What is Maria's dog called?"
    assert d1.questions[0].evidence == ["a"]
    assert d1.personas == {"Maria": ["Maria has a beagle."]}
    assert d2.turns[0].speaker == "Ana"


@pytest.mark.parametrize(
    "line, message",
    [
        ("not json", "not JSON"),
        ('{"text": "no dialogue"}', "'dialogue' id"),
        ('{"dialogue": "d", "speaker": "x"}', "needs 'text'"),
        ('{"dialogue": "d", "text": ""}', "non-empty"),
        ('{"dialogue": "d", "text": "hi", "at": "yesterday"}', "ISO 8601"),
        ('{"dialogue": "d", "question": "q?", "evidence": "a"}', "list of turn ids"),
        ('{"dialogue": "d", "question": "q?", "evidence": ["t9"]}', "t9 is no turn id"),
    ],
)
def test_jsonl_errors_name_the_line(tmp_path, line, message):
    from gatedmem.memory.training.datasets import read_jsonl

    path = tmp_path / "bad.jsonl"
    path.write_text('{"dialogue": "d", "text": "fine"}\n' + line + "\n")
    with pytest.raises(ValueError, match=message) as e:
        read_jsonl(path)
    assert "bad.jsonl:2" in str(e.value)


def test_formats_are_detected(tmp_path):
    from gatedmem.memory.training.datasets import detect_format

    assert detect_format(_write(tmp_path)) == "persona-chat"
    assert detect_format(_jsonl(tmp_path)) == "jsonl"
    (tmp_path / "l.json").write_text('[{"sample_id": "x"}]')
    assert detect_format(tmp_path / "l.json") == "locomo"
    (tmp_path / "m.json").write_text('{"ana": {"history": {}}}')
    assert detect_format(tmp_path / "m.json") == "memorybank"
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(ValueError, match="--format"):
        detect_format(tmp_path / "x.txt")


def _long_dialogue(n: int = 40) -> Dialogue:
    from gatedmem.memory.training.datasets import Question

    turns, questions = [], []
    for i in range(n):
        if i % 4 == 0:
            text = f"I visited museum number {i} with my cousin Oskar{i} yesterday afternoon."
        else:
            text = ["lol", "ok cool", "haha yes", "nice"][i % 4]
        turns.append(Turn("Maria" if i % 2 == 0 else "Tom", text, 1.7e9 + 3600 * i, f"D1:{i}"))
        if i % 4 == 0:
            questions.append(Question(f"Which museum did Maria visit with Oskar{i}?", [f"D1:{i}"]))
    return Dialogue("long", turns, questions=questions)


@pytest.mark.slow
def test_unrolled_training_learns_through_retrieval_and_is_deterministic():
    from conftest import HashEmbedder
    from gatedmem.memory.gates import GateConfig, Gates
    from gatedmem.memory.training import unroll

    emb = HashEmbedder()
    ep = unroll.dialogue_episode(_long_dialogue(), lambda t: np.asarray(emb.embed(t)))
    assert ep is not None and ep.evidence.any()

    def trained(seed):
        torch.manual_seed(seed)
        g = Gates(GateConfig(dim=emb.dim, hidden=8))
        before = [p.detach().clone() for p in g.input.parameters()]
        losses = unroll.train_unrolled(g, [ep], epochs=8, lr=1e-2, storage=0.5, seed=seed)
        moved = any(
            not torch.equal(a, b) for a, b in zip(before, g.input.parameters(), strict=True)
        )
        return g, losses, moved

    g1, losses, moved = trained(0)
    assert moved, "the retrieval loss must reach the input gate"
    assert losses[-1] < losses[0]
    g2, losses2, _ = trained(0)
    assert losses == losses2
    for a, b in zip(g1.state_dict().values(), g2.state_dict().values(), strict=True):
        assert torch.equal(a, b)
    res = unroll.evaluate(g1, [ep], unroll.WRITE)
    assert res["questions"] == 10 and 0.0 <= res["stored_fraction"] <= 1.0


def test_own_words_questions_for_dialogues_without_any():
    from conftest import HashEmbedder
    from gatedmem.memory.training import unroll

    emb = HashEmbedder()
    d = Dialogue(
        "mb",
        [
            Turn("Ana", "I started learning the violin at the community school.", 1.7e9),
            Turn("assistant", "I think that is a wonderful idea for you to try.", 1.7e9 + 60),
            Turn("Ana", "My brother lives in Oslo with his two cats.", 1.7e9 + 120),
        ]
        * 3,
    )
    ep = unroll.own_words_episode(d, lambda t: np.asarray(emb.embed(t)), random.Random(0))
    assert ep is not None
    # Questions come from Ana's first-person sentences, never from the assistant's.
    for ev in ep.q_evidence:
        assert all(d.turns[int(r[1:])].speaker == "Ana" for r in ev)


@pytest.mark.slow  # trains small gates
def test_train_on_a_jsonl_file_through_the_cli(tmp_path, monkeypatch):
    from conftest import HashEmbedder
    from gatedmem.cli import app
    from gatedmem.memory.training import train
    from typer.testing import CliRunner

    monkeypatch.setattr(train, "SentenceTransformerEmbedder", lambda model: HashEmbedder())
    monkeypatch.setattr(train.TrainConfig, "n_synth", 60)
    monkeypatch.setattr(train.TrainConfig, "hidden", 8)
    rows = []
    for k in range(4):
        d = _long_dialogue(16)
        for t in d.turns:
            rows.append({"dialogue": f"d{k}", "speaker": t.speaker, "text": t.text, "id": t.ref})
        rows += [
            {"dialogue": f"d{k}", "question": q.text, "evidence": q.evidence} for q in d.questions
        ]
    out = tmp_path / "w"
    res = CliRunner().invoke(
        app,
        ["train", "--data", str(_jsonl(tmp_path, rows)), "--out", str(out), "--epochs", "1"],
    )
    assert res.exit_code == 0, res.output
    g = Gates.load(out)
    assert g.cfg.trained["metrics"]["unrolled"]["episodes"] == 4
    assert "mine.jsonl" in (out / "MODEL_CARD.md").read_text()
    bad = CliRunner().invoke(app, ["train", "--data", str(tmp_path / "nope.jsonl"), "--out", "x"])
    assert bad.exit_code == 1 and "no data file" in bad.output
    fmt = CliRunner().invoke(app, ["train", "--format", "xml", "--out", "x"])
    assert fmt.exit_code == 2 and "--format" in fmt.output


def test_weights_of_an_older_feature_set_are_refused(tmp_path):
    import json

    from gatedmem.memory.errors import WeightsError
    from gatedmem.memory.gates import GateConfig

    Gates(GateConfig(dim=16, hidden=4)).save(tmp_path / "w")
    cfg = json.loads((tmp_path / "w" / "config.json").read_text())
    cfg["n_output"] = 8
    (tmp_path / "w" / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(WeightsError, match="retrain"):
        Gates.load(tmp_path / "w")


@pytest.mark.parametrize(
    "text",
    [
        "Hi, my name is Sarah.",
        "Hello! I'm John, I work in sales.",
        "just call me Bex",
        "My name's Amara",
    ],
)
def test_a_speaker_telling_their_name_is_read_as_an_introduction(text):
    from gatedmem.memory.training.datasets import introduces_self

    assert introduces_self(text)


@pytest.mark.parametrize(
    "text",
    [
        "My name is [user 1 name].",  # the generated dialogues' unfilled placeholders
        "My name is User 2.",
        "I'm tired of it.",
        "I am happy, thanks!",
        "what is your name?",
        "my name is on the list",  # no name follows
    ],
)
def test_what_does_not_tell_a_name_is_not_an_introduction(text):
    from gatedmem.memory.training.datasets import introduces_self

    assert not introduces_self(text)


def test_an_introduction_is_labelled_a_stated_fact_for_both_trainings():
    """No persona list holds the speaker's name, so the labels read from them would teach
    the input gate that "Hi, my name is Sarah." is not worth storing; both the supervised
    labels and those of training through retrieval count it as a stated fact."""
    from conftest import HashEmbedder
    from gatedmem.memory.training import unroll
    from gatedmem.memory.training.train import EmbeddingCache, _persona_labels

    d = Dialogue(
        "intro",
        [
            Turn("User 1", "Hi, my name is Sarah."),
            Turn("User 2", "Hello! How are you today?"),
            Turn("User 1", "Fine thanks, just back from the gym."),
        ],
        {"User 1": ["I have a dog named Rex."], "User 2": ["I love jazz."]},
    )
    emb = EmbeddingCache(HashEmbedder(), None)
    _, labels = _persona_labels(d, emb)
    stated = unroll._stated(d, emb([t.text for t in d.turns]), emb)
    assert labels[0] == 1.0 and stated[0] == 1.0
    assert labels[1:].max() < 1.0 and stated[1:].max() < 1.0


def test_update_episodes_put_each_fact_before_its_change_and_ask_about_it():
    from gatedmem.memory.training import unroll

    n = 40
    speakers = ["Maria" if i % 2 == 0 else "Tom" for i in range(n)]
    c = unroll.Conversation(
        "c",
        [f"{s}: turn {i}" for i, s in enumerate(speakers)],
        speakers,
        [1000.0 * i for i in range(n)],
        [("What did Tom say third?", [3]), ("And last?", [39])],
        1e6,
        [0.5] * n,
    )
    out = unroll.with_updates(c, random.Random(0), 6)
    assert len(out.texts) == n + 12
    # The conversation's own questions still point at the same turns.
    assert [out.texts[e] for _, ev in out.questions[:2] for e in ev] == [
        "Tom: turn 3",
        "Tom: turn 39",
    ]
    assert out.times == sorted(out.times)
    asked = out.questions[2:]
    assert len(asked) == 6
    for q, ev in asked:
        name = next(p for p in ("Maria", "Tom") if p in q)
        assert ev and all(out.speakers[e] == name for e in ev)
        assert all(out.texts[e].startswith(f"{name}: ") for e in ev)
    # A turn added to the conversation is never one of its own.
    added = set(range(len(out.texts))) - {out.texts.index(t) for t in c.texts}
    assert len(added) == 12


def test_supersession_pairs_are_the_neighbours_the_memory_would_judge():
    from gatedmem.memory.training import unroll

    texts = [
        "I live in Leeds.",
        "I love jazz.",
        "My sister moved to Lisbon.",
        "I moved to Lisbon last month.",
        "I live in York now.",
    ]
    speakers = ["Ana", "Ana", "Ana", "Ben", "Ana"]
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(5, 8)).astype(np.float32)
    vecs[4] = vecs[0] + 0.1 * vecs[4]  # York is close to Leeds
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    new, old, pair = unroll.supersession_pairs(texts, speakers, [0.0, 1, 2, 3, 4], vecs)
    got = set(zip(new.tolist(), old.tolist(), strict=True))
    assert (4, 0) in got  # a later turn of the same speaker beside an earlier one
    assert all(n > o and speakers[n] == speakers[o] for n, o in got)
    assert not any(o == 3 or n == 3 for n, o in got)  # Ben is no one else's neighbour
    # someone else's news never supersedes the speaker's own fact
    assert (2, 0) not in got and (2, 1) not in got
    assert pair.shape == (len(got), N_PAIR)


def test_named_chatter_names_someone_and_is_mostly_not_a_state():
    from gatedmem.memory.training import synth

    a, b = random.Random(7), random.Random(7)
    assert [synth.named_chatter(a) for _ in range(50)] == [
        synth.named_chatter(b) for _ in range(50)
    ]
    rng = random.Random(0)
    turns = [synth.named_chatter(rng) for _ in range(1000)]
    assert all(any(n in text for n in synth.GIVEN_NAMES) for text, _ in turns)
    assert {label for _, label in turns[:200]} == {0.0, 0.7}
    share = sum(label == 0.7 for _, label in turns) / len(turns)
    assert 0.15 < share < 0.45
