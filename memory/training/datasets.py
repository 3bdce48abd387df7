"""Readers for the conversation data the gates are trained and evaluated on.

Each reader returns :class:`Dialogue` objects: turns in order with speakers and, where the
data has them, times, persona facts and questions.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass
class Turn:
    speaker: str
    text: str
    at: float | None = None  # epoch seconds
    ref: str | None = None  # the data's own id of the turn (LoCoMo dia_id)


@dataclass
class Question:
    text: str
    evidence: list[str]  # refs of the turns that answer it
    category: int | None = None
    answer: str | None = None


@dataclass
class Dialogue:
    id: str
    turns: list[Turn]
    personas: dict[str, list[str]] = field(default_factory=dict)  # speaker -> facts
    questions: list[Question] = field(default_factory=list)


# A speaker telling their own name: "my name is John", "call me Bex", "Hi, I'm Sarah."
# ("I'm" only where a name plausibly follows: at a sentence's or a greeting's start, and
# before punctuation, so "I'm tired of it" is not read as a name).
_INTRODUCTIONS = (
    re.compile(r"\bmy name(?:'s| is)\s+(\w[\w'-]*)", re.I),
    re.compile(r"\b(?:call me|i go by)\s+(\w[\w'-]*)", re.I),
    re.compile(r"(?:^|[.!?,]\s*|\b(?:hi|hello|hey)\W+)(?:i'm|i am)\s+(\w+)[.,!]", re.I),
)
_PLACEHOLDERS = {"User", "Name"}  # generated dialogues' unfilled "My name is User 2."


def introduces_self(text: str) -> bool:
    """Whether a turn tells its speaker's name, a capitalised word after "my name is",
    "call me", "I go by" or a greeting's "I'm". A name is a lasting fact about the speaker
    that Persona-Chat's persona lists leave out, so the labels read from them miss it."""
    for pattern in _INTRODUCTIONS:
        for m in pattern.finditer(text):
            name = m.group(1)
            if name[0].isupper() and name not in _PLACEHOLDERS:
                return True
    return False


def read_persona_chat(path: str | Path) -> list[Dialogue]:
    """Synthetic-Persona-Chat CSV: persona sentences of both users and the conversation."""
    out = []
    with open(path, newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f)):
            personas = {
                "User 1": [s.strip() for s in row["user 1 personas"].splitlines() if s.strip()],
                "User 2": [s.strip() for s in row["user 2 personas"].splitlines() if s.strip()],
            }
            turns = []
            for line in row["Best Generated Conversation"].splitlines():
                speaker, sep, text = line.partition(":")
                if sep and speaker.strip() in personas and text.strip():
                    turns.append(Turn(speaker=speaker.strip(), text=text.strip()))
            if turns:
                out.append(Dialogue(id=f"{Path(path).stem}-{n}", turns=turns, personas=personas))
    return out


def read_memorybank(path: str | Path) -> list[Dialogue]:
    """MemoryBank's ``memory_bank_en.json``: each user's dated exchanges with an assistant."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for name, user in data.items():
        turns = []
        for day, exchanges in sorted(user.get("history", {}).items()):
            at = datetime.strptime(day, "%Y-%m-%d").timestamp()
            for i, ex in enumerate(exchanges):
                if ex.get("query"):
                    turns.append(Turn(speaker=name, text=ex["query"].strip(), at=at + 120 * i))
                if ex.get("response"):
                    turns.append(Turn("assistant", ex["response"].strip(), at=at + 120 * i + 60))
        out.append(Dialogue(id=f"memorybank-{name}", turns=turns))
    return out


_LOCOMO_REF = re.compile(r"D\s*:?\s*(\d+)\s*:\s*(\d+)")


def locomo_refs(evidence: str) -> list[str]:
    """Normalise LoCoMo evidence ids ("D8:6; D9:17", "D:11:26", "D30:05") to D<s>:<t>."""
    return [f"D{int(s)}:{int(t)}" for s, t in _LOCOMO_REF.findall(evidence)]


def parse_locomo_date(s: str) -> float:
    """'1:56 pm on 8 May, 2023' -> epoch seconds."""
    return datetime.strptime(s.strip(), "%I:%M %p on %d %B, %Y").timestamp()


def read_locomo(path: str | Path) -> list[Dialogue]:
    """LoCoMo JSON: sessions of turns with dates, and questions with evidence turn ids."""
    out = []
    for conv in json.loads(Path(path).read_text(encoding="utf-8")):
        c = conv["conversation"]
        turns = []
        n = 1
        while f"session_{n}" in c:
            at = parse_locomo_date(c[f"session_{n}_date_time"])
            for i, t in enumerate(c[f"session_{n}"]):
                text = t["text"]
                if t.get("blip_caption"):
                    text = f"{text} [shares an image: {t['blip_caption']}]"
                turns.append(Turn(t["speaker"], text, at=at + 30 * i, ref=t["dia_id"]))
            n += 1
        qs = []
        for q in conv.get("qa", []):
            refs = [r for ev in q.get("evidence", []) for r in locomo_refs(str(ev))]
            answer = q.get("answer", q.get("adversarial_answer"))
            qs.append(
                Question(
                    q["question"], refs, q.get("category"), None if answer is None else str(answer)
                )
            )
        out.append(Dialogue(id=conv["sample_id"], turns=turns, questions=qs))
    return out


JSONL_FORMAT = """\
One JSON object per line; lines of one dialogue share its "dialogue" id and come in order.

  {"dialogue": "d1", "speaker": "Maria", "text": "I moved to Berlin.", "at": "2024-05-01",
   "id": "t1"}   (each object on one line; wrapped here to fit)
  {"dialogue": "d1", "question": "Where does Maria live?", "evidence": ["t1"]}
  {"dialogue": "d1", "speaker": "Maria", "fact": "Maria lives in Berlin."}

A turn has "speaker" and "text", and optionally "at" (ISO 8601 or epoch seconds) and "id"
(what questions cite as evidence). A question names the turn ids that answer it. A fact is
a durable truth about a speaker, the signal of what is worth storing. Only turns are
required; questions and facts are what the gates learn from, when present.
"""


def read_jsonl(path: str | Path) -> list[Dialogue]:
    """A user's own dialogues in the JSONL format above (see ``JSONL_FORMAT``)."""
    dialogues: dict[str, Dialogue] = {}
    cited: list[tuple[int, Dialogue, list[str]]] = []  # (line, dialogue, evidence) to check
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc})") from None
            if not isinstance(row, dict) or not isinstance(row.get("dialogue"), str | int):
                raise ValueError(f"{path}:{n}: expected an object with a 'dialogue' id")
            d = dialogues.setdefault(str(row["dialogue"]), Dialogue(str(row["dialogue"]), []))
            if "question" in row:
                ev = row.get("evidence", [])
                if not isinstance(ev, list) or not all(isinstance(e, str | int) for e in ev):
                    raise ValueError(f"{path}:{n}: 'evidence' must be a list of turn ids")
                d.questions.append(Question(str(row["question"]), [str(e) for e in ev]))
                cited.append((n, d, [str(e) for e in ev]))
            elif "fact" in row:
                d.personas.setdefault(str(row.get("speaker", "user")), []).append(str(row["fact"]))
            elif "text" in row:
                text = row["text"]
                if not isinstance(text, str) or not text.strip():
                    raise ValueError(f"{path}:{n}: 'text' must be a non-empty string")
                at = row.get("at")
                if isinstance(at, str):
                    try:
                        at = datetime.fromisoformat(at).timestamp()
                    except ValueError:
                        raise ValueError(f"{path}:{n}: 'at' is not an ISO 8601 time") from None
                elif at is not None and not isinstance(at, int | float):
                    raise ValueError(f"{path}:{n}: 'at' must be ISO 8601 or epoch seconds")
                ref = row.get("id")
                d.turns.append(
                    Turn(
                        str(row.get("speaker", "user")),
                        text.strip(),
                        at,
                        None if ref is None else str(ref),
                    )
                )
            else:
                raise ValueError(f"{path}:{n}: a line needs 'text', 'question' or 'fact'")
    for n, d, evidence in cited:  # a turn may be given after the question that cites it
        ids = {t.ref for t in d.turns}
        if missing := [e for e in evidence if e not in ids]:
            raise ValueError(
                f"{path}:{n}: evidence {', '.join(missing)} is no turn id of dialogue "
                f"{d.id!r}; give each cited turn an 'id'"
            )
    return [d for d in dialogues.values() if d.turns]


FORMATS = ("locomo", "persona-chat", "memorybank", "jsonl")


def detect_format(path: str | Path) -> str:
    """The format of a data file, from its name and first bytes."""
    p = Path(path)
    if p.suffix == ".csv":
        return "persona-chat"
    if p.suffix == ".jsonl":
        return "jsonl"
    head = p.read_text(encoding="utf-8", errors="replace")[:2000].lstrip()
    if head.startswith("["):
        return "locomo"
    if head.startswith("{") and '"history"' in head:
        return "memorybank"
    if head.startswith("{"):
        return "jsonl"
    raise ValueError(f"cannot tell the format of {p}; name it with --format ({', '.join(FORMATS)})")


def read_dialogues(path: str | Path, fmt: str = "auto") -> list[Dialogue]:
    """Read any of the supported formats (``auto`` detects it)."""
    fmt = detect_format(path) if fmt == "auto" else fmt
    readers = {
        "locomo": read_locomo,
        "persona-chat": read_persona_chat,
        "memorybank": read_memorybank,
        "jsonl": read_jsonl,
    }
    if fmt not in readers:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return readers[fmt](path)
