"""gatedmem mcp: the MCP server, started as a subprocess and driven by the SDK's own clients."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import anyio
import pytest
from conftest import HashEmbedder
from gatedmem import GatedMemory
from gatedmem.cli import app
from gatedmem.memory.errors import ModelMismatchWarning
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client
from typer.testing import CliRunner

pytestmark = pytest.mark.slow  # each test starts a server process

TOOLS = set("remember observe recall list_memories why forget restore pin unpin".split())
BY_ID = ("why", "forget", "restore", "pin", "unpin")


def server(tmp_path, *args: str, user: str = "ana") -> StdioServerParameters:
    """``gatedmem mcp`` on the test's database, as an MCP client would start it."""
    db = str(tmp_path / "memory.db")
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "gatedmem.cli", "mcp", "--db", db, "--user", user, *args],
        env={"GATEDMEM_HOME": str(tmp_path / "home")},
    )


def drive(
    params: StdioServerParameters, session: Callable[[Client], Awaitable[Any]], timeout: float = 60
) -> Any:
    """Connect the SDK's stdio client to a fresh server, run ``session``, stop the server."""

    async def main():
        with anyio.fail_after(timeout):
            async with Client(stdio_client(params), read_timeout_seconds=timeout) as client:
                return await session(client)

    return anyio.run(main)


def error_text(result) -> str:
    assert result.is_error, result
    (block,) = result.content
    return block.text


@contextlib.contextmanager
def fake_memory(tmp_path) -> Iterator[GatedMemory]:
    """The test database under the hash embedder, for writing and checking what the server
    must not touch (only tools that embed nothing may then run on it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        with GatedMemory(tmp_path / "memory.db", embedder=HashEmbedder()) as mem:
            yield mem


def test_lists_tools_and_survives_bad_arguments(tmp_path):
    async def session(client: Client):
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == TOOLS
        for t in tools.values():
            assert t.description and t.input_schema["type"] == "object", t.name
        assert tools["recall"].input_schema["properties"]["k"]["minimum"] == 1
        assert tools["forget"].input_schema["required"] == ["memory_id"]

        errors = [
            await client.call_tool("forget", {"memory_id": 999}),
            await client.call_tool("recall", {"query": "where do I live?", "k": 0}),
            await client.call_tool("pin", {"memory_id": "seven"}),
            await client.call_tool("remember", {}),
            await client.call_tool("remember", {"text": "   "}),
        ]
        after = await client.call_tool("list_memories", {})
        return [error_text(r) for r in errors], after

    errors, after = drive(server(tmp_path, "--no-warm-up"), session)
    assert errors[0] == "Error executing tool forget: no memory with id 999 for user 'ana'"
    assert errors[1] == "Error executing tool recall: k must be an integer from 1 to 1000, not 0"
    assert errors[2].startswith("Error executing tool pin: memory_id: Input should be a valid int")
    assert errors[3] == "Error executing tool remember: text: Field required"
    assert errors[4].startswith("Error executing tool remember: ") and "empty" in errors[4]
    assert all("\n" not in e for e in errors)
    # The server still answers, and nothing was written by the failed calls.
    assert not after.is_error and after.structured_content == {"memories": []}


def test_arguments_of_the_wrong_type_are_errors_not_coerced(tmp_path):
    with fake_memory(tmp_path) as mem:
        first = mem.add("I live in Paris.", user="ana").id

    async def session(client: Client):
        calls = [
            ("forget", {"memory_id": True}),
            ("restore", {"memory_id": "1"}),
            ("pin", {"memory_id": 1.0}),
            ("why", {"memory_id": " 1 "}),
            ("recall", {"query": "where do I live?", "k": True}),
            ("recall", {"query": "where do I live?", "k": "3"}),
            ("remember", {"text": "I like tea.", "pin": "yes"}),
            ("list_memories", {"include_forgotten": 1}),
        ]
        results = [await client.call_tool(name, args) for name, args in calls]
        after = await client.call_tool("list_memories", {})
        return [(name, error_text(r)) for (name, _), r in zip(calls, results, strict=True)], after

    errors, after = drive(server(tmp_path, "--no-warm-up"), session)
    for name, text in errors:
        assert text.startswith(f"Error executing tool {name}: ") and "Input should be" in text
    # Nothing was forgotten, pinned or added by them.
    (kept,) = after.structured_content["memories"]
    assert kept["id"] == first and kept["active"] and not kept["pinned"]


def test_another_users_memories_are_unreachable(tmp_path):
    with fake_memory(tmp_path) as mem:
        ana = mem.add("I live in Paris", user="ana").id
        bob = mem.add("my PIN is 4321", user="bob").id
        mem.forget(bob, user="bob")  # so that a restore reaching it would show

    async def session(client: Client):
        listed = await client.call_tool("list_memories", {"include_forgotten": True})
        out = {name: error_text(await client.call_tool(name, {"memory_id": bob})) for name in BY_ID}
        unknown = error_text(await client.call_tool("forget", {"memory_id": 9999}))
        own = await client.call_tool("pin", {"memory_id": ana})
        return listed.structured_content, out, unknown, own.structured_content

    listed, out, unknown, own = drive(server(tmp_path, "--no-warm-up"), session)
    assert [m["id"] for m in listed["memories"]] == [ana]
    for name, text in out.items():
        # word for word what an id that does not exist gets
        assert text == f"Error executing tool {name}: no memory with id {bob} for user 'ana'"
    assert unknown == "Error executing tool forget: no memory with id 9999 for user 'ana'"
    assert own["id"] == ana and own["pinned"] is True  # the user's own ids do work

    # A user with no memories at all gets the same answer (not "no such user").
    async def stranger(client: Client):
        return error_text(await client.call_tool("why", {"memory_id": bob}))

    text = drive(server(tmp_path, "--no-warm-up", user="carol"), stranger)
    assert text == f"Error executing tool why: no memory with id {bob} for user 'carol'"

    with fake_memory(tmp_path) as mem:
        m = mem.get(bob, user="bob")
        assert m.forgotten and not m.pinned
        assert [e.kind for e in mem.history(bob, user="bob")] == ["added", "forgotten"]


@pytest.mark.model
def test_remember_recall_forget_with_the_real_model(tmp_path, real_embedder):
    with GatedMemory(tmp_path / "memory.db", embedder=real_embedder) as mem:
        bobs = mem.add("I work as an airline pilot", user="bob").id

    async def session(client: Client):
        r = {}
        r["remember"] = await client.call_tool(
            "remember", {"text": "I work as a nurse at the children's hospital"}
        )
        r["recall"] = await client.call_tool("recall", {"query": "what is my job?", "k": 3})
        r["observe"] = await client.call_tool("observe", {"text": "hmm ok"})
        memory_id = r["remember"].structured_content["id"]
        r["forget"] = await client.call_tool("forget", {"memory_id": memory_id})
        r["recall again"] = await client.call_tool("recall", {"query": "what is my job?"})
        r["bad k"] = await client.call_tool("recall", {"query": "what is my job?", "k": 0})
        r["why"] = await client.call_tool("why", {"memory_id": memory_id})
        return r

    r = drive(server(tmp_path), session, timeout=180)
    for name, result in r.items():
        assert result.is_error == (name == "bad k"), (name, result)
    stored = r["remember"].structured_content
    assert stored["user"] == "ana" and stored["input_gate"] is None and stored["active"]

    hits = r["recall"].structured_content["memories"]
    assert [h["memory_id"] for h in hits][:1] == [stored["id"]], hits
    assert bobs not in [h["memory_id"] for h in hits]  # bob's job is not ana's
    assert 0 < hits[0]["score"] < 1 and "cosine" in hits[0]["gates"]

    decision = r["observe"].structured_content
    assert {"stored", "input_gate", "reason"} <= set(decision) and 0 <= decision["input_gate"] <= 1

    assert r["forget"].structured_content["forgotten"] is True
    assert stored["id"] not in [
        h["memory_id"] for h in r["recall again"].structured_content["memories"]
    ]
    assert "k must be an integer from 1 to 1000" in error_text(r["bad k"])

    why = r["why"].structured_content
    assert why["memory"]["id"] == stored["id"]
    assert [e["kind"] for e in why["history"]] == ["added", "recalled", "forgotten"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_streamable_http(tmp_path):
    port = _free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gatedmem.cli",
                "mcp",
                "--http",
                f"127.0.0.1:{port}",
                "--no-warm-up",
                "--db",
                str(tmp_path / "memory.db"),
                "--user",
                "ana",
            ],
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
            env=os.environ.copy(),
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)

        async def main():
            with anyio.fail_after(60):
                async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                    tools = (await client.list_tools()).tools
                    listed = await client.call_tool("list_memories", {})
                    return {t.name for t in tools}, listed

        names, listed = anyio.run(main)
        assert names == TOOLS
        assert listed.structured_content == {"memories": []}
        assert f"at http://127.0.0.1:{port}/mcp" in log.read_text()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


runner = CliRunner()


def test_without_the_extra_one_line_and_no_database(tmp_path, monkeypatch):
    for name in list(sys.modules):
        if name == "mcp" or name.startswith("mcp."):
            monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "mcp", None)
    monkeypatch.delitem(sys.modules, "gatedmem.servers.mcp", raising=False)
    db = tmp_path / "memory.db"
    r = runner.invoke(app, ["mcp", "--db", str(db)])
    assert r.exit_code == 1
    assert r.output == "error: gatedmem mcp needs the mcp extra: pip install 'gatedmem[mcp]'\n"
    assert not db.exists()


def test_bad_http_address_is_one_line(tmp_path):
    db = tmp_path / "memory.db"
    r = runner.invoke(app, ["mcp", "--db", str(db), "--http", "8765"])
    assert r.exit_code == 1
    assert r.output == "error: --http takes HOST:PORT, e.g. 127.0.0.1:8765, not '8765'\n"
    assert not db.exists()
