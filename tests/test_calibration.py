"""Recall's calibrated scores: the fit, the threshold rule, and what the shipped weights do."""

from __future__ import annotations

import numpy as np
import pytest
from gatedmem.memory.calibration import FEATURES, SMALL, calibrated, features, small_terms, tops
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
    assert cal["features"] == [*FEATURES, *SMALL] and len(cal["coef"]) == len(cal["features"])
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


def test_the_small_memory_terms_move_only_the_highest_scored_candidate():
    five = [0.5, -0.2, 3.0, -1.0, -0.1]
    cal = {"features": [*FEATURES, *SMALL], "coef": [*five, -6.0, 40.0], "bias": -2.0}
    out, rank, cos = np.array([0.6, 0.9, 0.7]), [1, 0, 2], np.array([0.2, 0.5, 0.1])
    base = calibrated({"coef": five, "bias": -2.0}, out, rank, cos, 0.5, 3)
    got = calibrated(cal, out, rank, cos, 0.5, 3)
    top = int(np.argmax(base))
    z = np.log(base[top] / (1 - base[top])) + (-6.0 + 40.0 * cos[top]) / 4
    assert got[top] == pytest.approx(1 / (1 + np.exp(-z)))
    others = [i for i in range(3) if i != top]
    assert np.allclose(got[others], base[others])
    # Scored together, several queries each get their own highest.
    both = calibrated(
        cal, np.r_[out, out], rank * 2, np.r_[cos, cos], 0.5, 3, query=[0] * 3 + [1] * 3
    )
    assert np.allclose(both, np.r_[got, got])


def test_tops_marks_the_first_of_the_highest_in_each_query():
    z = np.array([0.2, 0.9, 0.9, 0.1, 0.5, 0.3])
    assert tops(z).tolist() == [0, 1, 0, 0, 0, 0]
    assert tops(z, np.array([0, 0, 0, 1, 1, 1])).tolist() == [0, 1, 0, 0, 1, 0]
    assert tops(np.zeros(0)).tolist() == []


def test_a_calibration_fit_on_the_first_five_features_scores_as_before(tmp_path):
    """Weights calibrated before the small-memory columns load, and keep their scores."""
    import json
    import shutil

    shutil.copytree(default_weights_dir(), tmp_path / "w")
    path = tmp_path / "w" / "config.json"
    cfg = json.loads(path.read_text())
    old = {"features": list(FEATURES), "coef": [0.5, -0.2, 3.0, -1.0, -0.1], "bias": -2.0}
    cfg["calibration"].update(old)
    path.write_text(json.dumps(cfg))
    cal = Gates.load(tmp_path / "w").cfg.calibration
    out = np.array([0.9, 0.6])
    got = calibrated(cal, out, [0, 1], [0.5, 0.2], 0.5, 3)
    x = features(out, [0, 1], [0.5, 0.2], 0.5, 3)
    assert np.allclose(got, 1 / (1 + np.exp(-(x @ np.array(old["coef"]) + old["bias"]))))


def test_weights_whose_calibration_reads_unknown_features_are_refused(tmp_path):
    import json
    import shutil

    from gatedmem.memory.errors import WeightsError

    shutil.copytree(default_weights_dir(), tmp_path / "w")
    path = tmp_path / "w" / "config.json"
    cfg = json.loads(path.read_text())
    cfg["calibration"]["features"][-1] = "moon_phase"  # a feature this version does not know
    path.write_text(json.dumps(cfg))
    with pytest.raises(WeightsError, match="recalibrate"):
        Gates.load(tmp_path / "w")
    # What `gatedmem calibrate` loads before fitting a new one: the gates without it.
    gates = Gates.load(tmp_path / "w", calibration=False)
    assert gates.cfg.calibration == {}
    # and the threshold on the output gate's own scale, which its scores are then on
    assert gates.cfg.recall_threshold == cfg["calibration"]["fit"]["raw_threshold"] > 0.5


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
    assert cal["features"] == [*FEATURES, *SMALL] and len(cal["coef"]) == len(cal["features"])


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
    g = [h.gates for h in hits]
    expected = calibrated(
        cal,
        [x["output"] for x in g],
        list(range(len(hits))),
        [x["cosine"] for x in g],
        g[0]["best_cosine"],
        g[0]["memories"],
    )
    assert [h.score for h in hits] == pytest.approx(expected.tolist())


def test_the_small_memory_terms_are_fit_on_top_of_the_rest():
    """Fit in two steps: the first five as before; then the SMALL terms of each query's
    highest-scored candidate on top, with no intercept, so a large memory's scores are the
    first five's alone."""
    from gatedmem.memory.training.calibrate import fit_calibration

    rng = np.random.default_rng(1)
    n_q, per = 6000, 5
    query = np.repeat(np.arange(n_q), per)
    out = 1 / (1 + np.exp(-rng.normal(size=n_q * per)))
    rank = np.tile(np.arange(per), n_q)
    cos = rng.uniform(-0.1, 0.7, n_q * per)
    best = np.repeat(cos.reshape(n_q, per).max(1), per)
    mems = np.repeat(rng.choice([2, 3, 5, 400, 800], n_q), per)
    x = features(out, rank, cos, best, mems)
    five, bias = np.array([0.3, -0.2, 4.0, -1.0, -0.3]), -3.0
    z = x @ five + bias
    z = z + small_terms(cos, mems, tops(z, query)) @ np.array([-6.0, 40.0])
    y = (rng.random(len(z)) < 1 / (1 + np.exp(-z))).astype(float)
    coef, got_bias = fit_calibration(x, y, query, cos, mems)
    assert len(coef) == len(FEATURES) + len(SMALL)
    assert coef[-1] > 10 and coef[-2] < 0  # the top candidate of a small memory, as made
    base, base_bias = fit(x, y)
    assert np.allclose(coef[:5], base) and got_bias == pytest.approx(base_bias)
    # In a memory of hundreds the terms are all but nothing: the scores are the five's.
    cal = {"coef": list(coef), "bias": got_bias}
    large = mems >= 400
    p_all = calibrated(
        cal, out[large], rank[large], cos[large], best[large], mems[large], query=query[large]
    )
    p_five = 1 / (1 + np.exp(-(x[large] @ base + base_bias)))
    assert np.abs(p_all - p_five).max() < 0.01
