"""Applying what the gates decided: the rows and history records a decision makes, written
through the store, and the same change made to the user's in-process index.

Each function here runs inside a transaction its caller holds (or opens one of its own,
for recall) and changes the index only to match what it wrote.
"""

from __future__ import annotations

import numpy as np

from .decay import DAY, FLOOR, faded_at, reinforced
from .index import IndexRow, UserIndex
from .ranking import Ranking
from .storage import Store, UserState, event_record, to_blob
from .turn import Eviction, Turn, TurnDecision


def apply_turn(
    store: Store,
    conn,
    user_id: int,
    idx: UserIndex,
    turn: Turn,
    vec: np.ndarray,
    d: TurnDecision,
) -> int | None:
    """Write one turn's decision: its memory if stored, what it made stale or said again, and
    an event for each; then the same in ``idx``. Returns the new memory's id, if any."""
    now, events, updates = turn.at, [], []
    new_id = None
    if d.stored:
        new_id = store.insert_memory(
            conn,
            {
                "user_id": user_id,
                "text": turn.text,
                "embedding": to_blob(vec),
                "speaker": turn.speaker,
                "session": turn.session,
                "source": turn.source,
                "meta": turn.metadata,
                "created_at": now,
                "strength": d.strength,
                "strength_at": now,
                "half_life": d.half_life_hours * 3600.0,
                "pinned": turn.pinned,
                "input_gate": d.recorded_gate,
                "recall_count": 0,
            },
        )
        kind = "written" if turn.observed else "added"
        events.append(
            event_record(
                new_id,
                user_id,
                now,
                kind,
                value=d.input_gate,
                actor="gate" if kind == "written" else "user",
                detail={
                    "strength": round(d.strength, 4),
                    "half_life_days": round(d.half_life_hours / 24, 3),
                    "speaker": turn.speaker,
                    "novelty": round(d.novelty, 4),
                    **({"dated": True} if d.dated_news else {}),
                    **({"name": d.named} if d.named else {}),
                    **({"read_on": d.read_on} if d.read_on else {}),
                    **(
                        {
                            "new_values": list(d.told_new.values),
                            "gate_alone": round(d.told_new.gate_alone, 4),
                        }
                        if d.told_new
                        else {}
                    ),
                    **(
                        {
                            "lasts_as": d.replaces.memory_id,
                            "time_head_days": round(d.replaces.time_head_hours / 24, 3),
                        }
                        if d.replaces
                        else {}
                    ),
                },
            )
        )
        if turn.pinned:
            events.append(event_record(new_id, user_id, now, "pinned", actor="user"))
    if d.restated is not None:
        # Said again word for word: strengthened as a recall strengthens it.
        r = d.restated
        updates.append({"id": r.memory_id, "strength": reinforced(r.strength), "strength_at": now})
        events.append(
            event_record(
                r.memory_id,
                user_id,
                now,
                "restated",
                value=reinforced(r.strength),
                actor="rule",
                detail={
                    "by": turn.text[:200],
                    "speaker": turn.speaker,
                    **({"session": turn.session} if turn.session else {}),
                    **({"meta": turn.metadata} if turn.metadata else {}),
                },
            )
        )
    for s in d.superseded:
        value = s.probabilities["supersede"]
        updates.append({"id": s.memory_id, "superseded_by": new_id})
        why = {"gate": {k: round(v, 4) for k, v in s.probabilities.items()}}  # the gate's values
        for mid, kind, other in (
            (s.memory_id, "superseded", new_id),
            (new_id, "supersedes", s.memory_id),
        ):
            events.append(
                event_record(
                    mid, user_id, now, kind, value=value, other_id=other, actor="gate", detail=why
                )
            )
    store.update_memories(conn, updates)
    store.insert_events(conn, events)

    if d.restated is not None:
        idx.set_strength(d.restated.memory_id, reinforced(d.restated.strength), now)
    for s in d.superseded:
        if new_id is None:
            idx.remove(s.memory_id)
        else:
            idx.supersede(s.memory_id, new_id)
    if new_id is not None:
        idx.add(
            IndexRow(
                id=new_id,
                vec=vec,
                text=turn.text,
                created_at=now,
                strength=d.strength,
                strength_at=now,
                half_life=d.half_life_hours * 3600.0,
                pinned=turn.pinned,
                input_gate=d.recorded_gate,
                speaker=turn.speaker,
                meta=turn.metadata,
                cues=d.cues,
            )
        )
    return new_id


def apply_eviction(
    store: Store, conn, user_id: int, idx: UserIndex, ev: Eviction, policy: str, now: float
) -> None:
    """Forget the evicted memory (restorable), with an "evicted" event saying why."""
    store.update_memories(
        conn, [{"id": ev.memory_id, "forgotten_at": now, "forgotten_by": "capacity"}]
    )
    store.insert_events(
        conn,
        [
            event_record(
                ev.memory_id,
                user_id,
                now,
                "evicted",
                value=ev.strength,
                actor=policy,
                detail=ev.detail,
            )
        ],
    )
    idx.remove(ev.memory_id)


def apply_recall(
    store: Store,
    state: UserState,
    idx: UserIndex,
    ranking: Ranking,
    reinforce: bool,
    query: str,
    now: float,
) -> bool:
    """Reinforce what recall chose (if ``reinforce``) and write down fades, in one short
    transaction of its own. Returns False when another process wrote to the user's memories
    meanwhile: ``idx`` is then out of date and must be reloaded."""
    chosen = ranking.chosen if reinforce else []
    updates, events = [], []
    for c in chosen:
        mid = int(idx._ids[c.row])
        updates.append(
            {
                "id": mid,
                "strength": reinforced(c.signals["strength"]),
                "strength_at": now,
                "recall_count": 1,
                "last_recalled_at": now,
            }
        )
        events.append(
            event_record(
                mid, state.id, now, "recalled", value=c.score, query=query[:1000], actor="gate"
            )
        )
    for r in ranking.faded.tolist():
        mid = int(idx._ids[r])
        when = min(faded_at(idx.row_view(r)), now)
        updates.append({"id": mid, "forgotten_at": when, "forgotten_by": "decay"})
        events.append(
            event_record(
                mid,
                state.id,
                when,
                "faded",
                value=FLOOR,
                actor="decay",
                detail={"half_life_days": round(idx.half_life[r] / DAY, 3)},
            )
        )
    with store.txn(write=True) as conn:
        version = store.bump_version(conn, state.id)  # also locks the user's row
        store.update_memories(conn, updates)
        store.insert_events(conn, events)
    if version != idx.version + 1:
        return False
    for c in chosen:
        mid = int(idx._ids[c.row])
        idx.set_strength(mid, reinforced(c.signals["strength"]), now)
        idx.touch(mid, now)
    for r in ranking.faded.tolist():
        idx.remove(int(idx._ids[r]))
    idx.version = version
    return True
