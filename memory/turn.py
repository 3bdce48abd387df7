"""What the gates decide for one turn, as pure functions.

:func:`decide_turn` goes from a checked :class:`Turn`, its embedding, what the index holds
near it (:class:`Nearby`) and the context vector to a :class:`TurnDecision`: store it or
not, at what strength and half-life, and which memories it makes stale.
:func:`choose_eviction` picks the memory a full memory lets go. Nothing here reads or
writes the database or changes the index: :mod:`memory.apply` does that with a decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import decisions, validate
from .decay import DAY, PASSING_DAYS, can_fade
from .decisions import Neighbour
from .features import (
    TextCues,
    bare_name,
    dated,
    hedged,
    names_a_value,
    new_values,
    only_requests,
    supposes,
    tells_dated,
    tells_name,
    text_features,
    wording,
)
from .index import UserIndex
from .types import Decision, Observation

NEIGHBOURS = 8  # stored memories the forget gate examines for each new utterance
NEIGHBOUR_MIN_COS = 0.15  # ... among those at least this similar (pruning, not a decision)
LISTED_VALUES = 8  # the new values a decision names (a pasted table may hold hundreds)

NEVER_HOURS = 1e9  # the half-life of a memory that does not decay (about 114,000 years)
EVICTION = ("gate", "fifo", "lru")  # what goes when a user's memory is full

BOT_SPEAKERS = frozenset({"assistant", "bot", "ai", "system"})


def is_bot(speaker: str) -> bool:
    """Speakers whose turns go through the input gate but never make a memory stale."""
    return speaker.strip().lower() in BOT_SPEAKERS


@dataclass(frozen=True)
class Turn:
    """A checked turn: what observe, observe_many and add were given, validated."""

    text: str
    user: str
    speaker: str
    session: str | None
    metadata: dict[str, Any] | None
    at: float
    source: str  # "observe" (the input gate decides) or "add" (stored whatever it says)
    pinned: bool

    @classmethod
    def check(cls, text, user, speaker, session, at, metadata, source: str, pinned: bool) -> Turn:
        """Validate every field (raises the errors observe documents)."""
        return cls(
            text=validate.text(text),
            user=validate.user(user),
            speaker=validate.label(speaker, "speaker"),
            session=None if session is None else validate.label(str(session), "session"),
            metadata=validate.metadata(metadata),
            at=validate.timestamp(at),
            source=source,
            pinned=pinned,
        )

    @property
    def observed(self) -> bool:
        return self.source == "observe"


@dataclass(frozen=True)
class Restated:
    """A live memory that the new turn says again, word for word, in the same voice."""

    memory_id: int
    strength: float  # now, after decay


@dataclass(frozen=True)
class Replaces:
    """The lasting memory that a turn the time head judged passing supersedes: the turn
    takes its half-life, which the time head's value for the turn is below."""

    memory_id: int
    half_life_hours: float
    time_head_hours: float


@dataclass(frozen=True)
class NewValues:
    """Values a turn names that none of its speaker's memories near it holds (the first
    LISTED_VALUES), and the input gate's value for the turn judged as if nothing were near
    it (no memory, no context)."""

    values: tuple[str, ...]
    gate_alone: float


NOTHING_NEAR = np.zeros(0, dtype=np.float32)  # the similarities of an empty memory


@dataclass(frozen=True)
class Nearby:
    """What the user's index holds near a new turn."""

    similarities: np.ndarray  # cosine of the nearest live memories, best first
    neighbours: list[Neighbour]  # those the forget gate's content head examines
    restated: Restated | None = None
    # The texts of the nearest memories that the same speaker told, and of those told a day
    # or more before: what a change they tell now would update.
    own_texts: tuple[str, ...] = ()
    told_before: tuple[str, ...] = ()


def _passing(m) -> bool:
    """Whether time may hide the memory (decay.can_fade): one the gate judged passing."""
    return can_fade(m.pinned, m.input_gate, m.half_life)


def _tells(text: str, name: str) -> bool:
    """Whether ``text`` tells ``name`` (casefolded) as its speaker's own."""
    told = tells_name(text)
    return told is not None and told.casefold() == name


def nearby(idx: UserIndex, vec: np.ndarray, turn: Turn, stale_by_people: bool) -> Nearby:
    """The nearest live memories of ``vec``; with ``stale_by_people``, the neighbours the
    forget gate examines: the nearest unpinned memories that the same speaker said (only
    what a person says can make their own memories stale: a bot's reply that restates or
    garbles a fact must not supersede it, nor may one person's news supersede what another
    person said); the lasting memory of the same speaker that an observed turn says
    again in the same words (features.wording), if any; and the texts of the speaker's own
    memories among the nearest, and of those told a day or more before (what a change they
    tell now may update: decide_turn's new-value rule)."""
    sims = idx.cosine(vec)
    top = idx.top(sims, NEIGHBOURS) if idx.size else np.zeros(0, dtype=np.int64)
    top = top[idx.alive(top)]
    who = turn.speaker.casefold()
    restated = None
    if turn.observed and not dated(turn.text):
        # A lasting memory this speaker said in these words before this turn (a dated or
        # passing one tells of a moment: the same words later are another moment).
        # So is a name this person told before, told again with nothing else ("I'm Tomasz by
        # the way" after "My name is Tomasz.").
        said = wording(turn.text)
        name = bare_name(turn.text) if not is_bot(turn.speaker) else None
        same = [
            r
            for r in top.tolist()
            if idx.speakers[r].casefold() == who
            and idx.strength_at[r] <= turn.at
            and not _passing(idx.row_view(r))
            and (wording(idx.texts[r]) == said or (name is not None and _tells(idx.texts[r], name)))
        ]
        if same and said:
            strength = float(idx.decayed(np.asarray(same[:1]), turn.at)[0])
            restated = Restated(int(idx._ids[same[0]]), strength)
    own = [r for r in top.tolist() if idx.speakers[r].casefold() == who]
    own_texts = tuple(idx.texts[r] for r in own)
    told_before = tuple(idx.texts[r] for r in own if turn.at - float(idx.created_at[r]) >= DAY)
    if not stale_by_people or is_bot(turn.speaker):
        return Nearby(sims[top], [], restated, own_texts, told_before)
    rows = [
        r
        for r in top.tolist()
        if sims[r] >= NEIGHBOUR_MIN_COS and not idx.pinned[r] and idx.speakers[r].casefold() == who
    ]
    if not rows:
        return Nearby(sims[top], [], restated, own_texts, told_before)
    vecs = idx.vectors(np.asarray(rows, dtype=np.int64))
    return Nearby(
        sims[top],
        [
            Neighbour(
                memory_id=int(idx._ids[r]),
                vec=v,
                cues=idx.cues[r],
                similarity=float(sims[r]),
                age_days=(turn.at - float(idx.created_at[r])) / DAY,
                half_life_hours=float(idx.half_life[r]) / 3600,
                text=idx.texts[r],
            )
            for r, v in zip(rows, vecs, strict=True)
        ],
        restated,
        own_texts,
        told_before,
    )


@dataclass(frozen=True)
class TurnDecision:
    """Everything the gates decided about one turn; :mod:`memory.apply` writes it."""

    stored: bool
    input_gate: float  # the gate's own value, whatever was done with it
    recorded_gate: float | None  # kept with the memory: None for adds, at least the
    # threshold for dated news and a name
    dated_news: bool  # stored because it is news a person dates, whatever the gate said
    restated: Restated | None  # not stored: it says this memory again (which it reinforces)
    strength: float | None  # of the new memory
    half_life_hours: float | None
    novelty: float  # 1 - cosine of the nearest live memory
    verdicts: list[Decision]  # the content head on each neighbour, nearest first
    superseded: list[Decision]
    reason: str
    context: np.ndarray  # the context vector after this turn
    cues: TextCues
    read_on: str | None = None  # the piece whose value stored a turn the whole would not
    named: str | None = None  # the name the speaker tells as their own (features.tells_name)
    told_new: NewValues | None = None  # stored for values its speaker's near memories lack
    replaces: Replaces | None = None  # lasts as the lasting memory it supersedes

    @property
    def changes_memories(self) -> bool:
        """Whether applying it changes the user's set of memories or their strengths."""
        return self.stored or bool(self.superseded) or bool(self.restated)

    def observation(self, memory_id: int | None) -> Observation:
        return Observation(
            stored=self.stored,
            memory_id=memory_id,
            input_gate=self.input_gate,
            superseded=sorted(d.memory_id for d in self.superseded),
            strength=self.strength,
            half_life_days=(
                self.half_life_hours / 24 if self.half_life_hours is not None else None
            ),
            decisions=self.verdicts,
            reason=self.reason,
            restated=self.restated.memory_id if self.restated else None,
        )


def decide_turn(
    gates,
    turn: Turn,
    vec: np.ndarray,
    near: Nearby,
    ctx: np.ndarray | None,
    ablate: frozenset[str] = frozenset(),
    pieces: Sequence[tuple[str, np.ndarray]] = (),
) -> TurnDecision:
    """One turn through the three gates' write-side heads.

    ``pieces``: the turn's features.statement_pieces with their embeddings. The input gate's
    value is the largest of the whole turn's and each piece's (with the turn's novelty and
    context): an utterance is worth storing if something it says of its speaker is.
    ``ablate`` replaces gates by their trivial version: "input" stores everything at full
    strength, "forget" never decays or supersedes.
    """
    thr = gates.cfg.write_threshold
    tf = text_features(turn.text)
    whole, p, best = _p_write(gates, vec, tf, near.similarities, ctx, pieces)
    read_on = best if whole < thr <= p else None
    if "input" in ablate:
        p, read_on = 1.0, None
    cues = TextCues.of(turn.text)
    # News a person dates ("I lost my job yesterday") is stored, at least at the
    # threshold's strength, whatever the input gate says: such news is what later
    # questions ask about. A question about the person spoken to that names a time ("how
    # are you today?") tells none (features.tells_dated).
    # ``p`` stays the gate's own value, for the record.
    person = turn.observed and not is_bot(turn.speaker)
    news = person and cues.dated and tells_dated(turn.text)
    # So is a person telling their name: what every assistant is asked to remember first.
    named = tells_name(turn.text) if person else None
    p_kept = max(p, thr) if news or named else p
    # The gate reads a turn close to what is stored, or to the conversation, as a repeat,
    # and lets it go. But a turn of the speaker's own that names a value none of their
    # memories near it holds, where they told one a day or more before ("bumped my
    # sertraline up to 100mg" after "I take 50mg of sertraline"), tells something new, often
    # a change: it is judged as if nothing were near it, in memory or in the conversation,
    # and kept at no more than the threshold's strength. A change let go is a fact lost.
    # Someone else's news and a supposition change nothing of the speaker's.
    told_new = None
    asks = hedged(turn.text)
    if (
        person
        and p_kept < thr
        and near.told_before
        and not (cues.about_other or asks or supposes(turn.text))
    ):
        values = new_values(turn.text, list(near.own_texts))
        if values and any(names_a_value(t) for t in near.told_before):
            whole_alone, alone, alone_best = _p_write(gates, vec, tf, NOTHING_NEAR, None, pieces)
            if alone >= thr:
                told_new = NewValues(tuple(sorted(values)[:LISTED_VALUES]), alone)
                p_kept = thr
                read_on = alone_best if whole_alone < thr else None
    # A request to an assistant that tells nothing of its speaker ("Tell me a joke about
    # statisticians", "What are the signs of burnout?") is not a memory of them, whatever
    # the input gate (trained on chat between people) makes of it; nor does it make one stale.
    request = person and not (news or named) and "input" not in ablate
    request = request and only_requests(turn.text)
    # A turn that says a lasting memory of its speaker again, word for word, adds nothing
    # to it and changes nothing: it reinforces that memory instead of becoming a second one.
    restated = near.restated if "input" not in ablate else None
    verdicts = (
        decisions.forget_verdicts(
            gates, vec, cues, tf, near.neighbours, hedged=request or asks, text=turn.text
        )
        if restated is None
        else []
    )
    superseded = [d for d in verdicts if d.action == "supersede" and restated is None]
    # An utterance that makes a memory stale is itself worth keeping; so is one that changes
    # part of a memory a rule keeps whole ("Sold the Civic, keeping the Vespa"): let go, the
    # change would be lost with the older memory still standing.
    told = decisions.changes_told(verdicts, gates.cfg.supersede_threshold)
    stored = not turn.observed or (
        restated is None and not request and (p_kept >= thr or bool(told))
    )
    strength = hl_hours = None
    if stored:
        sup = max((d.probabilities["supersede"] for d in told), default=0.0)
        strength = max(p_kept, sup) if turn.observed else 1.0
        hl_hours = NEVER_HOURS if "forget" in ablate else decisions.half_life_hours(gates, vec, tf)
        if named:  # a name does not pass: it lasts as long as the time head lets anything last
            hl_hours = max(hl_hours, gates.cfg.max_half_life_hours)
    # The time head reads a turn alone, and a change told as news of the day ("Stopped the
    # ibuprofen, the knee's fine now.") may read to it as passing. A turn that supersedes a
    # memory time would not hide tells its current value: were it to fade, nothing would be
    # left of the fact. It lasts as long as the longest-lived memory it supersedes.
    replaces = None
    if stored and superseded and hl_hours is not None and hl_hours <= PASSING_DAYS * 24:
        lives = {nb.memory_id: nb.half_life_hours for nb in near.neighbours}
        longest = max(superseded, key=lambda d: lives[d.memory_id])
        life = lives[longest.memory_id]
        if life > PASSING_DAYS * 24:
            replaces = Replaces(longest.memory_id, life, hl_hours)
            hl_hours = life
    sims = near.similarities
    return TurnDecision(
        stored=stored,
        input_gate=p,
        recorded_gate=p_kept if turn.observed else None,
        dated_news=news and stored,
        restated=restated,
        strength=strength,
        half_life_hours=hl_hours,
        novelty=1.0 - float(sims.max()) if sims.size else 1.0,
        verdicts=verdicts,
        superseded=superseded,
        reason=_reason(
            stored, turn, p, thr, superseded, read_on, restated, named, request, told_new, told
        )
        + (_lasting_reason(replaces) if replaces else ""),
        context=decisions.next_context(ctx, vec),
        cues=cues,
        read_on=read_on,
        named=named if stored else None,
        told_new=told_new if stored else None,
        replaces=replaces,
    )


def _lasting_reason(r: Replaces) -> str:
    return (
        f"; lasting as memory {r.memory_id}, which it supersedes: half-life "
        f"{r.half_life_hours / 24:.0f} days, not the time head's {r.time_head_hours / 24:.1f}"
    )


def _p_write(
    gates,
    vec: np.ndarray,
    tf: np.ndarray,
    sims: np.ndarray,
    ctx: np.ndarray | None,
    pieces: Sequence[tuple[str, np.ndarray]],
) -> tuple[float, float, str | None]:
    """The input gate on the whole turn; the largest of that and its value on each piece;
    and the piece that gave it (None for the whole)."""
    whole = p = decisions.p_write(gates, vec, tf, sims, ctx)
    best = None
    for text, piece_vec in pieces:
        q = decisions.p_write(gates, piece_vec, text_features(text), sims, ctx)
        if q > p:
            p, best = q, text
    return whole, p, best


def _reason(
    stored: bool,
    turn: Turn,
    p: float,
    thr: float,
    superseded: list,
    read_on: str | None,
    restated: Restated | None = None,
    named: str | None = None,
    request: bool = False,
    told_new: NewValues | None = None,
    told: Sequence = (),
) -> str:
    on = f" on the part {read_on!r}" if read_on else ""
    if restated is not None:
        return f"not stored: it says memory {restated.memory_id} again, which it reinforces"
    if request:
        return f"not stored: a request that tells nothing of its speaker (input gate {p:.2f})"
    if not stored:
        return f"not stored: input gate {p:.2f} < {thr:.2f}"
    if not turn.observed:
        return "stored: explicit add"
    if p < thr and superseded:
        return f"stored because it supersedes {len(superseded)} stale memory(ies)"
    if p < thr and told:
        return f"stored because it changes part of {len(told)} memory(ies), kept for the rest"
    if p < thr and told_new is not None:
        said = ", ".join(told_new.values)
        return (
            f"stored at the threshold: it names {said}, which none of the speaker's memories "
            f"near it holds (input gate {p:.2f} beside them, {told_new.gate_alone:.2f} on its "
            f"own){on}"
        )
    if p < thr and named:
        return f"stored: the speaker's name, {named} (input gate {p:.2f} < {thr:.2f})"
    if p < thr:
        return f"stored: dated news (input gate {p:.2f} < {thr:.2f})"
    return f"stored: input gate {p:.2f} >= {thr:.2f}{on}"


@dataclass(frozen=True)
class Eviction:
    """The memory a full memory lets go, and why."""

    memory_id: int
    strength: float  # at the time of eviction
    detail: dict[str, Any]


def choose_eviction(idx: UserIndex, policy: str, capacity: int, now: float) -> Eviction | None:
    """The unpinned memory to let go when the user's memory is over capacity: with
    ``gate``, the one least worth keeping (:meth:`UserIndex.worth_keeping`); with ``fifo``
    the oldest; with ``lru`` the one written or recalled longest ago. None when every
    memory is pinned."""
    rows = idx.live_rows()
    rows = rows[~idx.pinned[rows]]
    if not rows.size:
        return None
    parts = idx.worth_parts(rows) if policy == "gate" else {}
    key = parts.get("worth")
    if key is None:
        key = idx.created_at[rows] if policy == "fifo" else idx.used_at[rows]
    i = int(np.argmin(key))
    detail: dict[str, Any] = {"capacity": capacity, "policy": policy}
    detail.update({name: round(float(v[i]), 6) for name, v in parts.items()})
    r = int(rows[i])
    strength = float(idx.decayed(np.asarray([r]), now)[0])
    return Eviction(int(idx._ids[r]), strength, detail)
