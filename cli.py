"""The ``gatedmem`` command: a thin shell over :class:`memory.GatedMemory`.

Each command resolves the database, builds the library object, makes one call and prints
(a rich table for people, ``--json`` for programs). Errors a user can cause become one line
on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from .bench.commands import bench_app
from .memory.training.datasets import FORMATS

# Help is printed by Click's formatter, not Typer's Rich panels: since Typer 0.29 the Rich
# panel prints every option's type, so each flag showed as taking a value ("--json <bool>").
# Sub-apps inherit this setting.
app = typer.Typer(
    help="Long-term memory for chatbots, with learned input, forget and output gates.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
memories_app = typer.Typer(
    help="Inspect, search, correct and delete stored memories.", no_args_is_help=True
)
app.add_typer(memories_app, name="memories")
app.add_typer(bench_app, name="bench")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL or SQLite path (default: $GATEDMEM_DB, then the per-user "
        "data directory)",
    ),
]
WeightsOption = Annotated[
    str | None,
    typer.Option(
        "--weights",
        help="gate weights directory (default: $GATEDMEM_WEIGHTS, then the shipped weights)",
    ),
]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--user", "-u", help="whose memories (default: $GATEDMEM_USER, then your login name)"
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
# Read as text and checked by _by_id, so that "abc" or "-1" gets the one-line error every
# other bad input gets, not click's usage message.
IdArg = Annotated[
    str, typer.Argument(metavar="MEMORY_ID", help="memory id (see `gatedmem memories list`)")
]
TAKES_ANY_ID = {"ignore_unknown_options": True}  # "-1" is an id to refuse, not an option
IdUserOption = Annotated[
    str | None,
    typer.Option(
        "--user", "-u", help="only if it is this user's memory (default: whoever owns it)"
    ),
]


class Responder(str, Enum):
    """Reply backends of `gatedmem chat`."""

    memory = "memory"
    openai = "openai"
    smollm2 = "smollm2"


DataFormat = Enum("DataFormat", [(f.replace("-", "_"), f) for f in ("auto", *FORMATS)], type=str)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def default_user(user: str | None) -> str:
    """--user as given (checked: an empty one is an error, not a default), else
    $GATEDMEM_USER, else the login name."""
    from .memory import validate
    from .memory.errors import InvalidUser

    if user is None:
        import getpass

        user = os.environ.get("GATEDMEM_USER") or getpass.getuser() or "me"
    try:
        return validate.user(user)
    except InvalidUser as exc:
        _fail(str(exc))
        raise  # unreachable: _fail exits


@contextlib.contextmanager
def opened(db: str | None, weights: str | None = None, *, create: bool = False) -> Iterator[Any]:
    """A GatedMemory for one command; user-caused errors end it with one line and exit 1.

    Only commands that write pass ``create=True``: reading a database that is not there
    is an error, and leaves no file or directory behind.
    """
    from .memory import GatedMemError, GatedMemory
    from .memory.config import require_database, resolve_db_url

    mem = None
    try:
        url = resolve_db_url(db)
        if not create:
            require_database(url)
        mem = GatedMemory(url, weights=weights)
        yield mem
    except GatedMemError as exc:
        _fail(str(exc))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail(str(exc))
    finally:
        if mem is not None:
            mem.close()


def _writable(path: Path) -> None:
    """Refuse an output file that cannot be written, before any work (nothing creates
    its directory)."""
    if path.is_dir():
        _fail(f"cannot write {path}: it is a directory")
    if not path.parent.is_dir():
        _fail(f"cannot write {path}: no directory {path.parent}")


def _emit_json(data: Any) -> None:
    """JSON on stdout; JSON escapes C0 controls, and C1 controls (which a terminal acts on
    too) are escaped here, so stored text never reaches a terminal as a control code."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    typer.echo(text.translate(_C1_ESCAPED))


_C1_ESCAPED = {c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)}


def _console():
    """A console that reads no markup or emoji codes and colours nothing: stored text
    ("[/x]", "[bold]", ":smile:") is printed as it is."""
    from rich.console import Console

    return Console(soft_wrap=False, markup=False, emoji=False, highlight=False)


def _bold(text: str):
    from rich.text import Text

    return Text(text, style="bold")


def _shown(text: Any) -> str:
    """Text a user or a server's caller wrote, safe to print (validate.printable)."""
    from .memory.validate import printable

    return printable(str(text))


def _version(value: bool) -> None:
    if value:
        from .memory import __version__

        typer.echo(f"gatedmem {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """gatedmem: chat, embed, inspect."""


@app.command()
def info(db: DbOption = None, weights: WeightsOption = None, as_json: JsonOption = False) -> None:
    """Print the database, the embedding model and the gate weights in use."""
    from .memory import __version__

    with opened(db, weights) as mem:
        out = {"version": __version__, **mem.info()}
    if as_json:
        _emit_json(out)
        return
    from rich.table import Table

    table = Table(show_header=False, box=None)
    for key, value in out.items():
        table.add_row(_bold(key), _shown(value))
    _console().print(table)


@app.command()
def chat(
    user: UserOption = None,
    db: DbOption = None,
    weights: WeightsOption = None,
    responder: Annotated[
        Responder,
        typer.Option(
            help="reply backend: memory (no model), openai (any OpenAI-compatible endpoint) "
            "or smollm2 (a local model)"
        ),
    ] = Responder.memory,
    base_url: Annotated[
        str | None,
        typer.Option(help="endpoint for --responder openai, e.g. http://localhost:11434/v1"),
    ] = None,
    model: Annotated[str | None, typer.Option(help="model name for --responder openai")] = None,
    show_memories: Annotated[
        bool, typer.Option("--show-memories", "-m", help="show recalled memories under each reply")
    ] = False,
) -> None:
    """Chat in the terminal; the memory remembers what matters. Reads piped input too.

    The API key for --responder openai comes from $GATEDMEM_API_KEY or $OPENAI_API_KEY.
    """
    from .chatbot import Chatbot, MemoryResponder, OpenAIResponder, ResponderError
    from .chatbot.terminal import TerminalChat

    if responder is Responder.memory:
        backend = MemoryResponder()
    elif responder is Responder.openai:
        if not base_url or not model:
            _fail("--responder openai needs --base-url and --model")
        try:
            backend = OpenAIResponder(base_url, model)
        except ValueError as exc:
            _fail(str(exc))
    else:
        from .chatbot.local_model import SmolLM2Responder

        backend = SmolLM2Responder()
        try:
            backend.load()
        except ResponderError as exc:
            _fail(str(exc))
    with opened(db, weights, create=True) as mem:
        chat_ = TerminalChat(Chatbot(mem, backend), default_user(user), show_memories=show_memories)
        chat_.run()


@app.command("mcp")
def mcp_(
    user: UserOption = None,
    db: DbOption = None,
    weights: WeightsOption = None,
    http: Annotated[
        str | None,
        typer.Option(
            "--http",
            metavar="HOST:PORT",
            help="serve streamable HTTP at http://HOST:PORT/mcp instead of standard input/output",
        ),
    ] = None,
    warm_up: Annotated[
        bool,
        typer.Option(
            "--warm-up/--no-warm-up",
            help="load the embedding model at start, not on the first call that needs it",
        ),
    ] = True,
) -> None:
    """Serve a user's memory to MCP clients (Claude Desktop, Cursor, VS Code ...): tools to
    remember, observe, recall, list, forget, restore, pin and explain memories. Needs the
    mcp extra: pip install 'gatedmem[mcp]'."""
    try:
        from .servers import is_loopback
        from .servers.mcp import parse_address, serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "mcp":
            raise
        _fail("gatedmem mcp needs the mcp extra: pip install 'gatedmem[mcp]'")
    address = None
    if http is not None:
        try:
            address = parse_address(http)
        except ValueError as exc:
            _fail(str(exc))
    name = default_user(user)
    with opened(db, weights, create=True) as mem:
        if address is not None:
            host, port = address
            shown = f"[{host}]" if ":" in host else host
            url = f"http://{shown}:{port}/mcp"
            typer.echo(f"gatedmem mcp: serving user {name!r} at {url}", err=True)
            if not is_loopback(host):
                typer.echo(
                    "note: anyone who can reach this address can read and change these "
                    "memories (no authentication)",
                    err=True,
                )
        serve(mem, name, http=address, warm_up=warm_up)


@app.command()
def serve(
    upstream: Annotated[
        str | None,
        typer.Option(
            help="the OpenAI-compatible endpoint chats go to, e.g. http://localhost:11434/v1 "
            "(without it, only the REST API answers)"
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    api_key: Annotated[
        str | None,
        typer.Option(
            envvar="GATEDMEM_SERVE_KEY",
            help="callers must send 'Authorization: Bearer KEY' (prefer the environment "
            "variable: other users can read a command line)",
        ),
    ] = None,
    upstream_key: Annotated[
        str | None,
        typer.Option(
            envvar="GATEDMEM_UPSTREAM_KEY",
            help="the upstream's API key (a caller's key is never forwarded)",
        ),
    ] = None,
    k: Annotated[int, typer.Option("-k", help="memories recalled into a request at most")] = 5,
    timeout: Annotated[
        float, typer.Option(help="seconds to wait for the upstream's connection and answer")
    ] = 600.0,
    db: DbOption = None,
    weights: WeightsOption = None,
) -> None:
    """Serve an OpenAI-compatible chat endpoint with a long-term memory in front of
    --upstream, and a REST API of the memories (documented at /docs). Point an app's
    base_url at http://HOST:PORT/v1; each request names its user in the `user` field or the
    X-Gatedmem-User header. Needs the serve extra: pip install 'gatedmem[serve]'."""
    try:
        from .servers.proxy import run
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("fastapi", "starlette", "uvicorn"):
            raise
        _fail("gatedmem serve needs the serve extra: pip install 'gatedmem[serve]'")
    if api_key is None and os.environ.get("GATEDMEM_SERVE_KEY") == "":
        # Set but empty: click reads it as unset, which would serve with no key at all.
        _fail("$GATEDMEM_SERVE_KEY is set but empty; give a key, or unset it")
    with opened(db, weights, create=True) as mem:
        try:
            run(
                mem,
                upstream,
                host=host,
                port=port,
                api_key=api_key,
                upstream_key=upstream_key,
                k=k,
                timeout=timeout,
            )
        except ValueError as exc:
            _fail(str(exc))


# ---- gatedmem memories ... ----------------------------------------------------------------


def _memory_table(mems: list, title: str | None = None):
    from rich.table import Table

    table = Table(title=title)
    for col in ("id", "text", "strength", "half-life", "created", "state"):
        table.add_column(col, overflow="fold" if col == "text" else "ellipsis")
    for m in mems:
        state = "pinned" if m.pinned else ""
        if m.superseded_by is not None:
            state = f"superseded by #{m.superseded_by}"
        elif m.forgotten:
            state = "forgotten"
        table.add_row(
            str(m.id),
            _shown(m.text),
            f"{m.strength:.2f}",
            f"{m.half_life_days:.1f} d",
            m.created_at.strftime("%Y-%m-%d %H:%M"),
            state,
        )
    return table


@memories_app.command("list")
def list_(
    user: UserOption = None,
    all_: Annotated[
        bool, typer.Option("--all", help="include forgotten and superseded memories")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List a user's memories (active ones; --all for every one)."""
    with opened(db) as mem:
        mems = mem.list(user=default_user(user), include_forgotten=all_)
    if as_json:
        _emit_json([m.to_dict() for m in mems])
    elif not mems:
        typer.echo("no memories")
    else:
        _console().print(_memory_table(mems))


def _by_id(call, given: str, user: str | None):
    """``call(memory_id, user=user)`` for the id ``given`` on the command line. With
    --user, another user's memory answers exactly like an id that does not exist, whether
    or not that user has any memories."""
    from .memory import UnknownMemory, UnknownUser

    if not given.strip().isdecimal() or not given.strip().isascii():
        _fail(f"a memory id is a whole number such as 12 (see `memories list`), not {given!r}")
    memory_id = int(given.strip())
    try:
        return call(memory_id, user=user)
    except (UnknownMemory, UnknownUser):
        if user is None:
            raise
        _fail(f"no memory with id {memory_id} for user {user!r}")


def _time_note(m) -> str:
    """What time does to memory ``m`` (decay.lifetime), in a person's words."""
    from .memory.decay import FLOOR, PASSING_DAYS

    if m.pinned:
        return "pinned: time neither weakens nor hides it"
    if m.lifetime == "kept":
        return "added on request: time ranks it lower, never hides it"
    if m.lifetime == "lasting":
        return (
            f"judged lasting (half-life over {PASSING_DAYS:g} days): time ranks it lower, "
            "never hides it"
        )
    return (
        f"judged passing (half-life at most {PASSING_DAYS:g} days): time hides it once its "
        f"strength falls below {FLOOR:g}"
    )


def _superseded_by(mem: Any, memory_id: int, m: Any) -> bool:
    """Whether memory ``memory_id`` (of ``m``'s user) is superseded by ``m`` now."""
    from .memory import UnknownMemory

    try:
        return mem.get(memory_id, user=m.user).superseded_by == m.id
    except UnknownMemory:  # deleted since
        return False


@memories_app.command(context_settings=TAKES_ANY_ID)
def show(
    memory_id: IdArg, user: IdUserOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """One memory: owner, text, strength now, half-life, pin, gate values, links, history."""
    with opened(db) as mem:
        m = _by_id(mem.get, memory_id, user)
        events = mem.history(m.id, user=m.user)
        # The memories it supersedes now: one restored since is in the history, not here.
        once = {e.other_id for e in events if e.kind == "supersedes" and e.other_id}
        supersedes = sorted(i for i in once if _superseded_by(mem, i, m))
    if as_json:
        _emit_json(
            {
                "memory": m.to_dict(),
                "supersedes": supersedes,
                "history": [e.to_dict() for e in events],
            }
        )
        return
    from rich.table import Table

    head = Table(show_header=False, box=None)
    rows = [
        ("id", m.id),
        ("user", m.user),
        ("text", m.text),
        ("strength now", f"{m.strength:.3f}"),
        ("half-life", f"{m.half_life_days:.1f} days"),
        ("over time", _time_note(m)),
        ("pinned", m.pinned),
        ("input gate", "explicit add" if m.input_gate is None else f"{m.input_gate:.3f}"),
        ("state", "active" if m.active else ("superseded" if m.superseded_by else "forgotten")),
        ("superseded by", m.superseded_by or "-"),
        ("supersedes", ", ".join(f"#{i}" for i in supersedes) or "-"),
        ("recalled", f"{m.recall_count} times"),
        ("speaker", m.speaker),
    ]
    for k, v in rows:
        head.add_row(_bold(k), _shown(v))
    hist = Table(title="history")
    for col in ("when", "decision", "value", "by", "detail"):
        hist.add_column(col)
    for e in events:
        detail = (
            e.query
            or (f"#{e.other_id}" if e.other_id else "")
            or (", ".join(f"{k}={v}" for k, v in e.detail.items()))
        )
        hist.add_row(
            e.at.strftime("%Y-%m-%d %H:%M"),
            e.kind,
            "" if e.value is None else f"{e.value:.3f}",
            _shown(e.actor or ""),
            _shown(detail),
        )
    con = _console()
    con.print(head)
    con.print(hist)


@memories_app.command()
def search(
    query: str,
    user: UserOption = None,
    k: Annotated[int, typer.Option("-k", help="at most this many")] = 5,
    db: DbOption = None,
    weights: WeightsOption = None,
    as_json: JsonOption = False,
) -> None:
    """What recall would return for QUERY, and why (without reinforcing anything)."""
    with opened(db, weights) as mem:
        name = default_user(user)
        hits = mem.recall(query, user=name, k=k, reinforce=False)
        if not hits:
            mem.list(user=name)  # a name nothing was ever stored for is an error, as in list
    if as_json:
        _emit_json([h.to_dict() for h in hits])
        return
    if not hits:
        typer.echo("nothing passed the output gate")
        return
    from rich.table import Table

    table = Table()
    for col in ("id", "text", "relevant", "output gate", "cosine", "lexical", "strength"):
        table.add_column(col, overflow="fold" if col == "text" else "ellipsis")
    for h in hits:
        g = h.gates
        table.add_row(
            str(h.memory_id),
            _shown(h.text)
            + (
                f"  (as close as #{int(g['via_superseded'])}, whose place it took)"
                if g.get("via_superseded") is not None
                else ""
            ),
            f"{h.score:.2f}",
            f"{g['output']:.2f}",
            f"{g['cosine']:.2f}",
            f"{g['lexical']:.2f}",
            f"{g['strength']:.2f}",
        )
    _console().print(table)


@memories_app.command()
def add(
    text: str,
    user: UserOption = None,
    pin: Annotated[bool, typer.Option("--pin", help="pin it so it never fades")] = False,
    db: DbOption = None,
    weights: WeightsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store TEXT for a user without asking the input gate."""
    with opened(db, weights, create=True) as mem:
        m = mem.add(text, user=default_user(user), pinned=pin)
    _done(m, "added", as_json)


def _done(m, verb: str, as_json: bool) -> None:
    if as_json:
        _emit_json(m.to_dict())
    else:
        typer.echo(f"#{m.id} of {_shown(repr(m.user))} {verb}: {_shown(m.text)}")


def _correct(method: str, verb: str):
    def command(
        memory_id: IdArg,
        user: IdUserOption = None,
        db: DbOption = None,
        as_json: JsonOption = False,
    ) -> None:
        with opened(db) as mem:
            m = _by_id(getattr(mem, method), memory_id, user)
        _done(m, verb, as_json)

    command.__doc__ = {
        "forget": "Forget a memory softly (restore undoes it).",
        "restore": "Bring back a forgotten, faded or superseded memory.",
        "pin": "Pin a memory: it never decays and is never superseded by the gates.",
        "unpin": "Let a pinned memory decay again.",
    }[method]
    return command


for _name, _verb in (
    ("forget", "forgotten"),
    ("restore", "restored"),
    ("pin", "pinned"),
    ("unpin", "unpinned"),
):
    memories_app.command(_name, context_settings=TAKES_ANY_ID)(_correct(_name, _verb))


@memories_app.command()
def export(
    user: UserOption = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="write to this file instead of standard output"),
    ] = None,
    db: DbOption = None,
) -> None:
    """Export a user's memories and their history as JSON: the units of `list --json`
    (ISO 8601 dates, half-lives in days), plus what `import` needs to restore them."""
    if output is not None:
        _writable(output)
    with opened(db) as mem:
        data = mem.export(user=default_user(user))
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if output is None:
            typer.echo(text.translate(_C1_ESCAPED))  # as _emit_json: no control codes
        else:
            output.write_text(text + "\n", encoding="utf-8")
            typer.echo(f"exported {len(data['memories'])} memories to {output}", err=True)


@memories_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="a file written by `memories export`")],
    user: Annotated[
        str | None,
        typer.Option("--user", "-u", help="import into this user (default: the exported user)"),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import memories from an export file. A memory already there (the same user, text
    and creation time) is skipped, so importing a file twice adds nothing the second time."""
    from .memory import GatedMemError
    from .memory.transfer import load_export

    try:
        data = load_export(file, user)
    except GatedMemError as exc:
        _fail(str(exc))
    with opened(db, create=True) as mem:
        ids = mem.import_(data, user=user)
    skipped = len(data["memories"]) - len(ids)
    if as_json:
        _emit_json({"imported": ids, "skipped": skipped})
        return
    target = user or data["user"]
    message = f"imported {len(ids)} memories into {target!r}"
    if skipped:
        message += f", skipped {skipped} already present"
    typer.echo(message)


@memories_app.command()
def purge(
    user: Annotated[str, typer.Option("--user", "-u", help="whose memories to delete")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="do not ask")] = False,
    db: DbOption = None,
) -> None:
    """Delete everything a user has, history included, for good."""
    with opened(db) as mem:
        count = len(mem.list(user=user, include_forgotten=True))
        if not yes and not typer.confirm(
            f"Delete all {count} memories of {user!r} and their history for good?"
        ):
            typer.echo("nothing deleted")
            raise typer.Exit(1)
        n = mem.purge(user=user)
    typer.echo(f"purged {n} memories of {user!r}")


@memories_app.command()
def users(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every user, with memory counts (no content)."""
    with opened(db) as mem:
        rows = mem.users()
    if as_json:
        _emit_json([{**r, "created_at": r["created_at"].isoformat()} for r in rows])
        return
    from rich.table import Table

    table = Table()
    for col in ("user", "memories", "active", "turns"):
        table.add_column(col)
    for r in rows:
        table.add_row(_shown(r["user"]), str(r["memories"]), str(r["active"]), str(r["turns"]))
    _console().print(table)


@memories_app.command()
def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Counts over the whole database."""
    with opened(db) as mem:
        out = mem.stats()
    if as_json:
        _emit_json(out)
    else:
        for k, v in out.items():
            typer.echo(f"{k}: {v}")


TIMELINE_FORMATS = (".png", ".svg", ".pdf")


@memories_app.command()
def timeline(
    user: UserOption = None,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="the image to write: .png (the default), .svg or .pdf"),
    ] = Path("timeline.png"),
    db: DbOption = None,
) -> None:
    """Draw a user's memories over time: strength curves, writes, supersessions, forgettings."""
    from .memory.timeline import draw

    _writable(output)
    if not output.suffix:
        output = output.with_suffix(".png")  # what is written is what is reported
    if output.suffix.lower() not in TIMELINE_FORMATS:
        _fail(f"cannot draw {output}: the image must be a .png, .svg or .pdf file")
    _writable(output)
    with opened(db) as mem:
        name = default_user(user)
        mems = mem.list(user=name, include_forgotten=True)
        events = {m.id: mem.history(m.id, user=name) for m in mems}
        try:
            draw(name, mems, events, output)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] != "matplotlib":
                raise
            _fail("the timeline needs matplotlib: pip install 'gatedmem[plot]'")
    typer.echo(f"wrote {output}")


@app.command()
def train(
    out: Annotated[Path, typer.Option("--out", help="the weights directory to write")],
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help="a data file, repeatable (default: Synthetic-Persona-Chat from "
            "../shared/data, the shipped weights' recipe)",
        ),
    ] = None,
    fmt: Annotated[
        DataFormat,
        typer.Option("--format", help="the format of every --data file (auto: by its name)"),
    ] = DataFormat.auto,
    seed: Annotated[int, typer.Option(help="the same seed and data give the same weights")] = 0,
    epochs: Annotated[int, typer.Option(help="passes of each gate's supervised training")] = 6,
    unrolled_epochs: Annotated[
        int, typer.Option(help="passes of the training through retrieval (0 skips it)")
    ] = 4,
    storage: Annotated[
        float, typer.Option(help="the share of turns the input gate is trained to store")
    ] = 0.30,
    model: Annotated[
        Path | None, typer.Option(help="a local sentence-transformers model directory")
    ] = None,
    max_dialogues: Annotated[int | None, typer.Option(help="use only the first N")] = None,
) -> None:
    """Train the three gates from conversation data and write a weights directory
    (config.json, gates.safetensors, MODEL_CARD.md); use it with --weights or
    $GATEDMEM_WEIGHTS. The JSONL format for your own dialogues: docs/training.md."""
    from .memory.training.train import TrainConfig, default_data, run

    files = data or default_data()
    for f in files:
        if not f.is_file():
            _fail(f"no data file at {f}" + ("" if data else "; pass your own with --data"))
    if any("locomo" in f.name.lower() for f in files):
        typer.echo(
            "note: LoCoMo is licensed CC BY-NC (non-commercial); weights trained on it must "
            "not be redistributed, and benchmarking them on it measures memorisation.",
            err=True,
        )
    if not 0.0 < storage < 1.0:
        _fail("--storage must be between 0 and 1")
    if epochs < 1:
        _fail(f"--epochs must be at least 1, not {epochs}")
    if unrolled_epochs < 0:
        _fail(f"--unrolled-epochs must be 0 (skip it) or more, not {unrolled_epochs}")
    if max_dialogues is not None and max_dialogues < 1:
        _fail(f"--max-dialogues must be at least 1, not {max_dialogues}")
    tc = TrainConfig(
        seed=seed,
        epochs=epochs,
        unrolled_epochs=unrolled_epochs,
        storage=storage,
        max_dialogues=max_dialogues,
    )
    try:
        metrics = run([(f, fmt.value) for f in files], out, tc, model, log=lambda m: typer.echo(m))
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        _fail(str(exc))
    typer.echo(json.dumps(metrics))


@app.command("calibrate")
def calibrate(
    weights: Annotated[Path, typer.Argument(help="the gate weights directory to calibrate")],
    out: Annotated[
        Path | None, typer.Option(help="write the calibrated weights here (default: in place)")
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="a local sentence-transformers model directory")
    ] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help="the data files the weights were trained from, repeatable (format by "
            "name; default: Synthetic-Persona-Chat from ../shared/data, the shipped "
            "weights' recipe)",
        ),
    ] = None,
) -> None:
    """Fit recall's calibration (scores that are probabilities of relevance, and the default
    recall threshold) on the dialogues with personas that training kept apart, and write it
    into the weights' config.json and model card. `gatedmem train` does this too."""
    from .memory.errors import WeightsError
    from .memory.training.calibrate import run
    from .memory.training.train import default_data

    if not weights.is_dir():
        _fail(f"no gate weights directory at {weights}")
    for f in data or default_data():
        if not f.is_file():
            hint = "" if data else "; pass the files the weights were trained from with --data"
            _fail(f"no data file at {f}{hint}")
    try:
        cal = run(weights, out or weights, data, model=model, log=lambda m: typer.echo(m, err=True))
    except (WeightsError, ValueError, OSError) as exc:
        _fail(str(exc))
    typer.echo(json.dumps(cal))


if __name__ == "__main__":
    app()
