"""The LoCoMo benchmark on a tiny conversation in LoCoMo's format (fixture, not the data)."""

from __future__ import annotations

import json
import warnings


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

    from memory.bench.locomo import run

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
