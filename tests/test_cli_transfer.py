"""`memories export` and `memories import`: the units `list --json` uses, every format
version this gatedmem reads, idempotent imports, and errors that name the file."""

from __future__ import annotations

import json
import warnings
from datetime import datetime, timedelta, timezone

import pytest
from conftest import HashEmbedder
from gatedmem import GatedMemory, InvalidUser
from gatedmem.cli import app
from gatedmem.memory.errors import ModelMismatchWarning
from typer.testing import CliRunner

pytestmark = pytest.mark.filterwarnings("ignore::gatedmem.memory.errors.ModelMismatchWarning")
runner = CliRunner()
T0 = datetime.now(timezone.utc) - timedelta(days=3)
DAY = 86400.0


@pytest.fixture
def db(tmp_path, monkeypatch, observe_passing):
    """ana: an active memory that was recalled, a pinned one, a forgotten one and one that
    faded years ago; bob: one. The CLI runs with the fake embedder, in tmp_path."""
    monkeypatch.setattr("gatedmem.memory.core.SentenceTransformerEmbedder", HashEmbedder)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "m.db"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        with GatedMemory(str(path), embedder=HashEmbedder()) as mem:
            mem.add("I live in Lisbon near the river", user="ana", at=T0)
            mem.add("My dog is called Rex", user="ana", at=T0, pinned=True)
            violin = mem.add("I play the violin", user="ana", at=T0)
            mem.forget(violin.id, at=T0 + timedelta(hours=1))
            old = observe_passing(
                mem, "I once had a red bicycle", user="ana", at=T0 - timedelta(days=3650)
            )
            assert mem.recall("Where do I live? Lisbon", user="ana", at=T0 + timedelta(days=1))
            assert mem.get(old.id).forgotten and mem.get(old.id).forgotten_at is not None
            mem.add("I am allergic to penicillin", user="bob", at=T0)
    return path


def run(db, *args):
    return runner.invoke(app, ["memories", *args, "--db", str(db)])


def ok(db, *args) -> str:
    r = run(db, *args)
    assert r.exit_code == 0, r.output
    return r.stdout


def js(db, *args):
    return json.loads(ok(db, *args))


def refused(db, *args) -> str:
    r = run(db, *args)
    assert r.exit_code == 1 and r.stdout == "", r.output
    (line,) = r.stderr.splitlines()
    assert line.startswith("error: ")
    return line.removeprefix("error: ")


def export(db, user="ana", name="ana.json") -> dict:
    ok(db, "export", "--user", user, "-o", name)
    with open(name, encoding="utf-8") as f:
        return json.load(f)


def write(name: str, data: dict) -> str:
    with open(name, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
    return name


def same(a: dict, b: dict, skip=("id", "user")) -> None:
    """The fields of two memories as `list --json` prints them agree (strength: to the decay
    of the milliseconds between the two reads)."""
    for key in a.keys() - set(skip):
        if key == "strength":
            assert a[key] == pytest.approx(b[key], rel=1e-6, abs=1e-12), key
        else:
            assert a[key] == b[key], key


# ---- units ----------------------------------------------------------------------------------


def test_export_and_list_json_use_the_same_units(db):
    data = export(db)
    listed = js(db, "list", "--user", "ana", "--all", "--json")
    assert data["version"] == 2 and len(data["memories"]) == len(listed) == 4
    for exported, shown in zip(data["memories"], listed, strict=True):
        assert shown.keys() <= exported.keys()
        same(shown, exported, skip=())
        assert "half_life" not in exported  # days, not seconds:
        assert 0.5 <= exported["half_life_days"] <= 5 * 365
        for key in ("created_at", "stored_strength_at"):
            assert datetime.fromisoformat(exported[key]).utcoffset() == timedelta(0)
    faded = listed[3]
    assert faded["forgotten"] and faded["forgotten_at"] == data["memories"][3]["forgotten_at"]
    assert datetime.fromisoformat(data["exported_at"]).tzinfo is not None


def test_export_history_agrees_with_show(db):
    data = export(db)
    for exported in data["memories"]:
        shown = js(db, "show", str(exported["id"]), "--json")
        assert exported["history"] == shown["history"]


# ---- import: fidelity, old versions, idempotence ------------------------------------------


def test_an_import_restores_every_field(db):
    export(db)
    r = js(db, "import", "ana.json", "--user", "ana2", "--json")
    assert len(r["imported"]) == 4 and r["skipped"] == 0
    original = js(db, "list", "--user", "ana", "--all", "--json")
    copies = js(db, "list", "--user", "ana2", "--all", "--json")
    for a, b in zip(original, copies, strict=True):
        same(a, b, skip=("id", "user", "source"))
        before = js(db, "show", str(a["id"]), "--json")["history"]
        after = js(db, "show", str(b["id"]), "--json")["history"]
        assert [(e["kind"], e["at"]) for e in after[: len(before)]] == [
            (e["kind"], e["at"]) for e in before
        ]
        assert after[-1]["kind"] == "imported"


def to_version_1(data: dict) -> dict:
    """The shape gatedmem wrote before: epoch seconds and half-lives in seconds."""

    def epoch(iso):
        return None if iso is None else datetime.fromisoformat(iso).timestamp()

    mems = []
    for m in data["memories"]:
        mems.append(
            {
                **{k: m[k] for k in ("id", "text", "speaker", "session", "source", "metadata")},
                **{k: m[k] for k in ("pinned", "input_gate", "superseded_by", "recall_count")},
                "created_at": epoch(m["created_at"]),
                "strength": m["stored_strength"],
                "strength_at": epoch(m["stored_strength_at"]),
                "half_life": m["half_life_days"] * DAY,
                "forgotten_at": epoch(m["forgotten_at"]) if m["forgotten_by"] else None,
                "forgotten_by": m["forgotten_by"],
                "last_recalled_at": epoch(m["last_recalled_at"]),
                "embedding": m["embedding"],
                "history": [
                    {**{k: v for k, v in e.items() if k != "memory_id"}, "at": epoch(e["at"])}
                    for e in m["history"]
                ],
            }
        )
    return {**data, "version": 1, "memories": mems}


def test_a_version_1_export_still_imports(db):
    old = to_version_1(export(db))
    r = js(db, "import", write("old.json", old), "--user", "ana3", "--json")
    assert len(r["imported"]) == 4
    original = js(db, "list", "--user", "ana", "--all", "--json")
    copies = js(db, "list", "--user", "ana3", "--all", "--json")
    for a, b in zip(original, copies, strict=True):
        same(a, b, skip=("id", "user", "source"))
    # ... and is recognised as the same memories as the version 2 export of the same user
    r = js(db, "import", "ana.json", "--user", "ana3", "--json")
    assert r == {"imported": [], "skipped": 4}


def test_importing_twice_adds_nothing_the_second_time(db):
    export(db)
    assert ok(db, "import", "ana.json", "--user", "ana2").strip() == (
        "imported 4 memories into 'ana2'"
    )
    stats = js(db, "stats", "--json")
    assert ok(db, "import", "ana.json", "--user", "ana2").strip() == (
        "imported 0 memories into 'ana2', skipped 4 already present"
    )
    assert js(db, "stats", "--json") == stats
    # into the user it came from: everything is already there
    assert js(db, "import", "ana.json", "--json") == {"imported": [], "skipped": 4}
    assert js(db, "stats", "--json") == stats


def test_a_memory_is_recognised_by_its_user_text_and_creation_time(db):
    data = export(db)
    first_two = {**data, "memories": data["memories"][:2]}
    ok(db, "import", write("part.json", first_two), "--user", "ana2")
    r = js(db, "import", "ana.json", "--user", "ana2", "--json")
    assert len(r["imported"]) == 2 and r["skipped"] == 2
    later = {**data["memories"][0], "created_at": (T0 + timedelta(seconds=1)).isoformat()}
    moved = write("moved.json", {**data, "memories": [later]})
    assert js(db, "import", moved, "--user", "ana2", "--json")["skipped"] == 0
    assert js(db, "import", "ana.json", "--user", "bob", "--json")["skipped"] == 0


# ---- errors name the file -----------------------------------------------------------------


def test_an_unknown_format_version_is_refused(db):
    data = export(db)
    stats = js(db, "stats", "--json")
    message = refused(db, "import", write("edited.json", {**data, "version": 99}))
    assert message.startswith("edited.json: export format version 99 is not one this")
    assert "(1 or 2)" in message
    assert js(db, "stats", "--json") == stats


def test_a_truncated_file_names_the_line_and_column(db):
    export(db)
    with open("ana.json", encoding="utf-8") as f:
        text = f.read()
    cut = text[: len(text) // 2]
    with open("cut.json", "w", encoding="utf-8") as f:
        f.write(cut)
    with pytest.raises(json.JSONDecodeError) as parser:
        json.loads(cut)
    e = parser.value
    message = refused(db, "import", "cut.json")
    assert message == f"cut.json: not valid JSON at line {e.lineno}, column {e.colno}: {e.msg}"
    assert e.lineno > 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00not utf-8", "x.json: not UTF-8 text"),
        (b"[1, 2]", "x.json: not a gatedmem export"),
        (b"", "x.json: not valid JSON at line 1, column 1: Expecting value"),
    ],
)
def test_unreadable_files(db, content, message):
    with open("x.json", "wb") as f:
        f.write(content)
    assert refused(db, "import", "x.json").startswith(message)


def test_a_missing_file(db):
    assert refused(db, "import", "nope.json") == "nope.json: no such file"


def test_a_malformed_memory_is_named(db):
    data = export(db)
    data["memories"][1]["created_at"] = "yesterday"
    assert refused(db, "import", write("bad.json", data)) == (
        "bad.json: malformed gatedmem export, memory 2 of 4: created_at must be an ISO 8601 "
        "date, not 'yesterday'"
    )
    del data["memories"][0]["text"]
    assert "memory 1 of 4: text must be a string" in refused(db, "import", write("bad.json", data))


def test_a_bad_file_creates_no_database(db, tmp_path):
    with open("x.json", "w", encoding="utf-8") as f:
        f.write("{")
    new = tmp_path / "new" / "m.db"
    r = runner.invoke(app, ["memories", "import", "x.json", "--db", str(new)])
    assert r.exit_code == 1 and not new.parent.exists()


def _edit(field, value):
    def edit(data):
        data["memories"][0][field] = value

    return edit


def _loop(data):
    a, b = data["memories"][0], data["memories"][1]
    a["superseded_by"], b["superseded_by"] = b["id"], a["id"]


def _twice(data):
    data["memories"][1]["id"] = data["memories"][0]["id"]


def _by_itself(data):
    data["memories"][0]["superseded_by"] = data["memories"][0]["id"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_edit("embedding", "AAAA"), "memory 1 of 4: embedding is not a vector of 32-bit floats"),
        (_edit("embedding", "AAAAAAAAAAA="), "its embedding is not"),  # 2 floats, not the dim
        (_edit("stored_strength", 1e9), "stored_strength must be from 0 to 1"),
        (_edit("stored_strength", -0.5), "stored_strength must be from 0 to 1"),
        (_edit("input_gate", 7), "input_gate must be from 0 to 1"),
        (
            _edit("created_at", "0001-01-01T00:00:00+00:00"),
            "created_at must be a time from 1900-01-01 up to",
        ),
        (_edit("pinned", "yes"), "pinned must be true or false"),
        (_edit("recall_count", -3), "recall_count must be a whole number"),
        (_edit("recall_count", 2**63), "recall_count must be a whole number"),
        (_edit("stored_strength", 10**400), "stored_strength must be a finite number"),
        (_edit("speaker", ""), "speaker must be 1 to"),
        (_by_itself, "supersessions loop back"),
        (_loop, "supersessions loop back"),
        (_twice, "memory 2 of 4: id"),
    ],
)
def test_an_edited_export_is_refused_before_anything_is_written(db, edit, message):
    data = export(db)
    edit(data)
    assert message in refused(db, "import", write("bad.json", data), "--user", "copy")
    assert "copy" not in ok(db, "users")
    assert "Lisbon" in ok(db, "search", "where do I live", "--user", "ana")


def test_an_embedding_of_another_size_is_refused_even_with_a_matching_header(db):
    import base64

    import numpy as np

    data = export(db)
    dim = data["embedding_dim"]
    wide = np.ones(2 * dim, dtype="<f4").tobytes()
    data["memories"][2]["embedding"] = base64.b64encode(wide).decode("ascii")
    line = refused(db, "import", write("bad.json", data), "--user", "copy")
    assert f"memory 3 of 4: its embedding is not {dim} finite numbers" in line
    assert "copy" not in ok(db, "users")


def test_history_never_points_at_a_memory_outside_the_export(db, tmp_path):
    data = export(db)
    data["memories"][0]["history"].append(
        {"at": data["memories"][0]["created_at"], "kind": "superseded", "other_id": 99999}
    )
    ok(db, "import", write("odd.json", data), "--user", "copy")
    with GatedMemory(str(db), embedder=HashEmbedder()) as mem:
        first = mem.list(user="copy", include_forgotten=True)[0]
        assert all(e.other_id is None for e in mem.history(first.id) if e.kind == "superseded")


def test_an_empty_target_user_is_an_error_not_the_exported_user(db):
    data = export(db)
    assert refused(db, "import", write("a.json", data), "--user", "").startswith("user is empty")
    with GatedMemory(str(db), embedder=HashEmbedder()) as mem:
        n = len(mem.list(user="ana", include_forgotten=True))
        with pytest.raises(InvalidUser, match="user is empty"):
            mem.import_(data, user="")
        assert len(mem.list(user="ana", include_forgotten=True)) == n


def test_a_memory_of_invisible_text_from_an_older_version_still_imports(db):
    data = export(db)
    data["memories"][0]["text"] = "\u200b"
    ok(db, "import", write("old.json", data), "--user", "copy")
    assert "copy" in ok(db, "users")
