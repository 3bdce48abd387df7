"""The command line: help, version, info."""

from __future__ import annotations

import json

from gatedmem.cli import app
from typer.testing import CliRunner

runner = CliRunner()


def test_help_and_version():
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0 and "info" in r.output
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.startswith("gatedmem 0.")


def test_info_json_names_database_model_and_weights(tmp_path):
    db = tmp_path / "x.db"
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
