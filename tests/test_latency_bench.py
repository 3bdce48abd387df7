"""The latency benchmark runs end to end and reports what issue 5 asks for (tiny sizes)."""

from __future__ import annotations

import warnings

import pytest


@pytest.mark.model  # the cold-start case loads the real model in fresh processes
def test_benchmark_reports_every_case(tmp_path):
    from conftest import HashEmbedder
    from gatedmem.bench.latency import run

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = run(
            [30, 60],
            turns=5,
            users=4,
            per_user=10,
            ingest=20,
            workdir=tmp_path,
            embedder=HashEmbedder(),
            log=lambda m: None,
        )
    for n in ("30", "60"):
        r = out["sizes"][n]
        for key in (
            "observe_p95_ms",
            "recall_p95_ms",
            "observe_overhead_p95_ms",
            "recall_overhead_p95_ms",
            "embed_p50_ms",
            "numpy_topk_p50_ms",
            "observe_overhead_ratio",
            "recall_overhead_ratio",
            "rss_mb",
            "chat_turn_p50_ms",
        ):
            assert r[key] > 0, key
        assert r["chat_turn_p95_ms"] >= r["chat_turn_p50_ms"] > 0
    assert out["many_users"]["users"] == 4 and out["many_users"]["sampled_users"] == 4
    assert out["ingestion"]["turns"] == 20 and out["ingestion"]["ratio"] > 0
    cold = out["cold_start"]
    assert 0 < cold["import_memory_s"] < cold["import_to_first_observe_s"]
    assert cold["chat_to_first_prompt_s"] > 0


def test_a_turn_neither_reloads_nor_touches_other_users(fake_memory, monkeypatch):
    """After a user's index is built, their turns run no per-memory SQL or Python, and
    another user's memories are never loaded."""
    for i in range(40):
        fake_memory.add(f"ana remembers thing number {i}", user="ana")
        fake_memory.add(f"bob remembers thing number {i}", user="bob")
    fake_memory._indexes.clear()
    fake_memory.recall("thing number", user="ana", reinforce=False)  # builds ana's index
    loads = []
    real = fake_memory.store.index_rows
    monkeypatch.setattr(
        fake_memory.store, "index_rows", lambda conn, uid: loads.append(uid) or real(conn, uid)
    )
    import gatedmem.memory.index as index

    per_memory = []
    monkeypatch.setattr(
        index.UserIndex, "build", classmethod(lambda cls, *a: per_memory.append(a) or None)
    )
    for i in range(5):
        fake_memory.observe(f"ana says something new number {i}", user="ana")
        fake_memory.recall("what did ana say?", user="ana")
    assert loads == [] and per_memory == []
    assert list(fake_memory._indexes) == ["ana"]


@pytest.mark.parametrize("bad", ["ten", "1000,x"])
def test_cli_rejects_bad_sizes(bad):
    from gatedmem.cli import app
    from typer.testing import CliRunner

    r = CliRunner().invoke(app, ["bench", "latency", "--memories", bad])
    assert r.exit_code == 1 and "comma-separated numbers" in r.output


def test_gated_memory_is_importable_without_torch():
    """A bot can import the memory and reach its public class without paying for torch."""
    import subprocess
    import sys

    code = (
        "import sys; from gatedmem import GatedMemory; "
        "assert GatedMemory.__name__ == 'GatedMemory'; "
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False False"
