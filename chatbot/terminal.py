"""The terminal chat: a prompt loop with slash commands, reading piped input line by line."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from typing import TextIO

from ..memory import (
    EmbeddingMismatch,
    GatedMemError,
    GatedMemory,
    Memory,
    UnknownMemory,
    UnknownUser,
    WeightsError,
)
from ..memory.validate import printable
from .loop import Chatbot

HELP = """Commands:
  /memories      what I remember about you
  /why           which memories shaped my last reply, with their gate values
  /forget ID     forget a memory (/restore ID brings it back)
  /restore ID    bring back a forgotten, faded or superseded memory
  /pin ID        pin a memory so it never fades
  /unpin ID      let a pinned memory fade again
  /help          this list
  /quit          leave (so do Ctrl-D and Ctrl-C)"""

MAX_ID = 2**31 - 1  # memory ids are INTEGER columns: a larger number names no memory

# Slash command -> (GatedMemory method, what the memory is afterwards, and what it says
# when the memory is that already).
CORRECTIONS = {
    "/forget": ("forget", "forgotten", "is already forgotten"),
    "/restore": ("restore", "restored", "is not forgotten"),
    "/pin": ("pin", "pinned", "is already pinned"),
    "/unpin": ("unpin", "unpinned", "is not pinned"),
}


def _already(name: str, m: Memory) -> bool:
    """Whether the command would leave the memory as it is."""
    if name == "/forget":
        return m.forgotten
    if name == "/restore":
        return not m.forgotten and m.superseded_by is None
    return m.pinned if name == "/pin" else not m.pinned


def _lines(stream: TextIO, prompt: str, interactive: bool) -> Iterator[str]:
    while True:
        try:
            line = input(prompt) if interactive else stream.readline()
        except (EOFError, KeyboardInterrupt):
            if interactive:
                print()
            return
        if not interactive and line == "":
            return
        yield line.rstrip("\n")


def _line_editing() -> None:
    """Let input() at a terminal edit the line (arrows, Home, End) and recall earlier ones
    (Up), instead of taking those keys' escape codes as text."""
    try:
        import readline  # noqa: F401  (importing it is what turns line editing on)
    except ImportError:  # a Python built without it: plain input() still works
        pass


class TerminalChat:
    """Runs a :class:`Chatbot` against a terminal or a pipe, printing with ``out``."""

    def __init__(
        self, bot: Chatbot, user: str, *, show_memories: bool = False, out: TextIO | None = None
    ):
        self.bot = bot
        self.user = user
        self.show_memories = show_memories
        self.out = out or sys.stdout

    def _warm_up(self) -> None:
        try:
            self.bot.memory.warm_up()
        except Exception:  # the first turn will report it properly
            pass

    def say(self, text: str = "", end: str = "\n") -> None:
        """Print a line; control characters in it (from stored text or a model's reply) are
        shown escaped, never sent to the terminal (validate.printable)."""
        self.out.write(printable(text) + end)
        self.out.flush()

    def run(self, lines: Iterable[str] | None = None) -> None:
        interactive = lines is None and sys.stdin.isatty()
        if interactive:
            _line_editing()
            # Loading torch and the model takes seconds: do it while the person types.
            threading.Thread(target=self._warm_up, daemon=True).start()
            self.say(
                f"gatedmem chat as {self.user!r} ({self.bot.responder.name} responder). "
                "/help for commands, Ctrl-D to leave."
            )
        source = lines if lines is not None else _lines(sys.stdin, "you> ", interactive)
        try:
            for raw in source:
                text = raw.strip()
                if not text:
                    continue
                if text.startswith("/"):
                    if not self.command(text):
                        break
                    continue
                self.turn(text)
        except KeyboardInterrupt:
            self.say()
        self.say("bye")

    def turn(self, text: str) -> None:
        try:
            self.say("bot> ", end="")
            for chunk in self.bot.stream(self.user, text):
                self.say(chunk, end="")
            self.say()
        except (EmbeddingMismatch, WeightsError):
            # The model or the gates cannot be used: no later turn would fare better.
            self.say()
            raise
        except GatedMemError as exc:
            self.say(f"[not stored: {exc}]")
            return
        last = self.bot.last(self.user)
        if self.show_memories and last and last.recalled:
            for r in last.recalled:
                self.say(f"    · #{r.memory_id} {r.text}  (relevant {r.score:.0%})")

    def command(self, text: str) -> bool:
        """Run a slash command; False means leave."""
        name, _, arg = text.partition(" ")
        mem = self.bot.memory
        try:
            if name in ("/quit", "/exit", "/q"):
                return False
            if name == "/help":
                self.say(HELP)
            elif name == "/memories":
                self.memories(mem)
            elif name == "/why":
                self.why()
            elif name in CORRECTIONS:
                self.correct(mem, name, arg.strip().lstrip("#"))
            else:
                self.say(f"unknown command {name}; /help lists them")
        except GatedMemError as exc:
            self.say(f"error: {exc}")
        return True

    def correct(self, mem: GatedMemory, name: str, arg: str) -> None:
        """/forget, /restore, /pin or /unpin one of the chatting user's memories."""
        if not arg.isdecimal():
            self.say(f"usage: {name} ID (a number: /memories shows them)")
            return
        method, verb, already = CORRECTIONS[name]
        try:
            if int(arg) > MAX_ID:
                raise UnknownMemory(arg)
            before = mem.get(int(arg), user=self.user)
            if _already(name, before):
                m, verb = before, already
            else:
                m = getattr(mem, method)(before.id, user=self.user)
        except (UnknownMemory, UnknownUser):
            # Another user's memory answers exactly like an id that does not exist.
            self.say(f"error: no memory with id {arg} among yours; /memories shows their ids")
            return
        hint = f" (/restore {m.id} brings it back)" if name == "/forget" else ""
        self.say(f"#{m.id} {verb}: {m.text}{hint}")

    def memories(self, mem: GatedMemory) -> None:
        try:
            items = mem.list(user=self.user)
        except GatedMemError:
            items = []
        if not items:
            self.say("I don't remember anything about you yet.")
        for m in items:
            pin = " (pinned)" if m.pinned else ""
            self.say(f"#{m.id} {m.text}  [strength {m.strength:.2f}{pin}]")

    def why(self) -> None:
        last = self.bot.last(self.user)
        if last is None:
            self.say("Nothing yet: say something first.")
            return
        obs = last.observation
        self.say(
            f"Your message: {obs.reason}"
            + (
                f"; superseded {', '.join(f'#{i}' for i in obs.superseded)}"
                if obs.superseded
                else ""
            )
        )
        for d in obs.decisions:
            if d.note:
                head = " · ".join(f"{a} {p:.2f}" for a, p in d.probabilities.items())
                self.say(f"#{d.memory_id} {d.note} (the forget gate: {head})")
        if not last.recalled:
            self.say("No memory passed the output gate for it.")
        for r in last.recalled:
            g = r.gates
            self.say(
                f"#{r.memory_id} {r.text}\n    relevant {r.score:.0%} (calibrated) · output "
                f"gate {g['output']:.2f} · cosine {g['cosine']:.2f} · lexical "
                f"{g['lexical']:.2f} · strength {g['strength']:.2f} · input gate when "
                f"written {g['input']:.2f}"
                + (" · handed over as the name you asked for" if g.get("name_asked") else "")
                + (
                    " · put before an older memory on the same thing: it may be an update"
                    if g.get("newer_first")
                    else ""
                )
                + (
                    " · handed over under the threshold for that reason"
                    if g.get("may_update")
                    else ""
                )
                + (
                    f" · as close as memory #{int(g['via_superseded'])}, whose place it took"
                    if g.get("via_superseded") is not None
                    else ""
                )
            )
