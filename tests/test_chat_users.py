"""One Chatbot serving two people: each conversation, prompt and /why is its owner's own."""

from __future__ import annotations

import io
import json
import threading
from datetime import datetime, timezone

import pytest
from gatedmem.chatbot import Chatbot, OpenAIResponder
from gatedmem.chatbot.responders import PerUser
from gatedmem.chatbot.terminal import TerminalChat
from gatedmem.memory import Observation, Recall
from loopback import FakeLLM, without_proxies

OBS = Observation(stored=False, memory_id=None, input_gate=0.0, superseded=[])
SCRIPT = [  # interleaved turns of two people talking to one bot
    ("ana", "My dog's name is Biscuit."),
    ("bob", "My cat is called Miso."),
    ("ana", "I work as a night nurse in Lyon."),
    ("bob", "I'm learning to play the cello."),
    ("ana", "What's my dog's name?"),
    ("bob", "What is my cat called?"),
]
SECRETS = {"ana": ("Biscuit", "nurse", "Lyon"), "bob": ("Miso", "cello")}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    without_proxies(monkeypatch)


def memory_items(messages: list[dict]) -> list[dict]:
    block = next(m["content"] for m in messages if m["content"].startswith("Memories"))
    return json.loads(block.split("\n", 1)[1])


@pytest.mark.model
def test_two_users_through_one_bot_never_see_each_other(real_memory):
    with FakeLLM() as llm:
        bot = Chatbot(real_memory, OpenAIResponder(llm.base_url, "tiny"))
        chats = {u: TerminalChat(bot, u, out=io.StringIO()) for u in SECRETS}
        whys = {}
        for user, text in SCRIPT:
            chats[user].turn(text)
            whys[user] = chats[user].out.tell()
            chats[user].command("/why")
        assert len(llm.requests) == len(SCRIPT)  # one request per turn, in order
        for (user, text), req in zip(SCRIPT, llm.requests, strict=True):
            msgs = req["body"]["messages"]
            assert msgs[-1] == {"role": "user", "content": text}
            other = next(u for u in SECRETS if u != user)
            prompt = json.dumps(msgs, ensure_ascii=False)
            for word in SECRETS[other]:  # neither their turns nor their memories
                assert word not in prompt, (user, text, word)
            assert all(m["id"] in own_ids(real_memory, user) for m in memory_items(msgs))
        # Each person's own earlier turns are the history of their own later prompts.
        ana_last = llm.requests[4]["body"]["messages"]
        assert {"role": "user", "content": "My dog's name is Biscuit."} in ana_last
        assert any(m["role"] == "assistant" for m in ana_last)
    # The answers come from each person's own memories ...
    assert "Biscuit" in bot.last("ana").text and "Miso" in bot.last("bob").text
    # ... and /why explains each person's own last turn.
    for user, question in (("ana", SCRIPT[4][1]), ("bob", SCRIPT[5][1])):
        last = bot.last(user)
        assert last.recalled and {r.memory_id for r in last.recalled} <= own_ids(real_memory, user)
        why = chats[user].out.getvalue()[whys[user] :]
        other = next(u for u in SECRETS if u != user)
        assert SECRETS[user][0] in why
        assert not any(word in why for word in SECRETS[other]), why
        assert question not in [r.text for r in last.recalled]
    assert bot.last("cleo") is None
    cleo = TerminalChat(bot, "cleo", out=io.StringIO())
    cleo.command("/why")
    assert cleo.out.getvalue() == "Nothing yet: say something first.\n"


def own_ids(mem, user: str) -> set[int]:
    return {m.id for m in mem.list(user=user, include_forgotten=True)}


def test_histories_are_per_user_and_bounded():
    with FakeLLM() as llm:
        responder = OpenAIResponder(llm.base_url, "tiny", history=2, users=2)
        for n in range(5):
            list(responder.reply(f"ana says {n}", [], user="ana", observation=OBS))
        list(responder.reply("bob says hi", [], user="bob", observation=OBS))
        ana = llm.requests[4]["body"]["messages"]
        bob = llm.requests[5]["body"]["messages"]
        # ana's fifth prompt holds her last two turns (4 messages), no older ones.
        said = [m["content"] for m in ana if m["role"] == "user"]
        assert said == ["ana says 2", "ana says 3", "ana says 4"]
        assert sum(m["role"] == "assistant" for m in ana) == 2
        assert [m["content"] for m in bob if m["role"] == "user"] == ["bob says hi"]
        # A third user pushes the least recently active one (ana) out.
        list(responder.reply("cleo says hi", [], user="cleo", observation=OBS))
        list(responder.reply("ana is back", [], user="ana", observation=OBS))
        back = llm.requests[-1]["body"]["messages"]
        assert [m["content"] for m in back if m["role"] == "user"] == ["ana is back"]
        list(responder.reply("bob again", [], user="bob", observation=OBS))
        assert "bob says hi" not in json.dumps(llm.requests[-1]["body"])  # bob went too
    responder.close()


def test_two_users_talking_at_the_same_time_keep_their_own_histories():
    with FakeLLM() as llm, OpenAIResponder(llm.base_url, "tiny", history=3) as responder:

        def talk(user: str) -> None:
            for n in range(8):
                list(responder.reply(f"{user} turn {n}", [], user=user, observation=OBS))

        threads = [threading.Thread(target=talk, args=(u,)) for u in ("ana", "bob")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(llm.requests) == 16
    for req in llm.requests:
        said = [m["content"] for m in req["body"]["messages"] if m["role"] == "user"]
        user, _, n = said[-1].partition(" turn ")
        assert said == [f"{user} turn {i}" for i in range(max(0, int(n) - 3), int(n) + 1)]


def test_a_failed_reply_leaves_no_half_turn_in_the_history():
    with FakeLLM(mode="garbage") as llm:
        responder = OpenAIResponder(llm.base_url, "tiny")
        with pytest.raises(Exception, match="malformed"):
            list(responder.reply("lost words", [], user="ana", observation=OBS))
        llm.mode = "stream"
        list(responder.reply("hello", [], user="ana", observation=OBS))
        assert "lost words" not in json.dumps(llm.requests[-1]["body"])


def test_memories_block_holds_only_what_the_caller_recalled():
    mem = Recall(
        memory_id=7,
        text="My dog's name is Biscuit.",
        score=0.9,
        gates={},
        created_at=datetime(2024, 5, 1, tzinfo=timezone.utc),
        speaker="user",
    )
    with FakeLLM() as llm, OpenAIResponder(llm.base_url, "tiny") as responder:
        text = "".join(responder.reply("dog?", [mem], user="ana", observation=OBS))
        assert text.strip() == "I remember: My dog's name is Biscuit."
        list(responder.reply("dog?", [], user="bob", observation=OBS))
        assert memory_items(llm.requests[-1]["body"]["messages"]) == []
        assert "Biscuit" not in json.dumps(llm.requests[-1]["body"])


def test_per_user_state_is_bounded_and_thread_safe():
    state: PerUser[list[int]] = PerUser(list, users=3)
    for name in "abcd":
        state.get(name).append(1)
    assert len(state) == 3 and state.peek("a") is None  # the least recently active went
    state.get("b")  # b is now the most recent: c goes next
    state.set("e", [5])
    assert state.peek("c") is None and state.peek("b") == [1] and state.peek("e") == [5]

    shared: PerUser[list[int]] = PerUser(list, users=8)

    def work(user: str) -> None:
        for n in range(500):
            shared.get(user).append(n)

    threads = [threading.Thread(target=work, args=(f"u{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(shared.peek(f"u{i}") == list(range(500)) for i in range(4))


def test_per_user_state_names_users_as_the_memory_does():
    import unicodedata

    state: PerUser[list[int]] = PerUser(list)
    state.get("José").append(1)
    state.get(unicodedata.normalize("NFD", "José")).append(2)
    state.get(" José ").append(3)
    assert state.peek("José") == [1, 2, 3] and len(state) == 1
