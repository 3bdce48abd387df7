"""Commands that take a memory id: the id names the memory, whoever owns it; --user only
restricts, and another user's memory then answers exactly like an id that does not exist."""

from __future__ import annotations

import json
import warnings

import pytest
from conftest import HashEmbedder
from gatedmem import GatedMemory
from gatedmem.cli import app
from gatedmem.memory.errors import ModelMismatchWarning
from typer.testing import CliRunner

runner = CliRunner()
CORRECTIONS = [("forget", "forgotten"), ("restore", "restored"), ("pin", "pinned")]


@pytest.fixture
def db(tmp_path, monkeypatch):
    """ana owns #1 and #2, bob owns #3; $GATEDMEM_USER (the default user) is ana."""
    path = tmp_path / "m.db"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        with GatedMemory(str(path), embedder=HashEmbedder()) as mem:
            assert mem.add("I live in Lisbon", user="ana").id == 1
            assert mem.add("My dog is called Rex", user="ana").id == 2
            assert mem.add("I am allergic to penicillin", user="bob").id == 3
    monkeypatch.setenv("GATEDMEM_USER", "ana")
    return path


def run(db, *args):
    return runner.invoke(app, ["memories", *args, "--db", str(db)])


def ok(db, *args):
    r = run(db, *args)
    assert r.exit_code == 0, r.output
    return r.output


def refused(db, *args) -> str:
    r = run(db, *args)
    assert r.exit_code == 1 and r.stdout == "", r.output
    (line,) = r.stderr.splitlines()
    return line


def test_show_needs_no_user_and_names_the_owner(db):
    shown = json.loads(ok(db, "show", "3", "--json"))
    assert shown["memory"]["user"] == "bob"
    assert shown["memory"]["text"] == "I am allergic to penicillin"
    assert [e["kind"] for e in shown["history"]] == ["added"]
    table = ok(db, "show", "3")
    assert "bob" in table and "penicillin" in table


@pytest.mark.parametrize(("command", "verb"), [*CORRECTIONS, ("unpin", "unpinned")])
def test_corrections_need_no_user_and_name_the_owner(db, command, verb):
    assert ok(db, command, "3").strip() == f"#3 of 'bob' {verb}: I am allergic to penicillin"
    assert json.loads(ok(db, command, "3", "--json"))["user"] == "bob"


def test_forget_and_restore_by_id_change_that_memory(db):
    ok(db, "forget", "3")
    assert json.loads(ok(db, "show", "3", "--json"))["memory"]["forgotten"] is True
    ok(db, "restore", "3", "--user", "bob")
    assert json.loads(ok(db, "show", "3", "--json"))["memory"]["active"] is True


@pytest.mark.parametrize("command", ["show", "forget", "restore", "pin", "unpin"])
def test_with_user_another_users_memory_answers_like_an_unknown_id(db, command):
    theirs = refused(db, command, "3", "--user", "ana")
    unknown = refused(db, command, "99", "--user", "ana")
    no_such_user = refused(db, command, "3", "--user", "zed")
    assert theirs == "error: no memory with id 3 for user 'ana'"
    assert unknown == theirs.replace("3", "99")
    assert no_such_user == theirs.replace("'ana'", "'zed'")
    shown = json.loads(ok(db, "show", "3", "--json"))["memory"]
    assert not shown["forgotten"] and not shown["pinned"]  # untouched


def test_an_unknown_id_without_user(db):
    assert refused(db, "show", "99").startswith("error: no memory with id 99")
    assert refused(db, "forget", "99").startswith("error: no memory with id 99")


def test_show_says_what_time_does_to_a_memory(db):
    assert json.loads(ok(db, "show", "1", "--json"))["memory"]["lifetime"] == "kept"
    assert "added on request: time ranks it lower, never hides it" in ok(db, "show", "1")
    ok(db, "pin", "1")
    assert "pinned: time neither weakens nor hides it" in ok(db, "show", "1")
