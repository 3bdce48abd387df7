"""Every `gatedmem memories` command, its JSON shape, and its error paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gatedmem.cli import app
from typer.testing import CliRunner

pytestmark = pytest.mark.model
runner = CliRunner()


def run(db, *args, input=None):
    return runner.invoke(app, ["memories", *args, "--db", str(db)], input=input)


def ok(db, *args, input=None):
    r = run(db, *args, input=input)
    assert r.exit_code == 0, r.output
    return r


def js(db, *args):
    return json.loads(ok(db, *args, "--json").output)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "m.db"
    ok(path, "add", "I live in Lisbon near the river.", "--user", "ana")
    ok(path, "add", "My dog is called Rex.", "--user", "ana")
    ok(path, "add", "I am allergic to penicillin.", "--user", "bob")
    return path


def test_add_and_list_json_shape(db):
    mems = js(db, "list", "--user", "ana")
    assert isinstance(mems, list) and [m["id"] for m in mems] == [1, 2]
    for m in mems:
        assert {
            "id",
            "user",
            "text",
            "strength",
            "created_at",
            "pinned",
            "forgotten",
            "half_life_days",
            "superseded_by",
            "active",
        } <= set(m)
        assert m["user"] == "ana"
    added = js(db, "add", "I speak Portuguese.", "--user", "ana", "--pin")
    assert added["pinned"] and added["text"] == "I speak Portuguese."
    table = ok(db, "list", "--user", "ana").output
    assert "Lisbon" in table and "pinned" in table


def test_show_has_strength_half_life_gates_links_and_history(db):
    ok(db, "forget", "1", "--user", "ana")
    ok(db, "restore", "1", "--user", "ana")
    shown = js(db, "show", "1", "--user", "ana")
    assert shown["memory"]["text"] == "I live in Lisbon near the river."
    assert shown["memory"]["half_life_days"] > 0 and 0 < shown["memory"]["strength"] <= 1
    assert [e["kind"] for e in shown["history"]] == ["added", "forgotten", "restored"]
    text = ok(db, "show", "1", "--user", "ana").output
    for word in ("strength now", "half-life", "input gate", "history", "forgotten", "restored"):
        assert word in text


def test_show_says_why_a_capped_memory_was_evicted(tmp_path, open_memory):
    db = tmp_path / "c.db"
    mem = open_memory(f"sqlite:///{db}", capacity=2)
    texts = ["I lost my job as a banker yesterday.", "Nice.", "I am allergic to penicillin."]
    ids = [mem.add(t, user="ana").id for t in texts]
    mem.close()
    gone = [i for i in ids if js(db, "show", str(i), "--user", "ana")["memory"]["forgotten"]]
    assert len(gone) == 1
    (evicted,) = [
        e
        for e in js(db, "show", str(gone[0]), "--user", "ana")["history"]
        if e["kind"] == "evicted"
    ]
    assert {"worth", "gates", "information", "dated", "policy", "capacity"} <= set(
        evicted["detail"]
    )
    assert "worth=" in ok(db, "show", str(gone[0]), "--user", "ana").output


def test_supersession_shows_as_links(tmp_path):
    db = tmp_path / "s.db"
    ok(db, "add", "I live in Paris with my two cats.", "--user", "ana")
    new = js(db, "add", "Big news: I moved to Berlin last week!", "--user", "ana")
    shown = js(db, "show", str(new["id"]), "--user", "ana")
    assert shown["supersedes"] == [1]
    old = js(db, "show", "1", "--user", "ana")
    assert old["memory"]["superseded_by"] == new["id"] and not old["memory"]["active"]
    assert [m["id"] for m in js(db, "list", "--user", "ana")] == [new["id"]]
    assert [m["id"] for m in js(db, "list", "--user", "ana", "--all")] == [1, new["id"]]
    # Restored, the old memory is superseded by nothing: the link goes, the history stays.
    ok(db, "restore", "1", "--user", "ana")
    shown = js(db, "show", str(new["id"]), "--user", "ana")
    assert shown["supersedes"] == []
    assert "supersedes" in [e["kind"] for e in shown["history"]]
    line = next(x for x in ok(db, "show", str(new["id"])).output.splitlines() if "supersedes" in x)
    assert line.split() == ["supersedes", "-"]


def test_search_explains_without_reinforcing(db):
    hits = js(db, "search", "Does she have a pet?", "--user", "ana")
    assert [h["memory_id"] for h in hits] == [2]
    assert {"output", "cosine", "lexical", "strength"} <= set(hits[0]["gates"])
    assert js(db, "show", "2", "--user", "ana")["memory"]["recall_count"] == 0
    assert (
        "nothing passed the output gate"
        in ok(db, "search", "What is the boiling point of tungsten?", "--user", "ana").output
    )


def test_forget_restore_pin_unpin(db):
    assert js(db, "forget", "2", "--user", "ana")["forgotten"] is True
    assert [m["id"] for m in js(db, "list", "--user", "ana")] == [1]
    assert js(db, "restore", "2", "--user", "ana")["forgotten"] is False
    assert js(db, "pin", "2", "--user", "ana")["pinned"] is True
    assert js(db, "unpin", "2", "--user", "ana")["pinned"] is False
    assert "#2 of 'ana' forgotten: My dog is called Rex." in ok(db, "forget", "2").output


def test_export_import_roundtrip(db, tmp_path):
    out = tmp_path / "ana.json"
    ok(db, "export", "--user", "ana", "-o", str(out))
    data = json.loads(out.read_text())
    assert data["user"] == "ana" and len(data["memories"]) == 2
    stdout = ok(db, "export", "--user", "ana").output
    assert json.loads(stdout)["memories"][0]["text"] == "I live in Lisbon near the river."
    r = js(db, "import", str(out), "--user", "ana2")
    assert len(r["imported"]) == 2
    assert [m["text"] for m in js(db, "list", "--user", "ana2")] == [
        "I live in Lisbon near the river.",
        "My dog is called Rex.",
    ]


def test_purge_asks_and_leaves_no_bytes(db):
    r = run(db, "purge", "--user", "ana", input="n\n")
    assert r.exit_code == 1 and "nothing deleted" in r.output
    assert len(js(db, "list", "--user", "ana")) == 2
    r = run(db, "purge", "--user", "ana", input="y\n")
    assert r.exit_code == 0 and "purged 2" in r.output
    ok(db, "purge", "--user", "bob", "--yes")
    raw = b"".join(p.read_bytes() for p in Path(db).parent.glob(Path(db).name + "*"))
    for gone in (b"Lisbon", b"Rex", b"penicillin", b"ana", b"bob"):
        assert gone not in raw, gone
    r = run(db, "list", "--user", "ana")
    assert r.exit_code == 1


def test_users_and_stats(db):
    users = js(db, "users")
    assert [(u["user"], u["memories"]) for u in users] == [("ana", 2), ("bob", 1)]
    assert all("text" not in u for u in users)
    assert js(db, "stats")["memories"] == 3
    assert "memories: 3" in ok(db, "stats").output
    assert "ana" in ok(db, "users").output


def test_timeline_png(db, tmp_path):
    ok(db, "forget", "1", "--user", "ana")
    out = tmp_path / "t.png"
    ok(db, "timeline", "--user", "ana", "-o", str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000


def test_default_user_comes_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("GATEDMEM_USER", "bob")
    assert [m["text"] for m in js(db, "list")] == ["I am allergic to penicillin."]


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--user", "bob"],
        ["show", "1", "--user", "bob"],
        ["export", "--user", "bob"],
        ["search", "Where does she live?", "--user", "bob", "--json"],
        ["search", "What is my dog called?", "--user", "bob", "--json"],
    ],
)
def test_no_command_shows_one_users_memories_to_another(db, args):
    r = run(db, *args)
    assert "Lisbon" not in r.output and "Rex" not in r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "99", "--user", "ana"], "no memory with id 99"),
        (["show", "3", "--user", "ana"], "no memory with id 3"),  # bob's memory
        (["forget", "99", "--user", "ana"], "no memory with id 99"),
        (["list", "--user", "nobody"], "no memories were ever stored for user 'nobody'"),
        (["export", "--user", "nobody"], "nobody"),
        (["purge", "--user", "nobody", "--yes"], "nobody"),
        (["import", "/nonexistent/file.json"], "/nonexistent/file.json: no such file"),
        (["add", "   ", "--user", "ana"], "empty"),
    ],
)
def test_errors_are_one_line_exit_1(db, args, message):
    r = run(db, *args)
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]


def test_unreadable_import_file_and_bad_url(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{ this is not json")
    r = run(db, "import", str(bad))
    assert r.exit_code == 1 and r.output.startswith("error:")
    other = tmp_path / "other.json"
    other.write_text('{"format": "something-else"}')
    r = run(db, "import", str(other))
    assert r.exit_code == 1 and "not a gatedmem export" in r.output
    r = runner.invoke(app, ["memories", "list", "--db", "nosuchdriver://x/y", "--user", "a"])
    assert r.exit_code == 1 and r.output.startswith("error:") and "Traceback" not in r.output


def test_search_says_which_superseded_memory_a_memory_answers_for(tmp_path):
    from datetime import datetime, timedelta, timezone

    from gatedmem import GatedMemory

    path = tmp_path / "s.db"
    t0 = datetime.now(timezone.utc) - timedelta(days=47)
    mem = GatedMemory(f"sqlite:///{path}")
    old = mem.observe("My gym is the Anytime Fitness on Mill Road.", user="ana", at=t0)
    new = mem.observe(
        "Cancelled Anytime Fitness and joined the climbing centre instead, way more fun.",
        user="ana",
        at=t0 + timedelta(days=40),
    )
    mem.close()
    assert new.superseded == [old.memory_id]
    hits = js(path, "search", "Which gym am I a member of?", "--user", "ana")
    assert [(h["memory_id"], h["gates"].get("via_superseded")) for h in hits] == [
        (new.memory_id, old.memory_id)
    ]
    table = ok(path, "search", "Which gym am I a member of?", "--user", "ana").output
    assert "whose place" in table


def test_timeline_writes_the_format_its_name_asks_for(db, tmp_path):
    svg = tmp_path / "t.svg"
    ok(db, "timeline", "--user", "ana", "-o", str(svg))
    assert b"<svg" in svg.read_bytes()[:2000]
    bare = tmp_path / "plain"
    r = ok(db, "timeline", "--user", "ana", "-o", str(bare))
    assert (tmp_path / "plain.png").exists() and not bare.exists()
    assert r.output.strip() == f"wrote {tmp_path / 'plain.png'}"
    r = run(db, "timeline", "--user", "ana", "-o", str(tmp_path / "t.txt"))
    assert r.exit_code == 1 and r.stderr.strip() == (
        f"error: cannot draw {tmp_path / 't.txt'}: the image must be a .png, .svg or .pdf file"
    )
    assert not (tmp_path / "t.txt").exists()


@pytest.mark.parametrize("user", ["", "   "])
def test_an_empty_user_is_an_error_not_the_login_name(db, user):
    before = js(db, "users")
    r = run(db, "add", "hello there friend", "--user", user)
    assert r.exit_code == 1 and r.stderr.startswith("error: user is empty")
    r = run(db, "list", "--user", user)
    assert r.exit_code == 1 and r.stderr.startswith("error: user is empty")
    assert js(db, "users") == before


def test_users_json_dates_are_iso_8601(db):
    from datetime import datetime

    for u in js(db, "users"):
        assert datetime.fromisoformat(u["created_at"]).utcoffset().total_seconds() == 0


def test_search_for_a_user_nothing_was_stored_for_says_so_as_list_does(db):
    for command in (["list"], ["search", "dog"]):
        r = run(db, *command, "--user", "nobody")
        assert r.exit_code == 1
        assert r.stderr.strip() == "error: no memories were ever stored for user 'nobody'"


@pytest.mark.parametrize("given", ["abc", "-1", "1.5", "--7", "١٢"])
@pytest.mark.parametrize("command", ["show", "forget", "restore", "pin", "unpin"])
def test_a_bad_id_is_one_error_line(db, command, given):
    r = run(db, command, given, "--user", "ana")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.splitlines() == [
        f"error: a memory id is a whole number such as 12 (see `memories list`), not {given!r}"
    ]
    assert [m["id"] for m in js(db, "list", "--user", "ana")] == [1, 2]


def test_an_unknown_id_says_so_for_the_user(db):
    r = run(db, "show", "99", "--user", "ana")
    assert r.exit_code == 1 and r.stderr.strip() == "error: no memory with id 99 for user 'ana'"
    assert js(db, "show", " 2 ", "--user", "ana")["memory"]["id"] == 2


def test_stored_text_is_printed_as_it_is_and_never_acted_on(tmp_path):
    # "[/x]" once raised rich's MarkupError in list (and "[bold]" styled the text); an
    # escape sequence stored through a server reached the operator's terminal.
    path = tmp_path / "m.db"
    ok(path, "add", "I like [bold]tags[/] and [/oops] brackets", "--user", "eve")
    ok(path, "add", "My name is \x1b]0;PWNED\x07\x1b[2J Mallory.", "--user", "eve")
    for args in (("list",), ("show", "1"), ("show", "2"), ("search", "brackets name")):
        out = ok(path, *args, "--user", "eve").output
        assert "\x1b" not in out and "\x07" not in out, args
    listed = ok(path, "list", "--user", "eve").output
    assert "[/oops]" in listed and "\\x1b]0;PWNED\\x07" in listed
    assert "[/oops]" in ok(path, "show", "1", "--user", "eve").output
    added = ok(path, "add", "tab\there \x1b[8m", "--user", "eve").output
    assert "\\x1b[8m" in added and "\x1b" not in added


def test_json_and_export_on_stdout_carry_no_control_code(tmp_path):
    # JSON escapes C0 controls itself; C1 ones (U+009B is a CSI to a terminal) it leaves.
    path = tmp_path / "m.db"
    ok(path, "add", "one \x9b2J two :smile: [b]x[/b]", "--user", "eve")
    for args in (("list", "--json"), ("show", "1", "--json"), ("export",)):
        out = ok(path, *args, "--user", "eve").output
        assert "\x9b" not in out and "\\u009b" in out, args
        data = json.loads(out)
        text = data[0]["text"] if args[0] == "list" else None
        assert text in (None, "one \x9b2J two :smile: [b]x[/b]")
    listed = ok(path, "list", "--user", "eve").output
    assert ":smile:" in listed and "[b]x[/b]" in listed and "\\x9b" in listed
