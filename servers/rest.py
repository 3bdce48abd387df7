"""The memories over HTTP: the REST routes of ``gatedmem serve``, and what the proxy's chat
route shares with them (OpenAI-style errors, the bearer token, one queue per user).

Every call into :class:`~gatedmem.memory.GatedMemory` blocks (SQLite, torch), so it runs on
a worker thread. A user's calls run one at a time, in the order the requests came in, while
other users' calls run beside them (:class:`UserQueues`).
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..memory import (
    Event,
    GatedMemError,
    InvalidArgument,
    InvalidText,
    InvalidUser,
    Memory,
    Recall,
    UnknownMemory,
    UnknownUser,
    validate,
)

if TYPE_CHECKING:
    from ..memory import GatedMemory

T = TypeVar("T")
log = logging.getLogger("gatedmem.serve")


# ---- errors, as OpenAI's API answers them ------------------------------------------------


class ApiError(Exception):
    """An error answered as ``{"error": {"message", "type", "code"}}`` with ``status``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.type, self.code = status, message, type, code

    def response(self) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        body = {"error": {"message": self.message, "type": self.type, "code": self.code}}
        return JSONResponse(body, status_code=self.status, headers=headers)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def memory_error(exc: GatedMemError) -> ApiError:
    """What a caller is told about an error of the memory: 404 for an id or a user that is
    not there, 400 for bad input, 500 for the server's own trouble (database, weights)."""
    message = " ".join(str(exc).split())
    code = _snake(type(exc).__name__)
    if isinstance(exc, (UnknownMemory, UnknownUser)):
        return ApiError(404, message, code=code)
    if isinstance(exc, (InvalidText, InvalidUser, InvalidArgument)):
        return ApiError(400, message, code=code)
    return ApiError(500, message, type="server_error", code=code)


def install_errors(app: FastAPI) -> None:
    """Answer every error, the framework's too, in OpenAI's shape."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(GatedMemError)
    async def _memory(request: Request, exc: GatedMemError) -> JSONResponse:
        return memory_error(exc).response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        return ApiError(400, _invalid_message(first), code="invalid_request").response()

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code)
        return ApiError(exc.status_code, str(exc.detail), code=code).response()


def _invalid_message(error: dict[str, Any]) -> str:
    """One line about the first thing wrong with a request, from FastAPI's validation."""
    loc, kind = tuple(error.get("loc", ())), error.get("type", "")
    if kind == "json_invalid":
        return "the request body is not valid JSON"
    if loc == ("body",) and kind == "missing":
        return 'the request body is missing: send a JSON object such as {"text": "..."}'
    if loc == ("body",) and kind in ("model_attributes_type", "dict_type"):
        return 'the request body must be a JSON object such as {"text": "..."}'
    where = ".".join(str(p) for p in loc[1:])
    message = error.get("msg", "") or "invalid request"
    return f"{where}: {message}" if where else message


ERROR_SCHEMA = {
    "type": "object",
    "description": "every error, in the shape of OpenAI's API",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "code": {"type": ["string", "null"]},
            },
            "required": ["message", "type", "code"],
        }
    },
    "required": ["error"],
}


def document_errors(app: FastAPI) -> None:
    """Make the OpenAPI page say what the server answers: errors as ERROR_SCHEMA with 400
    (not FastAPI's 422 HTTPValidationError, which it never sends) and 401, and a memory's
    ``active`` and ``lifetime``, which Memory.to_dict adds to its fields."""
    built = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = built()
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        schemas["Error"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for op in operations.values():
                responses = op.setdefault("responses", {})
                responses.pop("422", None)
                responses.setdefault("400", {"description": "bad input"})["content"] = error
                responses.setdefault(
                    "401",
                    {"description": "missing or incorrect API key (a server started with one)"},
                )
                responses["401"]["content"] = error
                if "404" in responses:
                    responses["404"]["content"] = error
        memory = schemas.get("Memory", {}).get("properties")
        if memory is not None:
            memory["active"] = {"type": "boolean", "description": "recall may return it"}
            memory["lifetime"] = {
                "type": "string",
                "enum": ["kept", "passing", "lasting"],
                "description": "how time treats it: never hidden, hidden once faded, or "
                "ranked lower and never hidden",
            }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# ---- one queue per user -------------------------------------------------------------------


class UserQueues:
    """Runs memory calls on worker threads: one user's one at a time, in the order they
    were submitted; different users' at the same time.

    Each call waits for the user's previous one, whatever became of it, so an error or a
    caller that went away never holds up the calls behind it.
    """

    def __init__(self) -> None:
        self._tails: dict[str, asyncio.Task] = {}  # each user's last submitted call
        self._tasks: set[asyncio.Task] = set()

    def submit(self, user: str, fn: Callable[[], T]) -> asyncio.Task[T]:
        """Queue ``fn()`` behind the user's earlier calls; it is queued on return."""
        prev = self._tails.get(user)
        task = asyncio.get_running_loop().create_task(self._after(prev, fn))
        self._tails[user] = task
        self._tasks.add(task)
        task.add_done_callback(partial(self._done, user))
        return task

    async def call(self, user: str, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in the user's turn. It runs to the end even if this
        request is cancelled (its client went away): nothing submitted is lost."""
        return await asyncio.shield(self.submit(user, partial(fn, *args, **kwargs)))

    def later(self, user: str, fn: Callable[[], Any]) -> None:
        """Queue ``fn()`` without waiting for it; a failure is logged."""
        self.submit(user, fn).add_done_callback(_log_failure)

    async def drain(self) -> None:
        """Wait until every submitted call has run."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))

    @property
    def pending(self) -> int:
        """Calls submitted and not finished yet."""
        return len(self._tasks)

    @staticmethod
    async def _after(prev: asyncio.Task | None, fn: Callable[[], T]) -> T:
        if prev is not None:
            await asyncio.wait([prev])
        return await run_in_threadpool(fn)

    def _done(self, user: str, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if self._tails.get(user) is task:
            del self._tails[user]
        if not task.cancelled():
            task.exception()  # retrieved here; whoever awaits the task still gets it


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("a memory call after a reply failed: %s", task.exception())


# ---- what every route shares --------------------------------------------------------------


@dataclass
class Served:
    """The memory behind the server, and how it is served."""

    memory: GatedMemory
    api_key: str | None = None  # callers must send it as a bearer token
    k: int = 5  # memories recalled into a chat request at most
    queues: UserQueues = field(default_factory=UserQueues)


def served(request: Request) -> Served:
    return request.app.state.gatedmem


_bearer = HTTPBearer(
    auto_error=False,
    description="the key gatedmem serve was started with (--api-key or $GATEDMEM_SERVE_KEY)",
)


async def authorised(
    request: Request,
    cred: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Refuse a request without the server's bearer token, when it has one."""
    key = served(request).api_key
    if key is None:
        return
    if cred is None:
        raise ApiError(
            401,
            "this server needs an API key: send the header 'Authorization: Bearer KEY'",
            type="authentication_error",
            code="missing_api_key",
        )
    if not secrets.compare_digest(cred.credentials.encode(), key.encode()):
        raise ApiError(
            401, "incorrect API key", type="authentication_error", code="invalid_api_key"
        )


def checked_user(user: str) -> str:
    """The path's user name, checked as the memory checks it (400 if it is not one)."""
    return validate.user(user)


User = Annotated[str, Depends(checked_user)]
State = Annotated[Served, Depends(served)]


# ---- the routes ---------------------------------------------------------------------------

router = APIRouter(
    prefix="/v1/users/{user}/memories", tags=["memories"], dependencies=[Depends(authorised)]
)
_one = {200: {"model": Memory}, 404: {"description": "no memory with that id for that user"}}


def _user_memories(mem: GatedMemory, user: str, include_forgotten: bool) -> list[Memory]:
    try:
        return mem.list(user=user, include_forgotten=include_forgotten)
    except UnknownUser:  # nothing stored yet: no memories, not an error
        return []


@router.get("", response_model=None, responses={200: {"model": list[Memory]}})
async def list_memories(
    user: User,
    s: State,
    all: Annotated[bool, Query(description="include forgotten and superseded memories")] = False,
) -> list[dict[str, Any]]:
    """The user's memories, oldest first: the active ones, or every one with ``all``."""
    mems = await s.queues.call(user, _user_memories, s.memory, user, all)
    return [m.to_dict() for m in mems]


class NewMemory(BaseModel):
    """A memory to store as given. A field it does not know is an error, not ignored: a
    misspelt ``pinned`` would otherwise leave a memory unpinned without a word."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="what to remember, stored as given")
    pinned: bool = Field(False, description="never decays")
    metadata: dict[str, Any] | None = Field(None, description="kept with it")


@router.post("", status_code=201, response_model=None, responses={201: {"model": Memory}})
async def add_memory(user: User, s: State, new: NewMemory) -> dict[str, Any]:
    """Store a memory without asking the input gate ("remember that ...")."""
    add = partial(s.memory.add, new.text, user=user, pinned=new.pinned, metadata=new.metadata)
    m = await s.queues.call(user, add)
    return m.to_dict()


@router.get("/search", response_model=None, responses={200: {"model": list[Recall]}})
async def search_memories(
    user: User,
    s: State,
    q: Annotated[str, Query(min_length=1, description="what to recall memories for")],
    k: Annotated[int, Query(ge=1, le=100, description="at most this many")] = 5,
) -> list[dict[str, Any]]:
    """What recall would hand a reply for ``q``, best first, with the gates' signals
    (nothing is reinforced)."""
    hits = await s.queues.call(user, s.memory.recall, q, user=user, k=k, reinforce=False)
    return [h.to_dict() for h in hits]


def _by_id(mem: GatedMemory, method: str, memory_id: int, user: str) -> Any:
    """``mem.method(memory_id, user=user)``; another user's memory answers exactly like an
    id that does not exist."""
    try:
        return getattr(mem, method)(memory_id, user=user)
    except (UnknownMemory, UnknownUser):
        raise ApiError(
            404, f"no memory with id {memory_id} for user {user!r}", code="memory_not_found"
        ) from None


async def _one_memory(s: Served, method: str, memory_id: int, user: str) -> dict[str, Any]:
    m = await s.queues.call(user, _by_id, s.memory, method, memory_id, user)
    return m.to_dict()


@router.get("/{memory_id}", response_model=None, responses=_one)
async def get_memory(user: User, memory_id: int, s: State) -> dict[str, Any]:
    """One memory: text, strength now, half-life, pin, state."""
    return await _one_memory(s, "get", memory_id, user)


@router.delete("/{memory_id}", response_model=None, responses=_one)
async def forget_memory(user: User, memory_id: int, s: State) -> dict[str, Any]:
    """Forget a memory softly: recall no longer returns it; ``restore`` brings it back."""
    return await _one_memory(s, "forget", memory_id, user)


@router.post("/{memory_id}/restore", response_model=None, responses=_one)
async def restore_memory(user: User, memory_id: int, s: State) -> dict[str, Any]:
    """Bring back a forgotten, faded or superseded memory."""
    return await _one_memory(s, "restore", memory_id, user)


@router.post("/{memory_id}/pin", response_model=None, responses=_one)
async def pin_memory(user: User, memory_id: int, s: State) -> dict[str, Any]:
    """Pin a memory: it never decays and is never superseded by the gates."""
    return await _one_memory(s, "pin", memory_id, user)


@router.post("/{memory_id}/unpin", response_model=None, responses=_one)
async def unpin_memory(user: User, memory_id: int, s: State) -> dict[str, Any]:
    """Let a pinned memory decay again."""
    return await _one_memory(s, "unpin", memory_id, user)


@router.get(
    "/{memory_id}/history",
    response_model=None,
    responses={200: {"model": list[Event]}, 404: _one[404]},
)
async def memory_history(user: User, memory_id: int, s: State) -> list[dict[str, Any]]:
    """Every decision about a memory, oldest first: written, recalled, superseded ..."""
    events = await s.queues.call(user, _by_id, s.memory, "history", memory_id, user)
    return [e.to_dict() for e in events]
