"""Reading never creates: a mistyped --db is one line on stderr, exit 1, and nothing on disk.
Commands that write create the database (and its directory)."""

from __future__ import annotations

import warnings

import pytest
from conftest import HashEmbedder
from gatedmem import GatedMemory
from gatedmem.cli import app
from gatedmem.memory.errors import ModelMismatchWarning
from typer.testing import CliRunner

runner = CliRunner()

READERS = [
    ["info"],
    ["memories", "list", "--user", "ana"],
    ["memories", "list", "--user", "ana", "--json"],
    ["memories", "show", "1"],
    ["memories", "search", "where do I live?", "--user", "ana"],
    ["memories", "users"],
    ["memories", "stats"],
    ["memories", "export", "--user", "ana"],
    ["memories", "timeline", "--user", "ana"],
    ["memories", "forget", "1"],
    ["memories", "restore", "1"],
    ["memories", "pin", "1"],
    ["memories", "unpin", "1"],
    ["memories", "purge", "--user", "ana", "--yes"],
]


def tree(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def one_error_line(r, *words):
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output and r.stdout == ""
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
def test_reading_a_database_that_does_not_exist_creates_nothing(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)  # timeline's default output goes here
    missing = tmp_path / "no" / "such" / "dir" / "memory.db"
    before = tree(tmp_path)
    r = runner.invoke(app, [*command, "--db", str(missing)])
    one_error_line(r, "no database at", str(missing))
    assert tree(tmp_path) == before


def test_the_default_database_is_not_created_by_reading_either(tmp_path):
    home = tmp_path / "home"  # $GATEDMEM_HOME (conftest)
    r = runner.invoke(app, ["memories", "list", "--user", "ana"])
    one_error_line(r, "no database at", str(home / "memory.db"))
    assert not home.exists()


def test_a_sqlite_url_is_checked_like_a_path(tmp_path):
    missing = tmp_path / "sub" / "m.db"
    r = runner.invoke(app, ["memories", "stats", "--db", f"sqlite:///{missing}"])
    one_error_line(r, "no database at", str(missing))
    assert tree(tmp_path) == []


@pytest.mark.filterwarnings("ignore::gatedmem.memory.errors.ModelMismatchWarning")
def test_writing_commands_create_the_database(tmp_path, monkeypatch):
    monkeypatch.setattr("gatedmem.memory.core.SentenceTransformerEmbedder", HashEmbedder)
    db = tmp_path / "new" / "dir" / "memory.db"
    r = runner.invoke(
        app, ["memories", "add", "I live in Lisbon", "--user", "ana", "--db", str(db)]
    )
    assert r.exit_code == 0, r.output
    assert db.is_file()
    r = runner.invoke(app, ["memories", "list", "--user", "ana", "--db", str(db), "--json"])
    assert r.exit_code == 0 and "Lisbon" in r.output
    out = tmp_path / "ana.json"
    r = runner.invoke(app, ["memories", "export", "--user", "ana", "--db", str(db), "-o", str(out)])
    assert r.exit_code == 0, r.output
    other = tmp_path / "other" / "memory.db"
    r = runner.invoke(app, ["memories", "import", str(out), "--db", str(other)])
    assert r.exit_code == 0, r.output
    assert other.is_file()


def _filled(path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        with GatedMemory(str(path), embedder=HashEmbedder()) as mem:
            mem.add("I live in Lisbon", user="ana")


@pytest.mark.parametrize(
    "command",
    [
        ["memories", "timeline", "--user", "ana", "-o"],
        ["memories", "export", "--user", "ana", "-o"],
    ],
    ids=["timeline", "export"],
)
def test_an_output_file_in_a_directory_that_does_not_exist(tmp_path, command):
    db = tmp_path / "m.db"
    _filled(db)
    before = tree(tmp_path)
    out = tmp_path / "no" / "such" / "dir" / "x.png"
    r = runner.invoke(app, [*command, str(out), "--db", str(db)])
    one_error_line(r, "cannot write", str(out), "no directory")
    assert tree(tmp_path) == before
    r = runner.invoke(app, [*command, str(tmp_path), "--db", str(db)])
    one_error_line(r, "is a directory")
