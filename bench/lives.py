"""Whole conversations: does the memory keep what is still true and answer with what is now?

    gatedmem bench lives [DIR] --json lives.json

Reads the hand-written conversations in ``benchdata/lives`` (see its README): one person's
turns to an assistant over months (in some sets with the assistant's replies, observed as
the chat and the proxy observe them, with the speaker "assistant"), in which some lasting
facts change, some related turns change nothing (someone else's news, a visit, a wish, a
second pet ...), and small talk and requests come between. Each conversation's facts are
labelled as still true at its end or changed (by which turn), and questions asked after
its last turn name the turns that answer them and the turns that hold an outdated value.

Each conversation is played as one user of a fresh memory, every turn through ``observe``
at its day; then every question is asked through ``recall`` (the default threshold and k,
nothing reinforced). Scored:

- facts still true: lost (superseded or weakened by the forget gate: the worst error, and
  on a whole conversation the gate may supersede one fact by the change of another on a
  nearby topic), faded (hidden by time), not stored, and kept (none of these);
- facts changed: retired (superseded), and by the turn that changes them;
- questions: answered (a turn that answers it is handed over), answered first, and an
  outdated value handed over before the current one (a stale answer) or at all; with
  ``min_score=0``, a turn that answers it in the first ten (R@10), the ranking alone; and
  how well those ten candidates' scores are calibrated (the expected calibration error).

Beside two store-everything baselines on the same embeddings: cosine over every turn, and
cosine with the newest of the near-ties first, each handing over its first K.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from ..memory.core import GatedMemory
from ..memory.embedding import Embedder, SentenceTransformerEmbedder
from .locomo import TableEmbedder
from .updates import NEAR_TIE, T0, binned, wilson

K = 5  # what recall hands a reply by default, and the baselines' share
RANKED = 10  # R@10: the ranking alone, nothing cut off
TURN_GAP = timedelta(minutes=2)  # between two turns of one day
SYSTEMS = ("gated", "cosine", "cosine_newest")
QUESTION_TYPES = ("changed", "unchanged_near_change", "unchanged", "trap_target")


def default_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "benchdata" / "lives"


def load(data_dir: Path) -> list[dict]:
    """Every conversation of every ``*.json`` file in ``data_dir``, each given its file's
    ``split``; checked, so that a mislabelled case fails loudly instead of scoring."""
    convs: list[dict] = []
    files = sorted(Path(data_dir).glob("*.json"))
    if not files:
        raise ValueError(f"no conversations (*.json) in {data_dir}")
    seen: dict[str, str] = {}
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        for c in data["conversations"]:
            check(c, path.name)
            if c["id"] in seen:  # each is played as one user: two would share a memory
                raise ValueError(f"{path.name}: conversation {c['id']} is in {seen[c['id']]} too")
            seen[c["id"]] = path.name
            convs.append({**c, "split": data["split"]})
    return convs


def check(conv: dict, where: str) -> None:
    """Raises ValueError if a conversation's labels name turns it does not have, or are out
    of order."""
    ids = [t["id"] for t in conv["turns"]]
    order = {t: i for i, t in enumerate(ids)}
    days = [t["day"] for t in conv["turns"]]
    name = f"{where}: {conv['id']}"
    if len(order) != len(ids):
        raise ValueError(f"{name}: a turn id is used twice")
    if days != sorted(days):
        raise ValueError(f"{name}: turns are not in order of their days")
    said_by = {t["id"]: speaker(t) for t in conv["turns"]}
    if set(said_by.values()) - {"user", "assistant"}:
        raise ValueError(f"{name}: a turn's speaker is neither user nor assistant")
    for f in conv["facts"]:
        if f["turn"] not in order:
            raise ValueError(f"{name}: fact of unknown turn {f['turn']}")
        if said_by[f["turn"]] != "user" or said_by.get(f.get("changed_by"), "user") != "user":
            raise ValueError(f"{name}: {f['turn']}: facts and their changes are the user's")
        if f["status"] == "changed":
            by = f.get("changed_by")
            if by not in order or order[by] <= order[f["turn"]]:
                raise ValueError(f"{name}: {f['turn']} is changed by {by}, not a later turn")
        elif f["status"] != "current":
            raise ValueError(f"{name}: {f['turn']} has status {f['status']!r}")
    for q in conv["questions"]:
        named = q["answer_turns"] + q["stale_turns"]
        if not q["answer_turns"] or any(t not in order for t in named):
            raise ValueError(f"{name}: question {q['id']} names no turn or an unknown one")
        if q["day"] <= days[-1]:
            raise ValueError(f"{name}: question {q['id']} is asked before the last turn")
        if q["type"] not in QUESTION_TYPES:
            raise ValueError(f"{name}: question {q['id']} has type {q['type']!r}")


def speaker(turn: dict) -> str:
    """Who says a turn: "user" (the default) or "assistant"."""
    return turn.get("speaker", "user")


def times(conv: dict) -> dict[str, datetime]:
    """When each turn is said: its day, two minutes after the turn before it that day."""
    out: dict[str, datetime] = {}
    prev: tuple[int, datetime] | None = None
    for t in conv["turns"]:
        start = T0 + timedelta(days=t["day"])
        at = prev[1] + TURN_GAP if prev and prev[0] == t["day"] else start
        out[t["id"]] = at
        prev = (t["day"], at)
    return out


def asked_at(q: dict) -> datetime:
    return T0 + timedelta(days=q["day"], hours=12)


def play_gated(mem: GatedMemory, conv: dict) -> dict:
    """Plays one conversation through the gated memory; what the scores need."""
    user, when = conv["id"], times(conv)
    ids: dict[str, int | None] = {}
    for t in conv["turns"]:
        at = when[t["id"]]
        ids[t["id"]] = mem.observe(
            t["text"], user=user, speaker=speaker(t), at=at, session=at.date().isoformat()
        ).memory_id
    turn_of = {m: t for t, m in ids.items() if m is not None}
    last = max(asked_at(q) for q in conv["questions"])
    active = {turn_of[m.id] for m in mem.list(user=user, at=last) if m.id in turn_of}
    facts = {}
    for f in conv["facts"]:
        m = ids[f["turn"]]
        events = mem.history(m, user=user, at=last) if m is not None else []
        retired = [e for e in events if e.kind in ("superseded", "weakened")]
        facts[f["turn"]] = {
            "stored": m is not None,
            "retired": bool(retired),
            "retired_by": [turn_of.get(e.other_id) for e in retired],
            "active": f["turn"] in active,
        }
    questions = {}
    for q in conv["questions"]:
        at = asked_at(q)
        handed = mem.recall(q["text"], user=user, at=at, reinforce=False)
        ranked = mem.recall(q["text"], user=user, at=at, k=RANKED, min_score=0.0, reinforce=False)
        questions[q["id"]] = {
            "handed": [turn_of[h.memory_id] for h in handed],
            "ranked": [turn_of[h.memory_id] for h in ranked],
            "ranked_scores": [round(h.score, 6) for h in ranked],
        }
    return {"facts": facts, "questions": questions}


def scored_pairs(conv: dict, r: dict) -> list[tuple[float, bool]]:
    """(score, relevant) of every candidate the gated memory ranked for a question (the
    first RANKED, nothing cut off): relevant when it answers the question. A turn with an
    outdated value is left out: about the question, and yet not its answer."""
    pairs = []
    for q in conv["questions"]:
        got = r["questions"][q["id"]]
        for turn, score in zip(got["ranked"], got["ranked_scores"], strict=True):
            if turn not in q["stale_turns"]:
                pairs.append((score, turn in q["answer_turns"]))
    return pairs


def play_baseline(emb: TableEmbedder, conv: dict, newest: bool) -> dict:
    """Every turn stored and kept; the first K by cosine (with ``newest``, the newest of
    the near-ties of the best first)."""
    turns = conv["turns"]
    vecs = emb.embed([t["text"] for t in turns])
    facts = {
        f["turn"]: {"stored": True, "retired": False, "retired_by": [], "active": True}
        for f in conv["facts"]
    }
    questions = {}
    for q in conv["questions"]:
        cos = vecs @ emb.embed([q["text"]])[0]
        order = [int(i) for i in np.argsort(-cos, kind="stable")]
        if newest:
            ties = [i for i in order if cos[i] >= cos[order[0]] - NEAR_TIE]
            ties.sort(reverse=True)  # turns are in the order they were said
            order = ties + [i for i in order if i not in ties]
        ranked = [turns[i]["id"] for i in order]
        questions[q["id"]] = {"handed": ranked[:K], "ranked": ranked[:RANKED]}
    return {"facts": facts, "questions": questions}


def score(conv: dict, r: dict) -> list[tuple[str, bool]]:
    """(measure, hit) for every fact and question of one conversation, as one system
    played it."""
    rows: list[tuple[str, bool]] = []
    for f in conv["facts"]:
        s = r["facts"][f["turn"]]
        if f["status"] == "current":
            faded = s["stored"] and not s["retired"] and not s["active"]
            rows += [
                ("current.lost", s["retired"]),
                ("current.faded", faded),
                ("current.not_stored", not s["stored"]),
                ("current.kept", s["stored"] and not s["retired"] and not faded),
            ]
        else:
            rows += [
                ("changed.retired", s["retired"]),
                ("changed.retired_by_change", f["changed_by"] in s["retired_by"]),
            ]
    for q in conv["questions"]:
        got = r["questions"][q["id"]]
        handed, ranked = got["handed"], got["ranked"]
        answer, stale = set(q["answer_turns"]), set(q["stale_turns"])
        first_answer = next((i for i, t in enumerate(handed) if t in answer), None)
        first_stale = next((i for i, t in enumerate(handed) if t in stale), None)
        for group in ("all", q["type"]):
            p = f"q.{group}."
            rows += [
                (p + "answered", first_answer is not None),
                (p + "first", first_answer == 0),
                (p + "r@10", bool(answer & set(ranked))),
            ]
            if stale:
                rows += [
                    (
                        p + "stale_before_answer",
                        first_stale is not None
                        and (first_answer is None or first_stale < first_answer),
                    ),
                    (p + "stale_handed", first_stale is not None),
                ]
        rows.append(("q.handed_count", len(handed)))
    return rows


def _place(measure: str) -> int:
    """Where a measure is reported: facts still true, facts changed, questions of every
    type, then of each type in QUESTION_TYPES' order, then the count handed over."""
    groups = ["current", "changed", "q.all", *(f"q.{t}" for t in QUESTION_TYPES)]
    group = measure.rsplit(".", 1)[0]
    return groups.index(group) if group in groups else len(groups)


def summarise(rows: list[tuple[str, str, str, float]]) -> dict:
    """{split or "all": {measure: {system: share, "n": n, "gated_95": [lo, hi]}}}; for
    q.handed_count the median in place of a share."""
    out: dict[str, dict] = {}
    splits = sorted({s for s, _, _, _ in rows})
    for split in splits + (["all"] if len(splits) > 1 else []):
        mine = [r for r in rows if split == "all" or r[0] == split]
        measures: dict[str, dict] = {}
        for name in sorted(dict.fromkeys(m for _, m, _, _ in mine), key=_place):
            entry: dict = {}
            for system in SYSTEMS:
                vals = [v for _, m, s, v in mine if m == name and s == system]
                if name == "q.handed_count":
                    entry[system] = float(np.median(vals))
                else:
                    entry[system] = sum(vals) / len(vals)
                    if system == "gated":
                        entry["n"] = len(vals)
                        entry["gated_95"] = list(wilson(int(sum(vals)), len(vals)))
            measures[name] = entry
        out[split] = measures
    return out


def run(
    data_dir: Path | None = None,
    embedder: Embedder | None = None,
    weights=None,
    log: Callable[[str], None] = print,
) -> dict:
    """Play every conversation with the gated memory and the baselines; the figures."""
    convs = load(data_dir or default_dir())
    texts = [t["text"] for c in convs for t in c["turns"]]
    texts += [q["text"] for c in convs for q in c["questions"]]
    emb = TableEmbedder(embedder or SentenceTransformerEmbedder(), texts)
    rows: list[tuple[str, str, str, float]] = []
    pairs: list[tuple[float, bool]] = []
    per_conv: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        mem = GatedMemory(f"sqlite:///{Path(tmp) / 'lives.db'}", embedder=emb, weights=weights)
        try:
            for c in convs:
                log(f"{c['id']}: {len(c['turns'])} turns, {len(c['questions'])} questions")
                played = {
                    "gated": play_gated(mem, c),
                    "cosine": play_baseline(emb, c, newest=False),
                    "cosine_newest": play_baseline(emb, c, newest=True),
                }
                for system, r in played.items():
                    rows += [(c["split"], m, system, float(v)) for m, v in score(c, r)]
                pairs += scored_pairs(c, played["gated"])
                per_conv[c["id"]] = {"split": c["split"], **played["gated"]}
        finally:
            mem.close()
    bins, ece = binned(pairs)
    calibration = {
        "candidates": len(pairs),
        "relevant": round(sum(r for _, r in pairs) / max(len(pairs), 1), 3),
        "ece": ece,
        "bins": bins,
    }
    return {
        "summary": summarise(rows),
        "calibration": calibration,
        "conversations": per_conv,
        "K": K,
    }


def report(out: dict, log: Callable[[str], None] = print) -> None:
    """The summary as a table per split: the gated memory, the baselines, the gated 95%
    interval."""
    for split, measures in out["summary"].items():
        log(f"\n{split:<44}{'gated':>8}{'cosine':>16}{'cosine_newest':>16}{'gated 95%':>16}")
        for name, e in measures.items():
            n = f" (n={e['n']})" if "n" in e else " (median)"
            ci = f"{e['gated_95'][0]:.2f}-{e['gated_95'][1]:.2f}" if "gated_95" in e else ""
            baselines = "" if name.startswith(("current.", "changed.")) else "b"
            cos = f"{e['cosine']:>16.3f}{e['cosine_newest']:>16.3f}" if baselines else " " * 32
            log(f"  {name + n:<42}{e['gated']:>8.3f}{cos}{ci:>16}")
    cal = out["calibration"]
    if not cal["candidates"]:
        return
    shown = ", ".join(f"{b['bin']} {b['relevant']:.2f} (n={b['n']})" for b in cal["bins"] if b["n"])
    log(
        f"\nscores of the first {RANKED} candidates of every question (min_score=0; outdated "
        f"values left out): expected calibration error {cal['ece']:.3f} over "
        f"{cal['candidates']} candidates ({cal['relevant']:.0%} relevant); share relevant "
        f"by score: {shown}"
    )
