"""The chat loop shared by the terminal chat and by Python users: observe, recall, reply."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

from ..memory import GatedMemory, Observation, Recall
from .responders import MemoryResponder, PerUser, Responder, ResponderError


@dataclass
class Reply:
    """One turn of the chat: the reply and everything the memory decided for it."""

    text: str
    recalled: list[Recall]  # what the output gate selected for the message
    observation: Observation  # what the input and forget gates did with the message
    reply_observation: Observation | None = None  # ... and with the reply
    error: str | None = None  # the responder failed; text then explains it
    chunks: list[str] = field(default_factory=list)


class Chatbot:
    """A memory-backed chat: each turn observes the message, recalls, replies, observes.

    Args:
        memory: the :class:`memory.GatedMemory` to use.
        responder: the reply backend; default :class:`MemoryResponder` (no model needed).
        k: how many memories to hand the responder at most.
        observe_replies: whether the bot's own replies go through the input gate too
            (never for a responder whose replies only echo memories: that would store
            copies of what the user said).
        users: how many users' last turns to keep for :meth:`last` (the least recently
            active are dropped first).

    One Chatbot may serve many users, from many threads: each user's last turn is their
    own, and the responder is told whose conversation each message belongs to.
    """

    def __init__(
        self,
        memory: GatedMemory,
        responder: Responder | None = None,
        *,
        k: int = 5,
        observe_replies: bool = True,
        users: int = 1024,
    ):
        self.memory = memory
        self.responder = responder or MemoryResponder()
        self.k = k
        self.observe_replies = observe_replies
        self._last: PerUser[Reply | None] = PerUser(lambda: None, users=users)

    def last(self, user: str) -> Reply | None:
        """The user's last turn (what ``/why`` explains), or None before their first."""
        return self._last.peek(user)

    def stream(self, user: str, text: str, *, session: str | None = None) -> Iterator[str]:
        """Like :meth:`reply`, yielding the reply's chunks as they come; :meth:`last` then
        holds the turn."""
        yield from self._turn(user, text, session)

    def reply(self, user: str, text: str, *, session: str | None = None) -> Reply:
        """One turn: returns the reply with what was recalled and stored."""
        turn = self._turn(user, text, session)
        while True:
            try:
                next(turn)
            except StopIteration as done:
                return done.value

    def _turn(self, user: str, text: str, session: str | None) -> Generator[str, None, Reply]:
        obs = self.memory.observe(text, user=user, speaker="user", session=session)
        # Not the memory this very message wrote or said again
        just_written = [i for i in (obs.memory_id, obs.restated) if i is not None]
        recalled = self.memory.recall(text, user=user, k=self.k, exclude=just_written)
        chunks: list[str] = []
        error = None
        try:
            for chunk in self.responder.reply(text, recalled, user=user, observation=obs):
                chunks.append(chunk)
                yield chunk
        except ResponderError as exc:
            error = str(exc)
            msg = (
                (" " if chunks else "")  # after a reply cut short
                + f"[no reply: {error}. Your message went through the memory as usual; "
                "the chat goes on.]"
            )
            chunks.append(msg)
            yield msg
        reply_text = "".join(chunks).strip()
        reply_obs = None
        echoes = getattr(self.responder, "echoes_memory", False)
        if self.observe_replies and not echoes and error is None and reply_text:
            reply_obs = self.memory.observe(
                reply_text, user=user, speaker="assistant", session=session
            )
        turn = Reply(reply_text, recalled, obs, reply_obs, error, chunks)
        self._last.set(user, turn)
        return turn
