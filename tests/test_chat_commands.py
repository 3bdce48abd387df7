"""The terminal chat's correcting commands: /forget, /restore, /pin and /unpin, each scoped
to the person chatting."""

from __future__ import annotations

import io

import pytest
from gatedmem.chatbot import Chatbot
from gatedmem.chatbot.terminal import HELP, TerminalChat


def run(mem, user: str, *lines: str) -> list[str]:
    chat = TerminalChat(Chatbot(mem), user, out=io.StringIO())
    chat.run(list(lines))
    out = chat.out.getvalue().splitlines()
    assert out[-1] == "bye"
    return out[:-1]


@pytest.fixture
def mem(fake_memory):
    """On SQLite and on PostgreSQL (whose ids are 32-bit)."""
    return fake_memory


def test_forget_then_restore_and_pin_then_unpin(mem):
    m = mem.add("I was born in Porto.", user="ana")
    out = run(mem, "ana", f"/forget {m.id}", "/memories", f"/restore {m.id}", "/memories")
    assert out == [
        f"#{m.id} forgotten: I was born in Porto. (/restore {m.id} brings it back)",
        "I don't remember anything about you yet.",
        f"#{m.id} restored: I was born in Porto.",
        f"#{m.id} I was born in Porto.  [strength 1.00]",
    ]
    assert not mem.get(m.id).forgotten
    out = run(mem, "ana", f"/pin {m.id}", "/memories", f"/unpin #{m.id}", "/memories")
    assert out[0] == f"#{m.id} pinned: I was born in Porto."
    assert out[1].endswith("(pinned)]")
    assert out[2] == f"#{m.id} unpinned: I was born in Porto."
    assert "pinned" not in out[3]
    assert not mem.get(m.id).pinned


def test_a_command_with_nothing_to_do_says_so(mem):
    m = mem.add("I was born in Porto.", user="ana")
    out = run(
        mem, "ana", f"/restore {m.id}", f"/unpin {m.id}", f"/pin {m.id}", f"/pin {m.id}",
        f"/forget {m.id}", f"/forget {m.id}",
    )  # fmt: skip
    assert out == [
        f"#{m.id} is not forgotten: I was born in Porto.",
        f"#{m.id} is not pinned: I was born in Porto.",
        f"#{m.id} pinned: I was born in Porto.",
        f"#{m.id} is already pinned: I was born in Porto.",
        f"#{m.id} forgotten: I was born in Porto. (/restore {m.id} brings it back)",
        f"#{m.id} is already forgotten: I was born in Porto. (/restore {m.id} brings it back)",
    ]
    kinds = [e.kind for e in mem.history(m.id)]
    assert kinds.count("pinned") == 1 and kinds.count("forgotten") == 1  # nothing done twice


def test_restore_brings_back_only_that_memory(mem):
    old = mem.add("I live in Porto.", user="ana")
    new = mem.add("I live in Lisbon.", user="ana")
    mem.forget(old.id, user="ana")
    assert run(mem, "ana", f"/restore {old.id}") == [f"#{old.id} restored: I live in Porto."]
    assert {m.id for m in mem.list(user="ana")} == {old.id, new.id}


@pytest.mark.parametrize("command", ["/forget", "/restore", "/pin", "/unpin"])
def test_another_users_memory_answers_like_an_unknown_id(mem, command):
    bob = mem.add("My cat is called Miso.", user="bob", pinned=command == "/unpin")
    if command == "/restore":
        mem.forget(bob.id, user="bob")
    mem.add("I was born in Porto.", user="ana")
    theirs = run(mem, "ana", f"{command} {bob.id}")
    unknown = run(mem, "ana", f"{command} 999")
    assert unknown == ["error: no memory with id 999 among yours; /memories shows their ids"]
    huge = "9" * 20  # beyond the database's integers: no traceback, the same answer
    assert run(mem, "ana", f"{command} {huge}") == [u.replace("999", huge) for u in unknown]
    assert theirs == [u.replace("999", str(bob.id)) for u in unknown]
    # ... and a person who never said anything gets the same answer.
    assert run(mem, "cleo", f"{command} {bob.id}") == theirs
    after = mem.get(bob.id)  # bob's memory is untouched
    assert (after.forgotten, after.pinned) == (bob.forgotten or command == "/restore", bob.pinned)


@pytest.mark.parametrize("arg", ["", "abc", "1.5", "-1", "²"])
def test_an_id_that_is_not_a_number_shows_the_usage(mem, arg):
    mem.add("I was born in Porto.", user="ana")
    for command in ("/forget", "/restore", "/pin", "/unpin"):
        out = run(mem, "ana", f"{command} {arg}".strip())
        assert out == [f"usage: {command} ID (a number: /memories shows them)"]
    assert len(mem.list(user="ana")) == 1


def test_help_lists_every_correcting_command():
    for command in ("/forget ID", "/restore ID", "/pin ID", "/unpin ID", "/memories", "/why"):
        assert f"  {command}" in HELP
    assert "gatedmem memories" not in HELP  # the chat's own commands, not a shell command


def test_stored_control_characters_are_shown_escaped_never_sent_to_the_terminal(mem):
    # Any user of a server may store such text; the chat must not act on it.
    m = mem.add("My name is \x1b]0;PWNED\x07\x1b[2J Mallory.", user="ana")
    out = run(mem, "ana", "/memories", f"/pin {m.id}")
    assert out[0].startswith(f"#{m.id} My name is \\x1b]0;PWNED\\x07\\x1b[2J Mallory.")
    assert not any(c in line for line in out for c in "\x1b\x07")


def test_gates_that_cannot_be_used_end_the_chat_with_their_error(tmp_path, db_url, open_memory):
    # Every later turn would fail the same way: a piped chat must not go on and exit 0.
    from conftest import HashEmbedder
    from gatedmem import WeightsError
    from gatedmem.memory.gates import default_weights_dir

    bad = tmp_path / "weights"
    bad.mkdir()
    (bad / "config.json").write_text((default_weights_dir() / "config.json").read_text())
    (bad / "gates.safetensors").write_bytes(b"\x00garbage" * 100)
    mem = open_memory(db_url, embedder=HashEmbedder(), weights=bad)
    chat = TerminalChat(Chatbot(mem), "ana", out=io.StringIO())
    with pytest.raises(WeightsError, match="corrupt"):
        chat.run(["My dog is called Rex.", "What is my dog called?"])
    assert chat.out.getvalue().count("bot>") == 1
