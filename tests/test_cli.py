"""The command line: help, version, info."""

from __future__ import annotations

import json

import pytest
from gatedmem import GatedMemory
from gatedmem.cli import app
from gatedmem.memory.training.datasets import FORMATS
from typer.testing import CliRunner

runner = CliRunner()


def test_help_and_version():
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0 and "info" in r.output
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.startswith("gatedmem 0.")


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["chat"],
        ["memories", "list"],
        ["memories", "show"],
        ["memories", "add"],
        ["memories", "purge"],
        ["train"],
        ["bench", "locomo"],
        ["bench", "responder"],
    ],
)
def test_help_prints_flags_as_flags(command):
    r = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "<bool>" not in r.output
    flag_lines = [line for line in r.output.splitlines() if line.strip().startswith("--help")]
    assert flag_lines and flag_lines[0].split()[:2] == ["--help", "Show"]


def test_help_lists_the_choices():
    out = runner.invoke(app, ["chat", "--help"], terminal_width=200).output
    assert "<memory|openai|smollm2>" in out
    out = runner.invoke(app, ["train", "--help"], terminal_width=200).output
    assert f"<{'|'.join(('auto', *FORMATS))}>" in out
    out = runner.invoke(app, ["bench", "responder", "--help"], terminal_width=200).output
    assert "<smollm2|openai>" in out


def test_a_choice_outside_the_list_is_refused(tmp_path):
    r = runner.invoke(app, ["chat", "--db", str(tmp_path / "c.db"), "--responder", "gpt"])
    assert r.exit_code == 2 and "'gpt' is not one of" in r.output
    assert not (tmp_path / "c.db").exists()


def test_info_json_names_database_model_and_weights(tmp_path):
    db = tmp_path / "x.db"
    GatedMemory(str(db)).close()
    r = runner.invoke(app, ["info", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["database"].endswith("x.db")
    assert out["embedding_model"].endswith("all-MiniLM-L6-v2")
    assert out["weights"].endswith("weights") and out["memories"] == 0
    r = runner.invoke(app, ["info", "--db", str(db)])
    assert r.exit_code == 0 and "weights" in r.output


def test_info_on_a_bad_database_is_one_line_exit_1(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 100)
    r = runner.invoke(app, ["info", "--db", str(bad)])
    assert r.exit_code == 1
    assert r.output.strip().startswith("error:") and "Traceback" not in r.output


def test_calibrate_refuses_a_missing_weights_directory(tmp_path):
    r = runner.invoke(app, ["calibrate", str(tmp_path / "nowhere")])
    assert r.exit_code == 1 and "no gate weights directory at" in r.output


def test_bench_projects_refuses_no_conversations():
    r = runner.invoke(app, ["bench", "projects", "--conversations", "0"])
    assert r.exit_code == 1 and "at least 1" in r.output


@pytest.mark.parametrize(
    ("where", "says"),
    [
        (lambda tmp: tmp, "is a folder"),
        (lambda tmp: tmp / "no" / "such" / "out.json", "there is no folder"),
    ],
)
def test_bench_json_is_checked_before_the_run(tmp_path, where, says):
    # Refused at once, before minutes of benchmark whose figures it would lose.
    r = runner.invoke(app, ["bench", "updates", "--limit", "1", "--json", str(where(tmp_path))])
    assert r.exit_code == 1 and says in r.output
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--max-dialogues", "-1"], "--max-dialogues must be at least 1"),
        (["--max-dialogues", "0"], "--max-dialogues must be at least 1"),
        (["--epochs", "0"], "--epochs must be at least 1"),
        (["--unrolled-epochs", "-3"], "--unrolled-epochs must be 0"),
    ],
)
def test_train_refuses_counts_that_mean_nothing_before_any_work(tmp_path, flags, message):
    data = tmp_path / "d.jsonl"
    data.write_text('{"turns": [{"speaker": "a", "text": "hi"}]}\n')
    r = runner.invoke(app, ["train", "--data", str(data), "--out", str(tmp_path / "w"), *flags])
    assert r.exit_code == 1 and message in r.output, r.output
    assert not (tmp_path / "w").exists()


def test_calibrate_and_train_say_how_to_give_data_when_the_default_is_not_there(
    tmp_path, monkeypatch
):
    # An installed package has no ../shared/data beside it: the default data is not there.
    from gatedmem.memory.gates import default_weights_dir
    from gatedmem.memory.training import train as train_module

    monkeypatch.setattr(train_module, "DEFAULT_DATA", tmp_path / "nothing")
    weights = str(default_weights_dir())
    r = runner.invoke(app, ["calibrate", weights, "--out", str(tmp_path / "w")])
    assert r.exit_code == 1 and "pass the files the weights were trained from with --data" in (
        r.output
    ), r.output
    r = runner.invoke(app, ["calibrate", weights, "--out", str(tmp_path / "w"), "--data", "x.csv"])
    assert r.exit_code == 1 and "no data file at x.csv" in r.output, r.output
    r = runner.invoke(app, ["train", "--out", str(tmp_path / "w")])
    assert r.exit_code == 1 and "pass your own with --data" in r.output, r.output
    assert not (tmp_path / "w").exists()
