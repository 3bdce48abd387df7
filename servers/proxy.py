"""``gatedmem serve``: an OpenAI-compatible chat endpoint that gives any app a long-term
memory, in front of any OpenAI-compatible upstream (OpenAI, Ollama, vLLM, llama.cpp ...),
beside the REST API of the memories (:mod:`servers.rest`).

A chat request names its user: the request's ``user`` field, or the ``X-Gatedmem-User``
header. The proxy recalls memories for the user's new message and adds them to the system
prompt as the chat does (:func:`chatbot.openai_compat.memories_block`: a JSON data block,
not instructions), forwards the request and passes the answer back unchanged, streamed or
not. Once the answer is out (or has failed), the message and then the reply (speaker
"assistant") are observed, off the answer's path; both are queued in the user's queue
before the caller can ask again, so before the user's next request. A message the memory
does not take (a pasted document longer than a turn may be) is forwarded all the same,
without memory, and the ``X-Gatedmem-Skipped`` response header says why. Pointing an app's
``base_url`` at the proxy is all the setup it needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from ..chatbot.openai_compat import SYSTEM_PROMPT, memories_block, tls_context
from ..memory import GatedMemError, Recall, __version__, validate
from . import is_loopback, rest
from .rest import ApiError, Served, authorised, install_errors, served

if TYPE_CHECKING:
    from ..memory import GatedMemory

USER_HEADER = "X-Gatedmem-User"
SKIPPED_HEADER = "X-Gatedmem-Skipped"  # why the request's message was left out of memory
ENV_SERVE_KEY = "GATEDMEM_SERVE_KEY"  # the key callers must send to the proxy
ENV_UPSTREAM_KEY = "GATEDMEM_UPSTREAM_KEY"  # the key the proxy sends to the upstream
_TOKEN = re.compile(r"[!-~]+")  # what a key sent in a header may hold: printable ASCII, no spaces

log = logging.getLogger("gatedmem.serve")


# ---- what a request asks of the memory (pure) ----------------------------------------------


@dataclass(frozen=True)
class Turn:
    """What one chat request asks of the memory."""

    user: str
    text: str | None  # the text of the last user message; None when there is none, or
    #                   when the memory does not take it (see ``skipped``)
    new: bool  # that message ends the conversation: it is new, so it is observed (after a
    #            tool result or an assistant prefill, an earlier request observed it)
    skipped: str | None = None  # why the memory left the message out, if it did


def message_text(content: Any) -> str | None:
    """The text of a message's content: a string, or the text parts of a list of parts."""
    if isinstance(content, str):
        parts = [content]
    elif isinstance(content, list):
        parts = [
            p["text"]
            for p in content
            if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
        ]
    else:
        return None
    return "\n".join(parts).strip() or None


def read_turn(body: dict[str, Any], header_user: str | None) -> Turn:
    """Whose conversation a chat request continues, and its new message.

    A message the memory does not take as a turn (a pasted document over
    validate.MAX_TEXT_CHARS, a NUL character) is still the caller's to send: the request
    goes on without memory for it, and ``skipped`` says why.

    Raises:
        ApiError: 400 when the request names no user, two different users, or has no
            list of messages.
        InvalidUser: a user name the memory does not accept.
    """
    messages = body.get("messages")
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise ApiError(400, "'messages' must be a list of message objects", code="invalid_messages")
    field_user = body.get("user")
    if field_user is not None and not isinstance(field_user, str):
        raise ApiError(400, "'user' must be a string", code="invalid_user")
    # One name in two Unicode forms is one user.
    named = {validate.name_form(u) for u in (field_user, header_user) if u and u.strip()}
    if not named:
        raise ApiError(
            400,
            "no user: name whose memory this conversation is with the request's 'user' field "
            f"(user=... in the OpenAI client) or the {USER_HEADER} header",
            code="missing_user",
        )
    if len(named) > 1:
        raise ApiError(
            400,
            f"the 'user' field and the {USER_HEADER} header name different users; send one",
            code="user_mismatch",
        )
    user = validate.user(named.pop())
    if "/" in user:
        # The REST API names users in its paths, where no route can take a "/".
        raise ApiError(
            400,
            f"user names with '/' are not served: the REST API could not reach {user!r}'s "
            "memories; use another name",
            code="invalid_user",
        )
    users = [i for i, m in enumerate(messages) if m.get("role") == "user"]
    last = users[-1] if users else None
    text = None if last is None else message_text(messages[last].get("content"))
    skipped = None
    if text is not None:
        text, skipped = memorable(text)
    return Turn(user, text, last == len(messages) - 1, skipped)


def memorable(text: str) -> tuple[str | None, str | None]:
    """``text`` as the memory takes it, or None and why it does not."""
    try:
        return validate.text(text), None
    except GatedMemError as exc:
        return None, str(exc)


def with_memories(messages: list[dict[str, Any]], recalled: list[Recall]) -> list[dict[str, Any]]:
    """The conversation with the recalled memories in its system prompt: the chat's JSON
    data block appended to the first system (or developer) message, or, when there is none,
    a system message of its own with the chat's system prompt. Unchanged if nothing was
    recalled."""
    if not recalled:
        return messages
    block = memories_block(recalled)
    out = list(messages)
    for i, m in enumerate(out):
        if m.get("role") not in ("system", "developer"):
            continue
        content = m.get("content")
        if isinstance(content, str):
            out[i] = {**m, "content": f"{content}\n\n{block}"}
            return out
        if isinstance(content, list):
            out[i] = {**m, "content": [*content, {"type": "text", "text": block}]}
            return out
    return [{"role": "system", "content": f"{SYSTEM_PROMPT}\n\n{block}"}, *out]


# ---- the upstream ---------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _upstream_error(status: int, message: str, code: str) -> ApiError:
    return ApiError(status, message, type="upstream_error", code=code)


class Upstream:
    """The OpenAI-compatible endpoint requests are forwarded to, e.g.
    ``http://localhost:11434/v1``, with its own key (never the caller's).

    Raises:
        ValueError: ``base_url`` is not an http(s) URL, or the proxy or certificate settings
            in the environment cannot be used.
    """

    def __init__(self, base_url: str, *, key: str | None = None, timeout: float = 600.0):
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"--upstream must be an http(s) URL such as http://localhost:11434/v1, "
                f"not {base_url!r}"
            )
        if key and not _TOKEN.fullmatch(key):  # an empty key is none: a keyless upstream
            raise ValueError("the upstream key must be printable ASCII without spaces")
        self.url = base_url.rstrip("/")
        self.timeout = timeout
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        try:
            self.client = httpx.AsyncClient(
                headers=headers, timeout=timeout, verify=tls_context(), trust_env=True
            )
        except (ValueError, ImportError) as exc:  # a bad or a SOCKS proxy URL
            raise ValueError(f"cannot use the proxy settings in the environment: {exc}") from None

    def failed(self, exc: httpx.HTTPError) -> ApiError:
        """A failed exchange with the upstream, as the caller is told of it."""
        why = _one_line(str(exc)) or type(exc).__name__
        if isinstance(exc, httpx.ConnectTimeout):
            why = f"no connection within {self.timeout:g} s"
        elif isinstance(exc, httpx.TimeoutException):
            return _upstream_error(
                504,
                f"the upstream {self.url} did not answer within {self.timeout:g} s",
                "upstream_timeout",
            )
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError)):
            return _upstream_error(
                502, f"cannot reach the upstream {self.url} ({why})", "upstream_unreachable"
            )
        return _upstream_error(
            502, f"the connection to the upstream {self.url} failed ({why})", "upstream_error"
        )

    def refused(self, resp: httpx.Response) -> Response:
        """A non-200 answer. The caller's own mistakes (4xx: an unknown model, a prompt too
        long, a rate limit) pass through unchanged; the upstream refusing the proxy's key
        and its own failures become a 502."""
        status = resp.status_code
        if 400 <= status < 500 and status not in (401, 403):
            return _passed(resp, status)
        detail = _one_line(resp.text)[:300]
        if status in (401, 403):
            raise _upstream_error(
                502,
                f"the upstream {self.url} refused the proxy's key (HTTP {status}: {detail}); "
                "start gatedmem serve with --upstream-key or $GATEDMEM_UPSTREAM_KEY",
                "upstream_auth",
            )
        raise _upstream_error(
            502, f"the upstream {self.url} answered HTTP {status}: {detail}", "upstream_error"
        )

    def not_a_completion(self, text: str) -> ApiError:
        return _upstream_error(
            502,
            f"the upstream {self.url} answered something that is not a chat completion: "
            f"{_one_line(text)[:100]}",
            "upstream_bad_response",
        )


# The headers of the upstream's answer that a caller acts on, passed on with it: when to
# retry, what is left of its quota, and the request's id to quote to the upstream.
_PASSED_HEADERS = frozenset(
    {"retry-after", "retry-after-ms", "x-request-id", "openai-processing-ms", "openai-version"}
)
_PASSED_PREFIXES = ("x-ratelimit-",)  # not openai-organization: the operator's account


def _upstream_headers(resp: httpx.Response) -> dict[str, str]:
    return {
        name: value
        for name, value in resp.headers.items()
        if name.lower() in _PASSED_HEADERS or name.lower().startswith(_PASSED_PREFIXES)
    }


def _passed(resp: httpx.Response, status: int = 200) -> Response:
    """The upstream's answer, as it came."""
    media = resp.headers.get("Content-Type", "application/json")
    return Response(
        resp.content, status_code=status, media_type=media, headers=_upstream_headers(resp)
    )


@dataclass(frozen=True)
class SSE:
    """One server-sent event of the upstream's stream."""

    raw: bytes  # as received, passed on unchanged
    data: dict[str, Any] | None  # its JSON data; None for [DONE] and comments
    done: bool = False  # the [DONE] event

    def deltas(self) -> list[str]:
        """The text this event adds to the first choice's reply."""
        out = []
        for choice in (self.data or {}).get("choices") or []:
            if isinstance(choice, dict) and choice.get("index", 0) == 0:
                piece = (choice.get("delta") or {}).get("content")
                if isinstance(piece, str):
                    out.append(piece)
        return out


def _event(lines: list[str], up: Upstream) -> SSE:
    raw = ("\n".join(lines) + "\n\n").encode()
    data_lines = [line[5:].removeprefix(" ") for line in lines if line.startswith("data:")]
    if not data_lines:
        return SSE(raw, None)  # a comment (": ping"), or event: / id: fields alone
    payload = "\n".join(data_lines)
    if payload.strip() == "[DONE]":
        return SSE(raw, None, done=True)
    try:
        data = json.loads(payload)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise _upstream_error(
            502,
            f"the upstream {up.url} sent a malformed event: {_one_line(payload)[:100]}",
            "upstream_bad_response",
        )
    return SSE(raw, data)


class _Lines:
    """Splits a text stream into lines at \\n, \\r\\n or \\r, as server-sent events
    end them, whatever the pieces it comes in; a line goes out as soon as its end arrives."""

    def __init__(self) -> None:
        self._rest = ""
        self._cr = False  # the last piece ended in \r: a \n first in the next is its pair

    def feed(self, text: str) -> list[str]:
        if self._cr and text.startswith("\n"):
            text = text[1:]
        self._cr = False
        if not text:
            return []
        buf = self._rest + text
        lines = re.split(r"\r\n|\r|\n", buf)
        self._rest = lines.pop()
        self._cr = buf.endswith("\r")
        return lines

    def end(self) -> list[str]:
        rest, self._rest = self._rest, ""
        return [rest] if rest else []


async def _events(resp: httpx.Response, up: Upstream) -> AsyncIterator[list[SSE]]:
    """The upstream's events, in the batches its network reads complete them (so that what
    arrived together is passed on together, and nothing waits for what has not arrived);
    a malformed event or a broken connection raises ApiError."""
    split, lines = _Lines(), []
    try:
        async for text in resp.aiter_text():
            batch = []
            for line in split.feed(text):
                if line:
                    lines.append(line)
                elif lines:
                    try:
                        batch.append(_event(lines, up))
                    except ApiError:
                        if batch:  # the good events before the bad one still go out
                            yield batch
                        raise
                    lines = []
            if batch:
                yield batch
        lines += split.end()
        if lines:
            yield [_event(lines, up)]
    except httpx.HTTPError as exc:
        raise up.failed(exc) from None


async def _read_to_end(events: AsyncIterator[list[SSE]], limit: float = 1.0) -> None:
    """Read what the upstream sends after [DONE] (usually nothing but the end of its
    answer) for up to ``limit`` seconds: a connection read to the end goes back to the
    pool for the next request; one closed midway must be opened again."""

    async def read() -> None:
        async for _ in events:
            pass

    with contextlib.suppress(asyncio.TimeoutError, ApiError):
        await asyncio.wait_for(read(), limit)


def _error_event(exc: ApiError) -> bytes:
    """An error after the answer has begun: an event the OpenAI clients raise on."""
    error = {"message": exc.message, "type": exc.type, "code": exc.code}
    return f"data: {json.dumps({'error': error})}\n\n".encode()


async def _completion(up: Upstream, body: dict, on_reply: Callable[[str], None]) -> Response:
    try:
        resp = await up.client.post(f"{up.url}/chat/completions", json=body)
    except httpx.HTTPError as exc:
        raise up.failed(exc) from None
    if resp.status_code != 200:
        return up.refused(resp)
    return _completed(up, resp, on_reply)


def _completed(up: Upstream, resp: httpx.Response, on_reply: Callable[[str], None]) -> Response:
    try:
        reply = resp.json()["choices"][0]["message"].get("content")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise up.not_a_completion(resp.text) from None
    on_reply(reply if isinstance(reply, str) else "")
    return _passed(resp)


async def _streamed(
    up: Upstream,
    body: dict,
    on_reply: Callable[[str], None],
    on_end: Callable[[], None],
) -> Response:
    """Relay the upstream's stream. A failure before its first event is answered with an
    error status; a later one ends the stream with an error event. ``on_end`` runs when
    the relay ends, or when there is nothing to relay."""
    request = up.client.build_request("POST", f"{up.url}/chat/completions", json=body)
    try:
        resp = await up.client.send(request, stream=True)
    except httpx.HTTPError as exc:
        on_end()
        raise up.failed(exc) from None
    relaying = False
    try:
        if resp.status_code != 200 or "text/event-stream" not in resp.headers.get(
            "Content-Type", ""
        ):
            await resp.aread()
            if resp.status_code != 200:
                return up.refused(resp)
            return _completed(up, resp, on_reply)  # it ignored stream: true
        events = _events(resp, up)
        first = await anext(events, None)
        relaying = True
    except httpx.HTTPError as exc:
        raise up.failed(exc) from None
    finally:
        if not relaying:
            on_end()
            await resp.aclose()

    finished = False  # [DONE] passed on: the rest of the upstream's answer is read after ours

    async def relay() -> AsyncIterator[bytes]:
        nonlocal finished
        pieces: list[str] = []
        try:
            batch = first
            while batch is not None:
                out = []
                for event in batch:
                    out.append(event.raw)
                    if event.data is not None and event.data.get("error"):
                        yield b"".join(out)  # the upstream's own error: the caller raises on it
                        return
                    pieces += event.deltas()
                    if event.done:
                        on_reply("".join(pieces))  # queued before the caller can ask again
                        finished = True
                        yield b"".join(out)
                        return
                yield b"".join(out)
                batch = await anext(events, None)
            on_reply("".join(pieces))  # an upstream that ends without [DONE]
        except ApiError as exc:
            yield _error_event(exc)
        finally:
            on_end()
            if not finished:
                await resp.aclose()

    async def wind_up() -> None:
        """After the caller's answer has ended: the rest of the upstream's, then close it."""
        if finished:
            try:
                await _read_to_end(events)
            finally:
                await resp.aclose()

    return StreamingResponse(
        relay(),
        media_type="text/event-stream",
        headers=_upstream_headers(resp),
        background=BackgroundTask(wind_up),
    )


# ---- the routes -----------------------------------------------------------------------------

router = APIRouter(tags=["OpenAI-compatible"], dependencies=[Depends(authorised)])


def _upstream(request: Request) -> Upstream:
    up = request.app.state.upstream
    if up is None:
        raise ApiError(
            404,
            "this server has no upstream: start it with gatedmem serve --upstream URL",
            code="no_upstream",
        )
    return up


# A \uXXXX escape of half of a surrogate pair: JSON lets one stand alone, which decodes to
# a string that cannot be encoded (or forwarded). Only a body with such an escape is
# checked further (one re-encoding; an emoji escaped as a pair costs that too).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _not_json(constant: str) -> Any:
    """json.loads' hook for NaN, Infinity and -Infinity, which JSON does not have."""
    raise ValueError(f"{constant} is not JSON")


def _encodable(body: Any) -> bool:
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _header_user(request: Request) -> str | None:
    """The user the X-Gatedmem-User header names, its bytes read as UTF-8 (the server hands
    them over as Latin-1, which would make "José" another user than the body's "José"); a
    blank value names none.

    Raises:
        ApiError: 400 when a value is not UTF-8 (a client that sends Latin-1, as Python's
            http.client does, would otherwise reach whoever its bytes spell in UTF-8), or
            when the header names two different users (a gateway adding its own after the
            client's).
    """
    names = set()
    for value in request.headers.getlist(USER_HEADER):
        try:
            text = value.encode("latin-1").decode("utf-8")
        except UnicodeError:
            raise ApiError(
                400,
                f"the {USER_HEADER} header is not UTF-8: send the name's UTF-8 bytes (with "
                "requests, encode it), or name the user in the body's 'user' field",
                code="invalid_user",
            ) from None
        if text.strip():
            names.add(validate.name_form(text))
    if len(names) > 1:
        raise ApiError(
            400,
            f"the {USER_HEADER} header names {len(names)} different users; send one",
            code="user_mismatch",
        )
    return names.pop() if names else None


async def _json_object(request: Request) -> dict[str, Any]:
    """The request's body, a JSON object.

    Raises:
        ApiError: 400 when the body is not JSON or not an object.
    """
    raw = await request.body()
    try:
        text = raw.decode("utf-8-sig")  # JSON between systems is UTF-8 (RFC 8259)
        body = json.loads(text, parse_constant=_not_json)
    except (ValueError, RecursionError):  # RecursionError: nested too deep to parse
        raise ApiError(
            400, "the request body is not valid JSON in UTF-8", code="invalid_request"
        ) from None
    if _SURROGATE_ESCAPE.search(text) and not _encodable(body):
        raise ApiError(
            400,
            "the request body holds a lone surrogate (a \\ud800-\\udfff escape that is not "
            "half of a pair), which is not text and cannot be forwarded",
            code="invalid_request",
        )
    if not isinstance(body, dict):
        raise ApiError(
            400,
            "the request body must be a JSON object: an OpenAI chat completion request",
            code="invalid_request",
        )
    return body


# The route reads its body and header itself, without FastAPI's parameter parsing (the
# most frequent request skips that work); this documents them on the OpenAPI page.
_CHAT_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "an OpenAI chat completion request; `user` names whose memory",
                }
            }
        },
    },
    "parameters": [
        {
            "name": USER_HEADER,
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "whose memory, if the body has no `user`",
        }
    ],
}


@router.post("/v1/chat/completions", response_model=None, openapi_extra=_CHAT_OPENAPI)
async def chat_completions(request: Request) -> Response:
    """OpenAI's chat completions, with this user's memories in the system prompt. The
    answer, streamed or not, is the upstream's, unchanged."""
    s, up = served(request), _upstream(request)
    body = await _json_object(request)
    turn = read_turn(body, _header_user(request))
    recalled: list[Recall] = []
    if turn.text is not None:
        # Recall first: the prompt needs it. What it returned is reinforced later.
        recall = partial(s.memory.recall, turn.text, user=turn.user, k=s.k, reinforce=False)
        recalled = await asyncio.shield(s.queues.submit(turn.user, recall))
    forwarded = {**body, "messages": with_memories(body["messages"], recalled)}
    pending = [turn.text] if turn.text is not None and turn.new else []
    used = [(recalled, turn.text)] if recalled else []

    def observe_message() -> None:
        """The memories handed to the upstream are reinforced and the message goes through
        the gates once the answer is out (or has failed): not while the answer is relayed,
        which they would slow. Both are queued before the caller can ask again, so the
        user's next request comes after them."""
        while used:
            memories, query = used.pop()
            reinforce = partial(s.memory.reinforce, memories, user=turn.user, query=query)
            s.queues.later(turn.user, reinforce)
        while pending:
            observe = partial(s.memory.observe, pending.pop(), user=turn.user, speaker="user")
            s.queues.later(turn.user, observe)

    def on_reply(text: str) -> None:
        observe_message()
        reply, why = memorable(text) if text.strip() else (None, None)
        if reply is not None:
            observe = partial(s.memory.observe, reply, user=turn.user, speaker="assistant")
            s.queues.later(turn.user, observe)
        elif why:
            log.warning("the reply to %r is not remembered: %s", turn.user, why)

    if turn.skipped:
        log.warning("a message of %r is forwarded without memory: %s", turn.user, turn.skipped)
    if body.get("stream"):
        response = await _streamed(up, forwarded, on_reply, observe_message)
    else:
        try:
            response = await _completion(up, forwarded, on_reply)
        finally:
            observe_message()
    if turn.skipped:
        response.headers[SKIPPED_HEADER] = (
            _one_line(turn.skipped).encode("ascii", "replace").decode()
        )
    return response


@router.get("/v1/models", response_model=None)
async def models(request: Request) -> Response:
    """The upstream's models, passed through."""
    up = _upstream(request)
    try:
        resp = await up.client.get(f"{up.url}/models")
    except httpx.HTTPError as exc:
        raise up.failed(exc) from None
    return _passed(resp) if resp.status_code == 200 else up.refused(resp)


# ---- the app ----------------------------------------------------------------------------------


def create_app(
    memory: GatedMemory,
    upstream: str | None = None,
    *,
    api_key: str | None = None,
    upstream_key: str | None = None,
    k: int = 5,
    timeout: float = 600.0,
) -> FastAPI:
    """The proxy and the REST API over ``memory``, as an ASGI app.

    Args:
        memory: the :class:`~gatedmem.memory.GatedMemory` to serve (the caller closes it).
        upstream: the OpenAI-compatible base URL to forward chats to, e.g.
            ``http://localhost:11434/v1``; without one, only the REST API answers.
        api_key: callers must send ``Authorization: Bearer <api_key>`` (default: anyone).
        upstream_key: sent to the upstream as its bearer token (the caller's is never sent).
        k: memories recalled into a chat request at most.
        timeout: seconds to wait for the upstream's connection and each piece of its answer.

    Raises:
        ValueError: a bad ``upstream`` URL or ``k``, or unusable proxy or TLS settings.
    """
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 100:
        raise ValueError(f"k must be an integer from 1 to 100, not {k!r}")
    if api_key is not None and not api_key.strip():
        # Most likely an unset variable expanded to nothing: serving without a key then
        # would open every user's memories to whoever reaches the port.
        raise ValueError(
            "the API key is empty; give a key, or leave --api-key and $GATEDMEM_SERVE_KEY unset"
        )
    if api_key is not None and not _TOKEN.fullmatch(api_key):
        # It travels in an HTTP header, whose bytes a client may not send as they are.
        raise ValueError(
            "the API key must be printable ASCII without spaces (it is sent in a header)"
        )
    up = Upstream(upstream, key=upstream_key, timeout=timeout) if upstream else None
    state = Served(memory, api_key=api_key or None, k=k)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await state.queues.drain()  # messages and replies still being observed are not lost
        if up is not None:
            await up.client.aclose()

    app = FastAPI(
        title="gatedmem",
        version=__version__,
        summary="An OpenAI-compatible chat endpoint with a long-term memory, and its memories.",
        lifespan=lifespan,
    )
    app.state.gatedmem, app.state.upstream = state, up
    install_errors(app)
    app.include_router(router)
    app.include_router(rest.router)
    rest.document_errors(app)
    return app


def run(
    memory: GatedMemory,
    upstream: str | None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    api_key: str | None = None,
    upstream_key: str | None = None,
    k: int = 5,
    timeout: float = 600.0,
) -> None:
    """Serve :func:`create_app` with uvicorn until interrupted, the embedding model loaded
    first (so the first request does not wait for it).

    Raises:
        ValueError: as :func:`create_app`, or a port outside 0-65535.
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"the port must be from 0 (any free one) to 65535, not {port!r}")
    app = create_app(
        memory, upstream, api_key=api_key, upstream_key=upstream_key, k=k, timeout=timeout
    )
    if not api_key and not is_loopback(host):
        log.warning(
            "serving on %s without an API key: whoever reaches the port reads every user's "
            "memories; set $%s",
            host,
            ENV_SERVE_KEY,
        )
    memory.warm_up()
    uvicorn.run(app, host=host, port=port, log_level="info")
