"""The gate networks: shipped weights load and are trained; save/load round-trips."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from gatedmem.memory.gates import GateConfig, Gates, default_weights_dir


def test_shipped_weights_load_and_say_how_they_were_trained():
    gates = Gates.load(default_weights_dir())
    cfg = gates.cfg
    assert cfg.dim == 384 and cfg.embedding_model.endswith("all-MiniLM-L6-v2")
    metrics = cfg.trained["metrics"]
    assert metrics["input_f1"] > 0.8
    # Trained through retrieval: the output gate is judged by what it finds on held-out
    # episodes (its pointwise F1 on small groups is no longer what it is trained for).
    held_out = metrics["unrolled"]["held_out"]
    assert held_out["recall@10"] > 0.5 and held_out["questions"] > 500
    assert 0.1 < held_out["stored_fraction"] < 0.6
    assert all("locomo" not in d.lower() for d in cfg.trained["config"]["data"])
    card = (default_weights_dir() / "MODEL_CARD.md").read_text()
    assert "CC BY 4.0" in card


def test_shipped_weights_are_not_an_initialisation():
    trained = Gates.load(default_weights_dir())
    torch.manual_seed(0)
    fresh = Gates(trained.cfg)
    for (name, a), (_, b) in zip(
        trained.state_dict().items(), fresh.state_dict().items(), strict=True
    ):
        assert not torch.allclose(a, b), name


def test_save_load_roundtrip(tmp_path):
    torch.manual_seed(1)
    gates = Gates(GateConfig(dim=16, hidden=8))
    gates.save(tmp_path)
    assert json.loads((tmp_path / "config.json").read_text())["dim"] == 16
    loaded = Gates.load(tmp_path)
    for (k, a), (_, b) in zip(gates.state_dict().items(), loaded.state_dict().items(), strict=True):
        assert torch.allclose(a, b), k
    e = np.random.default_rng(0).standard_normal((3, 16)).astype(np.float32)
    tf = np.zeros((3, gates.cfg.n_text), np.float32)
    x = np.zeros((3, gates.cfg.n_input_extra), np.float32)
    assert np.allclose(gates.eval().p_write(e, tf, x), loaded.p_write(e, tf, x))


def test_half_life_stays_in_its_range():
    gates = Gates.load(default_weights_dir())
    e = np.random.default_rng(0).standard_normal((50, 384)).astype(np.float32) * 10
    tf = np.random.default_rng(1).standard_normal((50, gates.cfg.n_text)).astype(np.float32)
    hl = gates.half_life_hours_np(e, tf)
    assert (hl >= gates.cfg.min_half_life_hours * 0.999).all()
    assert (hl <= gates.cfg.max_half_life_hours * 1.001).all()


def test_numpy_inference_matches_the_torch_networks():
    gates = Gates.load(default_weights_dir())
    rng = np.random.default_rng(3)
    n, d, c = 7, gates.cfg.dim, gates.cfg
    e = rng.standard_normal((n, d)).astype(np.float32)
    m = rng.standard_normal((n, d)).astype(np.float32)
    tf = rng.standard_normal((n, c.n_text)).astype(np.float32)
    x = rng.standard_normal((n, c.n_input_extra)).astype(np.float32)
    pair = rng.standard_normal((n, c.n_pair)).astype(np.float32)
    sc = rng.standard_normal((n, c.n_output)).astype(np.float32)
    t = torch.from_numpy
    with torch.no_grad():
        want_in = torch.sigmoid(gates.input(t(e), t(tf), t(x))).numpy()
        want_hl = gates.forget.half_life_hours(t(e), t(tf)).numpy()
        want_fg = torch.softmax(gates.forget(t(e), t(m), t(pair), t(tf)), -1).numpy()
        want_out = torch.sigmoid(gates.output(t(e), t(m), t(sc))).numpy()
    assert np.allclose(gates.p_write(e, tf, x), want_in, atol=1e-5)
    assert np.allclose(gates.half_life_hours_np(e, tf), want_hl, rtol=1e-4)
    assert np.allclose(gates.content_probs(e, m, pair, tf), want_fg, atol=1e-5)
    assert np.allclose(gates.relevance(e, m, sc), want_out, atol=1e-5)


def test_text_features_tell_a_told_turn_from_a_question():
    from gatedmem.memory.features import text_features

    ask = text_features("What do you do for work?")
    tell = text_features("I won my first chess tournament last week! How about you?")
    names = text_features("Caroline: Hey Mel! I went to Paris with John. How was it?")
    plain = text_features("I love it. So much fun!")
    assert ask[7] == 1.0 and 0.0 < tell[7] < 0.5  # the share of the words in questions
    assert ask[14] == 0.0 and tell[14] > 0.4  # content words told outside questions
    # Capitalised words inside a sentence (Mel, Paris, John), not sentence starts.
    assert plain[4] == 0.0 and names[4] > 0.2


def test_gate_inference_keeps_blas_to_one_thread_and_restores_it():
    from gatedmem.memory import blas as blas_module
    from gatedmem.memory.blas import one_blas_thread
    from threadpoolctl import ThreadpoolController, threadpool_limits

    blas_module._LIBS = None  # look again: this test run may have loaded more BLAS libraries
    blas = ThreadpoolController().select(user_api="blas")
    if not blas.lib_controllers:
        pytest.skip("NumPy loaded no BLAS that threadpoolctl can control")

    def threads():
        return {lib.get_num_threads() for lib in blas.lib_controllers}

    with threadpool_limits(limits=2, user_api="blas"):
        if threads() != {2}:
            pytest.skip("BLAS cannot run two threads on this machine")
        with one_blas_thread():
            assert threads() == {1}
            with one_blas_thread():  # nested: still one, and the outer exit restores
                pass
            assert threads() == {1}
        assert threads() == {2}


def test_input_extra_is_numpys_top3_max_and_mean_to_the_bit():
    from gatedmem.memory.features import input_extra

    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        for n in [0, 1, 2, 3, 4, 9, 50] * 200:
            sims = (rng.random(n) * 2 - 1).astype(dtype)
            top = np.sort(sims)[::-1][:3]
            want = [top[0], top.mean(), 0.25, 1.0] if n else [0.0, 0.0, 0.25, 1.0]
            got = input_extra(sims, 0.25)
            assert np.array_equal(got, np.asarray(want, dtype=np.float32)), (n, sims)
    assert input_extra(np.zeros(0, np.float32), None).tolist() == [0.0, 0.0, 0.0, 0.0]


def test_statement_pieces_are_the_first_person_sentences_of_a_longer_turn():
    from gatedmem.memory.features import statement_pieces

    assert statement_pieces("Oh wait, I'm allergic to peanuts - can you do it without them?") == [
        "Oh wait, I'm allergic to peanuts"
    ]
    assert statement_pieces("ah ok thanks. I'm O negative so they always phone me.") == [
        "I'm O negative so they always phone me."
    ]
    # One piece (the greeting is too short to count): the whole is all there is to read.
    assert statement_pieces("Hi! My name is Tomasz.") == []
    assert statement_pieces("My husband is called Rafael.") == []
    # An abbreviation does not end a piece; a long text is read whole only.
    assert statement_pieces("I saw Dr. Smith about my knee. The waiting room was packed.") == [
        "I saw Dr. Smith about my knee."
    ]
    assert statement_pieces(" ".join(["I went for a long walk."] * 9)) == []
    # Pieces not in the first person are not read apart.
    assert statement_pieces("The weather is awful today. The trains are all late again.") == []
    # Nor those where the speaker is only the object: a request's "it drives me mad" or
    # "give me a hint" says nothing of the speaker's own. "We're" counts as "we" does.
    request = "What's the difference between bi-weekly and semi-weekly? it drives me mad"
    assert statement_pieces(request) == []
    assert statement_pieces("Any tips for packing boxes? We're moving to Leeds next month.") == [
        "We're moving to Leeds next month."
    ]
