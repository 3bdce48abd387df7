"""The terminal chat: a prompt loop with slash commands, reading piped input line by line."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from typing import TextIO

from ..memory import GatedMemError, GatedMemory
from .loop import Chatbot

HELP = """Commands:
  /memories      what I remember about you
  /why           which memories shaped my last reply, with their gate values
  /forget ID     forget a memory (reversible with `gatedmem memories restore ID`)
  /pin ID        pin a memory so it never fades
  /help          this list
  /quit          leave (so do Ctrl-D and Ctrl-C)"""


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
        self.out.write(text + end)
        self.out.flush()

    def run(self, lines: Iterable[str] | None = None) -> None:
        interactive = lines is None and sys.stdin.isatty()
        if interactive:
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
        except GatedMemError as exc:
            self.say(f"[not stored: {exc}]")
            return
        last = self.bot.last
        if self.show_memories and last and last.recalled:
            for r in last.recalled:
                self.say(f"    · #{r.memory_id} {r.text}  (output gate {r.score:.2f})")

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
            elif name in ("/forget", "/pin"):
                if not arg.strip():
                    self.say(f"usage: {name} ID (see /memories for ids)")
                    return True
                m = (mem.forget if name == "/forget" else mem.pin)(arg.strip(), user=self.user)
                verb = "forgotten" if name == "/forget" else "pinned"
                self.say(f"#{m.id} {verb}: {m.text}")
            else:
                self.say(f"unknown command {name}; /help lists them")
        except GatedMemError as exc:
            self.say(f"error: {exc}")
        return True

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
        last = self.bot.last
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
        if not last.recalled:
            self.say("No memory passed the output gate for it.")
        for r in last.recalled:
            g = r.gates
            self.say(
                f"#{r.memory_id} {r.text}\n    output {g['output']:.2f} · cosine "
                f"{g['cosine']:.2f} · lexical {g['lexical']:.2f} · strength "
                f"{g['strength']:.2f} · input gate when written {g['input']:.2f}"
            )
