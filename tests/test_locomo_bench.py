"""The LoCoMo benchmark on a tiny conversation in LoCoMo's format (fixture, not the data)."""

from __future__ import annotations

import json
import math
import warnings

import pytest


def _fixture(path):
    conv = {
        "sample_id": "conv-t",
        "conversation": {
            "speaker_a": "Ana",
            "speaker_b": "Bo",
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [
                {"speaker": "Ana", "dia_id": "D1:1", "text": "I adopted a beagle named Biscuit"},
                {"speaker": "Bo", "dia_id": "D1:2", "text": "lol nice"},
                {"speaker": "Ana", "dia_id": "D1:3", "text": "I work night shifts at the harbour"},
            ],
            "session_2_date_time": "10:00 am on 9 June, 2023",
            "session_2": [
                {"speaker": "Bo", "dia_id": "D2:1", "text": "my sister moved to Lisbon"},
            ],
        },
        "qa": [
            {
                "question": "What is the beagle named?",
                "answer": "Biscuit",
                "evidence": ["D1:1"],
                "category": 4,
            },
            {
                "question": "Where did the sister move?",
                "answer": "Lisbon",
                "evidence": ["D2:01"],
                "category": 1,
            },
            {
                "question": "Unanswerable?",
                "adversarial_answer": "x",
                "evidence": ["D1:2"],
                "category": 5,
            },
        ],
    }
    path.write_text(json.dumps([conv]))
    return path


def test_locomo_benchmark_scores_every_system(tmp_path):
    from conftest import HashEmbedder
    from gatedmem.bench.locomo import run

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = run(_fixture(tmp_path / "l.json"), embedder=HashEmbedder(), log=lambda m: None)
    assert out["questions"] == 2 and out["turns"] == 4  # category 5 left out
    assert set(out["systems"]) == {"gated", "cosine", "bm25", "fused", "recent"}
    for s in out["systems"].values():
        assert {
            "recall@1",
            "recall@5",
            "recall@10",
            "recall@20",
            "stored_fraction",
            "by_category",
        } <= set(s)
    # Lexical matches are exact here: BM25 finds both evidence turns first.
    assert out["systems"]["bm25"]["recall@1"] == 1.0
    assert out["systems"]["recent"]["recall@1"] == 0.5  # D2:1 is the last turn
    assert 0.0 <= out["systems"]["gated"]["stored_fraction"] <= 1.0
    # Budgets: every policy at every budget, never holding more than its share.
    assert set(out["budgets"]) == {"50%", "25%", "10%"}
    for share, by_policy in out["budgets"].items():
        assert set(by_policy) == {"gate", "fifo", "lru"}
        cap = math.ceil(int(share[:-1]) / 100 * out["turns"])
        for r in by_policy.values():
            assert r["active_fraction"] * out["turns"] <= cap
            assert 0.0 <= r["recall@10"] <= 1.0
            assert 0.0 <= r["evidence_held"] <= 1.0
            assert set(r["by_conversation"]) == {"conv-t"}
    # What the length rule holds at each budget: the longest turn(s) of the four.
    by_length = {b: r["gate"]["evidence_held_by_length"] for b, r in out["budgets"].items()}
    assert by_length == {"50%": 0.5, "25%": 0.0, "10%": 0.0}  # D1:3, then D1:1 (evidence)
    # Ablations: storing everything stores every turn.
    assert set(out["ablations"]) == {"store_all", "never_decay", "plain_cosine"}
    assert out["ablations"]["store_all"]["stored_fraction"] == 1.0
    conv = out["systems"]["gated"]["by_conversation"]["conv-t"]
    assert conv["questions"] == 2
    gated = out["systems"]["gated"]
    assert 0.0 <= gated["evidence_stored"] <= 1.0
    assert 0.0 <= gated["evidence_stored_by_length"] <= 1.0
    # At the default threshold, and the calibration of the ranked candidates' scores.
    assert 0.0 <= out["answered"] <= 1.0 and 0.0 <= conv["answered"] <= 1.0
    cal = out["calibration"]
    assert cal["candidates"] == sum(b["candidates"] for b in cal["bins"]) > 0
    assert 0.0 <= cal["ece"] <= 1.0
    # The hand-written off-topic set, asked of each conversation's memory.
    ab = out["abstention"]
    assert ab["requests"] >= 150 and 0.0 <= ab["silent"] <= 1.0
    assert set(ab["by_kind"]) == {"general_knowledge", "arithmetic", "coding", "small_talk", "task"}
    # Two sets, reported apart: the one used in choosing the calibration, and the held-out one.
    assert list(ab["by_set"]) == ["requests", "heldout"]
    assert [v["requests"] for v in ab["by_set"].values()] == [193, 194]
    assert sum(v["requests"] for v in ab["by_set"].values()) == ab["requests"]
    silent = [v["silent"] * v["requests"] for v in ab["by_set"].values()]
    assert sum(silent) / ab["requests"] == pytest.approx(ab["silent"], abs=1e-3)


def test_calibration_error_and_the_reliability_picture(tmp_path):
    from gatedmem.bench.locomo import calibration, reliability_png

    perfect = [(0.25, i % 4 == 0) for i in range(400)] + [(0.75, i % 4 != 0) for i in range(400)]
    assert calibration(perfect)["ece"] == 0.0
    # Every candidate scored 0.95 and one in ten relevant: the error is 0.85.
    sure = [(0.95, i % 10 == 0) for i in range(100)]
    cal = calibration(sure)
    assert cal["ece"] == 0.85 and [b["candidates"] for b in cal["bins"]] == [100]
    reliability_png(cal, tmp_path / "r.png", "test")
    assert (tmp_path / "r.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evidence_coverage_of_what_was_stored(tmp_path):
    from gatedmem.bench.locomo import evidence_kept, longest, questions
    from gatedmem.memory.training.datasets import read_locomo

    (d,) = read_locomo(_fixture(tmp_path / "l.json"))
    qs = questions(d)
    assert longest(d, 2) == {"D1:3", "D1:1"}  # 7 and 6 words; then 5 and 2
    assert evidence_kept({"D1:1", "D1:3"}, qs) == [1.0, 0.0]
    assert evidence_kept({"D1:1", "D2:1"}, qs) == [1.0, 1.0]


def test_an_unknown_conversation_is_an_error(tmp_path):
    from conftest import HashEmbedder
    from gatedmem.bench.locomo import run

    with pytest.raises(ValueError, match="conv-x"):
        run(_fixture(tmp_path / "l.json"), ["conv-x"], embedder=HashEmbedder(), log=print)


def _result(tmp_path, name, convs):
    path = tmp_path / f"{name}.json"
    by = {c: {"recall@10": r, "stored_fraction": s, "questions": 10} for c, (r, s) in convs.items()}
    path.write_text(json.dumps({"systems": {"gated": {"by_conversation": by}}}))
    return path


def test_leave_one_conversation_out_chooses_on_the_others_only(tmp_path):
    from gatedmem.bench.select import select

    # "greedy" is best everywhere but stores too much; "lucky" wins only on c3.
    a = _result(tmp_path, "steady", {"c1": (0.6, 0.5), "c2": (0.6, 0.5), "c3": (0.5, 0.5)})
    b = _result(tmp_path, "lucky", {"c1": (0.4, 0.5), "c2": (0.4, 0.5), "c3": (0.9, 0.5)})
    c = _result(tmp_path, "greedy", {"c1": (0.9, 0.9), "c2": (0.9, 0.9), "c3": (0.9, 0.9)})
    out = select([a, b, c], max_stored=0.6)
    # Held out c1 (or c2), chosen on the two others, where lucky's 0.9 on c3 makes it win:
    # and it scores its poor 0.4 on the held-out one. That is what leave-one-out reveals.
    assert [out["folds"][c]["chosen"] for c in ("c1", "c2", "c3")] == ["lucky", "lucky", "steady"]
    assert [out["folds"][c]["recall@10"] for c in ("c1", "c2", "c3")] == [0.4, 0.4, 0.5]
    assert out["held_out_recall@10"] == pytest.approx((0.4 + 0.4 + 0.5) / 3)
    assert all(f["chosen"] != "greedy" for f in out["folds"].values())


def _small_run(tmp_path, **kwargs) -> dict:
    """The fixture through the bench with the hash embedder, no budgets or ablations."""
    from conftest import HashEmbedder
    from gatedmem.bench.locomo import run

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run(
            _fixture(tmp_path / "l.json"),
            embedder=HashEmbedder(),
            log=lambda m: None,
            budgets=(),
            ablations=False,
            **kwargs,
        )


def test_the_console_shows_each_conversation_on_its_own(tmp_path):
    from gatedmem.bench.commands import _conversations_table
    from rich.console import Console

    out = _small_run(tmp_path)
    con = Console(record=True, width=200)
    con.print(_conversations_table(out))
    row = next(line for line in con.export_text().splitlines() if "conv-t" in line)
    conv = out["systems"]["gated"]["by_conversation"]["conv-t"]
    assert f"{conv['recall@10']:.3f}" in row and f"{conv['offtopic_silent']:.0%}" in row


def test_requests_without_a_set_are_reported_as_one_set(tmp_path):
    from gatedmem.bench.commands import _conversations_table, _threshold_line
    from rich.console import Console

    request = {"id": "x", "kind": "arithmetic", "text": "What is 12 times 7?"}
    out = _small_run(tmp_path, offtopic=[request])
    assert out["abstention"]["by_set"] == {
        "": {"requests": 1, "silent": out["abstention"]["silent"]}
    }
    _threshold_line(out, None)  # prints, does not raise
    # A conversation with no ECE (nothing ranked) prints a dash instead of failing.
    out["systems"]["gated"]["by_conversation"]["conv-t"]["ece"] = None
    Console(record=True, width=200).print(_conversations_table(out))
