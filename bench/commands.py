"""``gatedmem bench ...``: the benchmarks that print figures (see docs/benchmarks.md).

Each command runs one benchmark module of this package, prints a table, and with
``--json FILE`` also writes every figure for programs.
"""

from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..memory.config import ENV_WEIGHTS

WeightsOption = Annotated[
    str | None,
    typer.Option(
        "--weights",
        help="gate weights directory (default: $GATEDMEM_WEIGHTS, then the shipped weights)",
    ),
]


def _json_path(path: Path | None) -> Path | None:
    """``--json``: checked before the run, so that minutes of figures are not lost at the end
    to a path that cannot be written."""
    if path is None:
        return None
    folder = path.parent
    if path.is_dir():
        _fail(f"--json {path} is a folder; name a file")
    if not folder.is_dir():
        _fail(f"--json {path}: there is no folder {folder}")
    if not os.access(path if path.exists() else folder, os.W_OK):
        _fail(f"--json {path}: not writable")
    return path


JsonOption = Annotated[
    Path | None, typer.Option("--json", help="also write JSON here", callback=_json_path)
]


def _write_json(path: Path | None, out: dict) -> None:
    if path is None:
        return
    try:
        path.write_text(json.dumps(out, indent=2) + "\n")
    except OSError as exc:
        _fail(f"could not write {path}: {exc.strerror or exc}")


class BenchResponder(str, Enum):
    """Reply backends `bench responder` can time."""

    smollm2 = "smollm2"
    openai = "openai"


bench_app = typer.Typer(
    help="Benchmarks that print figures (see docs/benchmarks.md).", no_args_is_help=True
)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _console():
    from rich.console import Console

    return Console(soft_wrap=False)


@bench_app.command("latency")
def bench_latency(
    memories: Annotated[
        str, typer.Option(help="sizes of one user's memory, comma-separated")
    ] = "1000,10000,100000",
    users: Annotated[int, typer.Option(help="users for the many-users case (0 skips it)")] = 1000,
    per_user: Annotated[int, typer.Option(help="memories per user in that case")] = 1000,
    turns: Annotated[int, typer.Option(help="timed observe and recall calls per case")] = 200,
    ingest: Annotated[int, typer.Option(help="turns for the ingestion case (0 skips it)")] = 3000,
    json_file: JsonOption = None,
    weights: WeightsOption = None,
) -> None:
    """Per-turn cost of observe and recall beyond embedding; many users; ingestion; cold start."""
    from .latency import run

    if weights:  # every memory of the run, the cold-start subprocess's too, reads it
        os.environ[ENV_WEIGHTS] = weights

    try:
        sizes = [int(x.replace("_", "")) for x in memories.split(",") if x.strip()]
    except ValueError:
        _fail(f"--memories takes comma-separated numbers, not {memories!r}")
    out = run(
        sizes,
        turns=turns,
        users=users,
        per_user=per_user,
        ingest=ingest,
        log=lambda m: typer.echo(m, err=True),
    )
    from rich.table import Table

    table = Table(title=f"observe / recall, {turns} turns each (ms; overhead = beyond embedding)")
    for col in (
        "memories",
        "observe p50",
        "observe p95",
        "recall p50",
        "recall p95",
        "obs. overhead p95",
        "rec. overhead p95",
        "embed p50",
        "ratios (p95 / embed)",
        "numpy top-k p50",
        "RSS MB",
    ):
        table.add_column(col, justify="right")
    for n, r in out["sizes"].items():
        table.add_row(
            f"{int(n):,}",
            *(
                f"{r[k]:.2f}"
                for k in (
                    "observe_p50_ms",
                    "observe_p95_ms",
                    "recall_p50_ms",
                    "recall_p95_ms",
                    "observe_overhead_p95_ms",
                    "recall_overhead_p95_ms",
                    "embed_p50_ms",
                )
            ),
            f"{r['observe_overhead_ratio']:.2f} / {r['recall_overhead_ratio']:.2f}",
            f"{r['numpy_topk_p50_ms']:.2f}",
            f"{r['rss_mb']:.0f}",
        )
    con = _console()
    con.print(table)
    for n, r in out["sizes"].items():
        con.print(
            f"{int(n):,}: a chat turn's memory work (observe a message, recall for it, "
            f"embedding included) p50 {r['chat_turn_p50_ms']:.2f} ms / p95 "
            f"{r['chat_turn_p95_ms']:.2f} ms = {r['chat_turn_p50_ms'] / r['embed_p50_ms']:.2f} "
            "x one embedding"
        )
    if "many_users" in out:
        m = out["many_users"]
        con.print(
            f"{m['users']:,} users x {m['memories_per_user']:,}: observe overhead p95 "
            f"{m['observe_overhead_p95_ms']:.2f} ms, recall {m['recall_overhead_p95_ms']:.2f}"
            f" ms; a user's first turn (loads the index) +{m['first_turn_overhead_p50_ms']:.1f}"
            " ms"
        )
    if "ingestion" in out:
        i = out["ingestion"]
        con.print(
            f"ingestion: {i['ingest_turns_per_s']:.0f} turns/s, raw batched embedding "
            f"{i['raw_embed_per_s']:.0f}/s: {i['ratio']:.0%}"
        )
    c = out["cold_start"]
    con.print("cold start: " + ", ".join(f"{k} {v:.2f}" for k, v in c.items()))
    _write_json(json_file, out)


@bench_app.command("locomo")
def bench_locomo(
    path: Annotated[
        Path, typer.Argument(help="LoCoMo JSON (e.g. ../shared/data/locomo/locomo_dev.json)")
    ],
    conversations: Annotated[
        str | None, typer.Option(help="only these conversations, comma-separated sample ids")
    ] = None,
    json_file: JsonOption = None,
    weights: WeightsOption = None,
    variants: Annotated[
        bool, typer.Option(help="also run the budgets and the ablations (13 more runs)")
    ] = True,
    offtopic: Annotated[
        Path | None,
        typer.Option(help="off-topic requests, JSONL (default: both of benchdata/offtopic's sets)"),
    ] = None,
    plots: Annotated[
        Path | None, typer.Option(help="write the reliability diagram (PNG) into this folder")
    ] = None,
) -> None:
    """Turn-level evidence recall@k on LoCoMo: the gated memory beside the baselines, under
    memory budgets, and with each gate ablated; at the default threshold, how often a
    question is handed its evidence and how many memories come back; how well the scores are
    calibrated; and how often off-topic requests get nothing."""
    from ..memory.errors import GatedMemError
    from .locomo import BUDGETS, read_offtopic, run

    if not path.is_file():
        _fail(f"no LoCoMo file at {path}")
    if plots is not None and plots.exists() and not plots.is_dir():
        _fail(f"--plots must name a folder, not the file {plots}")
    only = [c.strip() for c in conversations.split(",")] if conversations else None
    try:
        out = run(
            path,
            only,
            log=lambda m: typer.echo(m, err=True),
            weights=weights,
            budgets=BUDGETS if variants else (),
            ablations=variants,
            offtopic=read_offtopic(offtopic),
            plots=plots,
        )
    except (GatedMemError, ValueError, OSError) as exc:
        _fail(str(exc))
    # First: an hour's figures are kept whatever the printing makes of them.
    _write_json(json_file, out)
    from rich.table import Table

    con = _console()
    con.print(
        _systems_table(
            out, f"LoCoMo: {out['questions']} questions (categories 1-4), {out['turns']} turns"
        )
    )
    con.print(_conversations_table(out))
    if out["budgets"]:
        bt = Table(title="recall@10 with the memory capped at a share of the turns")
        cols = ("budget", "gates evict", "FIFO", "LRU", "gates / unbounded", "evidence held")
        for col in cols:
            bt.add_column(col, justify="right")
        unbounded = out["systems"]["gated"]["recall@10"]
        for b, r in out["budgets"].items():
            g = r["gate"]["recall@10"]
            bt.add_row(
                b,
                f"{g:.3f}",
                f"{r['fifo']['recall@10']:.3f}",
                f"{r['lru']['recall@10']:.3f}",
                f"{g / unbounded:.2f}" if unbounded else "-",
                f"{r['gate']['evidence_held']:.0%} (length rule "
                f"{r['gate']['evidence_held_by_length']:.0%})",
            )
        con.print(bt)
    if out["ablations"]:
        at = Table(title="each gate replaced by its trivial version")
        for col in ("ablation", "R@10", "stored", "R@10 change"):
            at.add_column(col, justify="right")
        unbounded = out["systems"]["gated"]["recall@10"]
        for name, r in out["ablations"].items():
            at.add_row(
                name,
                f"{r['recall@10']:.3f}",
                f"{r['stored_fraction']:.0%}",
                f"{r['recall@10'] - unbounded:+.3f}",
            )
        con.print(at)
    g = out["systems"]["gated"]
    typer.echo(
        f"evidence turns the input gate stored: {g['evidence_stored']:.0%} (the same number "
        f"of turns chosen by length alone: {g['evidence_stored_by_length']:.0%})"
    )
    lat = out["latency_ms"]
    typer.echo(
        f"gated: observe p50/p95 {lat['observe_p50']:.2f}/{lat['observe_p95']:.2f} ms, "
        f"recall {lat['recall_p50']:.2f}/{lat['recall_p95']:.2f} ms (after embedding, "
        f"which is precomputed here); median memories returned: "
        f"{out['median_returned']} (at the default threshold; recall@k ranks all)"
    )
    _threshold_line(out, plots)


def _systems_table(out: dict, title: str):
    """recall@k of the gated memory and each baseline, as a table."""
    from rich.table import Table

    table = Table(title=title)
    for col in ("system", "R@1", "R@5", "R@10", "R@20", "stored", "R@10 by category 1/2/3/4"):
        table.add_column(col, justify="right")
    for name, r in out["systems"].items():
        cats = " / ".join(f"{r['by_category'].get(c, 0):.3f}" for c in ("1", "2", "3", "4"))
        table.add_row(
            name,
            *(f"{r[f'recall@{k}']:.3f}" for k in (1, 5, 10, 20)),
            f"{r['stored_fraction']:.0%}",
            cats,
        )
    return table


def _conversations_table(out: dict):
    """Each conversation on its own: recall@10, storage, and what the default threshold
    hands over (nothing is fit on these conversations, so each row is held out)."""
    from rich.table import Table

    table = Table(
        title="per conversation (gated): questions, R@10, share stored; at the default "
        "threshold, questions answered, median memories returned, off-topic requests silent"
    )
    for col in ("", "questions", "R@10", "stored", "answered", "median", "silent", "ECE"):
        table.add_column(col, justify="right")
    for cid, r in out["systems"]["gated"]["by_conversation"].items():
        share = lambda x: "-" if x is None else f"{x:.0%}"  # noqa: E731
        table.add_row(
            cid,
            str(r["questions"]),
            "-" if r["recall@10"] is None else f"{r['recall@10']:.3f}",
            f"{r['stored_fraction']:.0%}",
            share(r["answered"]),
            "-" if r["median_returned"] is None else f"{r['median_returned']:g}",
            share(r["offtopic_silent"]),
            "-" if r["ece"] is None else f"{r['ece']:.3f}",
        )
    return table


def _threshold_line(out: dict, plots: Path | None) -> None:
    """What the default threshold hands over, the abstention and the calibration error."""
    ab, cal = out["abstention"], out["calibration"]
    sets = ", ".join(
        f"set '{name}' {v['silent']:.0%} of {v['requests']}" for name, v in ab["by_set"].items()
    )
    silent = (
        f"{ab['silent']:.0%} of {ab['requests']} off-topic requests get nothing ({sets}; "
        + ", ".join(f"{k} {v:.0%}" for k, v in ab["by_kind"].items())
        + ")"
        if ab["requests"]
        else "off-topic requests not asked (no benchdata/offtopic here; pass --offtopic)"
    )
    typer.echo(
        f"at the default threshold: {out['answered']:.0%} of the questions are handed at "
        f"least one evidence turn, median {out['median_returned']} memories; {silent}; "
        f"expected calibration error of the scores {cal['ece']}"
    )
    if plots is not None:
        typer.echo(f"reliability diagram: {plots / 'reliability.png'}")


@bench_app.command("projects")
def bench_projects(
    conversations: Annotated[int, typer.Option(help="how many generated conversations")] = 8,
    seed: Annotated[int, typer.Option(help="the generator's seed")] = 0,
    json_file: JsonOption = None,
    weights: WeightsOption = None,
    plots: Annotated[
        Path | None, typer.Option(help="write the reliability diagram (PNG) into this folder")
    ] = None,
) -> None:
    """Evidence recall on long assistant-style project conversations (generated by
    bench/projects.py: a person describes their work across sessions, an assistant answers
    at length and restates it), beside cosine, BM25 and both fused over every message."""
    if conversations < 1:
        _fail("--conversations must be at least 1")
    import tempfile

    from ..memory.errors import GatedMemError
    from . import projects
    from .locomo import read_offtopic, run

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "projects.json"
        projects.write(path, seed=seed, n=conversations)
        try:
            out = run(
                path,
                log=lambda m: typer.echo(m, err=True),
                weights=weights,
                budgets=(),
                ablations=False,
                offtopic=read_offtopic(None),
                plots=plots,
                title="Project conversations",
            )
        except (GatedMemError, ValueError, OSError) as exc:
            _fail(str(exc))
    out["generator"] = {"seed": seed, "conversations": conversations}
    _write_json(json_file, out)
    con = _console()
    con.print(
        _systems_table(
            out,
            f"Project conversations: {out['questions']} questions, {out['turns']} turns "
            f"(seed {seed})",
        )
    )
    con.print(_conversations_table(out))
    g = out["systems"]["gated"]
    typer.echo(
        f"gated R@10 {g['recall@10']:.3f} against fused {out['systems']['fused']['recall@10']:.3f} "
        f"and cosine {out['systems']['cosine']['recall@10']:.3f}; stored {g['stored_fraction']:.0%}"
    )
    _threshold_line(out, plots)


@bench_app.command("updates")
def bench_updates(
    data: Annotated[
        Path | None,
        typer.Argument(help="the cases' folder (default: benchdata/updates of this checkout)"),
    ] = None,
    json_file: JsonOption = None,
    weights: WeightsOption = None,
    limit: Annotated[
        int | None, typer.Option(help="only the first N cases of each section (a quick slice)")
    ] = None,
) -> None:
    """Updates and lifetimes on hand-written cases: is the new value of a changed fact
    recalled first, is nothing lost to a related turn that changes nothing, do durable
    facts last and passing states fade, are duplicates stored once, are facts said in the
    middle of a conversation kept. Per split of the kinds of fact (dev / heldout / fresh), beside
    two store-everything baselines."""
    from ..memory.errors import GatedMemError
    from .updates import report, run

    if limit is not None and limit < 1:
        _fail("--limit must be at least 1")
    try:
        out = run(data, weights=weights, limit=limit, log=lambda m: typer.echo(m, err=True))
    except (GatedMemError, ValueError, OSError) as exc:
        _fail(str(exc))
    report(out, log=typer.echo)
    _write_json(json_file, out)


@bench_app.command("lives")
def bench_lives(
    data: Annotated[
        Path | None,
        typer.Argument(help="the conversations' folder (default: benchdata/lives of the checkout)"),
    ] = None,
    json_file: JsonOption = None,
    weights: WeightsOption = None,
) -> None:
    """Whole conversations of one person over months, hand-written: are facts still true
    kept (none superseded by the change of another), are changed ones retired, and is
    each question handed the current value before an outdated one. Beside two
    store-everything baselines."""
    from ..memory.errors import GatedMemError
    from .lives import report, run

    try:
        out = run(data, weights=weights, log=lambda m: typer.echo(m, err=True))
    except (GatedMemError, ValueError, KeyError, OSError) as exc:
        _fail(f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError) else str(exc))
    report(out, log=typer.echo)
    _write_json(json_file, out)


@bench_app.command("select")
def bench_select(
    results: Annotated[
        list[Path], typer.Argument(help="`gatedmem bench locomo --json` files, one per candidate")
    ],
    max_stored: Annotated[
        float, typer.Option(help="candidates must store at most this share of turns")
    ] = 0.6,
    json_file: JsonOption = None,
) -> None:
    """Choose among candidate weights by leave-one-conversation-out on LoCoMo results."""
    from rich.table import Table

    from .select import select

    try:
        out = select(results, max_stored)
    except (ValueError, OSError, KeyError) as exc:
        _fail(f"{exc} (are these `gatedmem bench locomo --json` files?)")
    table = Table(title=f"leave one conversation out (stored <= {max_stored:.0%})")
    for col in ("held out", "chosen on the others", "its R@10 there", "stored"):
        table.add_column(col, justify="right")
    for conv, f in out["folds"].items():
        table.add_row(
            conv,
            f["chosen"] or "none qualifies",
            f"{f['recall@10']:.3f}" if f["chosen"] else "-",
            f"{f['stored_fraction']:.0%}" if f["chosen"] else "-",
        )
    con = _console()
    con.print(table)
    con.print(
        f"held-out recall@10 {out['held_out_recall@10']:.3f}, stored "
        f"{out['held_out_stored_fraction']:.0%}; chosen on all: {out['chosen_on_all']}"
    )
    _write_json(json_file, out)


@bench_app.command("responder")
def bench_responder(
    responder: Annotated[
        BenchResponder, typer.Option(help="the backend; openai needs --base-url and --model")
    ] = BenchResponder.smollm2,
    base_url: Annotated[str | None, typer.Option(help="for --responder openai")] = None,
    model: Annotated[str | None, typer.Option(help="for --responder openai")] = None,
    turns: Annotated[int, typer.Option(help="replies to time")] = 10,
    chat: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=2,
            help="instead of timing, play scripted ten-turn chat 1 or 2 (five facts, five "
            "questions) through the real memory and count the right answers",
        ),
    ] = None,
    json_file: JsonOption = None,
) -> None:
    """Time a reply backend: load, first chunk (token), chunks per second; or, with --chat,
    see whether it answers from the memory."""
    from ..chatbot import OpenAIResponder, ResponderError, scripted
    from ..chatbot.speed import measure

    try:
        if responder is BenchResponder.smollm2:
            from ..chatbot.local_model import SmolLM2Responder

            backend = SmolLM2Responder()
        elif base_url and model:
            backend = OpenAIResponder(base_url, model)
        else:
            _fail("--responder openai needs --base-url and --model")
        if chat is None:
            out = measure(backend, turns)
        else:
            if hasattr(backend, "load"):
                backend.load()
            out = scripted.run(backend, chat)
    except (ResponderError, ValueError) as exc:
        _fail(str(exc))
    for k, v in out.items():
        if k == "turns":
            for t in v:
                typer.echo(f"you> {t['you']}\nbot> {t['bot']}")
        else:
            typer.echo(f"{k}: {v}")
    _write_json(json_file, out)


@bench_app.command("proxy")
def bench_proxy(
    memories: Annotated[
        int, typer.Option(help="memories of the one user the chats are for")
    ] = 10_000,
    turns: Annotated[int, typer.Option(help="timed requests, streamed and then not")] = 200,
    upstream_ms: Annotated[
        float, typer.Option(help="the loopback upstream's time to answer (0: at once)")
    ] = 0.0,
    json_file: JsonOption = None,
    weights: WeightsOption = None,
) -> None:
    """What `gatedmem serve` adds to a chat request beyond the upstream's own time (an
    upstream on loopback), beside one embedding's time."""
    if memories < 1 or turns < 1 or upstream_ms < 0:
        _fail("--memories and --turns must be at least 1, --upstream-ms at least 0")
    if weights:
        os.environ[ENV_WEIGHTS] = weights
    try:
        from .proxy import run
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("fastapi", "starlette", "uvicorn"):
            raise
        _fail("the proxy bench needs the serve extra: pip install 'gatedmem[serve]'")
    out = run(memories, turns, upstream_ms=upstream_ms, log=lambda m: typer.echo(m, err=True))
    from rich.table import Table

    table = Table(
        title=f"gatedmem serve, {out['memories']:,} memories, {out['turns']} requests each "
        "(ms; added: through the proxy minus straight to the upstream; x: added / one "
        "embedding at p50, and at p95 also / one embedding at p95)"
    )
    for col in (
        "answer",
        "upstream p50",
        "added p50 / p95",
        "embedding p50 / p95",
        "x p50",
        "x p95 (/ emb. p95)",
        "after the answer p50",
    ):
        table.add_column(col, justify="right")
    for mode, r in (("streamed", out["stream"]), ("JSON", out["json"])):
        table.add_row(
            mode,
            f"{r['direct_p50_ms']:.2f}",
            f"{r['added_p50_ms']:.2f} / {r['added_p95_ms']:.2f}",
            f"{r['embed_p50_ms']:.2f} / {r['embed_p95_ms']:.2f}",
            f"{r['added_p50_ratio']:.2f}",
            f"{r['added_p95_ratio']:.2f} ({r['added_p95_per_embed_p95']:.2f})",
            f"{r['after_answer_p50_ms']:.2f}",
        )
    _console().print(table)
    _write_json(json_file, out)
