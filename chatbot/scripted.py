"""Is a responder worth having? A scripted ten-turn chat through the real memory.

Five facts are told, then five questions about them in other words; a reply counts when it
holds the fact's key word. Also counted: replies that repeat an earlier one word for word.
Set 1 was used while the SmolLM2 prompt was chosen; set 2 was held out.

    gatedmem bench responder --responder smollm2 --chat 2
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from ..memory import GatedMemory
from .loop import Chatbot

# (facts told, [(question, key words, one of which the reply must hold)])
SETS: dict[int, tuple[list[str], list[tuple[str, list[str]]]]] = {
    1: (
        [
            "My name is Marta.",
            "I work as a nurse at the children's hospital.",
            "I live in Lisbon, near the river.",
            "I have a cat called Pepper.",
            "On weekends I go rock climbing.",
        ],
        [
            ("What am I called?", ["marta"]),
            ("What do I do for a living?", ["nurse"]),
            ("Which city is my home?", ["lisbon"]),
            ("What's the name of my pet?", ["pepper"]),
            ("What do I like to do in my free time?", ["climb"]),
        ],
    ),
    2: (
        [
            "My name is Tomas.",
            "I'm a software engineer at a bank.",
            "I live in Osaka.",
            "My dog is called Rex.",
            "I paint watercolours in my spare time.",
        ],
        [
            ("What should you call me?", ["tomas"]),
            ("What is my job?", ["engineer"]),
            ("Which town am I living in?", ["osaka"]),
            ("What did I name my dog?", ["rex"]),
            ("What's my hobby?", ["paint", "watercolo"]),
        ],
    ),
}


def run(responder, chat: int = 1, memory: GatedMemory | None = None) -> dict:
    """Play set ``chat`` through ``Chatbot(memory, responder)`` (a fresh SQLite memory by
    default) and score the replies to its questions."""
    facts, questions = SETS[chat]
    with tempfile.TemporaryDirectory() as tmp:
        mem = memory or GatedMemory(str(Path(tmp) / "chat.db"))
        bot = Chatbot(mem, responder)
        replies, secs = [], []
        for text in facts + [q for q, _ in questions]:
            t = time.perf_counter()
            replies.append(bot.reply("scripted", text).text)
            secs.append(time.perf_counter() - t)
        if memory is None:
            mem.close()
    seen: set[str] = set()
    repeats = 0
    for r in replies:
        repeats += r.strip().lower() in seen
        seen.add(r.strip().lower())
    answers = zip(replies[len(facts) :], questions, strict=True)
    right = [any(k in a.lower() for k in keys) for a, (_, keys) in answers]
    return {
        "set": chat,
        "correct": sum(right),
        "questions": len(questions),
        "repeats": repeats,
        "seconds_per_reply": round(sum(secs) / len(secs), 2),
        "turns": [
            {"you": text, "bot": reply}
            for text, reply in zip(facts + [q for q, _ in questions], replies, strict=True)
        ],
    }
