"""The terminal chat and the Chatbot loop, scripted through Typer's CliRunner."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from gatedmem import GatedMemory
from gatedmem.chatbot import Chatbot, MemoryResponder
from gatedmem.chatbot.responders import second_person
from gatedmem.cli import app
from typer.testing import CliRunner

pytestmark = pytest.mark.model
runner = CliRunner()


def chat(db, script: str, *extra: str):
    return runner.invoke(app, ["chat", "--db", str(db), "--user", "ana", *extra], input=script)


def test_scripted_chat_remembers_and_explains(tmp_path):
    db = tmp_path / "chat.db"
    r = chat(
        db,
        "Hi there!\nMy dog's name is Biscuit, he's a beagle.\nlol ok\n"
        "What's my dog's name?\n/why\n/quit\nthis line is never read\n",
    )
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    answer = next(line for line in lines if line.startswith("bot> From what you told me"))
    assert "Biscuit" in answer
    why = r.output.split("/why", 1)[-1] if "/why" in r.output else r.output
    assert "not stored: input gate" in why  # the question itself was not stored
    assert "output" in why and "cosine" in why and "Biscuit" in why
    assert re.search(r"relevant \d+% \(calibrated\)", why)  # the calibrated score, first
    assert "this line is never read" not in r.output
    assert r.output.rstrip().endswith("bye")
    # A new session reopening the same database still knows.
    r2 = chat(db, "What is my dog called?\n")
    assert "Biscuit" in r2.output


def test_end_of_input_ends_cleanly_and_keeps_everything(tmp_path):
    db = tmp_path / "chat.db"
    r = chat(db, "I work as a night nurse at St. Mary's hospital.")  # no newline, then EOF
    assert r.exit_code == 0 and r.output.rstrip().endswith("bye")
    listed = runner.invoke(app, ["memories", "list", "--db", str(db), "--user", "ana", "--json"])
    assert "night nurse" in listed.output


def test_slash_commands(tmp_path):
    db = tmp_path / "chat.db"
    r = chat(
        db,
        "/memories\nI was born in Porto.\n/memories\n/pin 1\n/forget 1\n/forget\n"
        "/forget 42\n/bogus\n/help\n/memories\n",
    )
    out = r.output
    assert r.exit_code == 0
    assert "I don't remember anything about you yet." in out
    assert "#1 I was born in Porto." in out
    assert "#1 pinned" in out
    assert "#1 forgotten: I was born in Porto. (/restore 1 brings it back)" in out
    assert "usage: /forget ID" in out
    # An unknown id points at the chat's own command, not at a shell command.
    assert "error: no memory with id 42 among yours; /memories shows their ids" in out
    assert "gatedmem memories" not in out
    assert "unknown command /bogus" in out
    assert "/why" in out and "/restore ID" in out and "/unpin ID" in out  # the help text
    assert out.count("I don't remember anything about you yet.") == 2  # forgotten at the end


def test_show_memories_option_lists_what_was_recalled(tmp_path):
    db = tmp_path / "chat.db"
    r = chat(db, "My favourite band is Radiohead.\nWhich band do I like best?\n", "-m")
    assert "    · #1 My favourite band is Radiohead." in r.output


def test_nothing_known_is_said_plainly(tmp_path):
    r = chat(tmp_path / "c.db", "What's the capital of Peru?\n")
    assert "I have nothing in memory about that" in r.output
    assert "not a language model" in r.output


def test_a_memory_full_of_facts_still_says_plainly_it_has_nothing_off_topic(tmp_path):
    facts = (
        "Our son Haruto was born in March.\nI work as a pharmacist in Leeds.\n"
        "My wife Keiko teaches piano.\nWe have a grey cat called Mochi.\n"
    )
    r = chat(tmp_path / "c.db", facts + "What's the square root of 1764?\n")
    replies = [line for line in r.output.splitlines() if line.startswith("bot> ")]
    assert len(replies) == 5 and all(line.startswith("bot> Noted") for line in replies[:4])
    assert replies[4].startswith("bot> I have nothing in memory about that")


def test_asked_their_name_the_chat_answers_with_it_and_says_why(tmp_path):
    script = "Hi, I'm Kenji.\nWe have a grey cat called Mochi.\nWhat's my name?\n/why\n"
    r = chat(tmp_path / "c.db", script)
    replies = [line for line in r.output.splitlines() if line.startswith("bot> ")]
    assert replies[2] == "bot> From what you told me: you're Kenji."
    assert "handed over as the name you asked for" in r.output.split("Your message:", 1)[1]


def _why_after(db, older: tuple[str, int], newer: tuple[str, int], question: str) -> str:
    """What /why prints for ``question``, after ``older`` and ``newer`` (text, days ago)."""
    now = datetime.now(timezone.utc)
    mem = GatedMemory(f"sqlite:///{db}")
    for text, days in (older, newer):
        mem.observe(text, user="ana", at=now - timedelta(days=days))
    mem.close()
    return chat(db, f"{question}\n/why\n").output.split("Your message:", 1)[1]


def test_why_says_when_a_newer_memory_was_put_before_an_older_one(tmp_path):
    why = _why_after(
        tmp_path / "c.db",
        ("My car is an old silver Honda Civic.", 40),
        ("These days my car is a used blue Tesla Model 3.", 10),
        "What car am I driving?",
    )
    assert why.index("Tesla") < why.index("Honda")
    assert "put before an older memory on the same thing: it may be an update" in why


def test_why_says_when_a_change_under_the_threshold_was_handed_over(tmp_path):
    why = _why_after(
        tmp_path / "c.db",
        ("My manager is Priya, she's great.", 67),
        ("Priya is off to another company, so Tom runs our team now.", 7),
        "Who is my boss?",
    )
    assert why.index("Tom runs") < why.index("My manager is Priya")
    assert "handed over under the threshold for that reason" in why


def test_why_says_when_a_memory_is_as_close_as_one_it_superseded(tmp_path):
    why = _why_after(
        tmp_path / "c.db",
        ("My gym is the Anytime Fitness on Mill Road.", 47),
        ("Cancelled Anytime Fitness and joined the climbing centre instead, way more fun.", 7),
        "Which gym am I a member of?",
    )
    assert "climbing centre" in why and "Mill Road" not in why
    assert "as close as memory #1, whose place it took" in why


def test_chatbot_for_python_users(real_memory):
    bot = Chatbot(real_memory, MemoryResponder())
    first = bot.reply("ana", "My daughter Sofia turns five in June.")
    assert first.observation.stored and first.reply_observation is None  # echoes not stored
    second = bot.reply("ana", "How old is Sofia turning?")
    assert "Sofia" in second.text
    assert [r.memory_id for r in second.recalled] == [first.observation.memory_id]
    # The memory the message itself wrote is not recalled for that same message.
    third = bot.reply("ana", "I also have a son named Leo.")
    assert third.observation.memory_id not in [r.memory_id for r in third.recalled]


def test_second_person():
    assert second_person("I live in Berlin with my wife.") == "you live in Berlin with your wife."
    assert second_person("My dog's name is Rex") == "your dog's name is Rex"


def test_why_says_when_someone_elses_news_left_a_fact_alone(tmp_path):
    r = chat(
        tmp_path / "chat.db",
        "I work as a nurse at St Mary's.\nMy husband just started a new job at the council.\n"
        "/why\n",
    )
    assert r.exit_code == 0, r.output
    why = r.output.split("/why", 1)[-1]
    assert re.search(r"#1 kept: the new turn is about someone else.*supersede 0\.\d\d", why)
