"""The generated project conversations: well formed, deterministic, and benched like LoCoMo."""

from __future__ import annotations

import json
import warnings

from gatedmem.bench import projects
from gatedmem.memory.training.datasets import read_locomo


def test_conversations_are_well_formed_and_deterministic(tmp_path):
    convs = projects.conversations(seed=3, n=2)
    assert json.dumps(convs) == json.dumps(projects.conversations(seed=3, n=2))
    projects.write(tmp_path / "p.json", seed=3, n=2)
    dialogues = read_locomo(tmp_path / "p.json")
    assert len(dialogues) == 2
    for d in dialogues:
        speaker = {t.ref: t.speaker for t in d.turns}
        assert {t.speaker for t in d.turns} == {d.turns[0].speaker, "assistant"}
        assert len(d.questions) >= 15
        for q in d.questions:
            assert q.evidence and all(speaker[e] != "assistant" for e in q.evidence)
        times = [t.at for t in d.turns]
        assert times == sorted(times)
        bot_words = [len(t.text.split()) for t in d.turns if t.speaker == "assistant"]
        assert sum(bot_words) / len(bot_words) >= 150  # long replies, by design


def test_the_bench_runs_the_locomo_scoring_on_them(tmp_path, monkeypatch):
    from conftest import HashEmbedder
    from gatedmem.bench import locomo
    from gatedmem.bench.locomo import run

    titles = []
    monkeypatch.setattr(locomo, "reliability_png", lambda cal, path, title: titles.append(title))

    projects.write(tmp_path / "p.json", seed=0, n=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = run(
            tmp_path / "p.json",
            embedder=HashEmbedder(),
            log=lambda m: None,
            budgets=(),
            ablations=False,
            offtopic=[{"id": "x", "kind": "arithmetic", "text": "What is 12 times 7?"}],
            plots=tmp_path / "plots",
            title="Project conversations",
        )
    assert titles == ["Project conversations, gated, k=20"]  # the diagram says what it shows
    assert set(out["systems"]) == {"gated", "cosine", "bm25", "fused", "recent"}
    assert out["questions"] >= 15 and 0.0 <= out["systems"]["gated"]["recall@10"] <= 1.0
