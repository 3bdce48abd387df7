"""The small value types that :class:`memory.GatedMemory` returns. All frozen dataclasses."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from . import decay

ACTIONS = ("keep", "weaken", "supersede")  # the forget gate's content head, in output order


def json_safe(value: Any) -> Any:
    """``value`` with every NaN or infinity (which strict JSON has no word for) as None:
    metadata stored before it was checked as strict JSON still reads back, lists and
    exports."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def to_datetime(ts: float | None) -> datetime | None:
    """Epoch seconds (as stored) to an aware UTC datetime."""
    return None if ts is None else datetime.fromtimestamp(ts, tz=timezone.utc)


@dataclass(frozen=True)
class Memory:
    """One stored memory, with its strength computed for the time it was read."""

    id: int
    user: str
    text: str
    strength: float  # now, after decay (pinned memories do not decay)
    created_at: datetime
    pinned: bool
    forgotten: bool  # forgotten softly (by a person, or faded below the floor); restorable
    superseded_by: int | None  # the memory that made this one stale, if any
    half_life_days: float  # assigned by the forget gate when written
    # The input gate's value when written (None for explicit adds); for dated news or a name
    # it let go, the threshold (its own value is in the "written" event).
    input_gate: float | None
    speaker: str
    session: str | None
    source: str  # "observe", "add" or "import"
    recall_count: int
    last_recalled_at: datetime | None
    forgotten_at: datetime | None
    metadata: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Any, user: str, now: float) -> Memory:
        """The memory a stored row (storage.MemoryRow) holds, read at ``now`` (epoch s)."""
        gone = row.forgotten_at is not None or decay.has_faded(row, now)
        when = row.forgotten_at
        if when is None and gone:
            when = decay.faded_at(row)
        return cls(
            id=row.id,
            user=user,
            text=row.text,
            strength=decay.decayed(row, now),
            created_at=to_datetime(row.created_at),
            pinned=row.pinned,
            forgotten=gone,
            superseded_by=row.superseded_by,
            half_life_days=row.half_life / decay.DAY,
            input_gate=row.input_gate,
            speaker=row.speaker,
            session=row.session,
            source=row.source,
            recall_count=row.recall_count,
            last_recalled_at=to_datetime(row.last_recalled_at),
            forgotten_at=to_datetime(when),
            metadata=dict(row.meta or {}),
        )

    @property
    def active(self) -> bool:
        """True when recall can return this memory (neither forgotten nor superseded)."""
        return not self.forgotten and self.superseded_by is None

    @property
    def lifetime(self) -> str:
        """How time treats it: "kept" (pinned or added; time never hides it), "lasting" (the
        forget gate judged it lasting: time ranks it lower but never hides it) or "passing"
        (time hides it once its strength falls below the floor)."""
        return decay.lifetime(self.pinned, self.input_gate, self.half_life_days * decay.DAY)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("created_at", "last_recalled_at", "forgotten_at"):
            d[key] = d[key].isoformat() if d[key] else None
        d["metadata"] = json_safe(d["metadata"])
        d["active"] = self.active
        d["lifetime"] = self.lifetime
        return d


@dataclass(frozen=True)
class Decision:
    """What the forget gate decided about one stored memory when a new utterance came in."""

    memory_id: int
    action: str  # "keep" or "supersede" (the head's P(weaken) is reported, not acted on)
    probabilities: dict[str, float]
    similarity: float
    note: str = ""  # why the action is not the one the probabilities alone would give


@dataclass(frozen=True)
class Observation:
    """The outcome of :meth:`GatedMemory.observe` for one conversation turn."""

    stored: bool
    memory_id: int | None
    input_gate: float  # P(store) from the input gate
    superseded: list[int]  # ids of memories this turn made stale
    strength: float | None = None  # initial strength when stored
    half_life_days: float | None = None
    decisions: list[Decision] = field(default_factory=list)  # forget-gate verdicts, nearest first
    reason: str = ""  # one line: why it was or was not stored
    restated: int | None = None  # the memory it said again word for word (not stored: reinforced)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Recall:
    """One memory selected by the output gate for a query, best first.

    ``score`` is the probability that the memory is relevant to the query, as calibrated on
    conversations the gates were not trained on (for gates without a calibration, the output
    gate's own value). ``gates`` holds the signals behind it: ``output`` (the output gate's
    value, which ranks candidates against each other), ``cosine`` (with the query; for a
    memory that superseded others, the closest of theirs where that is higher, and then
    ``via_superseded`` is the id of that one), ``bm25``, ``lexical`` (share of the query's
    content words it contains), ``strength`` (now, with recall's reinforcement), ``prior``
    (what the output gate read: the input gate's value decayed since the memory was
    written), ``age_days`` and ``input`` (the input gate's value; 1 for explicit adds) and
    ``best_cosine`` (the query's best cosine with any candidate: how close anything in
    memory comes to it) and ``memories`` (how many active memories the user had to choose
    from); and, where a rule placed it, ``name_asked``, ``newer_first`` or ``may_update``
    (GatedMemory.recall).
    """

    memory_id: int
    text: str
    score: float  # P(relevant to the query), in (0, 1)
    gates: dict[str, float]  # the signals behind the score (above)
    created_at: datetime
    speaker: str
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["created_at"] = self.created_at.isoformat()
        d["metadata"] = json_safe(d["metadata"])
        return d


@dataclass(frozen=True)
class Event:
    """One decision in a memory's history."""

    memory_id: int
    at: datetime
    kind: str  # written, added, imported, superseded, supersedes, faded, recalled, restated,
    #           forgotten, evicted, restored, pinned, unpinned (and weakened, until 2026-12)
    value: float | None = None  # the gate value behind the decision, where there is one
    other_id: int | None = None  # the memory on the other side of a supersession
    query: str | None = None  # the query, for "recalled"
    actor: str | None = None  # "gate", "user", "decay", "import" ...
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Any) -> Event:
        """The event a stored row (storage.EventRow) holds."""
        return cls(
            memory_id=row.memory_id,
            at=to_datetime(row.at),
            kind=row.kind,
            value=row.value,
            other_id=row.other_id,
            query=row.query,
            actor=row.actor,
            detail=dict(row.detail or {}),
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["at"] = self.at.isoformat()
        return d
