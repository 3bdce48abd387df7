"""The Model Context Protocol server behind ``gatedmem mcp``: one user's memory as MCP tools.

Built on the official SDK's ``MCPServer`` (``pip install 'gatedmem[mcp]'``). The server is
bound to one user when it starts: no tool takes a user, and every :class:`GatedMemory` call
passes ``user=``, so a by-id tool given another user's memory answers exactly as for an id
that does not exist. A :class:`GatedMemError` becomes a tool error (``is_error``, with the
CLI's one-line message, behind the SDK's "Error executing tool NAME: ") and the server
keeps serving. Results are the frozen dataclasses' ``to_dict()``, as structured JSON.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field, ValidationError

from ..memory import GatedMemError, UnknownMemory, UnknownUser, __version__
from ..memory.validate import user as valid_user

if TYPE_CHECKING:
    from ..memory import GatedMemory

INSTRUCTIONS = (
    "Long-term memory about the user, kept across conversations. Before answering, call "
    "recall with the user's message when something said in an earlier conversation could "
    "matter. Call observe with each thing the user says about themselves: learned gates "
    "decide what is worth keeping and what it makes stale. Call remember only when the user "
    "asks you to remember something, and forget when they ask you to forget it."
)

# Strict: JSON's true, 1.0 or "1" is not a memory id (or a count, or a yes).
MemoryId = Annotated[
    int,
    Field(strict=True, description="a memory id, as returned by recall, remember or list_memories"),
]
# The range is advertised, not enforced here: the memory checks it and says what is wrong.
TopK = Annotated[
    int,
    Field(
        strict=True,
        description="at most this many memories (1 to 1000)",
        json_schema_extra={"minimum": 1, "maximum": 1000},
    ),
]
READ_ONLY = ToolAnnotations(read_only_hint=True)
REVERSIBLE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True)
ADDITIVE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False)

T = TypeVar("T")


class _Server(MCPServer):
    """MCPServer whose argument errors read as one line, like every other error here."""

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if not isinstance(cause, ValidationError):
                raise
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                for e in cause.errors()
            )
            raise ToolError(f"Error executing tool {name}: {problems}") from cause


def _answer(call: Callable[[], T]) -> T:
    """``call()``; an error a caller can cause becomes a tool error with its one-line message
    (the CLI's), anything else stays a crash the SDK reports without details."""
    try:
        return call()
    except (GatedMemError, OSError) as exc:
        raise ToolError(str(exc)) from exc


def build_server(mem: GatedMemory, user: str) -> MCPServer:
    """An MCP server whose tools read and change ``user``'s memories in ``mem`` only.

    Raises:
        InvalidUser: ``user`` is not a usable user name.
    """
    user = valid_user(user)

    def by_id(method: Callable[..., T], memory_id: int) -> T:
        """``method(memory_id, user=user)``: another user's id answers as an unknown id."""
        try:
            return method(memory_id, user=user)
        except (UnknownMemory, UnknownUser):
            raise ToolError(f"no memory with id {memory_id} for user {user!r}") from None
        except (GatedMemError, OSError) as exc:
            raise ToolError(str(exc)) from exc

    server = _Server(
        "gatedmem",
        title="gatedmem",
        description="Long-term memory whose write, forget and recall decisions are learned gates",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level="WARNING",
    )

    @server.tool(annotations=ADDITIVE)
    def remember(
        text: Annotated[str, Field(description="the fact to keep, in the user's words")],
        pin: Annotated[bool, Field(strict=True, description="pin it so it never fades")] = False,
    ) -> dict[str, Any]:
        """Store a fact because the user asked you to remember it, without asking the input
        gate. Returns the stored memory (id, text, strength, half-life ...)."""
        return _answer(lambda: mem.add(text, user=user, pinned=pin).to_dict())

    @server.tool(annotations=ADDITIVE)
    def observe(
        text: Annotated[str, Field(description="one conversation turn, as it was said")],
        speaker: Annotated[
            str, Field(description='who said it: "user", "assistant" or a name')
        ] = "user",
    ) -> dict[str, Any]:
        """Take in one conversation turn. The input gate decides whether it is worth keeping
        and the forget gate which older memories it makes stale. Returns the decision:
        stored or not, the memory id, the gate values, what was superseded, and why."""
        return _answer(lambda: mem.observe(text, user=user, speaker=speaker).to_dict())

    @server.tool(annotations=ADDITIVE)
    def recall(
        query: Annotated[str, Field(description="what the answer needs to know about")],
        k: TopK = 5,
    ) -> dict[str, Any]:
        """The memories relevant to a query, best first, as chosen by the output gate (an
        empty list when nothing is relevant). Recalled memories are strengthened.
        Returns {"memories": [{memory_id, text, score, gates, created_at, ...}]}."""
        hits = _answer(lambda: mem.recall(query, user=user, k=k))
        return {"memories": [h.to_dict() for h in hits]}

    @server.tool(annotations=READ_ONLY)
    def list_memories(
        include_forgotten: Annotated[
            bool, Field(strict=True, description="also forgotten and superseded memories")
        ] = False,
    ) -> dict[str, Any]:
        """Every memory of the user, oldest first (active ones unless include_forgotten).
        Returns {"memories": [{id, text, strength, half_life_days, pinned, active, ...}]}."""
        try:
            mems = mem.list(user=user, include_forgotten=include_forgotten)
        except UnknownUser:  # nothing stored yet: no memories, not an error
            mems = []
        except (GatedMemError, OSError) as exc:
            raise ToolError(str(exc)) from exc
        return {"memories": [m.to_dict() for m in mems]}

    @server.tool(annotations=READ_ONLY)
    def why(memory_id: MemoryId) -> dict[str, Any]:
        """Why a memory is what it is: the memory with its gate values (input gate, strength,
        half-life), the memories it superseded, and every decision about it, oldest first
        (written, superseded, recalled, restated, forgotten, restored, pinned ...)."""
        m = by_id(mem.get, memory_id)
        events = by_id(mem.history, memory_id)
        supersedes = sorted({e.other_id for e in events if e.kind == "supersedes" and e.other_id})
        return {
            "memory": m.to_dict(),
            "supersedes": supersedes,
            "history": [e.to_dict() for e in events],
        }

    @server.tool(annotations=REVERSIBLE)
    def forget(memory_id: MemoryId) -> dict[str, Any]:
        """Forget a memory softly: recall no longer returns it; restore brings it back.
        Returns the memory."""
        return by_id(mem.forget, memory_id).to_dict()

    @server.tool(annotations=REVERSIBLE)
    def restore(memory_id: MemoryId) -> dict[str, Any]:
        """Bring back a forgotten, faded or superseded memory. Returns the memory."""
        return by_id(mem.restore, memory_id).to_dict()

    @server.tool(annotations=REVERSIBLE)
    def pin(memory_id: MemoryId) -> dict[str, Any]:
        """Pin a memory: it never fades and is never superseded by the gates. Returns it."""
        return by_id(mem.pin, memory_id).to_dict()

    @server.tool(annotations=REVERSIBLE)
    def unpin(memory_id: MemoryId) -> dict[str, Any]:
        """Let a pinned memory fade again, from now. Returns the memory."""
        return by_id(mem.unpin, memory_id).to_dict()

    return server


def parse_address(address: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) as ``(host, port)``.

    Raises:
        ValueError: not HOST:PORT with a port from 1 to 65535.
    """
    host, sep, port = address.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"--http takes HOST:PORT, e.g. 127.0.0.1:8765, not {address!r}")
    return host, int(port)


def serve(
    mem: GatedMemory, user: str, *, http: tuple[str, int] | None = None, warm_up: bool = True
) -> None:
    """Serve ``user``'s memories over stdio, or streamable HTTP at ``http`` (path /mcp),
    until the client goes away (stdio) or the process is interrupted.

    ``warm_up`` loads the embedding model and the gates in the background meanwhile, so
    the first call that needs them does not wait seconds.

    Raises:
        InvalidUser: ``user`` is not a usable user name.
    """
    server = build_server(mem, user)
    if warm_up:
        threading.Thread(target=_warm_up, args=(mem,), daemon=True).start()
    try:
        if http is None:
            server.run("stdio")
        else:
            host, port = http
            server.run("streamable-http", host=host, port=port)
    except KeyboardInterrupt:
        pass


def _warm_up(mem: GatedMemory) -> None:
    try:
        mem.warm_up()
    except Exception:  # the first call that needs the model reports it
        pass
