"""Recall's calibrated scores: the fit, the threshold rule, and what the shipped weights do."""

from __future__ import annotations

import numpy as np
import pytest
from gatedmem.memory.calibration import FEATURES, calibrated, features
from gatedmem.memory.gates import Gates, default_weights_dir
from gatedmem.memory.training.calibrate import abstaining_threshold, answered, ece, fit


def test_the_fit_recovers_a_logistic_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20000, 3))
    true_w, true_b = np.array([1.5, -2.0, 0.5]), -1.0
    p = 1 / (1 + np.exp(-(x @ true_w + true_b)))
    y = (rng.random(len(p)) < p).astype(float)
    w, b = fit(x, y, l2=0.0)
    assert np.allclose(w, true_w, atol=0.1) and abs(b - true_b) < 0.1
    assert ece(p, y) < 0.02  # the true probabilities are calibrated


def test_the_threshold_lets_the_set_share_of_off_topic_requests_through_empty():
    # 20 off-topic requests whose best candidates score 0.01 ... 0.20; one question.
    best = np.arange(1, 21) / 100
    p = np.r_[best, 0.5, 0.1]
    qids = np.r_[np.arange(20), 20, 20]
    off = np.r_[np.ones(20, bool), False, False]
    thr = abstaining_threshold(p, qids, off, share=0.95)
    assert thr == 0.20  # 19 of 20 (95%) have nothing at or above 0.20
    assert (best >= thr).sum() == 1
    y = np.r_[np.zeros(20), 1.0, 0.0]
    assert answered(p, y, qids, off, thr) == (1.0, 1.0)


def test_the_shipped_weights_are_calibrated():
    cfg = Gates.load(default_weights_dir()).cfg
    cal = cfg.calibration
    assert cal["features"] == list(FEATURES) and len(cal["coef"]) == len(FEATURES)
    # The default threshold is the calibrated one, chosen by the off-topic rule.
    assert cfg.recall_threshold == cal["fit"]["threshold"] < cal["fit"]["raw_threshold"]
    # Held out from the fit, the scores were calibrated where the gate's own were not.
    assert cal["fit"]["ece_held_out"] < 0.05 < cal["fit"]["ece_raw_held_out"]


def test_calibrated_scores_follow_the_formula():
    cal = {"coef": [0.5, -0.2, 3.0, -1.0, -0.1], "bias": -2.0}
    out = np.array([0.9, 0.6])
    got = calibrated(cal, out, [0, 1], [0.5, 0.2], 0.5, 10)
    x = features(out, [0, 1], [0.5, 0.2], 0.5, 10)
    want = 1 / (1 + np.exp(-(x @ np.array(cal["coef"]) + cal["bias"])))
    assert np.allclose(got, want) and np.all((got > 0) & (got < 1))
    assert x[0, 0] == pytest.approx(np.log(0.9 / 0.1)) and x[0, 4] == pytest.approx(np.log(11))


def test_recall_hands_over_by_score_and_scores_are_probabilities(fake_memory):
    for i, text in enumerate(
        [
            "I live in Lisbon near the river",
            "My dog is called Rex",
            "I work as a nurse at the city hospital",
            "My sister lives in Porto",
            "I play the violin on Sundays",
        ]
    ):
        fake_memory.add(text, user="ana", at=1_000_000.0 + i)
    hits = fake_memory.recall("where do I live", user="ana", k=5, min_score=0, reinforce=False)
    assert len(hits) == 5
    # By score; among equal scores, the output gate's order (ties to the closer in meaning).
    key = [(-h.score, -h.gates["output"], -h.gates["cosine"]) for h in hits]
    assert key == sorted(key)
    assert all(0 < h.score < 1 for h in hits)
    assert any(abs(h.score - h.gates["output"]) > 0.05 for h in hits)  # not the raw value
    # The default threshold hands over only what passes it, in the same order.
    passed = fake_memory.recall("where do I live", user="ana", k=5, reinforce=False)
    thr = fake_memory.gates.cfg.recall_threshold
    order = [h.memory_id for h in hits]
    assert [order.index(h.memory_id) for h in passed] == sorted(
        order.index(h.memory_id) for h in passed
    )
    assert all(h.score >= thr for h in passed)


def test_gates_without_a_calibration_score_with_the_gate_itself(fake_memory):
    fake_memory.gates.cfg.calibration = {}
    fake_memory.add("I live in Lisbon near the river", user="ana", at=1_000_000.0)
    hits = fake_memory.recall("where do I live", user="ana", min_score=0, reinforce=False)
    assert hits and all(h.score == h.gates["output"] for h in hits)


def test_calibrating_end_to_end_on_small_generated_chats(monkeypatch, tmp_path):
    """The whole fit on a few generated chats, through a real memory (hash embeddings)."""
    import warnings

    from conftest import HashEmbedder
    from gatedmem.memory.errors import ModelMismatchWarning
    from gatedmem.memory.training import calibrate

    class Cache:  # what the training embedding cache offers
        embedder = HashEmbedder()

        def __call__(self, texts):
            return self.embedder.embed(list(texts))

    monkeypatch.setattr(calibrate, "CHATS", 6)
    monkeypatch.setattr(calibrate, "OFFTOPIC_PER_CONVERSATION", 10)
    gates = Gates.load(default_weights_dir())
    gates.cfg.calibration = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        cal = calibrate.calibrate(gates, [], Cache(), seed=1, log=lambda m: None)
    fit_ = cal["fit"]
    assert fit_["conversations"] == 6 and fit_["offtopic_requests"] > 0
    assert 0 < fit_["relevant"] < 1 and 0 < fit_["threshold"] < 1
    assert cal["features"] == list(FEATURES) and len(cal["coef"]) == len(FEATURES)


def test_a_persons_own_words_come_before_an_assistants_reply(fake_memory):
    """The assistant restates what the person said; recall hands the person's words first."""
    fake_memory.add(
        "Which database on Fly.io? The database on Fly.io is PostgreSQL, as you said.",
        user="ana",
        speaker="assistant",
        at=1_000_000.0,
    )
    fake_memory.add("I switched our app over to Postgres last week", user="ana", at=1_000_010.0)
    hits = fake_memory.recall(
        "which database on Fly.io", user="ana", k=5, min_score=0, reinforce=False
    )
    assert [h.speaker for h in hits][:1] == ["user"] and "assistant" in [h.speaker for h in hits]
    # Each score is calibrated at its place in the order recall hands them over, not in the
    # gate's, which puts the assistant's reply first here.
    reply = next(h for h in hits if h.speaker == "assistant")
    assert reply.gates["output"] > hits[0].gates["output"]
    cal = fake_memory.gates.cfg.calibration
    for place, h in enumerate(hits):
        g = h.gates
        expected = calibrated(
            cal, [g["output"]], [place], [g["cosine"]], g["best_cosine"], g["memories"]
        )
        assert h.score == pytest.approx(float(expected[0]))
