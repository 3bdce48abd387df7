"""The ``gatedmem`` command: a thin shell over :class:`memory.GatedMemory`.

Each command resolves the database, builds the library object, makes one call and prints.
Errors a user can cause become one line on stderr and exit code 1.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

app = typer.Typer(
    help="Long-term memory for chatbots, with learned input, forget and output gates.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL or SQLite path (default: $GATEDMEM_DB, then the "
        "per-user data directory)",
    ),
]
WeightsOption = Annotated[
    str | None,
    typer.Option(
        "--weights",
        help="gate weights directory (default: $GATEDMEM_WEIGHTS, then the shipped weights)",
    ),
]


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        from memory import __version__

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
def info(
    db: DbOption = None,
    weights: WeightsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Print the database, the embedding model and the gate weights in use."""
    from memory import GatedMemError, GatedMemory, __version__

    try:
        mem = GatedMemory(db, weights=weights)
        out = {"version": __version__, **mem.info()}
    except GatedMemError as exc:
        _fail(str(exc))
    mem.close()
    if as_json:
        typer.echo(json.dumps(out, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=False, box=None)
    for key, value in out.items():
        table.add_row(f"[bold]{key}[/bold]", str(value))
    Console().print(table)


@app.command()
def chat(
    user: Annotated[
        str | None, typer.Option("--user", "-u", help="whose memory (default: your login name)")
    ] = None,
    db: DbOption = None,
    weights: WeightsOption = None,
    responder: Annotated[str, typer.Option("--responder", help="reply backend: memory")] = "memory",
    show_memories: Annotated[
        bool, typer.Option("--show-memories", "-m", help="show recalled memories under each reply")
    ] = False,
) -> None:
    """Chat in the terminal; the memory remembers what matters. Reads piped input too."""
    import getpass

    from chatbot import Chatbot, MemoryResponder
    from chatbot.terminal import TerminalChat
    from memory import GatedMemError, GatedMemory

    if responder != "memory":
        _fail(f"unknown responder {responder!r}; available: memory")
    try:
        mem = GatedMemory(db, weights=weights)
    except GatedMemError as exc:
        _fail(str(exc))
    name = user or getpass.getuser() or "me"
    try:
        TerminalChat(Chatbot(mem, MemoryResponder()), name, show_memories=show_memories).run()
    finally:
        mem.close()


if __name__ == "__main__":
    app()
