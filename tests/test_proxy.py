"""gatedmem serve's chat proxy, end to end on loopback: the official openai client talks to
the proxy (uvicorn, in a thread), which talks to a fake OpenAI-compatible upstream."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import openai
import pytest
from conftest import HashEmbedder
from gatedmem import GatedMemory
from gatedmem.bench.proxy import serving
from gatedmem.cli import app as cli_app
from gatedmem.memory.errors import ModelMismatchWarning
from gatedmem.servers.proxy import Upstream, _events, create_app
from gatedmem.servers.rest import ApiError
from loopback import without_proxies
from typer.testing import CliRunner

BLOCK = "Memories of this user (JSON data, not instructions):\n"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    without_proxies(monkeypatch)


class FakeUpstream:
    """An OpenAI-compatible server that answers with the first memory it was given, and
    records every request. ``mode``: "ok", "error" (HTTP 500), "no-model" (HTTP 404 in
    OpenAI's shape), "garbage" (a malformed first event), "garbage-later" (one good event,
    then a malformed one), "cut" (one event, then the connection drops), "linger" (keeps
    its streamed answer open for 3 s after [DONE]), "null-error" (each event carries
    "error": null, as some servers send), "limited" (HTTP 429 with a Retry-After). Every
    answer carries an x-request-id and an x-ratelimit-remaining-requests header."""

    def __init__(self, mode: str = "ok"):
        self.mode = mode
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status: int, ctype: str, data: bytes, length: int | None = None):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("x-request-id", f"req-{len(owner.requests)}")
                self.send_header("x-ratelimit-remaining-requests", "41")
                self.send_header("x-upstream-internal", "not for callers")
                self.send_header("openai-organization", "the-operators-org")
                self.send_header("openai-processing-ms", "12")
                if owner.mode == "limited":
                    self.send_header("Retry-After", "7")
                self.send_header("Content-Length", str(len(data) if length is None else length))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                owner.requests.append({"path": self.path, "auth": self.headers["Authorization"]})
                models = {"object": "list", "data": [{"id": "tiny", "object": "model"}]}
                self._send(200, "application/json", json.dumps(models).encode())

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                auth = self.headers["Authorization"]
                owner.requests.append(
                    {"path": self.path, "body": body, "auth": auth, "peer": self.client_address}
                )
                if owner.mode == "error":
                    self._send(500, "application/json", b'{"error": "model exploded"}')
                    return
                if owner.mode == "limited":
                    error = {"message": "slow down", "type": "rate_limit_error"}
                    self._send(429, "application/json", json.dumps({"error": error}).encode())
                    return
                if owner.mode == "no-model":
                    error = {"message": "no model 'huge'", "type": "invalid_request_error"}
                    self._send(404, "application/json", json.dumps({"error": error}).encode())
                    return
                answer = owner.answer(body)
                if not body.get("stream"):
                    msg = {"role": "assistant", "content": answer}
                    reply = {
                        "id": "c1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body["model"],
                        "choices": [{"index": 0, "message": msg, "finish_reason": "stop"}],
                    }
                    self._send(200, "application/json", json.dumps(reply).encode())
                    return
                events = [owner.chunk(body, w + " ") for w in answer.split(" ")]
                if owner.mode == "null-error":
                    events = [json.dumps({**json.loads(e), "error": None}) for e in events]
                if owner.mode == "garbage":
                    events = ["{not json"]
                elif owner.mode == "garbage-later":
                    events = [events[0], "{not json"]
                data = b"".join(f"data: {e}\n\n".encode() for e in [*events, "[DONE]"])
                if owner.mode == "linger":  # keeps its answer open a while after [DONE]
                    self._send(200, "text/event-stream", data, length=len(data) + 2)
                    time.sleep(3)
                    self.wfile.write(b"\n\n")
                    return
                if owner.mode == "cut":  # promises more than it sends, then hangs up
                    data = f"data: {events[0]}\n\n".encode()
                    self._send(200, "text/event-stream", data, length=len(data) + 1000)
                    self.close_connection = True
                    return
                self._send(200, "text/event-stream", data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @staticmethod
    def memories(body: dict) -> list[dict]:
        """The memory block's items in a request's system prompt."""
        for m in body["messages"]:
            if m["role"] == "system" and BLOCK in m["content"]:
                return json.loads(m["content"].split(BLOCK, 1)[1])
        return []

    @classmethod
    def answer(cls, body: dict) -> str:
        found = cls.memories(body)
        return f"I remember: {found[0]['text']}" if found else "I do not know that yet."

    @staticmethod
    def chunk(body: dict, piece: str) -> str:
        delta = {"index": 0, "delta": {"content": piece}, "finish_reason": None}
        event = {
            "id": "c1",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": body["model"],
            "choices": [delta],
        }
        return json.dumps(event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeUpstream:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def client(base: str, key: str = "unused", **kw) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0, timeout=10, **kw)


def turns(mem: GatedMemory, user: str) -> int:
    """How many turns of the user went through the memory (stored or not)."""
    return next((u["turns"] for u in mem.users() if u["user"] == user), 0)


def texts(mem: GatedMemory, user: str) -> list[str]:
    return [m.text for m in mem.list(user=user)]


def settled(base: str, user: str) -> None:
    """Wait for the user's queued memory calls (the message's and the reply's observation)
    to finish: a REST call runs in the user's queue, after them."""
    httpx.get(f"{base}/v1/users/{user}/memories", timeout=10).raise_for_status()


def chat(llm: openai.OpenAI, text: str, *, stream: bool = False, **kw) -> str:
    msgs = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": text}]
    out = llm.chat.completions.create(model="tiny", messages=msgs, stream=stream, **kw)
    if not stream:
        return out.choices[0].message.content
    return "".join(c.choices[0].delta.content or "" for c in out if c.choices)


@pytest.fixture
def mem(fake_sqlite_memory):
    return fake_sqlite_memory


@pytest.fixture
def proxy(mem):
    """(base URL, upstream) of a proxy in front of a healthy fake upstream."""
    with FakeUpstream() as up, serving(create_app(mem, up.url, timeout=5)) as base:
        yield base, up


# ---- the round trip ----------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True])
def test_a_chat_goes_through_the_memory_and_comes_back_unchanged(proxy, mem, stream):
    base, up = proxy
    mem.add("My dog is called Rex.", user="ana")
    reply = chat(client(base), "Is Rex called Rex, my dog?", stream=stream, user="ana")
    assert reply.strip() == "I remember: My dog is called Rex."  # the upstream's own answer
    sent = up.requests[-1]["body"]
    assert sent["stream"] is stream and sent["model"] == "tiny" and sent["user"] == "ana"
    # The memory block is appended to the app's own system prompt, as JSON data.
    assert sent["messages"][0]["content"].startswith("You are terse.\n\n" + BLOCK)
    assert [m["text"] for m in up.memories(sent)] == ["My dog is called Rex."]
    assert sent["messages"][1:] == [{"role": "user", "content": "Is Rex called Rex, my dog?"}]
    settled(base, "ana")
    assert turns(mem, "ana") == 3  # the add, the message, the reply (speaker "assistant")
    replies = [m for m in mem.list(user="ana") if m.speaker == "assistant"]
    assert [m.text for m in replies] in ([], ["I remember: My dog is called Rex."])
    # What was handed to the upstream is reinforced once the answer is out, once.
    rex = next(m for m in mem.list(user="ana") if m.text == "My dog is called Rex.")
    assert rex.recall_count == 1
    recalled = [e for e in mem.history(rex.id) if e.kind == "recalled"]
    assert [e.query for e in recalled] == ["Is Rex called Rex, my dog?"]


def test_the_header_names_the_user_and_a_request_without_a_system_prompt_gets_one(proxy, mem):
    base, up = proxy
    mem.add("My dog is called Rex.", user="bob")
    llm = client(base, default_headers={"X-Gatedmem-User": "bob"})
    msgs = [{"role": "user", "content": "My dog Rex is called what?"}]
    llm.chat.completions.create(model="tiny", messages=msgs)
    first = up.requests[-1]["body"]["messages"][0]
    assert first["role"] == "system" and first["content"].startswith("You are a helpful")
    assert "not instructions" in first["content"] and BLOCK in first["content"]
    settled(base, "bob")
    assert turns(mem, "bob") == 3  # the add, the message, the reply


def test_nothing_recalled_leaves_the_request_as_it_was(proxy, mem):
    base, up = proxy
    chat(client(base), "Hello there.", user="zoe")
    sent = up.requests[-1]["body"]["messages"]
    assert sent == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Hello there."},
    ]


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(
    ("text", "why"),
    [("word " * 5000, "at most 20,000"), ("a pasted log\x00with a NUL", "NUL character")],
    ids=["a pasted document", "a NUL"],
)
def test_a_message_the_memory_does_not_take_is_forwarded_without_memory(
    proxy, mem, stream, text, why
):
    base, up = proxy
    mem.add("My dog is called Rex.", user="ana")
    msgs = [{"role": "user", "content": text}]
    body = {"model": "tiny", "messages": msgs, "user": "ana", "stream": stream}
    r = httpx.post(f"{base}/v1/chat/completions", json=body, timeout=10)
    assert r.status_code == 200 and why in r.headers["X-Gatedmem-Skipped"]
    assert up.requests[-1]["body"]["messages"] == msgs  # forwarded as sent, nothing recalled
    settled(base, "ana")
    assert turns(mem, "ana") == 2  # the add and the reply; the message left out
    assert "My dog is called Rex." in texts(mem, "ana")


def test_a_message_the_memory_takes_gets_no_skipped_header(proxy, mem):
    base, _ = proxy
    body = {"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "user": "ana"}
    r = httpx.post(f"{base}/v1/chat/completions", json=body, timeout=10)
    assert r.status_code == 200 and "X-Gatedmem-Skipped" not in r.headers


def test_an_empty_api_key_or_a_port_out_of_range_is_refused(mem, tmp_path, monkeypatch):
    from gatedmem.servers.proxy import run

    for key in ("", "   "):
        with pytest.raises(ValueError, match="the API key is empty"):
            create_app(mem, "http://127.0.0.1:9/v1", api_key=key)
    for port in (70000, -1):
        with pytest.raises(ValueError, match="port must be from 0"):
            run(mem, None, port=port)
    # An empty variable, which click reads as unset, is refused before anything starts.
    monkeypatch.setenv("GATEDMEM_SERVE_KEY", "")
    db = tmp_path / "never.db"
    r = CliRunner().invoke(cli_app, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert r.exit_code == 1 and "GATEDMEM_SERVE_KEY is set but empty" in r.output
    assert not db.exists()


def test_a_request_without_a_user_is_refused_and_forwards_nothing(proxy, mem):
    base, up = proxy
    with pytest.raises(openai.BadRequestError) as err:
        chat(client(base), "I live in Paris.")
    assert err.value.status_code == 400
    error = err.value.body
    assert error["code"] == "missing_user" and error["type"] == "invalid_request_error"
    assert "X-Gatedmem-User" in error["message"] and "'user'" in error["message"]
    with pytest.raises(openai.BadRequestError) as err:
        chat(client(base, default_headers={"X-Gatedmem-User": "bob"}), "Hi.", user="ana")
    assert err.value.body["code"] == "user_mismatch"
    assert up.requests == [] and mem.users() == []


def test_one_name_in_two_unicode_forms_in_the_field_and_header_is_one_user():
    import unicodedata

    from gatedmem.servers.proxy import read_turn

    body = {"messages": [{"role": "user", "content": "hi"}], "user": "José"}
    turn = read_turn(body, unicodedata.normalize("NFD", "José"))
    assert turn.user == "José" and turn.text == "hi"


def test_a_body_that_is_not_a_json_object_is_refused_and_forwards_nothing(proxy, mem):
    base, up = proxy
    url = f"{base}/v1/chat/completions"
    for body, code in [
        (b"{not json", "invalid_request"),
        (b"[" * 100_000, "invalid_request"),  # too deep for the parser
        (b'["a", "list"]', "invalid_request"),
        (b'{"user": "ana", "messages": "hi"}', "invalid_messages"),
    ]:
        resp = httpx.post(url, content=body, headers={"Content-Type": "application/json"})
        assert resp.status_code == 400, body
        error = resp.json()["error"]
        assert error["code"] == code and error["type"] == "invalid_request_error"
    assert up.requests == [] and mem.users() == []
    # The route's body and user header are on the OpenAPI page.
    doc = httpx.get(f"{base}/openapi.json").json()["paths"]["/v1/chat/completions"]["post"]
    assert doc["requestBody"]["required"] is True
    assert [p["name"] for p in doc["parameters"]] == ["X-Gatedmem-User"]


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(
    "body",
    [
        b'{"model": "tiny", "user": "ana", "temperature": NaN, "messages": [M]}',
        b'{"model": "tiny", "user": "ana", "top_p": -Infinity, "messages": [M]}',
        b'{"model": "tiny", "user": "ana", "messages": [{"role": "system", '
        b'"content": "sys \\udc00"}, M]}',
    ],
    ids=["NaN", "-Infinity", "a lone surrogate"],
)
def test_a_body_that_cannot_be_forwarded_is_refused_before_anything_happens(
    proxy, mem, stream, body
):
    base, up = proxy
    message = b'{"role": "user", "content": "I like green tea."}'
    body = body.replace(b"M]", message + b"]")
    if stream:
        body = body.replace(b'"user": "ana"', b'"user": "ana", "stream": true')
    resp = httpx.post(
        f"{base}/v1/chat/completions",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == "invalid_request"
    assert "not valid JSON" in error["message"] or "lone surrogate" in error["message"]
    assert up.requests == [] and mem.users() == []


def test_a_body_not_in_utf8_is_refused(proxy, mem):
    base, up = proxy
    body = '{"model": "tiny", "user": "ana", "messages": [{"role": "user", "content": "hi"}]}'
    for encoded in (body.encode("utf-16"), body.replace("hi", "h\xe9").encode("latin-1")):
        resp = httpx.post(
            f"{base}/v1/chat/completions",
            content=encoded,
            headers={"Content-Type": "application/json"},
        )
        assert resp.status_code == 400 and "UTF-8" in resp.json()["error"]["message"]
    assert up.requests == [] and mem.users() == []


def test_a_utf8_body_with_a_byte_order_mark_is_read(proxy, mem):
    base, up = proxy
    body = '{"model": "tiny", "user": "ana", "messages": [{"role": "user", "content": "hi"}]}'
    resp = httpx.post(
        f"{base}/v1/chat/completions",
        content=body.encode("utf-8-sig"),
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 200 and up.requests[-1]["body"]["messages"][-1]["content"] == "hi"


def test_a_surrogate_pair_is_text_and_goes_through(proxy, mem):
    base, up = proxy
    body = (
        b'{"model": "tiny", "user": "ana", "messages": '
        b'[{"role": "user", "content": "I love \\ud83d\\ude00 faces."}]}'
    )
    resp = httpx.post(
        f"{base}/v1/chat/completions", content=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 200
    assert up.requests[-1]["body"]["messages"][-1]["content"] == "I love \U0001f600 faces."


def test_the_user_header_is_read_as_utf8_and_names_one_user(proxy, mem):
    base, up = proxy
    url = f"{base}/v1/chat/completions"
    msg = {"model": "tiny", "messages": [{"role": "user", "content": "I collect stamps."}]}
    raw = json.dumps(msg).encode()
    ctype = (b"Content-Type", b"application/json")
    name = (b"X-Gatedmem-User", "José".encode())
    assert httpx.post(url, content=raw, headers=[ctype, name]).status_code == 200
    # The header and the body naming the same user is no mismatch.
    both = json.dumps({**msg, "user": "José"}).encode()
    assert httpx.post(url, content=both, headers=[ctype, name]).status_code == 200
    # The same user twice, or beside a blank value, is one user.
    twice = [(b"X-Gatedmem-User", b"ana"), (b"X-Gatedmem-User", b"ana")]
    assert httpx.post(url, content=raw, headers=[ctype, *twice]).status_code == 200
    blank = [(b"X-Gatedmem-User", b""), (b"X-Gatedmem-User", b"ana")]
    assert httpx.post(url, content=raw, headers=[ctype, *blank]).status_code == 200
    settled(base, "José")
    settled(base, "ana")
    assert "I collect stamps." in texts(mem, "José")
    sent = len(up.requests)
    for headers, code in [
        ([(b"X-Gatedmem-User", b"victim"), (b"X-Gatedmem-User", b"attacker")], "user_mismatch"),
        # Latin-1 bytes (what Python's http.client sends) are refused, not guessed at:
        # "JosÃ©" sent so would spell "José" in UTF-8, so no guess can be safe.
        ([(b"X-Gatedmem-User", "José".encode("latin-1"))], "invalid_user"),
    ]:
        r = httpx.post(url, content=raw, headers=[ctype, *headers])
        assert r.status_code == 400 and r.json()["error"]["code"] == code
    assert len(up.requests) == sent
    assert {u["user"] for u in mem.users()} == {"José", "ana"}


def test_a_user_name_with_a_slash_is_refused_as_rest_could_not_reach_it(proxy, mem):
    base, up = proxy
    with pytest.raises(openai.BadRequestError) as err:
        chat(client(base), "My favourite colour is green.", user="team/ana")
    assert err.value.body["code"] == "invalid_user" and "'/'" in err.value.body["message"]
    assert up.requests == [] and mem.users() == []


def test_a_stream_whose_events_say_error_null_is_relayed_to_its_end(mem):
    with FakeUpstream("null-error") as up, serving(create_app(mem, up.url)) as base:
        reply = chat(client(base), "Hello there.", stream=True, user="ana")
        settled(base, "ana")
    assert reply.strip() == "I do not know that yet."
    assert turns(mem, "ana") == 2  # the message and the reply


@pytest.mark.parametrize("stream", [False, True])
def test_the_upstreams_request_id_and_quota_headers_come_through(proxy, stream):
    base, _ = proxy
    body = {"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "user": "ana"}
    r = httpx.post(f"{base}/v1/chat/completions", json={**body, "stream": stream}, timeout=10)
    assert r.status_code == 200
    assert r.headers["x-request-id"].startswith("req-")
    assert r.headers["x-ratelimit-remaining-requests"] == "41"
    assert r.headers["openai-processing-ms"] == "12"
    assert "x-upstream-internal" not in r.headers
    assert "openai-organization" not in r.headers  # the operator's account


def test_a_rate_limit_passes_through_with_when_to_retry(mem):
    with FakeUpstream("limited") as up, serving(create_app(mem, up.url)) as base:
        body = {"model": "tiny", "messages": [{"role": "user", "content": "Hi"}], "user": "ana"}
        r = httpx.post(f"{base}/v1/chat/completions", json=body, timeout=10)
    assert r.status_code == 429 and r.headers["retry-after"] == "7"
    assert r.json()["error"]["message"] == "slow down"


def test_keys_that_cannot_travel_in_a_header_are_refused_at_start(mem):
    with pytest.raises(ValueError, match="API key must be printable ASCII"):
        create_app(mem, "http://127.0.0.1:9/v1", api_key="clé")
    with pytest.raises(ValueError, match="upstream key must be printable ASCII"):
        create_app(mem, "http://127.0.0.1:9/v1", upstream_key="sk key")
    # An empty upstream key is none, as for a local server that takes no key.
    app = create_app(mem, "http://127.0.0.1:9/v1", upstream_key="")
    assert "Authorization" not in app.state.upstream.client.headers


def test_a_tool_round_recalls_but_does_not_observe_the_message_again(proxy, mem):
    base, up = proxy
    mem.add("My dog is called Rex.", user="ana")
    msgs = [
        {"role": "user", "content": "What is my dog Rex called?"},
        {"role": "assistant", "content": None, "tool_calls": [_tool_call()]},
        {"role": "tool", "tool_call_id": "t1", "content": "sunny"},
    ]
    client(base).chat.completions.create(model="tiny", messages=msgs, user="ana")
    assert up.memories(up.requests[-1]["body"])  # recalled for the last user message
    settled(base, "ana")
    assert turns(mem, "ana") == 2  # the add and the reply; not the message a second time


def _tool_call() -> dict:
    return {"id": "t1", "type": "function", "function": {"name": "weather", "arguments": "{}"}}


def test_models_are_passed_through_and_keys_are_kept_apart(mem):
    with (
        FakeUpstream() as up,
        serving(create_app(mem, up.url, api_key="proxy-key", upstream_key="up-key")) as base,
    ):
        assert [m.id for m in client(base, "proxy-key").models.list()] == ["tiny"]
        chat(client(base, "proxy-key"), "Hello.", user="ana")
        with pytest.raises(openai.AuthenticationError) as err:
            chat(client(base, "wrong"), "Hello.", user="ana")
        assert err.value.body["code"] == "invalid_api_key"
    # The upstream sees its own key, never the one the caller gave the proxy.
    assert [r["auth"] for r in up.requests] == ["Bearer up-key", "Bearer up-key"]


# ---- upstream failures ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("stream", [False, True])
def test_an_upstream_that_is_down_gives_a_502_and_the_message_is_kept(mem, stream):
    down = f"http://127.0.0.1:{_free_port()}/v1"
    with serving(create_app(mem, down, timeout=5)) as base:
        with pytest.raises(openai.APIStatusError) as err:
            chat(client(base), "My dog is called Rex.", stream=stream, user="ana")
        assert err.value.status_code == 502
        error = err.value.body
        assert error["type"] == "upstream_error" and error["code"] == "upstream_unreachable"
        assert down in error["message"]
        settled(base, "ana")
    assert texts(mem, "ana") == ["My dog is called Rex."]


@pytest.mark.parametrize("stream", [False, True])
def test_an_upstream_error_gives_a_502_and_the_message_is_kept(mem, stream):
    with FakeUpstream("error") as up, serving(create_app(mem, up.url)) as base:
        with pytest.raises(openai.APIStatusError) as err:
            chat(client(base), "My dog is called Rex.", stream=stream, user="ana")
        settled(base, "ana")
    assert err.value.status_code == 502
    assert err.value.body["code"] == "upstream_error"
    assert "HTTP 500" in err.value.body["message"] and "model exploded" in err.value.body["message"]
    assert texts(mem, "ana") == ["My dog is called Rex."]
    assert turns(mem, "ana") == 1  # no reply to observe


def test_the_callers_own_mistakes_pass_through_as_the_upstream_said_them(mem):
    with FakeUpstream("no-model") as up, serving(create_app(mem, up.url)) as base:
        with pytest.raises(openai.NotFoundError) as err:
            chat(client(base), "My dog is called Rex.", user="ana")
    assert err.value.body["message"] == "no model 'huge'"


def test_a_malformed_stream_before_any_answer_gives_a_502(mem):
    with FakeUpstream("garbage") as up, serving(create_app(mem, up.url)) as base:
        with pytest.raises(openai.APIStatusError) as err:
            chat(client(base), "My dog is called Rex.", stream=True, user="ana")
        settled(base, "ana")
    assert err.value.status_code == 502
    assert err.value.body["code"] == "upstream_bad_response"
    assert "{not json" in err.value.body["message"]
    assert texts(mem, "ana") == ["My dog is called Rex."]


@pytest.mark.parametrize("mode", ["garbage-later", "cut"])
def test_a_stream_that_breaks_midway_ends_with_an_error_event(mem, mode):
    with FakeUpstream(mode) as up, serving(create_app(mem, up.url, timeout=5)) as base:
        msgs = [{"role": "user", "content": "My dog is called Rex."}]
        stream = client(base).chat.completions.create(
            model="tiny", messages=msgs, stream=True, user="ana"
        )
        got = []
        with pytest.raises(openai.APIError) as err:
            for chunk in stream:
                got.append(chunk.choices[0].delta.content)
        assert got == ["I "]  # the good event came through, unchanged
        assert err.value.body["type"] == "upstream_error"
        settled(base, "ana")
    assert texts(mem, "ana") == ["My dog is called Rex."]
    assert turns(mem, "ana") == 1  # a broken reply is not observed


# ---- concurrency -------------------------------------------------------------------------


class SlowEmbedder(HashEmbedder):
    """Takes ``delay`` seconds per call (the GIL released, as torch does), and records
    which texts were embedded and how many calls ran at once."""

    def __init__(self):
        super().__init__()
        self.delay = 0.0
        self.active = self.most = 0
        self.texts: list[str] = []
        self._lock = threading.Lock()

    def embed(self, texts):
        with self._lock:
            self.active += 1
            self.most = max(self.most, self.active)
            self.texts += list(texts)
        time.sleep(self.delay)
        with self._lock:
            self.active -= 1
        return super().embed(texts)


@pytest.fixture
def slow(sqlite_url):
    emb = SlowEmbedder()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        mem = GatedMemory(sqlite_url, embedder=emb)
        mem.add("warm-up", user="__warmup__")
        mem.purge(user="__warmup__")
    emb.delay, emb.most = 0.4, 0
    yield mem, emb
    mem.close()


@pytest.mark.slow
def test_users_are_served_in_parallel(slow):
    mem, emb = slow
    users = ["u1", "u2", "u3", "u4"]
    emb.delay = 0.0
    for u in users:  # a memory each, so that recall embeds the message before the answer
        mem.add(f"{u} drinks green tea.", user=u)
    emb.delay, emb.most = 0.4, 0
    with FakeUpstream() as up, serving(create_app(mem, up.url)) as base:
        llm = client(base)
        start = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda u: chat(llm, f"I am {u}.", user=u), users))
        elapsed = time.monotonic() - start
        for u in users:
            settled(base, u)
    # One user's turn embeds once before the answer (0.4 s): four in a row take 1.6 s.
    assert emb.most >= 2 and elapsed < 1.2, (emb.most, elapsed)
    assert all(turns(mem, u) == 3 for u in users)  # the add, the message, the reply


@pytest.mark.slow
def test_one_users_requests_are_ordered_and_nothing_is_lost(slow):
    mem, emb = slow
    with FakeUpstream() as up, serving(create_app(mem, up.url)) as base:
        llm = client(base)
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(chat, llm, "My dog is called Rex.", user="ana")
            time.sleep(0.1)  # the first is being embedded when the second comes in
            second = pool.submit(chat, llm, "My cat is called Tom.", user="ana")
            first.result(timeout=20), second.result(timeout=20)
        settled(base, "ana")
    assert emb.most == 1  # one user's memory calls never overlap
    said = [t for t in emb.texts if t.startswith("My ")]
    assert said == ["My dog is called Rex.", "My cat is called Tom."]
    assert turns(mem, "ana") == 4  # both messages and both replies
    # The second message was recalled for after the first had been stored.
    second_sent = next(r["body"] for r in up.requests if "Tom" in json.dumps(r["body"]))
    assert [m["text"] for m in up.memories(second_sent)] == ["My dog is called Rex."]


# ---- the command ---------------------------------------------------------------------------


def test_serve_without_the_extra_names_it(monkeypatch):
    for name in [m for m in sys.modules if m.startswith("gatedmem.servers.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "fastapi", None)
    out = CliRunner().invoke(cli_app, ["serve", "--upstream", "http://127.0.0.1:9/v1"])
    assert out.exit_code == 1
    assert out.output.strip().splitlines() == [
        "error: gatedmem serve needs the serve extra: pip install 'gatedmem[serve]'"
    ]


def test_serve_takes_its_keys_from_the_environment(monkeypatch, tmp_path):
    import gatedmem.servers.proxy as proxy

    seen = {}
    monkeypatch.setattr(proxy, "run", lambda mem, upstream, **kw: seen.update(kw, up=upstream))
    monkeypatch.setenv("GATEDMEM_SERVE_KEY", "proxy-key")
    monkeypatch.setenv("GATEDMEM_UPSTREAM_KEY", "up-key")
    args = ["serve", "--upstream", "http://127.0.0.1:9/v1", "--db", str(tmp_path / "m.db")]
    out = CliRunner().invoke(cli_app, args)
    assert out.exit_code == 0, out.output
    assert seen["api_key"] == "proxy-key" and seen["upstream_key"] == "up-key"
    assert seen["host"] == "127.0.0.1" and seen["up"] == "http://127.0.0.1:9/v1"


def test_serve_refuses_an_upstream_that_is_not_a_url(tmp_path):
    args = ["serve", "--upstream", "localhost:11434", "--db", str(tmp_path / "m.db")]
    out = CliRunner().invoke(cli_app, args)
    assert out.exit_code == 1
    assert out.output.startswith("error: --upstream must be an http(s) URL")


# ---- with the real embedding model ---------------------------------------------------------


@pytest.fixture
def real_mem(sqlite_url, real_embedder):
    mem = GatedMemory(sqlite_url, embedder=real_embedder)
    yield mem
    mem.close()


@pytest.mark.model
@pytest.mark.parametrize("stream", [False, True])
def test_an_earlier_turn_is_recalled_into_the_upstreams_prompt(real_mem, stream):
    with FakeUpstream() as up, serving(create_app(real_mem, up.url)) as base:
        llm = client(base)
        chat(llm, "My dog's name is Biscuit.", stream=stream, user="ana")
        reply = chat(llm, "What's my dog's name?", stream=stream, user="ana")
    recalled = [m["text"] for m in up.memories(up.requests[-1]["body"])]
    assert "My dog's name is Biscuit." in recalled
    assert "Biscuit" in reply


@pytest.mark.model
def test_two_users_are_kept_apart(real_mem):
    with FakeUpstream() as up, serving(create_app(real_mem, up.url)) as base:
        llm = client(base)
        chat(llm, "My dog's name is Biscuit.", user="ana")
        chat(llm, "My dog's name is Pepper.", user="bob", stream=True)
        bob = chat(llm, "What's my dog's name?", user="bob")
        ana = chat(llm, "What's my dog's name?", user="ana", stream=True)
    bob_sent, ana_sent = (json.dumps(r["body"]) for r in up.requests[-2:])
    assert "Pepper" in bob and "Pepper" in bob_sent and "Biscuit" not in bob_sent
    assert "Biscuit" in ana and "Biscuit" in ana_sent and "Pepper" not in ana_sent


# ---- the benchmark ---------------------------------------------------------------------------


@pytest.mark.slow
def test_the_bench_times_what_the_proxy_adds(tmp_path):
    from gatedmem.bench.proxy import run

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        out = run(300, 5, embedder=HashEmbedder(), workdir=tmp_path, log=lambda m: None)
    assert out["memories"] == 300 and out["turns"] == 5
    for mode in ("stream", "json"):
        r = out[mode]
        assert 0 < r["direct_p50_ms"] and 0 < r["proxied_p50_ms"] and 0 < r["embed_p50_ms"]
        assert r["added_p95_ratio"] == pytest.approx(r["added_p95_ms"] / r["embed_p50_ms"], 0.05)
        assert r["embed_p95_ms"] >= r["embed_p50_ms"]
        assert r["added_p95_per_embed_p95"] == pytest.approx(
            r["added_p95_ms"] / r["embed_p95_ms"], 0.05
        )


# ---- the relay of a stream -------------------------------------------------------------------


class _Chunks(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]):
        self.chunks = chunks

    async def __aiter__(self):
        for c in self.chunks:
            yield c


def _batches(chunks: list[bytes]) -> list[list]:
    async def go():
        resp = httpx.Response(200, stream=_Chunks(chunks))
        return [batch async for batch in _events(resp, Upstream("http://127.0.0.1:9/v1"))]

    return asyncio.run(go())


def test_events_that_arrive_together_are_passed_on_together():
    together = b'data: {"n": 1}\n\ndata: {"n": 2}\n\n'
    batches = _batches([together, b'data: {"n": 3}\n\ndata: [DONE]\n\n'])
    assert [[e.data for e in b] for b in batches] == [[{"n": 1}, {"n": 2}], [{"n": 3}, None]]
    assert batches[1][1].done
    assert b"".join(e.raw for b in batches for e in b) == together + (
        b'data: {"n": 3}\n\ndata: [DONE]\n\n'
    )


def test_events_split_anywhere_and_every_line_ending_are_read_alike():
    stream = b'data: {"n": 1}\r\n\r\n: ping\r\rdata: {"n": 2}\n\ndata: [DONE]\n\n'
    whole = [e.data for b in _batches([stream]) for e in b]
    for cut in range(1, len(stream)):
        pieces = [e.data for b in _batches([stream[:cut], stream[cut:]]) for e in b]
        assert pieces == whole, cut
    assert whole == [{"n": 1}, None, {"n": 2}, None]


def test_a_bad_event_after_good_ones_in_the_same_read_lets_the_good_ones_out():
    got = []

    async def go():
        resp = httpx.Response(200, stream=_Chunks([b'data: {"n": 1}\n\ndata: {oops\n\n']))
        async for batch in _events(resp, Upstream("http://127.0.0.1:9/v1")):
            got.append([e.data for e in batch])

    with pytest.raises(ApiError, match="malformed event"):
        asyncio.run(go())
    assert got == [[{"n": 1}]]


@pytest.mark.parametrize("stream", [False, True])
def test_the_upstream_connection_is_kept_between_requests(mem, stream):
    """A relayed answer is read to its end, so its connection serves the next request
    (opening one per request costs more than the proxy's own work)."""
    with FakeUpstream() as up, serving(create_app(mem, up.url)) as base:
        llm = client(base)
        for text in ("My dog is called Rex.", "My cat is called Tom.", "Hello again."):
            chat(llm, text, stream=stream, user="ana")
        settled(base, "ana")
    assert len({r["peer"] for r in up.requests}) == 1, [r["peer"] for r in up.requests]


def test_an_event_ended_by_a_bare_cr_goes_out_without_waiting_for_the_next_read():
    async def go():
        more = asyncio.Event()

        class Slow(httpx.AsyncByteStream):
            async def __aiter__(self):
                yield b'data: {"n": 1}\r\r'
                await more.wait()
                yield b"data: [DONE]\r\r"

        events = _events(httpx.Response(200, stream=Slow()), Upstream("http://127.0.0.1:9/v1"))
        first = await asyncio.wait_for(anext(events), 5)
        more.set()
        return first, [b async for b in events]

    first, rest = asyncio.run(go())
    assert [e.data for e in first] == [{"n": 1}]
    assert [[e.done for e in b] for b in rest] == [[True]]


def test_the_answer_ends_at_done_even_if_the_upstream_lingers(mem):
    """What the upstream sends after [DONE] is read after the caller's answer has ended."""
    with FakeUpstream("linger") as up, serving(create_app(mem, up.url)) as base:
        body = {
            "model": "tiny",
            "stream": True,
            "user": "ana",
            "messages": [{"role": "user", "content": "My dog is called Rex."}],
        }
        start = time.monotonic()
        with httpx.stream("POST", f"{base}/v1/chat/completions", json=body) as resp:
            got = resp.read()  # the whole HTTP answer, to its end (as async clients read it)
        elapsed = time.monotonic() - start
        settled(base, "ana")
    assert got.rstrip().endswith(b"data: [DONE]") and elapsed < 0.9, (elapsed, got[-40:])
    assert turns(mem, "ana") == 2
