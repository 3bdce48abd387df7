"""Updates and lifetimes: does the memory hold the current value of a fact, and only that?

    gatedmem bench updates [DIR] --json updates.json

Reads the hand-written cases in ``benchdata/updates`` (written apart from the generator of
training data; see its README) and plays each one, as one user of a fresh memory, through
``observe`` and ``recall`` with the times it gives:

- updates: a fact, unrelated turns, then days later a change of that fact; a week after
  the change a question in other words. Scored: the new value is recalled first; the
  stale memory is no longer recalled; the change was stored at all (one let go is lost).
- controls: the same, but the later turn is related and changes nothing (someone else's
  news, a wish, a visit, an addition ...). Scored: the fact was superseded or weakened by
  the forget gate (a lost fact), or is no longer recalled for its question (together, false
  supersession); and, apart, whether the first memory recalled still states its value.
- durable: a fact observed or explicitly added, asked about two years later. Scored:
  recalled.
- passing: a momentary state, asked about a month later. Scored: not recalled.
- duplicates: one fact said twice in other words. Scored: one active memory holds it.
- in_conversation: a lasting fact said in the middle of a conversation (after greetings,
  small talk or requests, or wrapped in them), asked about a month later. Scored: stored,
  and recalled.
- introductions: the user tells their name (plainly, in a greeting, in a request, or as
  what to be called), first or in the middle of a conversation. Scored as in_conversation.
- greetings: a turn that says nothing lasting (a greeting, thanks, "hey it's me again").
  Scored: not stored.
- named_facts: a lasting fact about someone in the user's life, most often by name ("Zofia
  is 7 years old now."), said first or after small talk. Scored: stored, and kept (stored
  and not judged passing).
- named_chatter: a turn that mentions a named person and says nothing lasting ("Ana says
  hi!", "Marek's asleep on the couch right now."). Scored: not kept (not stored, or judged
  passing).
- endings: a fact, then a month later a turn of the same person that ends it ("Sold the
  Civic", "cancelled hulu"). Scored: the fact was superseded.
- ending_controls: the same, but the later turn leaves the fact true (someone else's
  ending, a plan, a denial, ending one of several things, an ending long ago or undone).
  Scored: the fact was kept (neither superseded nor weakened).
- order: two related turns of one person days or months apart, then a question a week
  later, with which turn a reply should be handed first: the newer where it changes the
  answer, the older where the newer one leaves it true or the question asks about the
  past, either where the newer one says it again. Scored: the first memory recalled is
  that one (reported per type of case too).
- news_changes: as updates, but the change is told as news of the day ("got the raise!!!
  48,500 starting next month") and asked about two months on. Scored: the new value is
  recalled (and first); the change was stored, and not judged passing.
- passing_after: a lasting fact, then days later a momentary state related to it ("tyre
  pressure light on the Octavia came on halfway up the M6"), asked about a month on.
  Scored: the state is not recalled; the fact is still recalled for a question of its own
  and was not superseded or weakened.
- name_traps: a turn that looks like an introduction and tells no name of the speaker's
  ("I'm Catholic, so no meat on Fridays", "Call me Ishmael is the first line of which
  book?"), then "What's my name?" a month later. Scored: nothing is handed over as the name
  asked for.
- near_misses: one fact, then a month later a question it answers in other words, and a
  question about a neighbouring fact it does not answer ("What's my cat called?" of "My
  dog's name is Biscuit"; another person, thing, time or attribute). Scored: the fact is
  recalled for the first; nothing is handed over for the second (a reply may still use a
  memory about the same thing to say what it was never told); and the fact's score for
  the second is under 0.5, where a higher one is a confident wrong score (for the
  baselines, their cosine).

Every score is reported per split (the kinds of fact that may be used to train or choose
settings, the held-out kinds, and the "fresh", "fresh2", "fresh3" and "fresh4" cases
written later by someone who read nothing of the project) beside two store-everything
baselines on the same embeddings: cosine, and cosine with the newest of the near-ties
first. The baselines
store every turn and return the top ``K`` by cosine, with no threshold. Each share comes
with its 95% Wilson interval (``ci95``): with 26 to 110 cases a section, a share is known
to about +-0.1 to +-0.17 (the named sections, of 240 and 320 cases, to about +-0.06), which
is what a difference between two runs must exceed to mean anything. The name traps' store-
everything baselines have no rule that reads names, so they never hand a trap over.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from ..memory.core import GatedMemory
from ..memory.decay import DAY, can_fade
from ..memory.embedding import Embedder, SentenceTransformerEmbedder
from .locomo import TableEmbedder, calibration, read_offtopic

K = 5  # what a reply is handed: recall's default k
CANDIDATES = 20  # ranked for the calibration check, as the LoCoMo bench ranks them
# Sections whose question asks about one memory (the fact): their scores are checked for
# calibration, beside one off-topic request and one question this memory cannot answer
# (another case's, about another kind of fact) asked of the same memory.
SCORED = ("durable", "in_conversation", "introductions", "controls")
# Kinds of fact whose cases can answer one another's questions ("Where's my hometown?" of
# "I'm originally from Porto"): never asked of each other as an untold question.
ALIKE = (
    {"home_city", "childhood_town"},
    {"health_condition", "chronic_condition", "allergy"},
    {"name", "name_told", "named_people", "lifelong_preference"},  # "What name do I go by?"
)
NEAR_TIE = 0.05  # cosine within this of the best counts as a near-tie for the newest-first baseline
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
ASK_AFTER_UPDATE = timedelta(days=7)
NEWS_ASK_AFTER = timedelta(days=60)  # a change told as news is asked about two months on
DURABLE_AFTER = timedelta(days=730)
PASSING_AFTER = timedelta(days=30)
IN_CONVERSATION_AFTER = timedelta(days=30)
SECTIONS = (
    "updates",
    "controls",
    "durable",
    "passing",
    "duplicates",
    "in_conversation",
    "introductions",
    "greetings",
    "named_facts",
    "named_chatter",
    "name_traps",
    "endings",
    "ending_controls",
    "order",
    "news_changes",
    "passing_after",
    "near_misses",
)
NEAR_MISS = "near_miss"  # the one kind (and split fresh3) of every near_misses.json case
NEAR_MISS_4 = "near_miss_4"  # ... and of near_misses_fresh4.json (split fresh4)
CONFIDENT = 0.5  # a score at or above this reads as "more likely relevant than not"
NAMED = ("named_facts", "named_chatter")
SYSTEMS = ("gated", "cosine", "cosine_newest")


def default_dir() -> Path:
    """``benchdata/updates`` of the source checkout this module runs from."""
    return Path(__file__).resolve().parents[1] / "benchdata" / "updates"


def load(data_dir: Path) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """The cases of each section, and each kind of fact's split ("dev", "heldout", or
    another that splits.json names, such as "fresh")."""
    data_dir = Path(data_dir)
    if not (data_dir / "splits.json").is_file():
        raise FileNotFoundError(
            f"{data_dir}: no splits.json here; pass the benchdata/updates folder of a "
            "gatedmem source checkout"
        )
    raw = json.loads((data_dir / "splits.json").read_text())  # {"dev": [kinds], "heldout": ...}
    splits = {
        kind: split for split, kinds in raw.items() if split != "description" for kind in kinds
    }
    cases = {s: json.loads((data_dir / f"{s}.json").read_text())["cases"] for s in SECTIONS}
    for c in cases["near_misses"]:  # one set, written after every setting was chosen
        c["fact_kind"], c["kind"] = c["kind"], NEAR_MISS
    second = data_dir / "near_misses_fresh4.json"  # a second set, written by another hand
    later = json.loads(second.read_text())["cases"] if second.is_file() else []
    for c in later:
        c["fact_kind"], c["kind"] = c["kind"], NEAR_MISS_4
    cases["near_misses"] += later
    missing = {c["kind"] for cs in cases.values() for c in cs} - set(splits)
    if missing:
        raise ValueError(f"{data_dir}/splits.json has no split for {sorted(missing)}")
    return cases, splits


@dataclass
class Turn:
    """One turn a case plays: its text, time, and how it is written (observe or add)."""

    text: str
    at: datetime
    role: str  # "fact", "filler", "later", "first", "second"
    via: str = "observe"


def script(section: str, case: dict) -> tuple[list[Turn], str, datetime]:
    """The turns a case plays, its question, and when the question is asked."""
    if section in ("updates", "controls", "news_changes", "passing_after"):
        later = T0 + timedelta(days=case["days_between"])
        turns = [Turn(case["fact"], T0, "fact")]
        turns += [
            Turn(f, T0 + timedelta(hours=1 + i), "filler") for i, f in enumerate(case["filler"])
        ]
        turns.append(Turn(case.get("update") or case["later"], later, "later"))
        after = {"news_changes": NEWS_ASK_AFTER, "passing_after": PASSING_AFTER}
        return turns, case["question"], later + after.get(section, ASK_AFTER_UPDATE)
    if section == "durable":
        turns = [Turn(case["text"], T0, "fact", case.get("via", "observe"))]
        return turns, case["question"], T0 + DURABLE_AFTER
    if section == "passing":
        return [Turn(case["text"], T0, "fact")], case["question"], T0 + PASSING_AFTER
    if section == "near_misses":
        return [Turn(case["fact"], T0, "fact")], case["answered"], T0 + IN_CONVERSATION_AFTER
    if section in ("in_conversation", "introductions", "greetings", "name_traps", *NAMED):
        before = case["opening"]
        turns = [
            Turn(t, T0 - timedelta(minutes=len(before) - i), "opening")
            for i, t in enumerate(before)
        ]
        turns.append(Turn(case["fact"], T0, "fact"))
        turns += [
            Turn(t, T0 + timedelta(minutes=1 + i), "after") for i, t in enumerate(case["after"])
        ]
        return turns, case.get("question", ""), T0 + IN_CONVERSATION_AFTER
    later = T0 + timedelta(days=case["days_between"])
    if section in ("endings", "ending_controls"):
        return [Turn(case["earlier"], T0, "fact"), Turn(case["later"], later, "later")], "", later
    if section == "order":
        turns = [Turn(case["older"], T0, "fact"), Turn(case["newer"], later, "later")]
        return turns, case["question"], later + ASK_AFTER_UPDATE
    turns = [Turn(case["first"], T0, "first"), Turn(case["second"], later, "second")]
    return turns, "", later


def untold_question(durable: list[dict], kind: str, n: int) -> str | None:
    """A question the memory of a case about ``kind`` was never told the answer to: the
    ``n``-th, in a fixed rotation, of the durable cases' questions about other kinds of fact
    nor of a kind ALIKE to it (nor about a name: "What's my name?" is handed every name
    told, by design). A case's other turns can still answer one ("Do I have any brothers or
    sisters?" of an introduction that names the speaker's brother); the check counts its
    candidates as not relevant all the same."""
    near = set().union(*(group for group in ALIKE if kind in group), {kind, "name"})
    others = [c["question"] for c in durable if c["kind"] not in near]
    return others[(n * 31) % len(others)] if others else None


def play_gated(
    mem: GatedMemory,
    user: str,
    section: str,
    case: dict,
    offtopic: str | None = None,
    untold: str | None = None,
) -> dict:
    """Plays one case through the gated memory and reads off what the scores need; with an
    ``offtopic`` request (and an ``untold`` question, about a fact this case never tells),
    also every candidate's score for the question and for them."""
    turns, question, asked = script(section, case)
    ids: dict[str, int | None] = {}
    passing: dict[str, bool] = {}  # stored, and judged passing: time will hide it
    for t in turns:
        if t.via == "add":
            ids[t.role] = mem.add(t.text, user=user, at=t.at).id
        else:
            obs = mem.observe(t.text, user=user, at=t.at, session=t.at.date().isoformat())
            ids[t.role] = obs.memory_id
            life = obs.half_life_days
            passing[t.role] = life is not None and can_fade(False, obs.input_gate, life * DAY)
    out: dict = {"ids": ids, "judged_passing": passing}
    if question:
        hits = mem.recall(question, user=user, at=asked, reinforce=False)
        out["recalled"] = [h.memory_id for h in hits]
        out["first_text"] = hits[0].text if hits else ""
        out["named"] = [h.memory_id for h in hits if h.gates.get("name_asked")]
    if case.get("fact_question"):
        hits = mem.recall(case["fact_question"], user=user, at=asked, reinforce=False)
        out["fact_recalled"] = [h.memory_id for h in hits]
    if section == "near_misses":
        # What a reply is handed for a question the fact does not answer, and the fact's
        # score for it whether handed over or not.
        near = case["near_miss"]
        out["near"] = [h.memory_id for h in mem.recall(near, user=user, at=asked, reinforce=False)]
        every = mem.recall(near, user=user, at=asked, reinforce=False, min_score=0.0)
        out["near_score"] = max((h.score for h in every if h.memory_id == ids["fact"]), default=0.0)
    if question and offtopic is not None and section in SCORED:
        out["scores"] = scored(mem, user, asked, question, ids, offtopic, untold)
    fact = ids.get("fact")
    kinds = {e.kind for e in mem.history(fact)} if fact is not None else set()
    out["superseded"] = "superseded" in kinds
    out["weakened"] = "weakened" in kinds
    if section == "duplicates":
        out["active"] = len(mem.list(user=user, at=asked))
    return out


def scored(
    mem: GatedMemory,
    user: str,
    at: datetime,
    question: str,
    ids: dict,
    offtopic: str,
    untold: str | None = None,
) -> dict:
    """Every candidate recall ranks for the question (relevant: the fact it asks about; a
    later turn, which may say the fact again, is left out) and for one off-topic request
    (none relevant), each as (score, relevant); and whether the request got nothing at the
    default threshold. With an ``untold`` question (about a fact the memory was never told),
    the same for it, apart ("untold_pairs", "untold_silent")."""

    def ranked(text: str) -> list:
        return mem.recall(text, user=user, at=at, k=CANDIDATES, min_score=0.0, reinforce=False)

    later = ids.get("later")
    pairs = [
        (h.score, h.memory_id == ids.get("fact")) for h in ranked(question) if h.memory_id != later
    ]
    silent = not mem.recall(offtopic, user=user, at=at, reinforce=False)
    out = {"pairs": pairs + [(h.score, False) for h in ranked(offtopic)], "silent": silent}
    if untold:
        out["untold_pairs"] = [(h.score, False) for h in ranked(untold)]
        out["untold_silent"] = not mem.recall(untold, user=user, at=at, reinforce=False)
    return out


def reliability(
    pairs: list[tuple[float, bool]],
    silent: list[bool],
    untold: list[list[tuple[float, bool]]] = (),
    untold_silent: list[bool] = (),
) -> dict:
    """How well the scores are calibrated on these small memories: the expected calibration
    error (ten bins), each bin's mean score and share relevant, and the share of the
    off-topic requests that got nothing. With the candidates of ``untold`` questions (one
    list a question, none relevant): the error with them counted too, the share of those
    questions that got nothing, and the share whose best candidate scored 0.5 or more."""
    bins, ece = binned(pairs)
    out = {
        "candidates": len(pairs),
        "relevant": round(sum(r for _, r in pairs) / len(pairs), 3),
        "ece": ece,
        "bins": bins,
        "offtopic_requests": len(silent),
        "offtopic_silent": round(sum(silent) / len(silent), 3),
    }
    if untold:
        out["untold_requests"] = len(untold)
        out["untold_silent"] = round(sum(untold_silent) / len(untold_silent), 3)
        best = [max((s for s, _ in u), default=0.0) for u in untold]
        out["untold_confident"] = round(sum(b >= 0.5 for b in best) / len(best), 3)
        out["ece_with_untold"] = binned(pairs + [c for u in untold for c in u])[1]
    return out


def binned(pairs: list[tuple[float, bool]]) -> tuple[list[dict], float]:
    """Ten bins of score (each one's size, mean score and share relevant) and the expected
    calibration error over them, as the LoCoMo bench computes them."""
    cal = calibration(pairs)
    bins = [
        {
            "bin": f"{b['from']:.1f}-{b['to']:.1f}",
            "n": b["candidates"],
            "score": b["mean_score"],
            "relevant": b["relevant"],
        }
        for b in cal["bins"]
    ]
    return bins, cal["ece"]


def play_baseline(emb: TableEmbedder, section: str, case: dict, newest: bool) -> dict:
    """Every turn stored; the top K by cosine (newest first among near-ties if ``newest``)."""
    turns, question, _ = script(section, case)
    ids = {t.role: i for i, t in enumerate(turns)}
    out: dict = {"ids": ids}
    if question:
        vecs = emb.embed([t.text for t in turns])  # (n, d)
        cos = vecs @ emb.embed([question])[0]  # (n,)
        order = list(np.argsort(-cos, kind="stable"))
        if newest:
            ties = [i for i in order if cos[i] >= cos[order[0]] - NEAR_TIE]
            ties.sort(key=lambda i: turns[i].at, reverse=True)
            order = ties + [i for i in order if i not in ties]
        out["recalled"] = [int(i) for i in order[:K]]
        out["first_text"] = turns[order[0]].text
        if case.get("fact_question"):
            cos = vecs @ emb.embed([case["fact_question"]])[0]
            out["fact_recalled"] = [int(i) for i in np.argsort(-cos, kind="stable")[:K]]
        if section == "near_misses":  # every turn is handed over; its score is the cosine
            cos = vecs @ emb.embed([case["near_miss"]])[0]
            out["near"], out["near_score"] = [ids["fact"]], float(cos[ids["fact"]])
    out["superseded"] = out["weakened"] = False
    out["judged_passing"] = {}  # nothing fades
    if section == "duplicates":
        out["active"] = len(turns)
    return out


def score(section: str, case: dict, r: dict) -> dict[str, bool]:
    """The per-case outcomes of one system (True is good, except for false_supersession)."""
    ids, rec = r["ids"], r.get("recalled", [])
    fact = ids.get("fact")
    # A lasting fact judged passing is lost a month on, if nothing recalls it meanwhile.
    judged = r.get("judged_passing", {})
    fades = judged.get("fact", False)
    if section in ("updates", "news_changes"):
        new = ids.get("later")
        if section == "news_changes":  # asked two months on: the change must still be there
            return {
                "new_recalled": new is not None and new in rec,
                "new_first": new is not None and rec[:1] == [new],
                "new_stored": new is not None,
                "new_judged_passing": judged.get("later", False),
            }
        return {
            "new_first": new is not None and rec[:1] == [new],
            "stale_hidden": fact is None or fact not in rec,
            "new_stored": new is not None,  # a change let go is lost, whatever recall does
            "new_judged_passing": judged.get("later", False),
        }
    if section == "controls":
        lost = r["superseded"] or r["weakened"]
        hidden = fact is None or fact not in rec
        # The first memory a reply is handed states the fact's value (the fact itself, or
        # a later turn that restates it).
        first = case["value"].casefold() in r.get("first_text", "").casefold()
        return {
            "false_supersession": lost or hidden,
            "lost": lost,
            "hidden": hidden,
            "value_first": first,
            "judged_passing": fades,
        }
    if section == "durable":
        return {"recalled": fact is not None and fact in rec, "judged_passing": fades}
    if section == "passing":
        return {"not_recalled": fact is None or fact not in rec}
    if section == "near_misses":
        return {
            "recalled": fact is not None and fact in rec,
            # Silent about a fact it holds: a memory that stored nothing is not counted so.
            "near_miss_silent": fact is not None and not r["near"],
            # The fact scored as more likely relevant than not for a question it does not
            # answer: a confident wrong score (bad when True).
            "near_miss_confident": r["near_score"] >= CONFIDENT,
        }
    if section == "passing_after":  # a momentary state that follows a lasting fact it touches
        state = ids.get("later")
        return {
            "not_recalled": state is None or state not in rec,
            "fact_recalled": fact is not None and fact in r.get("fact_recalled", []),
            "fact_lost": r["superseded"] or r["weakened"],
            "judged_passing": state is not None and judged.get("later", False),
        }
    if section in ("in_conversation", "introductions"):
        return {
            "stored": fact is not None,
            "recalled": fact is not None and fact in rec,
            "judged_passing": fades,
        }
    if section == "greetings":
        return {"not_stored": fact is None}
    if section == "named_facts":
        return {"stored": fact is not None, "kept": fact is not None and not fades}
    if section == "named_chatter":
        return {"not_kept": fact is None or fades}
    if section == "name_traps":
        return {"not_named": not r.get("named")}
    if section == "endings":
        return {"superseded": r["superseded"]}
    if section == "ending_controls":
        return {"kept": not (r["superseded"] or r["weakened"])}
    if section == "order":
        first = rec[0] if rec else None
        want = {"older": [fact], "newer": [ids.get("later")], "either": [fact, ids.get("later")]}
        return {"first_right": first is not None and first in want[case["first"]]}
    return {"stored_once": r["active"] == 1}


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of the share ``hits / n`` (95% for the default z)."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))


def summarise(rows: list[tuple[str, str, str, dict[str, bool]]]) -> dict:
    """Shares per split, section and system from (split, section, system, outcomes) rows."""
    out: dict = {}
    for split in sorted({r[0] for r in rows}) + ["all"]:
        for section in SECTIONS:
            for system in SYSTEMS:
                sel = [
                    o
                    for sp, se, sy, o in rows
                    if (split == "all" or sp == split) and se == section and sy == system
                ]
                if not sel:
                    continue
                cell = out.setdefault(split, {}).setdefault(section, {})
                hits = {m: sum(o[m] for o in sel) for m in sel[0]}
                cell[system] = {m: round(h / len(sel), 3) for m, h in hits.items()} | {
                    "n": len(sel),
                    "ci95": {
                        m: [round(x, 3) for x in wilson(h, len(sel))] for m, h in hits.items()
                    },
                }
    return out


def run(
    data_dir: Path | None = None,
    embedder: Embedder | None = None,
    weights=None,
    limit: int | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Play every case (or the first ``limit`` of each section) and summarise the scores."""
    cases, splits = load(data_dir or default_dir())
    durable = cases["durable"]  # every one's question may be asked as an untold one
    if limit:
        cases = {s: c[:limit] for s, c in cases.items()}
    texts = [t.text for s, cs in cases.items() for c in cs for t in script(s, c)[0]] + [
        script(s, c)[1] for s, cs in cases.items() for c in cs
    ]
    texts += [c["question"] for c in durable]
    offtopic = [r["text"] for r in read_offtopic()]
    emb = TableEmbedder(
        embedder or SentenceTransformerEmbedder(), [t for t in texts if t] + offtopic
    )
    pairs: list[tuple[float, bool]] = []
    silent: list[bool] = []
    untold: list[list[tuple[float, bool]]] = []
    untold_silent: list[bool] = []
    rows = []
    per_case: dict[str, dict] = {}
    by_type: list[tuple[str, str, bool]] = []  # the order section's (type, system, right)
    with tempfile.TemporaryDirectory() as tmp:
        mem = GatedMemory(f"sqlite:///{Path(tmp) / 'updates.db'}", embedder=emb, weights=weights)
        try:
            for section, cs in cases.items():
                log(f"{section}: {len(cs)} cases")
                for c in cs:
                    split = splits[c["kind"]]
                    off = offtopic[len(silent) % len(offtopic)]
                    other = untold_question(durable, c["kind"], len(silent))
                    results = {
                        "gated": play_gated(mem, c["id"], section, c, off, other),
                        "cosine": play_baseline(emb, section, c, newest=False),
                        "cosine_newest": play_baseline(emb, section, c, newest=True),
                    }
                    if "scores" in results["gated"]:
                        pairs += results["gated"]["scores"]["pairs"]
                        silent.append(results["gated"]["scores"]["silent"])
                        if "untold_pairs" in results["gated"]["scores"]:
                            untold.append(results["gated"]["scores"]["untold_pairs"])
                            untold_silent.append(results["gated"]["scores"]["untold_silent"])
                    for system, r in results.items():
                        rows.append((split, section, system, score(section, c, r)))
                    per_case[c["id"]] = {"split": split, **score(section, c, results["gated"])}
                    if "said" in c:
                        per_case[c["id"]]["said"] = c["said"]
                    if section == "order":
                        for system, r in results.items():
                            by_type.append((c["type"], system, score(section, c, r)["first_right"]))
        finally:
            mem.close()
    return {
        "summary": summarise(rows),
        "cases": per_case,
        "K": K,
        "named_by_said": by_said(cases, per_case),
        "order_by_type": order_by_type(by_type),
        "calibration": reliability(pairs, silent, untold, untold_silent) if pairs else {},
    }


def order_by_type(rows: list[tuple[str, str, bool]]) -> dict:
    """The order section's share of right firsts per type of case and system: a rule that
    puts the newer turn first gains on updates what it may lose on the other types."""
    out: dict = {}
    for t in dict.fromkeys(r[0] for r in rows):
        cell = out.setdefault(t, {})
        for system in SYSTEMS:
            sel = [ok for ty, sy, ok in rows if ty == t and sy == system]
            cell[system] = round(sum(sel) / len(sel), 3)
        cell["n"] = len(sel)
    return out


def by_said(cases: dict[str, list[dict]], per_case: dict[str, dict]) -> dict:
    """The gated memory's named_* shares, apart for a turn said first and one said after
    small talk: a memory that stores a fact only when it opens a conversation fails people.
    Splits are pooled (each named section is one held-out kind)."""
    out: dict = {}
    for section in NAMED:
        for c in cases.get(section, []):
            o = per_case[c["id"]]
            cell = out.setdefault(section, {}).setdefault(c["said"], {})
            for m, v in o.items():
                if isinstance(v, bool):
                    cell.setdefault(m, []).append(v)
    return {
        section: {
            said: {m: round(sum(v) / len(v), 3) for m, v in ms.items()}
            | {"n": len(next(iter(ms.values())))}
            for said, ms in saids.items()
        }
        for section, saids in out.items()
    }


def report(out: dict, log: Callable[[str], None] = print) -> None:
    """Prints the summary as one table per split, with the gated memory's 95% interval."""
    names = {
        "updates": ("new_first", "stale_hidden", "new_stored", "new_judged_passing"),
        "controls": ("false_supersession", "lost", "hidden", "value_first", "judged_passing"),
        "durable": ("recalled", "judged_passing"),
        "passing": ("not_recalled",),
        "duplicates": ("stored_once",),
        "in_conversation": ("stored", "recalled", "judged_passing"),
        "introductions": ("stored", "recalled", "judged_passing"),
        "greetings": ("not_stored",),
        "named_facts": ("stored", "kept"),
        "named_chatter": ("not_kept",),
        "name_traps": ("not_named",),
        "endings": ("superseded",),
        "ending_controls": ("kept",),
        "order": ("first_right",),
        "news_changes": ("new_recalled", "new_first", "new_stored", "new_judged_passing"),
        "passing_after": ("not_recalled", "fact_recalled", "fact_lost", "judged_passing"),
        "near_misses": ("recalled", "near_miss_silent", "near_miss_confident"),
    }
    for split, sections in out["summary"].items():
        header = "   ".join(f"{s:>13}" for s in SYSTEMS)
        log(f"\n{split}" + " " * (40 - len(split)) + header + f"   {'gated 95%':>13}")
        for section, metrics in names.items():
            if section not in sections:
                continue
            for m in metrics:
                cells = sections[section]
                vals = "   ".join(f"{cells[s][m]:>13.3f}" for s in SYSTEMS if s in cells)
                lo, hi = cells["gated"]["ci95"][m]
                label = f"{section}.{m} (n={cells['gated']['n']})"
                log(f"  {label:<38}{vals}   {f'{lo:.2f}-{hi:.2f}':>13}")
    for t, shares in out.get("order_by_type", {}).items():
        log(
            f"order, {t.replace('_', ' ')} (n={shares['n']}): first right "
            + ", ".join(f"{s} {shares[s]:.3f}" for s in SYSTEMS)
        )
    for section, saids in out.get("named_by_said", {}).items():
        for said, shares in saids.items():
            log(
                f"{section}, said {said.replace('_', ' ')} (gated, n={shares['n']}): "
                + ", ".join(f"{m} {v:.3f}" for m, v in shares.items() if m != "n")
            )
    cal = out.get("calibration")
    if cal:
        log(
            f"scores on these small memories (the questions of {', '.join(SCORED)}, and one "
            f"off-topic request each): expected calibration error {cal['ece']:.3f} over "
            f"{cal['candidates']} candidates ({cal['relevant']:.0%} relevant); "
            f"{cal['offtopic_silent']:.1%} of {cal['offtopic_requests']} off-topic requests "
            "get nothing; by score: "
            + ", ".join(f"{b['bin']} {b['relevant']:.2f} (n={b['n']})" for b in cal["bins"])
        )
    if cal and "untold_requests" in cal:
        log(
            f"questions about a fact the memory was never told ({cal['untold_requests']}, one "
            f"a case): {cal['untold_silent']:.1%} get nothing, {cal['untold_confident']:.1%} "
            f"have a candidate scored 0.5 or more; expected calibration error with them "
            f"{cal['ece_with_untold']:.3f}"
        )
