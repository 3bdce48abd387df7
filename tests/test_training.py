"""Training runs on a small fixture, is deterministic with a seed, and its weights load."""

from __future__ import annotations

import numpy as np

from memory.datasets import Dialogue, Turn, locomo_refs, read_persona_chat
from memory.gates import Gates
from memory.train import TrainConfig, train

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
