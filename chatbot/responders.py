"""Reply backends. Each is one small class behind the :class:`Responder` protocol."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from ..memory import Observation, Recall

_SWAP = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'll": "you'll",
    "i'd": "you'd",
    "am": "are",
    "we": "you",
    "our": "your",
    "ours": "yours",
    "us": "you",
    "was": "were",
}
_QUESTION = re.compile(
    r"\?\s*$|^(who|what|when|where|why|how|which|do|does|did|is|are|am|can|could|would|will|"
    r"have|has|tell me|remind me|remember)\b",
    re.IGNORECASE,
)


class ResponderError(RuntimeError):
    """A responder could not produce a reply (endpoint down, bad answer ...)."""


class Responder(Protocol):
    """Turns a message and the memories recalled for it into a reply, streamed in chunks."""

    name: str
    # True when replies only restate recalled memories (so observing them adds nothing).
    echoes_memory: bool

    def reply(
        self, text: str, memories: list[Recall], *, user: str, observation: Observation
    ) -> Iterator[str]:
        """Yield the reply in pieces (one piece is fine)."""
        ...


def second_person(text: str) -> str:
    """'I live in Berlin' -> 'you live in Berlin': the memory read back to its owner."""

    def swap(m: re.Match) -> str:
        word = m.group(0)
        out = _SWAP.get(word.lower(), word)
        return out.capitalize() if word[0].isupper() and word.lower() != "i" else out

    out = re.sub(r"[A-Za-z']+", swap, text).strip()
    first = out.split(" ", 1)[0]
    if first.lower() in _SWAP.values():  # "Your dog" -> "your dog" mid-sentence
        out = out[0].lower() + out[1:]
    return out


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text.strip()))


class MemoryResponder:
    """The default: no language model, only what the memory holds.

    It answers a question with the memories the output gate recalled, acknowledges what
    the input gate stored or superseded, and says plainly when it has nothing.
    """

    name = "memory"
    echoes_memory = True

    def reply(
        self, text: str, memories: list[Recall], *, user: str, observation: Observation
    ) -> Iterator[str]:
        if is_question(text):
            if memories:
                best = second_person(memories[0].text).rstrip(".!")
                yield f"From what you told me: {best}."
                for more in memories[1:3]:
                    yield f" Also: {second_person(more.text).rstrip('.!')}."
            else:
                yield (
                    "I have nothing in memory about that. I'm not a language model: "
                    "I can only answer from what you've told me."
                )
            return
        if observation.superseded:
            yield f"Updated: I'll remember that {second_person(text).rstrip('.!')}."
        elif observation.stored:
            yield f"Noted: {second_person(text).rstrip('.!')}."
        else:
            yield "OK."
